"""Celery tasks of the catalogue."""

from __future__ import annotations

import logging
from dataclasses import asdict

from celery import shared_task
from django.conf import settings

from catalog.availability import (
    movie_availability_refresh_cse,
)
from catalog.models import Availability, Movie
from catalog.providers.http import (
    ProviderError,
    ProviderRateLimited,
    ProviderUnavailable,
)
from catalog.selectors import movies_due_for_refresh
from catalog.services import movielens_import

logger = logging.getLogger(__name__)


@shared_task(name="catalog.movielens_import")
def movielens_import_task(source: str) -> dict:
    """Import a MovieLens source (idempotent, so safe to retry)."""
    summary = movielens_import(source=source)
    return {
        "movies": summary.movies,
        "users": summary.users,
        "ratings": summary.ratings,
    }


@shared_task(
    name="catalog.availability_refresh_tmdb",
    autoretry_for=(ProviderRateLimited, ProviderUnavailable),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=4,
)
def availability_refresh_tmdb_task(movie_id: int) -> dict:
    """Refresh one movie's offers from TMDB (idempotent; failures keep old rows)."""
    from catalog.lookup import movie_refresh_tmdb_with_alerts

    try:
        result = movie_refresh_tmdb_with_alerts(movie_id=movie_id)
    except Movie.DoesNotExist:
        return {"movie_id": movie_id, "status": "gone"}
    except (ProviderRateLimited, ProviderUnavailable):
        raise
    except ProviderError as exc:
        logger.warning("TMDB refresh of movie %s failed: %s", movie_id, exc)
        return {"movie_id": movie_id, "status": "error", "message": str(exc)}
    return asdict(result)


@shared_task(
    name="catalog.availability_refresh_cse",
    autoretry_for=(ProviderRateLimited, ProviderUnavailable),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=3,
)
def availability_refresh_cse_task(movie_id: int, region: str = "KR") -> dict:
    """Refresh one movie's offers in a region from Google Custom Search."""
    if not settings.GOOGLE_CSE_ENABLED:
        return {"movie_id": movie_id, "status": "disabled"}
    try:
        result = movie_availability_refresh_cse(movie_id=movie_id, region=region)
    except Movie.DoesNotExist:
        return {"movie_id": movie_id, "status": "gone"}
    except (ProviderRateLimited, ProviderUnavailable):
        raise
    except ProviderError as exc:
        logger.warning("CSE refresh of movie %s failed: %s", movie_id, exc)
        return {"movie_id": movie_id, "status": "error", "message": str(exc)}
    return asdict(result)


@shared_task(name="catalog.availability_refresh_stale")
def availability_refresh_stale_task(batch_size: int = 200) -> dict:
    """Queue TMDB refreshes for the movies checked longest ago (beat, hourly)."""
    if not settings.TMDB_API_KEY:
        return {"queued": 0, "status": "TMDB_API_KEY not set"}
    ids = movies_due_for_refresh(source=Availability.Source.TMDB, limit=batch_size)
    for movie_id in ids:
        availability_refresh_tmdb_task.delay(movie_id)
    return {"queued": len(ids), "status": "ok"}


@shared_task(name="catalog.availability_lookup")
def availability_lookup_task(movie_id: int, region: str = "KR") -> dict:
    """On-demand look-up of one movie (a page is waiting for it, so no slow retries:
    a failure shows "unknown" and the hourly refresh tries again)."""
    from catalog.lookup import movie_lookup, pending_clear

    try:
        result = movie_lookup(movie_id=movie_id, region=region)
    except Movie.DoesNotExist:
        return {"movie_id": movie_id, "status": "gone"}
    finally:
        pending_clear(movie_id=movie_id)
    return {
        "movie_id": movie_id,
        "status": result.status,
        "offers": result.offers,
        "message": result.message,
    }


@shared_task(name="catalog.sync", bind=True, max_retries=3)
def catalog_sync_task(self, region: str = "KR") -> dict:
    """Sync one region's catalogue from TMDB (beat nightly, admin "Sync now").

    Idempotent and resumable: a run stopped by an outage is retried in 15 minutes
    and picks up where it stopped; a run already going makes this one a no-op.
    """
    from catalog.sync import SyncBusy, SyncNotConfigured, SyncScopeError, catalog_sync

    try:
        summary = catalog_sync(region=region)
    except (SyncNotConfigured, SyncBusy, SyncScopeError) as exc:
        return {"region": region, "status": "skipped", "message": str(exc)}
    if summary.failed:
        raise self.retry(countdown=900, exc=ProviderError(summary.failed))
    return {"region": region, "status": "done", "summary": summary.line()}


@shared_task(name="catalog.sync_all")
def catalog_sync_all_task() -> dict:
    """Queue a sync of every region with an active TMDB-listed platform (beat)."""
    from catalog.sync import sync_regions

    if not settings.TMDB_API_KEY:
        return {"queued": [], "status": "TMDB_API_KEY not set"}
    regions = sync_regions()
    for region in regions:
        catalog_sync_task.delay(region)
    return {"queued": regions, "status": "ok"}
