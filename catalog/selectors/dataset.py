"""The catalogue's size and the MovieLens-shaped frames the recommender trains on."""

from __future__ import annotations

import pandas as pd
from django.db import connection

from catalog.models import (
    DatasetUser,
    Movie,
    Rating,
)


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
