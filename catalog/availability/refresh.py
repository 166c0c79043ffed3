"""Live availability refreshes (TMDB watch providers, CSE) and the one write path.

Writes follow one rule: a failed outside call never deletes or changes rows. Only a
successful, well-formed answer replaces the rows of *its own* source for that movie;
rows an admin wrote (source=admin) are never overwritten by any source.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from catalog.matching import MatchStatus, TitleMatcher
from catalog.models import Availability, AvailabilityCheck, Movie, Platform
from catalog.platform_seed import TMDB_PROVIDER_ALIASES
from catalog.providers import cse, tmdb
from catalog.providers.http import JsonClient, ProviderError, ProviderNotFound
from catalog.signals import availability_changed_record, movies_included_offers
from catalog.titles import display_title, normalise
from ottsite.lib.generations import movies_changed

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefreshResult:
    movie_id: int
    source: str
    status: str
    written: int = 0
    deleted: int = 0
    message: str = ""
    # (region, TMDB provider id, provider name) offered where we list no platform.
    unknown_providers: tuple[tuple[str, int, str], ...] = ()


def availability_replace(
    *,
    movie_id: int,
    source: str,
    regions: Iterable[str],
    offers: Iterable[tuple[int, str, str]],
    checked_at: datetime | None = None,
) -> tuple[int, int]:
    """Make `source`'s rows of a movie in `regions` equal (platform, type, link) offers.

    Rows of other sources are left alone, except that a live source takes over a
    snapshot or search row for the same offer; admin rows are never touched.
    Announces the change (catalog.signals) when a row was written or deleted.
    Returns (rows written, rows deleted).
    """
    checked_at = checked_at or timezone.now()
    regions = list(regions)
    offers = list(offers)
    platforms = Platform.objects.in_bulk({p for p, _, _ in offers})
    wanted = {
        (platform_id, offer_type): link
        for platform_id, offer_type, link in offers
        if platform_id in platforms
    }
    with transaction.atomic():
        existing = {
            (row.platform_id, row.offer_type): row
            for row in Availability.objects.select_for_update().filter(
                movie_id=movie_id, region__in=regions
            )
        }
        before = movies_included_offers(movie_ids=[movie_id])
        written = 0
        for (platform_id, offer_type), link in wanted.items():
            row = existing.get((platform_id, offer_type))
            if row is not None and not _may_overwrite(row.source, source):
                continue
            Availability.objects.update_or_create(
                movie_id=movie_id,
                platform_id=platform_id,
                offer_type=offer_type,
                defaults={
                    "region": platforms[platform_id].region,
                    "link": link[:500],
                    "source": source,
                    "last_checked": checked_at,
                },
            )
            written += 1
        gone = [
            row.pk
            for key, row in existing.items()
            if row.source == source and key not in wanted
        ]
        deleted, _ = Availability.objects.filter(pk__in=gone).delete()
        if written or deleted:
            availability_changed_record(
                movie_ids=[movie_id],
                before=before,
                source=source,
                region=regions[0] if len(regions) == 1 else None,
            )
    return written, deleted


def _may_overwrite(existing: str, incoming: str) -> bool:
    """Admin rows are pinned; a search hit never overrides TMDB's structured answer."""
    if existing == Availability.Source.ADMIN:
        return False
    return not (
        existing == Availability.Source.TMDB and incoming == Availability.Source.CSE
    )


def _check_record(
    *, movie_id: int, source: str, status: str, message: str = "", offers: int = 0
) -> None:
    AvailabilityCheck.objects.update_or_create(
        movie_id=movie_id,
        source=source,
        defaults={
            "checked_at": timezone.now(),
            "status": status,
            "message": message[:300],
            "offers": offers,
        },
    )
    movies_changed(movie_ids=[movie_id])  # its cards' "checked" state changed


def movie_tmdb_id_resolve(*, movie: Movie, client: JsonClient) -> int | None:
    """The movie's TMDB id: stored, else via its IMDb id, else a title search."""
    if movie.tmdb_id:
        return movie.tmdb_id
    if movie.kind != Movie.Kind.FILM:
        return None  # series come from the sync with their id; search finds films
    found: int | None = None
    if movie.imdb_id:
        results = tmdb.find_by_imdb(client, imdb_id=movie.imdb_id)
        if len(results) == 1:
            found = results[0].id
    if found is None:
        found = _tmdb_search(movie=movie, client=client)
    if found is not None:
        Movie.objects.filter(pk=movie.pk).update(tmdb_id=found)
        movie.tmdb_id = found
    return found


