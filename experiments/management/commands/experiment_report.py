"""Print an experiment's report: per-variant metrics, differences, SRM, decision."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from experiments.report import experiment_get, experiment_report
from experiments.report_formats import (
    CSV_HEADER,
    report_csv_rows,
    report_text,
)
from ottsite.lib.errors import NotFound


class Command(BaseCommand):
    help = "Report an A/B experiment (simulated users are left out by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the experiment's name")
        parser.add_argument("--json", action="store_true", help="print JSON instead")
        parser.add_argument("--csv", metavar="PATH", help="also write a CSV file")
        parser.add_argument(
            "--include-simulated",
            action="store_true",
            help="count users made by simulate_traffic",
        )

    # The terminal report is read in English (the decision sentence is translated
    # for the admin page).
    @no_translations
    def handle(self, *args, **options) -> None:
        try:
            experiment = experiment_get(name=options["name"])
            report = experiment_report(
                experiment=experiment, include_simulated=options["include_simulated"]
            )
        except NotFound as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), indent=2, default=str))
        else:
            self.stdout.write(report_text(report))
        if options["csv"]:
            path = Path(options["csv"])
            with path.open("w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(CSV_HEADER)
                writer.writerows(report_csv_rows(report))
            self.stderr.write(f"wrote {path}")
