"""Fetch title content (genres, people, countries, Korean labels) from Wikidata."""

from __future__ import annotations

from functools import partial

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.content import (
    ContentNotConfigured,
    ContentSummary,
    content_candidates,
    content_due,
    content_fetch,
)
from catalog.kobis import KobisSummary, kobis_titles_fetch
from catalog.models import Movie
from catalog.providers.kobis import kobis_is_enabled


class Command(BaseCommand):
    help = (
        "Fetch Wikidata content for synced titles that have none yet, a failed "
        "fetch, or content older than CONTENT_REFRESH_DAYS. Prints one summary line."
    )

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--all",
            action="store_true",
            help="every title: MovieLens films too, by TMDB or IMDb id, else by "
            "English title and year",
        )
        which.add_argument(
            "--stale",
            action="store_true",
            help="only titles whose content failed or is older than "
            "CONTENT_REFRESH_DAYS (none fetched for the first time)",
        )
        parser.add_argument("--limit", type=int, help="at most N titles")

    def handle(self, *args, **options) -> None:
        limit = options["limit"]
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1")
        candidates = content_candidates(
            include_movielens=options["all"] or options["stale"]
        )
        due = content_due(stale_only=options["stale"]).filter(candidates)
        movie_ids = list(due[:limit] if limit else due)
        try:
            summary = content_fetch(
                movie_ids=movie_ids, progress=partial(tqdm, disable=None, leave=False)
            )
        except ContentNotConfigured as exc:
            self.stdout.write(self.style.WARNING(str(exc)))
        else:
            self._report(summary)
        if kobis_is_enabled():
            # After Wikidata: only films still without a Korean title are asked.
            films = Movie.objects.filter(candidates).values_list("pk", flat=True)
            self._report(kobis_titles_fetch(movie_ids=films, limit=limit))

    def _report(self, summary: ContentSummary | KobisSummary) -> None:
        for message in summary.error_messages:
            self.stderr.write(self.style.WARNING(message))
        style = self.style.WARNING if summary.errors else self.style.SUCCESS
        self.stdout.write(style(summary.line()))
