"""Print the share of the catalogue with streaming availability."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.selectors import availability_coverage


class Command(BaseCommand):
    help = "Share of catalogue movies with at least one offer, by region and source."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--by",
            choices=["source", "platform"],
            default="source",
            help="group by source (default) or by platform",
        )

    def handle(self, *args, by: str, **options) -> None:
        total, rows = availability_coverage(by=by)
        self.stdout.write(f"Catalogue: {total:,} movies")
        self.stdout.write(f"| region | {by} | movies | share |")
        self.stdout.write("|---|---|---:|---:|")
        for row in rows:
            self.stdout.write(
                f"| {row.region} | {row.group} | {row.movies:,} | {row.share:.1%} |"
            )
        if not rows:
            self.stdout.write("| - | - | 0 | 0.0% |")
