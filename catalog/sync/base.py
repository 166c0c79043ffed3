"""The state of one sync run and its bookkeeping (progress saved in the run's row)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.utils import timezone

from catalog.matching import TitleMatcher
from catalog.models import CatalogSync, Movie, Platform
from catalog.providers import tmdb
from catalog.sync.summary import CountingClient, SyncSummary

MAX_PAGES = 500
# Details are fetched again after this long (TMDB's terms cap caching at six months).
DETAILS_REFRESH = timedelta(days=90)
# TMDB's changes feed covers at most 14 days a call.
CHANGES_WINDOW = timedelta(days=14)
# A killed run is resumed if it started this recently; older ones start afresh.
RESUME_WINDOW = timedelta(hours=24)
DETAILS_BATCH = 50
OVERVIEW_CHARS = 300

KIND_OF_MEDIA = {"movie": Movie.Kind.FILM, "tv": Movie.Kind.SERIES}
SOURCE_OF_MEDIA = {"movie": Movie.SOURCE_TMDB_MOVIE, "tv": Movie.SOURCE_TMDB_TV}
OFFER_OF_MONETIZATION = {"flatrate": "subscription", "free": "free", "ads": "ads"}

Progress = Callable[..., Iterator]


class SyncRunBase:
    """One run's shared state: the run row, its scope, what changed so far."""

    def __init__(
        self,
        run: CatalogSync,
        platforms: list[Platform],
        media: list[str],
        pages: int | None,
        client: CountingClient,
        summary: SyncSummary,
        progress: Progress | None,
        workers: int,
    ) -> None:
        self.run = run
        self.platforms = platforms
        self.media = media
        self.pages = pages
        self.client = client
        self.summary = summary
        self.progress = progress
        self.workers = max(1, workers)
        self.changed: set[int] = set()  # movies whose offers or details changed
        self.offer_changes: dict[int, tuple[set[int], set[int]]] = defaultdict(
            lambda: (set(), set())
        )  # movie -> (platforms gained, platforms lost)
        self.titles_changed = False
        self._matcher: TitleMatcher | None = None
        self._new_ids: set[int] | None = None

    def _lists(self) -> list[tuple[str, Platform, str]]:
        return [
            (media, platform, monetization)
            for media in self.media
            for platform in self.platforms
            for monetization in tmdb.INCLUDED_MONETIZATION
        ]

    @staticmethod
    def _key(media: str, platform: Platform, monetization: str) -> str:
        return f"{media}:{platform.tmdb_provider_id}:{monetization}"

    def _save_progress(self) -> None:
        self.run.counts = {
            **self.summary.counts(),
            "requests": self.summary.requests + self.client.requests,
        }
        self.run.heartbeat_at = timezone.now()
        self.run.save(update_fields=["cursor", "counts", "heartbeat_at"])

    def finish(self) -> None:
        self._announce()
        self.run.status = (
            CatalogSync.Status.FAILED
            if self.summary.failed
            else CatalogSync.Status.DONE
        )
        if not self.summary.failed:
            self.run.finished_at = timezone.now()
        self.run.counts = {**self.summary.counts(), "requests": self.summary.requests}
        self.run.message = self.summary.line()[:500]
        self.run.heartbeat_at = timezone.now()
        self.run.save()

    def _bar(self, *, total: int, unit: str, desc: str):
        if self.progress is None:
            return None
        return self.progress(total=total, unit=unit, desc=desc)
