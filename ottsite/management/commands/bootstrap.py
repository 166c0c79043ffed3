"""First-run set-up for `make run`: import MovieLens when empty, train when no model."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from catalog.selectors import catalog_counts, catalog_is_empty
from recommender.models import ModelVersion


class Command(BaseCommand):
    help = (
        "Import MovieLens when the catalogue is empty; train when no model is active."
    )

    def handle(self, *args, **options) -> None:
        if catalog_is_empty():
            self.stdout.write("Catalogue is empty: importing MovieLens...")
            call_command("import_movielens", stdout=self.stdout, stderr=self.stderr)
        counts = catalog_counts()
        self.stdout.write(
            f"Catalogue: {counts['movies']:,} movies, {counts['users']:,} users, "
            f"{counts['ratings']:,} ratings"
        )
        if not ModelVersion.objects.filter(is_active=True).exists():
            self.stdout.write("No active model: training one (about a minute)...")
            call_command("train_recommender", stdout=self.stdout, stderr=self.stderr)
