"""One title: the movie, its detail page's data and the titles like it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from catalog.models import Movie
from ottsite.lib.errors import NotFound

from .availability import AvailabilityOffer, availability_for_movies


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
