"""Read-only queries over the catalogue."""

from __future__ import annotations

import pandas as pd
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from rapidfuzz import fuzz, process

from catalog.models import DatasetUser, Movie, Rating
from catalog.titles import normalise, title_variants


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
                "genres": [g.name for g in m.genres.all()],
            }
            for m in Movie.objects.prefetch_related("genres").only("id", "title")
        ]
    )
    return {"ratings": ratings, "users": users, "movies": movies}


def movie_search(*, query: str, limit: int = 20) -> list[Movie]:
    """Movies whose title matches the query, best first (search as you type).

    Substring matches on the normalised title rank first (prefix before infix, then
    by number of ratings); rapidfuzz fills in near-misses ("shawshank redemtion").
    """
    needle = normalise(query)
    if not needle:
        return []
    candidates = _search_index()
    scored: list[tuple[float, int, int]] = []
    for movie_id, names, popularity in candidates:
        best = 0.0
        for name in names:
            if name.startswith(needle):
                best = max(best, 300.0)
            elif needle in name:
                best = max(best, 200.0)
        if best:
            scored.append((best, popularity, movie_id))
    if len(scored) < limit and len(needle) >= 4:
        seen = {m for _, _, m in scored}
        choices = {m: names[0] for m, names, _ in candidates if m not in seen}
        popularity = {m: p for m, _, p in candidates}
        for _name, score, movie_id in process.extract(
            needle, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=75
        ):
            scored.append((score, popularity[movie_id], movie_id))
    scored.sort(key=lambda row: (-row[0], -row[1], row[2]))
    ids = [movie_id for _, _, movie_id in scored[:limit]]
    movies = Movie.objects.in_bulk(ids)
    return [movies[i] for i in ids if i in movies]


def _search_index() -> list[tuple[int, list[str], int]]:
    """(movie id, normalised names, rating count) for every movie, cached briefly."""
    key = "catalog:search-index:v1"
    index = cache.get(key)
    if index is None:
        rows = Movie.objects.annotate(n=Count("ratings")).values_list(
            "id", "title", "n"
        )
        index = [
            (movie_id, [normalise(v) for v in title_variants(title)], n)
            for movie_id, title, n in rows
        ]
        cache.set(key, index, 300)
    return index
