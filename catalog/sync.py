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
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.content import content_fetch_after_sync
from catalog.lookup import RateLimitedClient, RateLimiter
from catalog.matching import MatchStatus, TitleMatcher
from catalog.models import Availability, CatalogSync, Movie, OfferHistory, Platform
from catalog.providers import tmdb
from catalog.providers.http import (
    JsonClient,
    ProviderBadResponse,
    ProviderError,
    ProviderNotFound,
)
from catalog.selectors import search_index_clear
from ottsite.lib.generations import movies_changed

logger = logging.getLogger(__name__)

# TMDB serves at most 500 pages (10,000 titles) of one discover query.
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


class SyncNotConfigured(Exception):
    """No TMDB key: nothing can be synced (and nothing is changed)."""


class SyncBusy(Exception):
    """Another sync of the region is running now."""


class SyncScopeError(ValueError):
    """The asked providers or media are not ones the region has."""


@dataclass
class SyncSummary:
    region: str
    run_id: int = 0
    resumed: bool = False
    new: int = 0
    updated: int = 0
    matched: int = 0
    offers_added: int = 0
    offers_removed: int = 0
    errors: int = 0
    requests: int = 0
    seconds: float = 0.0
    complete: bool = False
    failed: str = ""
    content: str = ""  # what the Wikidata content fetch did, when it ran
    error_messages: list[str] = field(default_factory=list)

    COUNTS = ("new", "updated", "matched", "offers_added", "offers_removed", "errors")

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}

    def add(self, counts: dict[str, int]) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + int(counts.get(name, 0)))

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.error_messages) < 10:
            self.error_messages.append(message)

    def line(self) -> str:
        text = (
            f"{self.region} sync: titles {self.new:,} new, {self.updated:,} updated "
            f"({self.matched:,} MovieLens films matched); offers {self.offers_added:,} "
            f"added, {self.offers_removed:,} removed; {self.errors:,} errors; "
            f"{self.requests:,} requests in {self.seconds:.1f} s"
        )
        if self.content:
            text += f"; content {self.content}"
        if self.resumed:
            text += " (resumed an interrupted run)"
        if self.failed:
            text += f". Stopped: {self.failed} (the next run resumes)"
        elif not self.complete:
            text += ". Lists cut short by --pages: no offer was removed"
        return text


