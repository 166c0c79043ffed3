"""Import MovieLens (ml-100k, ml-1m or ml-latest format) into the catalogue."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.services import (
    CatalogImportError,
    movielens_import,
    movielens_source_default,
)


class Command(BaseCommand):
    help = "Import MovieLens from a directory, a .zip or an https URL (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "source",
            nargs="?",
            help="directory, .zip or URL (default: $MOVIELENS_SOURCE, else GroupLens)",
        )

    def handle(self, *args, source: str | None = None, **options) -> None:
        source = source or movielens_source_default()
        stages = ["read", "movies", "users", "ratings"]
        with tqdm(total=len(stages), desc="import", unit="step", disable=None) as bar:

            def progress(stage: str, rows: int) -> None:
                bar.set_postfix_str(f"{stage}: {rows:,} rows")
                bar.update(1)

            try:
                summary = movielens_import(source=source, progress=progress)
            except CatalogImportError as exc:
                raise CommandError(f"Import refused, nothing written: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(summary.line()))
