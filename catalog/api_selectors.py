"""Catalogue queries behind the REST API: filtered listing and one movie's page.

Kept apart from catalog/selectors.py only because that module has other owners;
the functions are plain selectors and can move there as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from catalog import selectors
from catalog.models import Movie, Platform
from catalog.selectors import AvailabilityOffer, movie_similar
from ottsite.lib.errors import NotFound

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


def movie_list(
    *,
    search: str = "",
    genre: str = "",
    year: int | None = None,
    platform: str = "",
    region: str = "",
) -> QuerySet[Movie] | RankedMovies:
    """Movies matching every given filter: by search rank, else by title."""
    movies = Movie.objects.all()
    search, genre = search.strip(), genre.strip()
    if genre:
        movies = movies.filter(genres__name__iexact=genre)
    if year is not None:
        movies = movies.filter(year=year)
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
    ranked = [m.pk for m in selectors.movie_search(query=search, limit=SEARCH_LIMIT)]
    if genre or year is not None or platform or region:
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
    offers = selectors.availability_for_movies(movie_ids=[movie.pk], region=region)
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
