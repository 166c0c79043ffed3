"""Read-only queries over the catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from catalog import search as _search
from catalog.availability import COMBINED_EDITION
from catalog.models import (
    Availability,
    AvailabilityCheck,
    DatasetUser,
    Movie,
    Platform,
    Rating,
)
from catalog.search import (  # noqa: F401 - re-exported, callers import it here
    search_index_clear,
)
from ottsite.lib.errors import NotFound


def catalog_counts() -> dict[str, int]:
    """Row counts of the catalogue tables."""
    return {
        "movies": Movie.objects.count(),
        "users": DatasetUser.objects.count(),
        "ratings": Rating.objects.count(),
    }


def catalog_is_empty() -> bool:
    """True when no movie has been imported yet."""
    return not Movie.objects.exists()


SYNCED_SOURCES = (Movie.SOURCE_TMDB_MOVIE, Movie.SOURCE_TMDB_TV)


def training_frames(*, source: str | None = None) -> dict[str, pd.DataFrame]:
    """Ratings, users and movies as DataFrames keyed by database ids (for training).

    Read with one SQL query per table straight into pandas: an ORM loop over 100k+
    rows would dominate training start-up.
    """
    where, params = ("WHERE u.source = %s", [source]) if source else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.user_id, r.movie_id, r.rating FROM {Rating._meta.db_table} r "
            f"JOIN {DatasetUser._meta.db_table} u ON u.id = r.user_id {where}",
            params,
        )
        ratings = pd.DataFrame(
            cursor.fetchall(), columns=["user_id", "movie_id", "rating"]
        )
        cursor.execute(
            f"SELECT id, age, gender, occupation FROM {DatasetUser._meta.db_table} u "
            f"{where}",
            params,
        )
        users = pd.DataFrame(
            cursor.fetchall(), columns=["user_id", "age", "gender", "occupation"]
        )
    ratings = ratings.astype(
        {"user_id": "int64", "movie_id": "int64", "rating": "float32"}
    )
    movies = pd.DataFrame(
        [
            {
                "movie_id": m.pk,
                "title": m.title,
                "year": m.year,
                "genres": [g.name for g in m.genres.all()],
            }
            # Titles a catalogue sync added carry no MovieLens content and, until
            # someone rates them, no ratings: as model items they would only grow
            # the item-item models (EASE is cubic in the items) without a signal.
            # Rated ones still enter through their ratings.
            for m in Movie.objects.exclude(source__in=SYNCED_SOURCES)
            .prefetch_related("genres")
            .only("id", "title", "year")
        ]
    )
    return {"ratings": ratings, "users": users, "movies": movies}


# No title is longer; a longer query is a mistake (or a paste) and is refused with
# a message by the page, the API and the search box alike.
SEARCH_MAX_LENGTH = 100


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


def platforms_for_region(*, region: str) -> list[Platform]:
    """Active platforms of a region, by name."""
    return list(Platform.objects.filter(region=region, is_active=True).order_by("name"))


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


def movie_similar(
    *, movie: Movie, limit: int = 10, min_ratings: int = 0
) -> list[Movie]:
    """Titles most often liked by the same people as this one, nearest first
    (cosine distance of their co-liked vectors, pgvector).

    `min_ratings` leaves out rarely rated titles, whose co-likes are mostly chance.
    """
    from pgvector.django import CosineDistance

    if movie.similar_vector is None:
        return []
    movies = (
        Movie.objects.exclude(pk=movie.pk)
        .exclude(Movie.PLACEHOLDER)
        .filter(similar_vector__isnull=False)
    )
    if min_ratings:
        movies = movies.annotate(n_ratings=Count("ratings")).filter(
            n_ratings__gte=min_ratings
        )
    return list(
        movies.annotate(distance=CosineDistance("similar_vector", movie.similar_vector))
        .order_by("distance", "pk")
        .prefetch_related("genres")[:limit]
    )


# Search ranks at most this many matches; a broader query should be narrowed.
SEARCH_LIMIT = 1000


class RankedMovies(Sequence):
    """Movie ids in rank order that load (with genres) only the slice asked for."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # Django's Paginator prefers count() over len().
        return len(self.ids)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            ids = self.ids[index]
            movies = Movie.objects.prefetch_related("genres").in_bulk(ids)
            return [movies[i] for i in ids if i in movies]
        return self[index : index + 1][0]


def movie_search(*, query: str, limit: int = 20) -> list[Movie]:
    """Titles matching the query, best first; never a data set's placeholder."""
    # One placeholder exists (Movie.PLACEHOLDER): one more asked for makes up for it.
    found = _search.movie_search(query=query, limit=limit + 1)
    return [movie for movie in found if not movie.is_placeholder][:limit]


def movie_list(
    *,
    search: str = "",
    genre: str = "",
    year: int | None = None,
    platform: str = "",
    region: str = "",
    kind: str = "",
    tmdb_id: int | None = None,
) -> QuerySet[Movie] | RankedMovies:
    """Films and series matching every given filter: by search rank, else by title."""
    movies = Movie.objects.exclude(Movie.PLACEHOLDER)
    search, genre = search.strip(), genre.strip()
    if genre:
        movies = movies.filter(genres__name__iexact=genre)
    if year is not None:
        movies = movies.filter(year=year)
    if kind:
        movies = movies.filter(kind=kind)
    if tmdb_id is not None:
        movies = movies.filter(tmdb_id=tmdb_id)
    if platform or region:
        offers = {"availabilities__platform__is_active": True}
        if platform:
            offers["availabilities__platform__slug"] = platform
        if region:
            offers["availabilities__region"] = region
        movies = movies.filter(**offers)
    if not search:
        return (
            movies.distinct().prefetch_related("genres").order_by("title", "year", "id")
        )
    ranked = [m.pk for m in movie_search(query=search, limit=SEARCH_LIMIT)]
    if genre or year is not None or platform or region or kind or tmdb_id is not None:
        allowed = set(movies.filter(pk__in=ranked).values_list("pk", flat=True))
        ranked = [pk for pk in ranked if pk in allowed]
    return RankedMovies(ranked)


@dataclass(frozen=True)
class MovieDetail:
    movie: Movie
    region: str
    availability: list[AvailabilityOffer]
    similar: list[Movie]


def movie_get(*, movie_id: int) -> Movie:
    """One movie with its genres, or NotFound."""
    movie = Movie.objects.prefetch_related("genres").filter(pk=movie_id).first()
    if movie is None:
        raise NotFound("No such movie.")
    return movie


def movie_detail(*, movie_id: int, region: str, similar_limit: int = 10) -> MovieDetail:
    """A movie with where it streams in the region and its nearest neighbours."""
    movie = movie_get(movie_id=movie_id)
    offers = availability_for_movies(movie_ids=[movie.pk], region=region)
    return MovieDetail(
        movie=movie,
        region=region,
        availability=offers.get(movie.pk, []),
        similar=movie_similar(movie=movie, limit=similar_limit, min_ratings=20),
    )


def platform_list(*, region: str = "") -> QuerySet[Platform]:
    """Active platforms, all or one region's."""
    platforms = Platform.objects.filter(is_active=True).order_by("region", "name", "id")
    return platforms.filter(region=region) if region else platforms


def platform_get(*, platform_id: int) -> Platform:
    """One platform, or NotFound."""
    platform = Platform.objects.filter(pk=platform_id).first()
    if platform is None:
        raise NotFound("No such platform.")
    return platform
