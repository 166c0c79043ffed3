"""Content-based scores for movies nobody has rated yet (genres and year)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .unrated import place

YEAR_SCALE = 15.0  # years apart at which the year term has fallen to 1/e


def year_array(item_ids: np.ndarray, years: Mapping[int, int]) -> np.ndarray:
    """Release year per item index (NaN when unknown)."""
    return np.array([years.get(int(i), np.nan) for i in item_ids], dtype=np.float64)


def content_scores(
    item_genres: np.ndarray, item_years: np.ndarray, query_items: np.ndarray
) -> np.ndarray:
    """Per item in [0, 1]: genre cosine to the query's mean genre profile, times
    0.5 + 0.5 * exp(-|year - mean query year| / YEAR_SCALE) (0.75 when unknown)."""
    genres = np.asarray(item_genres, dtype=np.float64)
    query = np.asarray(query_items, dtype=np.int64)
    if len(query) == 0 or genres.shape[1] == 0:
        return np.zeros(len(genres))
    profile = genres[query].mean(axis=0)
    norms = np.linalg.norm(genres, axis=1) * np.linalg.norm(profile)
    with np.errstate(divide="ignore", invalid="ignore"):
        cosine = np.where(norms > 0, genres @ profile / norms, 0.0)
    years = np.asarray(item_years, dtype=np.float64)
    known = years[query][~np.isnan(years[query])]
    if len(known):
        year_term = np.exp(-np.abs(years - known.mean()) / YEAR_SCALE)
        year_term = np.where(np.isnan(year_term), 0.5, year_term)
    else:
        year_term = np.full(len(genres), 0.5)
    return cosine * (0.5 + 0.5 * year_term)


def cold_item_scores(
    scores: np.ndarray,
    content: np.ndarray,
    cold: np.ndarray,
    k: int,
    lead: float = 0.0,
) -> np.ndarray:
    """Scores with unrated items placed by content, by rank (any score scale).

    A perfect content match (1.0) lands just below the (k/2)-th best rated item;
    every 0.1 less moves it 0.2*k places further down, so weak matches stay out of
    the top k. `lead` (the share of the survey's favourites nobody has rated)
    moves content-placed items up (see unrated.place).
    """
    out = np.asarray(scores, dtype=np.float64).copy()
    cold = np.asarray(cold, dtype=np.int64)
    if len(cold) == 0:
        return out
    warm = out.copy()
    warm[cold] = -np.inf
    content = np.asarray(content, dtype=np.float64)[cold]
    out[cold] = place(warm, content, k, lead)
    out[cold[content <= 0]] = -np.inf
    return out
