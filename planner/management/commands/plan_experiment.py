"""Create the plan experiment (shown vs hidden), as a draft or started."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from experiments.models import Experiment
from ottsite.lib.errors import DomainError
from planner.experiment import PLAN_EXPERIMENT, plan_experiment_create


class Command(BaseCommand):
    help = "Create the 'plan shown vs hidden' experiment (see planner.experiment)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--start",
            action="store_true",
            help="Start it now (stop the running experiment first: one at a time).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if Experiment.objects.filter(name=PLAN_EXPERIMENT).exists():
            self.stdout.write(f"The experiment {PLAN_EXPERIMENT!r} exists already.")
            return
        try:
            experiment = plan_experiment_create(start=bool(options["start"]))
        except DomainError as exc:
            self.stderr.write(exc.message)
            raise SystemExit(1) from exc
        self.stdout.write(
            f"Created {experiment.name!r} ({experiment.status}): arms hidden "
            "(control) and shown; primary metric conversion."
        )
