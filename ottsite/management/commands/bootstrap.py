"""First-run set-up for `make run`: import MovieLens when empty, train when no model."""

from __future__ import annotations

from django.conf import settings
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
            self.stdout.write(training_estimate(counts["ratings"]))
            call_command("train_recommender", stdout=self.stdout, stderr=self.stderr)


# Measured on a quiet 2-core machine with ml-100k (benchmarks/RESULTS.md, "ML core
# benchmark"): the NCF about 40 s, the ranker (600 simulated users) about 60 s.
NCF_SECONDS_PER_100K = 40.0
RANKER_SECONDS = 60.0


def training_estimate(ratings: int) -> str:
    """What the first training will take here, said before it starts."""
    import os

    ncf = NCF_SECONDS_PER_100K * max(ratings, 1) / 100_000
    quiet = ncf + (RANKER_SECONDS if settings.RECOMMENDER_RANKER_USERS else 0.0)
    cores = os.cpu_count() or 1
    load = os.getloadavg()[0]
    # Work already running takes its share of the cores.
    slowdown = max(1.0, (load + 1) / cores)
    text = (
        f"No active model: training one. About {quiet / 60:.1f} minutes on a quiet "
        f"{cores}-core machine (the NCF ~{ncf:.0f} s, "
        f"the ranker ~{RANKER_SECONDS:.0f} s)"
    )
    if slowdown > 1.2:
        text += (
            f"; this machine is busy (load {load:.1f} on {cores} cores), so expect "
            f"about {quiet * slowdown / 60:.0f} minutes"
        )
    return text + ". Each phase is printed as it starts."
