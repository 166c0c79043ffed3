"""The catalogue sync: what a region's services carry now, from TMDB.

For each active platform of the region with a TMDB provider id, TMDB's discover lists
(films and series; subscription, free and ads offers; most popular first) say what
it carries. A listed title becomes a catalogue entry (the MovieLens film it is, when
it is one: by TMDB id, else by title and year), its offers are stored with source
and date, and its details (ko-KR and en-US) are fetched when new, changed at TMDB
(its changes feed) or older than DETAILS_REFRESH. An offer that a list read to its
end no longer shows moves to OfferHistory: kept, never shown as current.

A run is a CatalogSync row whose cursor records the discover pages done, so a run
that was killed resumes where it stopped. A PostgreSQL advisory lock held for the
run's length keeps two runs of one region apart; it dies with its connection, so a
killed run never blocks the next one.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.content import content_fetch_after_sync
from catalog.lookup import RateLimiter
from catalog.models import CatalogSync, Platform
from catalog.providers import tmdb
from catalog.providers.http import JsonClient, ProviderError
from catalog.sync.base import KIND_OF_MEDIA, RESUME_WINDOW, Progress
from catalog.sync.details import DetailsMixin
from catalog.sync.discover import DiscoverMixin
from catalog.sync.prune import PruneMixin
from catalog.sync.summary import (
    CountingClient,
    SyncBusy,
    SyncNotConfigured,
    SyncScopeError,
    SyncSummary,
)

__all__ = [
    "SyncBusy",
    "SyncNotConfigured",
    "SyncScopeError",
    "SyncSummary",
    "catalog_sync",
    "catalog_sync_request",
    "sync_platforms",
    "sync_regions",
    "tmdb_is_configured",
]

logger = logging.getLogger(__name__)


class _Sync(DiscoverMixin, DetailsMixin, PruneMixin):
    """One run's work: discover lists, details, pruning (DB writes on this thread)."""


def tmdb_is_configured() -> bool:
    return bool(settings.TMDB_API_KEY)


def sync_platforms(*, region: str, provider_ids: Iterable[int] = ()) -> list[Platform]:
    """The region's active platforms with a TMDB provider id (those asked for)."""
    platforms = list(
        Platform.objects.filter(region=region, is_active=True)
        .exclude(tmdb_provider_id=None)
        .order_by("tmdb_provider_id")
    )
    wanted = set(provider_ids)
    if wanted:
        unknown = wanted - {p.tmdb_provider_id for p in platforms}
        if unknown:
            raise SyncScopeError(
                f"No active platform in {region} has TMDB provider id "
                f"{', '.join(map(str, sorted(unknown)))}."
            )
        platforms = [p for p in platforms if p.tmdb_provider_id in wanted]
    if not platforms:
        raise SyncScopeError(
            f"{region} has no active platform with a TMDB provider id."
        )
    return platforms


def sync_regions() -> list[str]:
    """Regions with an active platform TMDB lists (what a sync can cover)."""
    return sorted(
        set(
            Platform.objects.filter(is_active=True)
            .exclude(tmdb_provider_id=None)
            .values_list("region", flat=True)
        )
    )


def catalog_sync_request(*, region: str) -> None:
    """Queue a sync of the region on the worker once the caller's transaction
    commits (the admin's "Sync now"); refuses at once what cannot run."""
    from catalog.tasks import catalog_sync_task

    if not tmdb_is_configured():
        raise SyncNotConfigured("TMDB_API_KEY is not set: nothing will be synced.")
    if region not in sync_regions():
        raise SyncScopeError(
            f"{region} has no active platform with a TMDB provider id."
        )
    transaction.on_commit(lambda: catalog_sync_task.delay(region))


def catalog_sync(
    *,
    region: str = "KR",
    provider_ids: Iterable[int] = (),
    media: Iterable[str] = ("movie", "tv"),
    pages: int | None = None,
    rate: float | None = None,
    client: JsonClient | None = None,
    progress: Progress | None = None,
    workers: int = 4,
) -> SyncSummary:
    """Sync the region's catalogue from TMDB; resumes an interrupted run of the
    same scope. Raises SyncNotConfigured, SyncBusy or SyncScopeError before any
    change; a provider failure mid-run is reported in the summary (status failed)."""
    media = sorted(set(media))
    if not media or set(media) - set(KIND_OF_MEDIA):
        raise SyncScopeError("media must be among: movie, tv.")
    if pages is not None and pages < 1:
        raise SyncScopeError("pages must be at least 1.")
    if client is None:
        if not tmdb_is_configured():
            raise SyncNotConfigured("TMDB_API_KEY is not set: nothing was synced.")
        client = tmdb.tmdb_client()
    platforms = sync_platforms(region=region, provider_ids=provider_ids)
    scope = {
        "providers": [p.tmdb_provider_id for p in platforms],
        "media": media,
        "pages": pages,
    }
    counted = CountingClient(
        client, RateLimiter(rate or settings.TMDB_REQUESTS_PER_SECOND)
    )
    started = time.perf_counter()
    with _region_lock(region):
        run, resumed = _run_claim(region=region, scope=scope)
        summary = SyncSummary(region=region, run_id=run.pk, resumed=resumed)
        summary.add(run.counts)
        summary.requests = int(run.counts.get("requests", 0))
        before_requests = summary.requests
        sync = _Sync(run, platforms, media, pages, counted, summary, progress, workers)
        try:
            sync.discover_all()
            sync.details_all()
            summary.complete = sync.lists_complete()
            if summary.complete:
                sync.prune()
            # Wikidata's answers (or its outage) never fail the sync: errors only.
            content = content_fetch_after_sync(movie_ids=sync.changed)
            if content is not None:
                summary.content = content.counts()
                summary.errors += content.errors
                summary.error_messages += content.error_messages[:3]
        except ProviderError as exc:
            summary.failed = str(exc)[:300]
            logger.warning("%s sync stopped: %s", region, exc)
        finally:
            summary.requests = before_requests + counted.requests
            summary.seconds = time.perf_counter() - started
            sync.finish()
    return summary


@contextmanager
def _region_lock(region: str) -> Iterator[None]:
    key = zlib.crc32(f"catalog-sync:{region}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise SyncBusy(f"A sync of {region} is running now; try again later.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _run_claim(*, region: str, scope: dict) -> tuple[CatalogSync, bool]:
    """Resume the latest unfinished run of this scope, else start one (the caller
    holds the region's lock, so a 'running' row is a run that died)."""
    now = timezone.now()
    unfinished = CatalogSync.objects.filter(
        region=region,
        status__in=[CatalogSync.Status.RUNNING, CatalogSync.Status.FAILED],
    )
    latest = unfinished.filter(scope=scope).order_by("-started_at").first()
    if latest is not None and latest.started_at > now - RESUME_WINDOW:
        unfinished.exclude(pk=latest.pk).filter(
            status=CatalogSync.Status.RUNNING
        ).update(status=CatalogSync.Status.FAILED, message="interrupted")
        latest.status = CatalogSync.Status.RUNNING
        latest.heartbeat_at = now
        latest.message = ""
        latest.save(update_fields=["status", "heartbeat_at", "message"])
        return latest, True
    unfinished.filter(status=CatalogSync.Status.RUNNING).update(
        status=CatalogSync.Status.FAILED, message="interrupted"
    )
    return CatalogSync.objects.create(region=region, scope=scope), False
