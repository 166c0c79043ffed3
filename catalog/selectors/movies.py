"""Finding titles: search and the filtered, paged list."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from catalog import search as _search
from catalog.models import Movie

# No title is longer; a longer query is a mistake (or a paste) and is refused with
# a message by the page, the API and the search box alike.
SEARCH_MAX_LENGTH = 100


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