def _tmdb_search(*, movie: Movie, client: JsonClient) -> int | None:
    """Search by the display title and year; accept only an unambiguous match."""
    query = display_title(movie.title).split(" (")[0]
    results = tmdb.search_movies(client, query=query, year=movie.year)
    if not results and movie.year:
        results = tmdb.search_movies(client, query=query)
    names = [(r.id, r.title, r.year) for r in results]
    names += [(r.id, r.original_title, r.year) for r in results]
    match = TitleMatcher(names).match(movie.title, movie.year)
    return match.movie_id if match.status is MatchStatus.MATCHED else None


def movie_availability_refresh_tmdb(
    *, movie_id: int, client: JsonClient | None = None
) -> RefreshResult:
    """Refresh a movie's TMDB offers in every region we have platforms for."""
    source = Availability.Source.TMDB
    movie = Movie.objects.get(pk=movie_id)
    client = client or tmdb.tmdb_client()
    try:
        tmdb_id = movie_tmdb_id_resolve(movie=movie, client=client)
        if tmdb_id is None:
            _check_record(movie_id=movie_id, source=source, status="not_found")
            return RefreshResult(movie_id, source, "not_found", message="no TMDB id")
        by_region = tmdb.watch_providers(
            client, tmdb_id=tmdb_id, media=tmdb.MEDIA_OF_KIND[movie.kind]
        )
    except ProviderNotFound as exc:
        _check_record(
            movie_id=movie_id, source=source, status="not_found", message=str(exc)
        )
        return RefreshResult(movie_id, source, "not_found", message=str(exc))
    except ProviderError as exc:
        _check_record(
            movie_id=movie_id, source=source, status="error", message=str(exc)
        )
        raise
    regions = sorted(set(Platform.objects.values_list("region", flat=True).distinct()))
    provider_map = {
        (p.region, p.tmdb_provider_id): p.pk
        for p in Platform.objects.exclude(tmdb_provider_id=None)
    }
    offers = []
    unknown: dict[tuple[str, int], str] = {}
    for region in regions:
        entry = by_region.get(region)
        if entry is None:
            continue
        for provider_id, offer_type in entry.offers:
            platform_id = provider_map.get((region, provider_id)) or provider_map.get(
                (region, TMDB_PROVIDER_ALIASES.get(provider_id))
            )
            if platform_id is not None:
                offers.append((platform_id, offer_type, entry.link))
            else:
                unknown[(region, provider_id)] = entry.names.get(provider_id, "")
    written, deleted = availability_replace(
        movie_id=movie_id, source=source, regions=regions, offers=offers
    )
    _check_record(movie_id=movie_id, source=source, status="ok", offers=written)
    return RefreshResult(
        movie_id,
        source,
        "ok",
        written=written,
        deleted=deleted,
        unknown_providers=tuple((r, p, n) for (r, p), n in sorted(unknown.items())),
    )


def movie_availability_refresh_cse(
    *, movie_id: int, region: str = "KR", client: JsonClient | None = None
) -> RefreshResult:
    """Refresh a movie's offers in one region from a Google search for 'title year'."""
    source = Availability.Source.CSE
    movie = Movie.objects.get(pk=movie_id)
    client = client or cse.cse_client()
    title = display_title(movie.title).split(" (")[0]
    query = f"{title} {movie.year}" if movie.year else title
    try:
        hits = cse.search_platform_hits(client, query=query, region=region)
    except ProviderError as exc:
        _check_record(
            movie_id=movie_id, source=source, status="error", message=str(exc)
        )
        raise
    platforms = {
        p.slug: p.pk for p in Platform.objects.filter(region=region).only("id", "slug")
    }
    wanted = normalise(title)
    offers = [
        (platforms[hit.platform_slug], Availability.OfferType.SUBSCRIPTION, hit.link)
        for hit in hits
        if hit.platform_slug in platforms and wanted and wanted in normalise(hit.title)
    ]
    written, deleted = availability_replace(
        movie_id=movie_id, source=source, regions=[region], offers=offers
    )
    _check_record(movie_id=movie_id, source=source, status="ok", offers=written)
    return RefreshResult(movie_id, source, "ok", written=written, deleted=deleted)
