"""Import the Kaggle streaming catalogues (US, 2020-2021) as subscription offers."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.availability import AvailabilityImportError, snapshot_import


class Command(BaseCommand):
    help = (
        "Match streaming snapshot CSVs (a file or a directory) to the catalogue and "
        "upsert subscription offers (idempotent). The Kaggle files are US catalogues."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="a snapshot CSV or a directory of them")
        parser.add_argument(
            "--region", default="US", help="region of the catalogues (default US)"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the region's snapshot offers no longer in the files",
        )

    def handle(self, *args, path: str, region: str, replace: bool, **options) -> None:
        region = region.upper()

        def progress(rows):
            return tqdm(rows, unit="title", disable=None, leave=False)

        try:
            summary = snapshot_import(
                path=path, region=region, progress=progress, replace=replace
            )
        except AvailabilityImportError as exc:
            raise CommandError(f"Import refused, nothing written: {exc}") from exc
        for report in summary.files:
            self.stdout.write(report.line())
        if summary.skipped_platforms:
            self.stdout.write(
                self.style.WARNING(
                    f"No {region} platform for: {', '.join(summary.skipped_platforms)}"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Region {region}: {summary.created:,} offers created, "
                f"{summary.updated:,} refreshed, {summary.deleted:,} deleted"
            )
        )
