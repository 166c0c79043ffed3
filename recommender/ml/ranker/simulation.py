"""Simulated surveys from training users, and users masked out of the data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .. import metrics as m
from ..data import Interactions
from ..matching import top_n_indices
from .features import _finite


@dataclass
class Case:
    """One simulated survey: a training user, the favourites given, the truth."""

    user: int
    given: np.ndarray
    truth: np.ndarray


def simulate_cases(
    fav: sp.csr_matrix,
    users: np.ndarray,
    rng: np.random.Generator,
    *,
    n_given: int = 10,
    per_user: int = 1,
) -> list[Case]:
    """`per_user` surveys per user: n_given random favourites, the rest as truth."""
    out: list[Case] = []
    for u in users:
        row = fav.indices[fav.indptr[u] : fav.indptr[u + 1]]
        for _ in range(per_user):
            given = np.sort(rng.choice(row, size=n_given, replace=False))
            out.append(Case(int(u), given, np.setdiff1d(row, given)))
    return out


def mask_users(inter: Interactions, users: np.ndarray) -> Interactions:
    """Same id maps, with these users' ratings and demographics removed."""
    keep = np.ones(inter.n_users)
    keep[users] = 0.0
    ratings = sp.csr_matrix(sp.diags(keep) @ inter.ratings, dtype=np.float32)
    ratings.eliminate_zeros()
    demo = inter.user_demo.copy()
    demo[users] = 0
    return Interactions(
        user_ids=inter.user_ids,
        item_ids=inter.item_ids,
        ratings=ratings,
        user_demo=demo,
        item_genres=inter.item_genres,
        genre_names=inter.genre_names,
        item_titles=inter.item_titles,
        item_years=inter.item_years,
        user_index=inter.user_index,
        item_index=inter.item_index,
    )


def _mean_ndcg(score_lists: list[np.ndarray], cases: list[Case], k: int = 10) -> float:
    vals = []
    for scores, case in zip(score_lists, cases, strict=True):
        s = _finite(scores)
        s[case.given] = -np.inf
        vals.append(m.ndcg_at_k(list(top_n_indices(s, k)), set(case.truth.tolist()), k))
    return float(np.mean(vals)) if vals else 0.0