class _CountingClient(RateLimitedClient):
    """Waits its turn under the rate limit and counts requests (threads share it)."""

    def __init__(self, client: JsonClient, limiter: RateLimiter) -> None:
        super().__init__(client, limiter)
        self.requests = 0

    def get_json(self, path: str, *, params=None):  # type: ignore[override]
        self.requests += 1  # a lost increment under threads only blurs a statistic
        return super().get_json(path, params=params)


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
    counted = _CountingClient(
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


class _Sync:
    """One run's work: discover lists, details, pruning (DB writes on this thread)."""

    def __init__(
        self,
        run: CatalogSync,
        platforms: list[Platform],
        media: list[str],
        pages: int | None,
        client: _CountingClient,
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

    # --- discover -------------------------------------------------------------

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

    def discover_all(self) -> None:
        lists = self._lists()
        bar = self._bar(total=len(lists), unit="list", desc="discover")
        for media, platform, monetization in lists:
            key = self._key(media, platform, monetization)
            state = self.run.cursor.get(key) or {"page": 0, "done": False}
            page = int(state["page"]) + 1
            while not state["done"]:
                result = tmdb.discover(
                    self.client,
                    media=media,
                    region=self.run.region,
                    provider_id=platform.tmdb_provider_id,
                    monetization=monetization,
                    page=page,
                )
                self._page_store(media, platform, monetization, result.rows)
                last = page >= result.total_pages or not result.rows
                state = {
                    "page": page,
                    "done": last
                    or page >= MAX_PAGES
                    or (self.pages is not None and page >= self.pages),
                    "complete": last,
                }
                self.run.cursor[key] = state
                self._save_progress()
                page += 1
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()

    def lists_complete(self) -> bool:
        return all(
            (self.run.cursor.get(self._key(*entry)) or {}).get("complete")
            for entry in self._lists()
        )

    def _page_store(
        self,
        media: str,
        platform: Platform,
        monetization: str,
        rows: list[tmdb.DiscoverRow],
    ) -> None:
        if not rows:
            return
        with transaction.atomic():
            ids = self._titles_upsert(media, rows)
            self._offers_upsert(
                media, platform, OFFER_OF_MONETIZATION[monetization], rows, ids
            )

    def _titles_upsert(
        self, media: str, rows: list[tmdb.DiscoverRow]
    ) -> dict[int, int]:
        """TMDB id -> movie id for a page's titles, creating or matching new ones."""
        kind = KIND_OF_MEDIA[media]
        tmdb_ids = [row.id for row in rows]
        found: dict[int, Movie] = {}
        # Two MovieLens entries may share a TMDB id: the one with ratings (oldest) wins.
        for movie in Movie.objects.filter(kind=kind, tmdb_id__in=tmdb_ids).order_by(
            "-pk"
        ):
            found[movie.tmdb_id] = movie
        refreshed: list[Movie] = []
        for row in rows:
            movie = found.get(row.id)
            is_match = False
            if movie is None and media == "movie":
                movie = self._movielens_match(row)
                if movie is not None:
                    movie.tmdb_id = row.id
                    found[row.id] = movie
                    self.summary.matched += 1
                    self.changed.add(movie.pk)
                    is_match = True
            if movie is None:
                continue
            facts = (row.popularity, row.vote_average, row.vote_count)
            if is_match or facts != (
                movie.popularity,
                movie.vote_average,
                movie.vote_count,
            ):
                movie.popularity, movie.vote_average, movie.vote_count = facts
                refreshed.append(movie)
        if refreshed:
            Movie.objects.bulk_update(
                refreshed, ["tmdb_id", "popularity", "vote_average", "vote_count"]
            )
        new = [self._movie_new(media, row) for row in rows if row.id not in found]
        if new:
            created = Movie.objects.bulk_create(
                new,
                update_conflicts=True,
                unique_fields=["source", "source_id"],
                update_fields=["tmdb_id", "kind"],
            )
            for movie in created:
                found[movie.tmdb_id] = movie
                self.changed.add(movie.pk)
            self.summary.new += len(created)
            self.titles_changed = True
        return {tmdb_id: movie.pk for tmdb_id, movie in found.items()}

    @staticmethod
    def _movie_new(media: str, row: tmdb.DiscoverRow) -> Movie:
        return Movie(
            source=SOURCE_OF_MEDIA[media],
            source_id=row.id,
            kind=KIND_OF_MEDIA[media],
            tmdb_id=row.id,
            title=(row.title or row.original_title or f"TMDB {row.id}")[:300],
            year=row.year,
            release_date=_date(row.date),
            original_title=row.original_title[:300],
            original_language=row.original_language,
            popularity=row.popularity,
            vote_average=row.vote_average,
            vote_count=row.vote_count,
            poster_path=row.poster_path[:200],
        )

    def _movielens_match(self, row: tmdb.DiscoverRow) -> Movie | None:
        """The MovieLens film a TMDB film is (title and year), if unambiguous."""
        if self._matcher is None:
            films = Movie.objects.filter(kind=Movie.Kind.FILM, tmdb_id=None).exclude(
                source__in=SOURCE_OF_MEDIA.values()
            )
            self._matcher = TitleMatcher(films.values_list("pk", "title", "year"))
        if row.year is None:
            return None
        for title in dict.fromkeys([row.title, row.original_title]):
            result = self._matcher.match(title, row.year)
            if result.status is MatchStatus.MATCHED:
                movie = Movie.objects.filter(pk=result.movie_id, tmdb_id=None).first()
                if movie is not None:
                    return movie
        return None

    def _offers_upsert(
        self,
        media: str,
        platform: Platform,
        offer_type: str,
        rows: list[tmdb.DiscoverRow],
        ids: dict[int, int],
    ) -> None:
        """Insert or re-date the page's offers (admin rows are left as they are)."""
        now = timezone.now()
        values = []
        params: list = []
        for row in rows:
            movie_id = ids.get(row.id)
            if movie_id is None:
                continue
            link = (
                f"https://www.themoviedb.org/{media}/{row.id}/watch"
                f"?locale={self.run.region}"
            )
            values.append("(%s, %s, %s, %s, %s, %s, %s)")
            params += [movie_id, platform.pk, platform.region, offer_type, link]
            params += [Availability.Source.TMDB, now]
        if not values:
            return
        sql = (
            "INSERT INTO catalog_availability "
            "(movie_id, platform_id, region, offer_type, link, source, last_checked) "
            f"VALUES {', '.join(values)} "
            "ON CONFLICT (movie_id, platform_id, offer_type) DO UPDATE SET "
            "last_checked = EXCLUDED.last_checked, source = EXCLUDED.source, "
            "link = EXCLUDED.link, region = EXCLUDED.region "
            "WHERE catalog_availability.source <> %s "
            "RETURNING movie_id, (xmax = 0) AS inserted"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, Availability.Source.ADMIN])
            for movie_id, inserted in cursor.fetchall():
                if inserted:
                    self.summary.offers_added += 1
                    self.changed.add(movie_id)
                    self.offer_changes[movie_id][0].add(platform.pk)
            # The sync is a fresh TMDB answer for these titles: pages that show them
            # need no look-up of their own until it grows stale.
            movie_ids = sorted({ids[row.id] for row in rows if row.id in ids})
            cursor.execute(
                "INSERT INTO catalog_availabilitycheck "
                "(movie_id, source, checked_at, status, message, offers) "
                f"VALUES {', '.join(['(%s, %s, %s, %s, %s, 0)'] * len(movie_ids))} "
                "ON CONFLICT (movie_id, source) DO UPDATE SET "
                "checked_at = EXCLUDED.checked_at, status = EXCLUDED.status, "
                "message = EXCLUDED.message",
                [
                    value
                    for movie_id in movie_ids
                    for value in (
                        movie_id,
                        Availability.Source.TMDB,
                        now,
                        "ok",
                        "catalogue sync",
                    )
                ],
            )

    # --- details --------------------------------------------------------------

    def details_all(self) -> None:
        due = self._details_due()
        bar = self._bar(total=len(due), unit="title", desc="details")
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for start in range(0, len(due), DETAILS_BATCH):
                batch = due[start : start + DETAILS_BATCH]
                answers = list(pool.map(self._details_fetch, batch))
                self._details_store(batch, answers)
                self._save_progress()
                if bar is not None:
                    bar.update(len(batch))
        if bar is not None:
            bar.close()

    def _details_due(self) -> list[tuple[int, str, int, bool]]:
        """(movie id, media, TMDB id, is a MovieLens entry) of the titles to fetch."""
        due: list[tuple[int, str, int, bool]] = []
        for media in self.media:
            changed = self._changed_at_tmdb(media)
            movies = (
                Movie.objects.filter(
                    kind=KIND_OF_MEDIA[media],
                    tmdb_id__isnull=False,
                    availabilities__region=self.run.region,
                    availabilities__source=Availability.Source.TMDB,
                    availabilities__last_checked__gte=self.run.started_at,
                )
                .distinct()
                .values_list("pk", "tmdb_id", "source", "details_fetched_at")
            )
            stale = self.run.started_at - DETAILS_REFRESH
            for pk, tmdb_id, source, fetched in movies:
                if fetched is not None and fetched >= self.run.started_at:
                    continue  # done earlier in this (resumed) run
                if fetched is None or fetched < stale or tmdb_id in changed:
                    due.append(
                        (pk, media, tmdb_id, source not in SOURCE_OF_MEDIA.values())
                    )
        return sorted(due)

    def _changed_at_tmdb(self, media: str) -> set[int]:
        """TMDB ids whose details changed since the last finished run (cached in
        the cursor so a resumed run does not ask again)."""
        key = f"changes:{media}"
        if key in self.run.cursor:
            return set(self.run.cursor[key])
        last = (
            CatalogSync.objects.filter(
                region=self.run.region, status=CatalogSync.Status.DONE
            )
            .order_by("-started_at")
            .first()
        )
        ids: set[int] = set()
        if last is not None:
            today = self.run.started_at.date()
            start = max(last.started_at.date(), today - CHANGES_WINDOW)
            ids = tmdb.changed_ids(
                self.client,
                media=media,
                start_date=start.isoformat(),
                end_date=today.isoformat(),
            )
        self.run.cursor[key] = sorted(ids)
        self._save_progress()
        return ids

    def _details_fetch(
        self, entry: tuple[int, str, int, bool]
    ) -> tuple[tmdb.TitleDetails, tmdb.TitleDetails] | str:
        """Korean and English details of one title, or the error's text."""
        _, media, tmdb_id, _ = entry
        try:
            ko = tmdb.title_details(
                self.client, media=media, tmdb_id=tmdb_id, language="ko-KR"
            )
            en = tmdb.title_details(
                self.client,
                media=media,
                tmdb_id=tmdb_id,
                language="en-US",
                extras=False,
            )
        except (ProviderNotFound, ProviderBadResponse) as exc:
            return f"{media} {tmdb_id}: {exc}"
        return ko, en

    def _details_store(
        self,
        batch: list[tuple[int, str, int, bool]],
        answers: list[tuple[tmdb.TitleDetails, tmdb.TitleDetails] | str],
    ) -> None:
        movies = Movie.objects.in_bulk([pk for pk, *_ in batch])
        now = timezone.now()
        fields = {
            "title_ko", "overview_ko", "overview_en", "original_title",
            "original_language", "origin_countries", "tmdb_genres", "keywords",
            "runtime", "seasons", "poster_path", "details_fetched_at",
        }  # fmt: skip
        updated: list[Movie] = []
        for (pk, _media, _tmdb_id, is_movielens), answer in zip(
            batch, answers, strict=True
        ):
            movie = movies.get(pk)
            if movie is None:
                continue
            if isinstance(answer, str):
                self.summary.error(answer)
                continue
            ko, en = answer
            _details_apply(movie, ko=ko, en=en, is_movielens=is_movielens)
            movie.details_fetched_at = now
            if not is_movielens:
                fields |= {"title", "year", "release_date"}
            if movie.imdb_id:
                fields.add("imdb_id")
            updated.append(movie)
            self.changed.add(pk)
        if updated:
            with transaction.atomic():
                Movie.objects.bulk_update(updated, sorted(fields))
            self.summary.updated += sum(
                1 for m in updated if m.pk not in self._new_this_run()
            )
            self.titles_changed = True

    def _new_this_run(self) -> set[int]:
        if self._new_ids is None:
            self._new_ids = set(
                Movie.objects.filter(
                    source__in=SOURCE_OF_MEDIA.values(),
                    created_at__gte=self.run.started_at,
                ).values_list("pk", flat=True)
            )
        return self._new_ids

    # --- prune ----------------------------------------------------------------

    def prune(self) -> None:
        """Offers a complete list no longer shows become history."""
        now = timezone.now()
        for media, platform, monetization in self._lists():
            stale = Availability.objects.filter(
                region=self.run.region,
                platform=platform,
                offer_type=OFFER_OF_MONETIZATION[monetization],
                source=Availability.Source.TMDB,
                movie__kind=KIND_OF_MEDIA[media],
                last_checked__lt=self.run.started_at,
            )
            with transaction.atomic():
                rows = list(stale.select_for_update())
                if not rows:
                    continue
                OfferHistory.objects.bulk_create(
                    OfferHistory(
                        movie_id=row.movie_id,
                        platform_id=row.platform_id,
                        region=row.region,
                        offer_type=row.offer_type,
                        source=row.source,
                        last_seen=row.last_checked,
                        ended_at=now,
                    )
                    for row in rows
                )
                Availability.objects.filter(pk__in=[row.pk for row in rows]).delete()
            for row in rows:
                self.changed.add(row.movie_id)
                self.offer_changes[row.movie_id][1].add(row.platform_id)
            self.summary.offers_removed += len(rows)

    # --- bookkeeping ----------------------------------------------------------

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

    def _announce(self) -> None:
        """Watchlist alerts for gained or lost offers; stale caches and search."""
        from accounts.alerts import watchlist_alerts_create
        from recommender.models import WatchlistItem

        watched = set(
            WatchlistItem.objects.filter(
                movie_id__in=list(self.offer_changes)
            ).values_list("movie_id", flat=True)
        )
        for movie_id in sorted(watched):
            gained, lost = self.offer_changes[movie_id]
            after = dict(
                Availability.objects.filter(
                    movie_id=movie_id,
                    offer_type__in=Availability.INCLUDED_OFFER_TYPES,
                    platform__is_active=True,
                ).values_list("platform_id", "region")
            )
            before = {p: r for p, r in after.items() if p not in gained}
            before |= {p: self.run.region for p in lost if p not in after}
            if before != after:
                watchlist_alerts_create(movie_id=movie_id, before=before, after=after)
        if self.changed:
            # Only the cached pages and payloads that show these titles go stale.
            movies_changed(movie_ids=sorted(self.changed))
        if self.titles_changed:
            search_index_clear()

    def _bar(self, *, total: int, unit: str, desc: str):
        if self.progress is None:
            return None
        return self.progress(total=total, unit=unit, desc=desc)


def _details_apply(
    movie: Movie, *, ko: tmdb.TitleDetails, en: tmdb.TitleDetails, is_movielens: bool
) -> None:
    """Copy details onto the entry; a MovieLens film keeps its own title and year."""
    title_ko = ko.title if _has_hangul(ko.title) else ""
    if title_ko or not is_movielens:
        movie.title_ko = title_ko[:300]
    overview_ko = ko.overview if _has_hangul(ko.overview) else ""
    movie.overview_ko = _clip(overview_ko)
    movie.overview_en = _clip(en.overview)
    movie.original_title = (en.original_title or ko.original_title)[:300]
    movie.original_language = en.original_language or ko.original_language
    movie.origin_countries = en.origin_countries or ko.origin_countries
    movie.tmdb_genres = en.genres
    movie.keywords = ko.keywords[:30]
    movie.runtime = en.runtime or ko.runtime
    movie.seasons = en.seasons if en.seasons is not None else ko.seasons
    movie.poster_path = (ko.poster_path or en.poster_path)[:200]
    if not movie.imdb_id and ko.imdb_id:
        movie.imdb_id = ko.imdb_id[:16]
    if not is_movielens:
        movie.title = (en.title or en.original_title or movie.title)[:300]
        movie.year = en.year or ko.year or movie.year
        movie.release_date = _date(en.date or ko.date) or movie.release_date


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _clip(text: str) -> str:
    if len(text) <= OVERVIEW_CHARS:
        return text
    return text[: OVERVIEW_CHARS - 1].rstrip() + "…"


def _date(value: str) -> date | None:
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
