"""Availability look-ups on demand and in bulk: TMDB first, Google CSE as the
optional KR fallback, Korean details alongside; each look-up announces what it
changed as one availability_changed (catalog.signals), which alerts react to.

The same `movie_lookup` serves the Celery task (a recommendation set just became
ready, a movie page was opened), the `refresh_availability` command and the admin
action. A movie being looked up is marked in the cache so pages can say "checking".
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from catalog.availability import (
    RefreshResult,
    movie_availability_refresh_cse,
    movie_availability_refresh_tmdb,
)
from catalog.models import Availability, AvailabilityCheck, Movie
from catalog.providers import tmdb
from catalog.providers.http import JsonClient, ProviderError
from catalog.selectors import _pending_key, search_index_clear
from catalog.signals import LOOKUP, availability_batch
from ottsite.lib.generations import movies_changed

logger = logging.getLogger(__name__)

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# TMDB's terms cap caching at six months; details older than this are fetched again.
DETAILS_MAX_AGE = timedelta(days=180)
OVERVIEW_CHARS = 300


class RateLimiter:
    """At most `rate` calls a second, shared by the threads of one process."""

    def __init__(self, rate: float, *, clock=time.monotonic, sleep=time.sleep) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            self.sleep(delay)


class RateLimitedClient(JsonClient):
    """A JsonClient that waits its turn with a RateLimiter before every request."""

    def __init__(self, client: JsonClient, limiter: RateLimiter) -> None:
        self.__dict__.update(client.__dict__)
        self.limiter = limiter

    def get_json(self, path: str, *, params=None):  # type: ignore[override]
        self.limiter.wait()
        return super().get_json(path, params=params)


def tmdb_is_configured() -> bool:
    return bool(settings.TMDB_API_KEY)


def cse_is_configured() -> bool:
    return bool(
        settings.GOOGLE_CSE_ENABLED
        and settings.GOOGLE_CSE_KEY
        and settings.GOOGLE_CSE_CX
    )


def pending_clear(*, movie_id: int) -> None:
    cache.delete(_pending_key(movie_id))


def movies_due_for_lookup(*, movie_ids: Iterable[int]) -> list[int]:
    """The movies without a fresh TMDB answer (and without a failure minutes ago).

    A recent error counts as fresh enough: during an outage, pages that poll must
    not queue the same failing look-up again and again.
    """
    ids = list(dict.fromkeys(movie_ids))
    now = timezone.now()
    fresh = AvailabilityCheck.objects.filter(
        movie_id__in=ids, source=Availability.Source.TMDB
    ).filter(
        Q(
            status__in=[
                AvailabilityCheck.Status.OK,
                AvailabilityCheck.Status.NOT_FOUND,
            ],
            checked_at__gte=now - timedelta(days=settings.AVAILABILITY_STALE_DAYS),
        )
        | Q(
            status=AvailabilityCheck.Status.ERROR,
            checked_at__gte=now
            - timedelta(seconds=settings.AVAILABILITY_ERROR_RETRY_SECONDS),
        )
    )
    done = set(fresh.values_list("movie_id", flat=True))
    return [m for m in ids if m not in done]


def availability_lookups_request(*, movie_ids: Iterable[int], region: str) -> list[int]:
    """Queue a look-up for each movie without a fresh check; returns the ids queued.

    Claimed with cache.add, so two pages (or a page and a build) asking at once
    queue one look-up. A no-op without a TMDB key.
    """
    if not tmdb_is_configured():
        return []
    from catalog.tasks import availability_lookup_task

    claimed = [
        m
        for m in movies_due_for_lookup(movie_ids=movie_ids)
        if cache.add(_pending_key(m), 1, settings.AVAILABILITY_PENDING_SECONDS)
    ]

    def enqueue() -> None:
        for movie_id in claimed:
            availability_lookup_task.delay(movie_id, region)

    # robust: with Redis down the look-up is logged and skipped, never a 500 (the
    # claim expires and a later page view asks again).
    transaction.on_commit(enqueue, robust=True)
    if claimed:
        movies_changed(movie_ids=claimed)  # their cards now say "checking"
    return claimed


@dataclass
class LookupResult:
    movie_id: int
    status: str  # ok / not_found / error
    offers: int = 0
    message: str = ""
    sources: list[str] = field(default_factory=list)
    unknown_providers: tuple[tuple[str, int, str], ...] = ()
    details: bool = False


def movie_lookup(
    *,
    movie_id: int,
    region: str = "KR",
    tmdb_client: JsonClient | None = None,
    cse_client: JsonClient | None = None,
) -> LookupResult:
    """Look one movie up (TMDB, then CSE for KR when enabled and TMDB has nothing),
    store Korean details, and announce what changed as one availability_changed."""
    with availability_batch(source=LOOKUP):
        return _movie_lookup(
            movie_id=movie_id,
            region=region,
            tmdb_client=tmdb_client,
            cse_client=cse_client,
        )


def _movie_lookup(
    *,
    movie_id: int,
    region: str,
    tmdb_client: JsonClient | None,
    cse_client: JsonClient | None,
) -> LookupResult:
    result = LookupResult(movie_id=movie_id, status="error")
    tmdb_result: RefreshResult | None = None
    if tmdb_client is not None or tmdb_is_configured():
        client = tmdb_client or tmdb.tmdb_client()
        try:
            tmdb_result = movie_availability_refresh_tmdb(
                movie_id=movie_id, client=client
            )
        except ProviderError as exc:
            result.message = str(exc)
        else:
            result.status = tmdb_result.status
            result.offers = tmdb_result.written
            result.sources.append(Availability.Source.TMDB)
            result.unknown_providers = tmdb_result.unknown_providers
            result.details = _details_refresh(movie_id=movie_id, client=client)
    tmdb_has_offers = Availability.objects.filter(
        movie_id=movie_id, region=region, source=Availability.Source.TMDB
    ).exists()
    use_cse = cse_client is not None or cse_is_configured()
    if region == "KR" and not tmdb_has_offers and use_cse:
        try:
            cse_result = movie_availability_refresh_cse(
                movie_id=movie_id, region=region, client=cse_client
            )
        except ProviderError as exc:
            result.message = result.message or str(exc)
        else:
            result.sources.append(Availability.Source.CSE)
            result.offers += cse_result.written
            if result.status == "error" and not result.message:
                result.status = cse_result.status
    return result


def movie_refresh_tmdb_with_alerts(*, movie_id: int) -> RefreshResult:
    """The beat task's refresh: TMDB offers and details, announced as one
    availability_changed (whose receivers alert watchlist owners).

    Provider errors propagate (the task retries rate limits and outages).
    """
    with availability_batch(source=LOOKUP):
        client = tmdb.tmdb_client()
        result = movie_availability_refresh_tmdb(movie_id=movie_id, client=client)
        if result.status == "ok":
            _details_refresh(movie_id=movie_id, client=client)
    return result


def _details_refresh(*, movie_id: int, client: JsonClient) -> bool:
    """Store the Korean title, overview and poster once (again after six months)."""
    movie = Movie.objects.only("id", "kind", "tmdb_id", "details_fetched_at").get(
        pk=movie_id
    )
    if movie.tmdb_id is None:
        return False
    fetched = movie.details_fetched_at
    if fetched is not None and fetched > timezone.now() - DETAILS_MAX_AGE:
        return False
    try:
        details = tmdb.title_details(
            client,
            media=tmdb.MEDIA_OF_KIND[movie.kind],
            tmdb_id=movie.tmdb_id,
            language="ko-KR",
            extras=False,
        )
    except ProviderError as exc:
        # Details are a nicety: the availability answer stands without them.
        logger.info("ko-KR details of movie %s failed: %s", movie_id, exc)
        return False
    # TMDB falls back to the original title without a translation: keep only Hangul.
    title_ko = details.title if _HANGUL.search(details.title) else ""
    overview = details.overview if _HANGUL.search(details.overview) else ""
    if len(overview) > OVERVIEW_CHARS:
        overview = overview[: OVERVIEW_CHARS - 1].rstrip() + "…"
    Movie.objects.filter(pk=movie_id).update(
        title_ko=title_ko[:300],
        overview_ko=overview,
        poster_path=details.poster_path[:200],
        details_fetched_at=timezone.now(),
    )
    movies_changed(movie_ids=[movie_id])  # the cards show the Korean title
    if title_ko:
        search_index_clear()
    return True


@dataclass
class BulkSummary:
    looked_up: int = 0
    with_offers: int = 0
    without: int = 0
    errors: int = 0
    ids_resolved: int = 0
    ids_reused: int = 0
    seconds: float = 0.0
    unknown_providers: dict[tuple[str, int], str] = field(default_factory=dict)
    error_messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"Looked up {self.looked_up:,} movies in {self.seconds:.1f} s: "
            f"{self.with_offers:,} with offers, {self.without:,} without, "
            f"{self.errors:,} errors; TMDB ids reused {self.ids_reused:,}, "
            f"resolved {self.ids_resolved:,}"
        )
        if self.unknown_providers:
            names = ", ".join(
                f"{r}:{p} {n}".strip()
                for (r, p), n in sorted(self.unknown_providers.items())
            )
            text += f". Provider ids we list no platform for: {names}"
        return text


def availability_refresh_many(
    *,
    movie_ids: Iterable[int],
    region: str = "KR",
    rate: float | None = None,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
    tmdb_client: JsonClient | None = None,
) -> BulkSummary:
    """Look movies up one after another under a per-provider rate limit."""
    started = time.perf_counter()
    ids = list(movie_ids)
    limiter = RateLimiter(rate or settings.TMDB_REQUESTS_PER_SECOND)
    client = None
    if tmdb_client is not None or tmdb_is_configured():
        client = RateLimitedClient(tmdb_client or tmdb.tmdb_client(), limiter)
    cse = None
    if cse_is_configured():
        from catalog.providers.cse import cse_client

        cse = RateLimitedClient(
            cse_client(), RateLimiter(settings.GOOGLE_CSE_REQUESTS_PER_SECOND)
        )
    had_id = set(
        Movie.objects.filter(pk__in=ids, tmdb_id__isnull=False).values_list(
            "pk", flat=True
        )
    )
    summary = BulkSummary()
    for movie_id in progress(ids) if progress else ids:
        try:
            result = movie_lookup(
                movie_id=movie_id, region=region, tmdb_client=client, cse_client=cse
            )
        except Movie.DoesNotExist:
            continue
        summary.looked_up += 1
        if result.status == "error":
            summary.errors += 1
            if len(summary.error_messages) < 5:
                summary.error_messages.append(f"{movie_id}: {result.message}")
        elif Availability.objects.filter(movie_id=movie_id, region=region).exists():
            summary.with_offers += 1
        else:
            summary.without += 1
        for r, p, n in result.unknown_providers:
            summary.unknown_providers[(r, p)] = n
    now_with_id = set(
        Movie.objects.filter(pk__in=ids, tmdb_id__isnull=False).values_list(
            "pk", flat=True
        )
    )
    summary.ids_reused = len(had_id)
    summary.ids_resolved = len(now_with_id - had_id)
    summary.seconds = time.perf_counter() - started
    return summary


def movie_ids_for_refresh(
    *, stale: bool = False, movie_ids: Iterable[int] = (), limit: int | None = None
) -> list[int]:
    """Which movies a bulk refresh covers: the given ids, the stale ones, or all."""
    ids = list(movie_ids)
    if ids:
        found = set(Movie.objects.filter(pk__in=ids).values_list("pk", flat=True))
        ids = [m for m in ids if m in found]
    elif stale:
        from catalog.selectors import movies_due_for_refresh

        ids = movies_due_for_refresh(
            source=Availability.Source.TMDB, limit=limit or Movie.objects.count()
        )
    else:
        ids = list(Movie.objects.order_by("id").values_list("id", flat=True))
    return ids[:limit] if limit else ids
