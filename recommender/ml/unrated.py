"""Titles the rated data does not hold: favourites and candidates known by content.

A catalogue sync brings thousands of current films and series nobody here has
rated. The content model (content_model) gives each documented one a taste vector
predicted from its content and a TF-IDF row. Two uses at serving time:

- a favourite the rated data does not know still counts: its nearest rated titles
  in the taste space stand in for it in matching and prediction (`proxies`);
- unrated titles become candidates: their fit with the survey is the mean of the
  taste cosine ("people who like your favourites like titles like this") and the
  content overlap with the favourites they resemble most (`outside_candidates`).

Where the survey's favourites are rated titles, collaborative scores keep the
lead and only close content matches climb into the top; the more of the
favourites are unrated, the further content-placed titles move up (`lead`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .content_model import ContentModel
from .data import Interactions

OVERLAP_TOP = 3  # an item's overlap: mean TF-IDF cosine with its closest favourites


@dataclass
class OutsideItems:
    """Unrated candidates outside the rated data, best fit first (external ids)."""

    item_ids: np.ndarray  # (n,) int64
    fit: np.ndarray  # (n,) in [0, 1]
    resembles: np.ndarray  # (n,) the favourite whose content is closest, -1 if none

    def __len__(self) -> int:
        return len(self.item_ids)


def _unit(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)


def lead(inter: Interactions, favourite_ids: Sequence[int]) -> float:
    """Share of the favourites the rated data does not hold (0 for no favourites)."""
    if not len(favourite_ids):
        return 0.0
    unknown = sum(int(f) not in inter.item_index for f in favourite_ids)
    return unknown / len(favourite_ids)


def proxies(
    model: ContentModel | None,
    inter: Interactions,
    favourite_ids: Sequence[int],
    per_favourite: int = 3,
) -> np.ndarray:
    """Item indices of the rated titles closest in taste to each favourite the
    rated data does not hold (empty when there is none or no content for it)."""
    unknown = [int(f) for f in favourite_ids if int(f) not in inter.item_index]
    if model is None or not model.is_fitted or not unknown:
        return np.zeros(0, dtype=np.int64)
    vectors, known = model.item_taste(unknown)
    if not known.any():
        return np.zeros(0, dtype=np.int64)
    rated = ~model.is_predicted & np.isin(model.item_ids, inter.item_ids)
    if not rated.any():
        return np.zeros(0, dtype=np.int64)
    cos = _unit(vectors[known]) @ _unit(model.taste[rated]).T
    n = min(per_favourite, cos.shape[1])
    top = np.argsort(-cos, axis=1, kind="stable")[:, :n]
    return np.unique(inter.map_items(model.item_ids[rated][np.unique(top)]))


def outside_candidates(
    model: ContentModel | None,
    inter: Interactions,
    favourite_ids: Sequence[int],
    exclude_ids: Sequence[int],
    limit: int,
) -> OutsideItems:
    """The `limit` best-fitting documented titles the rated data does not hold."""
    empty = OutsideItems(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
    if model is None or not model.is_fitted or not len(favourite_ids) or limit <= 0:
        return empty
    ids = model.item_ids[model.is_predicted]
    skip = np.concatenate(
        [
            np.asarray(inter.item_ids, dtype=np.int64),
            np.asarray(exclude_ids, dtype=np.int64).reshape(-1),
            np.asarray(favourite_ids, dtype=np.int64).reshape(-1),
        ]
    )
    ids = np.asarray(ids, dtype=np.int64)[~np.isin(ids, skip)]
    if not len(ids):
        return empty
    favourites = np.asarray([int(f) for f in favourite_ids], dtype=np.int64)
    taste = model.placement_scores(favourites, ids)
    sim = model.similarity(favourites, ids)  # (n_items x n_favourites)
    n = min(OVERLAP_TOP, sim.shape[1])
    overlap = -np.sort(-sim, axis=1)[:, :n].mean(axis=1)
    fit = 0.5 * taste + 0.5 * overlap
    best = np.argmax(sim, axis=1)
    resembles = np.where(sim.max(axis=1) > 0, favourites[best], -1)
    order = np.argsort(-fit, kind="stable")[:limit]
    order = order[fit[order] > 0]
    return OutsideItems(ids[order], fit[order], resembles[order].astype(np.int64))


def place(scores: np.ndarray, fit: np.ndarray, k: int, lead_share: float) -> np.ndarray:
    """Scores on the rated items' scale for content-placed items of this `fit`.

    With no unrated favourite (lead_share 0), a perfect fit lands just below the
    (k/2)-th best rated item and every 0.1 less moves it 0.2*k places further down.
    The share of unrated favourites moves the start up (to the top when all are
    unrated) and halves the step at most, so a weak fit stays below the rated
    titles that stand in for the favourites.
    """
    warm = np.asarray(scores, dtype=np.float64)
    ranked = np.sort(warm[np.isfinite(warm)])[::-1]
    fit = np.asarray(fit, dtype=np.float64)
    if len(ranked) == 0:
        return fit.copy()
    share = float(np.clip(lead_share, 0.0, 1.0))
    start = int(np.floor(max(k // 2 - 1, 0) * (1.0 - share)))
    step = 2 * k * (1.0 - share / 2)
    where = start + np.floor((1.0 - fit) * step).astype(np.int64)
    below = ranked[np.minimum(where, len(ranked) - 1)]
    out = np.where(where < len(ranked), below - 1e-9, ranked[-1] - 1.0)
    # equal places keep the order of fit
    return out - 1e-12 * np.argsort(np.argsort(-fit, kind="stable"))
