"""Look the catalogue up with the configured availability providers, synchronously."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.lookup import (
    availability_refresh_many,
    cse_is_configured,
    movie_ids_for_refresh,
    tmdb_is_configured,
)
from catalog.regions import Region


class Command(BaseCommand):
    help = (
        "Refresh streaming availability from TMDB (and Google CSE for KR when "
        "enabled) under a per-provider rate limit; prints a summary line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--region",
            default="KR",
            choices=list(Region.values),
            help="region the search fallback and the summary are about (default KR)",
        )
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--stale",
            action="store_true",
            help="only movies never checked or checked longer ago than "
            "AVAILABILITY_STALE_DAYS (the default)",
        )
        which.add_argument("--all", action="store_true", help="every movie")
        which.add_argument(
            "--movie", type=int, nargs="+", metavar="ID", help="these movie ids"
        )
        parser.add_argument("--limit", type=int, help="at most N movies")
        parser.add_argument(
            "--rate",
            type=float,
            help="TMDB requests a second (default TMDB_REQUESTS_PER_SECOND)",
        )

    def handle(self, *args, **options) -> None:
        if not (tmdb_is_configured() or cse_is_configured()):
            raise CommandError(
                "No availability provider configured: set TMDB_API_KEY "
                "(or enable Google CSE)."
            )
        limit = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        rate = options["rate"]
        if rate is not None and rate <= 0:
            raise CommandError("--rate must be above 0")
        ids = movie_ids_for_refresh(
            stale=not options["all"],
            movie_ids=options["movie"] or (),
            limit=limit,
        )
        if options["movie"] and len(ids) < len(set(options["movie"])):
            missing = sorted(set(options["movie"]) - set(ids))
            self.stderr.write(self.style.WARNING(f"No such movie: {missing}"))

        def progress(rows):
            return tqdm(rows, unit="movie", disable=None, leave=False)

        summary = availability_refresh_many(
            movie_ids=ids, region=options["region"], rate=rate, progress=progress
        )
        for message in summary.error_messages:
            self.stderr.write(self.style.WARNING(message))
        style = self.style.WARNING if summary.errors else self.style.SUCCESS
        self.stdout.write(style(summary.line()))
