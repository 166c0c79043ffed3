"""Where titles stream: offers, look-up states, coverage and what is due a refresh."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from catalog.availability import COMBINED_EDITION
from catalog.models import (
    Availability,
    AvailabilityCheck,
    Movie,
)

# Display order of offers: what the user can watch without paying extra comes first.
OFFER_ORDER = {
    Availability.OfferType.SUBSCRIPTION: 0,
    Availability.OfferType.FREE: 1,
    Availability.OfferType.ADS: 2,
    Availability.OfferType.RENT: 3,
    Availability.OfferType.BUY: 4,
}


def snapshot_is_undated(as_of: datetime | None) -> bool:
    """Whether a snapshot row's date is the stand-in of an undated edition."""
    return as_of == COMBINED_EDITION


@dataclass(frozen=True)
class AvailabilityOffer:
    platform_slug: str
    platform_name: str
    offer_type: str
    link: str
    source: str
    last_checked: datetime


def availability_for_movies(
    *, movie_ids: Iterable[int], region: str
) -> dict[int, list[AvailabilityOffer]]:
    """Offers per movie on the region's active platforms, subscription offers first."""
    ids = list(movie_ids)
    if not ids:
        return {}
    rows = (
        Availability.objects.filter(
            movie_id__in=ids, region=region, platform__is_active=True
        )
        .values_list(
            "movie_id",
            "platform__slug",
            "platform__name",
            "offer_type",
            "link",
            "source",
            "last_checked",
        )
        .order_by()
    )
    result: dict[int, list[AvailabilityOffer]] = {}
    for movie_id, slug, name, offer_type, link, source, checked in rows:
        result.setdefault(movie_id, []).append(
            AvailabilityOffer(
                platform_slug=slug,
                platform_name=name,
                offer_type=offer_type,
                link=link,
                source=source,
                last_checked=checked,
            )
        )
    for offers in result.values():
        offers.sort(key=lambda o: (OFFER_ORDER.get(o.offer_type, 9), o.platform_name))
    return result


_PENDING_KEY = "catalog:availability-pending:{}"


def _pending_key(movie_id: int) -> str:
    return _PENDING_KEY.format(int(movie_id))


def movies_pending(*, movie_ids: Iterable[int]) -> set[int]:
    """Which of these movies have an on-demand look-up queued or running now."""
    ids = list(movie_ids)
    if not ids:
        return set()
    found = cache.get_many([_pending_key(m) for m in ids])
    return {m for m in ids if _pending_key(m) in found}


def pending_lookups_forget(*, movie_ids: Iterable[int]) -> None:
    """Drop the "checking" marks of these movies (tests: Redis outlives the DB)."""
    cache.delete_many([_pending_key(m) for m in movie_ids])


@dataclass(frozen=True)
class AvailabilityStatus:
    """What a card can honestly say about where a movie streams in a region.

    state: "available" (offers known), "checking" (a look-up is under way), "none"
    (a live source answered: no service we know), "unknown" (never checked, or the
    last check failed).
    """

    state: str
    checked_at: datetime | None = None
    source: str = ""

    @property
    def is_undated_snapshot(self) -> bool:
        """A snapshot that carries no date of its own (its edition's year is known)."""
        return self.source == Availability.Source.SNAPSHOT and snapshot_is_undated(
            self.checked_at
        )


def availability_status_for_movies(
    *,
    movie_ids: Iterable[int],
    region: str,
    offers: dict[int, list[AvailabilityOffer]] | None = None,
) -> dict[int, AvailabilityStatus]:
    """The availability state of each movie in the region (see AvailabilityStatus)."""
    ids = list(movie_ids)
    if offers is None:
        offers = availability_for_movies(movie_ids=ids, region=region)
    pending = movies_pending(movie_ids=ids)
    checks: dict[int, tuple[datetime, str]] = {}
    rows = AvailabilityCheck.objects.filter(
        movie_id__in=ids,
        status__in=[AvailabilityCheck.Status.OK, AvailabilityCheck.Status.NOT_FOUND],
    ).values_list("movie_id", "checked_at", "source")
    for movie_id, checked_at, source in rows:
        # CSE only searches KR; its answer says nothing about another region.
        if source == Availability.Source.CSE and region != "KR":
            continue
        if movie_id not in checks or checked_at > checks[movie_id][0]:
            checks[movie_id] = (checked_at, source)
    result = {}
    for movie_id in ids:
        movie_offers = offers.get(movie_id, [])
        if movie_offers:
            newest = max(movie_offers, key=lambda o: o.last_checked)
            result[movie_id] = AvailabilityStatus(
                "available", newest.last_checked, newest.source
            )
        elif movie_id in pending:
            result[movie_id] = AvailabilityStatus("checking")
        elif movie_id in checks:
            checked_at, source = checks[movie_id]
            result[movie_id] = AvailabilityStatus("none", checked_at, source)
        else:
            result[movie_id] = AvailabilityStatus("unknown")
    return result


@dataclass(frozen=True)
class CoverageRow:
    region: str
    group: str  # a source, a platform slug, or "any"
    movies: int
    share: float


def availability_coverage(*, by: str = "source") -> tuple[int, list[CoverageRow]]:
    """(catalogue size, movies with any offer per region and source or platform)."""
    total = Movie.objects.count()
    field = "platform__slug" if by == "platform" else "source"
    rows = (
        Availability.objects.values("region", field)
        .annotate(n=Count("movie_id", distinct=True))
        .order_by("region", field)
    )
    anyrows = (
        Availability.objects.values("region")
        .annotate(n=Count("movie_id", distinct=True))
        .order_by("region")
    )
    share = (lambda n: n / total) if total else (lambda n: 0.0)
    result = []
    for row in anyrows:
        region = row["region"]
        result += [
            CoverageRow(region, r[field], r["n"], share(r["n"]))
            for r in rows
            if r["region"] == region
        ]
        result.append(CoverageRow(region, "any", row["n"], share(row["n"])))
    return total, result


def movies_due_for_refresh(*, source: str, limit: int) -> list[int]:
    """Movie ids whose `source` check is missing or older than the stale cutoff.

    Never-checked movies come first, then the oldest checks.
    """
    cutoff = timezone.now() - timedelta(days=settings.AVAILABILITY_STALE_DAYS)
    return list(
        Movie.objects.annotate(
            checked=Min(
                "availability_checks__checked_at",
                filter=Q(availability_checks__source=source),
            )
        )
        .filter(Q(checked__isnull=True) | Q(checked__lt=cutoff))
        .order_by(F("checked").asc(nulls_first=True), "id")
        .values_list("id", flat=True)[:limit]
    )
