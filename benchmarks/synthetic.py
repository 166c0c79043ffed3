"""Synthetic MovieLens-shaped data (vectorised NumPy), parameterised by size."""

from __future__ import annotations

import numpy as np
import pandas as pd

# (users, items, ratings) of the real datasets
SIZES: dict[str, tuple[int, int, int]] = {
    "ml-100k": (943, 1_682, 100_000),
    "ml-1m": (6_040, 3_706, 1_000_209),
    "ml-20m": (138_493, 26_744, 20_000_263),
}
GENRES = [
    "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
    "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western", "unknown",
]  # fmt: skip
OCCUPATIONS = [
    "administrator", "artist", "doctor", "educator", "engineer", "entertainment",
    "executive", "healthcare", "homemaker", "lawyer", "librarian", "marketing",
    "none", "other", "programmer", "retired", "salesman", "scientist", "student",
    "technician", "writer",
]  # fmt: skip


def generate(
    n_users: int,
    n_items: int,
    n_ratings: int,
    *,
    seed: int = 0,
    half_stars: bool = False,
    demographics: bool = True,
    min_per_user: int = 20,
    zipf_exponent: float = 1.0,
    rank: int = 8,
    oversample: float = 1.6,
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
    """(ratings, users or None, movies) frames shaped like catalog.movielens output.

    Item popularity follows a power law (p ~ 1/rank^zipf_exponent), user activity
    a log-normal with at least `min_per_user` ratings; ratings come from a low-rank
    latent model plus noise, rounded to whole (or half) stars in [1, 5] ([0.5, 5]).
    Pairs are over-drawn by `oversample`, de-duplicated and trimmed to n_ratings
    (the count can be slightly below when duplicates are very frequent).
    """
    rng = np.random.default_rng(seed)
    activity = rng.lognormal(0.0, 1.1, n_users)
    extra = max(int(oversample * n_ratings) - min_per_user * n_users, 0)
    counts = min_per_user + np.floor(activity / activity.sum() * extra).astype(np.int64)
    counts = np.minimum(counts, n_items)
    users = np.repeat(np.arange(n_users, dtype=np.int64), counts)
    pop = 1.0 / np.arange(1, n_items + 1) ** zipf_exponent
    pop = pop[rng.permutation(n_items)]
    cdf = np.cumsum(pop / pop.sum())
    items = np.searchsorted(cdf, rng.random(len(users)), side="right")
    items = np.minimum(items, n_items - 1).astype(np.int64)
    code = np.unique(users * n_items + items)
    if len(code) > n_ratings:  # over-drawn to compensate duplicates: trim
        code = np.sort(rng.choice(code, size=n_ratings, replace=False))
    users, items = code // n_items, code % n_items
    user_f = rng.normal(0, 0.35, (n_users, rank)).astype(np.float32)
    item_f = rng.normal(0, 0.35, (n_items, rank)).astype(np.float32)
    user_b = rng.normal(0, 0.4, n_users).astype(np.float32)
    item_b = rng.normal(0, 0.5, n_items).astype(np.float32)
    ratings = np.empty(len(users), dtype=np.float32)
    step = 2_000_000
    for start in range(0, len(users), step):
        u, i = users[start : start + step], items[start : start + step]
        ratings[start : start + step] = (
            3.55
            + user_b[u]
            + item_b[i]
            + np.einsum("ij,ij->i", user_f[u], item_f[i])
            + rng.normal(0, 0.8, len(u)).astype(np.float32)
        )
    if half_stars:
        ratings = np.clip(np.round(ratings * 2) / 2, 0.5, 5.0)
    else:
        ratings = np.clip(np.round(ratings), 1.0, 5.0)
    ratings_df = pd.DataFrame(
        {
            "user_id": users + 1,
            "movie_id": items + 1,
            "rating": ratings.astype(np.float32),
            "timestamp": rng.integers(8.8e8, 1.5e9, len(users), dtype=np.int64),
        }
    )
    n_genre_per = rng.integers(1, 4, n_items)
    genre_pick = rng.integers(0, len(GENRES) - 1, (n_items, 3))
    movies_df = pd.DataFrame(
        {
            "movie_id": np.arange(1, n_items + 1),
            "title": [f"Synthetic movie {i}" for i in range(1, n_items + 1)],
            "genres": [
                sorted({GENRES[g] for g in genre_pick[i, : n_genre_per[i]]})
                for i in range(n_items)
            ],
        }
    )
    users_df = None
    if demographics:
        users_df = pd.DataFrame(
            {
                "user_id": np.arange(1, n_users + 1),
                "age": rng.integers(7, 74, n_users),
                "gender": rng.choice(np.array(["M", "F"]), n_users, p=[0.71, 0.29]),
                "occupation": rng.choice(np.array(OCCUPATIONS), n_users),
                "zip_code": "00000",
            }
        )
    return ratings_df, users_df, movies_df


def generate_named(
    size: str, *, seed: int = 0, **kwargs: object
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
    """generate() at one of the SIZES ('ml-100k', 'ml-1m', 'ml-20m')."""
    n_users, n_items, n_ratings = SIZES[size]
    return generate(n_users, n_items, n_ratings, seed=seed, **kwargs)  # type: ignore[arg-type]
