"""Tuning the item models (EASE, EDLAE, RP3beta) on simulated surveys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..baselines import ease_weights
from ..signals import most_favourited, rp3beta_scores
from .simulation import Case, _mean_ndcg


def tune_item_models(
    fav: sp.csr_matrix,
    cases: list[Case],
    *,
    ease_grid: Sequence[float] = (100.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0),
    rp3_grid: Sequence[tuple[float, float]] = tuple(
        (a, b) for a in (0.6, 0.8, 1.0) for b in (0.0, 0.2, 0.35, 0.5, 0.7)
    ),
    edlae_grid: Sequence[tuple[float, float]] = tuple(
        (lam, p)
        for p in (0.9, 0.95, 0.97, 0.98)
        for lam in (30.0, 100.0, 300.0, 1000.0)
    ),
    max_ease_items: int = 4000,
) -> dict[str, Any]:
    """Pick EASE's lambda, EDLAE's (lambda, dropout) and RP3beta's (alpha, beta)
    with the best NDCG@10 on cases."""
    items = most_favourited(fav, max_ease_items)
    pos = np.full(fav.shape[1], -1, dtype=np.int64)
    pos[items] = np.arange(len(items))
    sub = sp.csc_matrix(fav)[:, items]

    def linear_ndcg(b: np.ndarray) -> float:
        lists = []
        for case in cases:
            s = np.full(fav.shape[1], -np.inf)
            p = pos[case.given]
            s[items] = b[p[p >= 0]].sum(axis=0)
            lists.append(s)
        return _mean_ndcg(lists, cases)

    ease_table = {float(lam): linear_ndcg(ease_weights(sub, lam)) for lam in ease_grid}
    edlae_table = {
        f"{lam},{p}": linear_ndcg(ease_weights(sub, lam, dropout=p))
        for lam, p in edlae_grid
    }
    fav_by_item = sp.csr_matrix(fav.T)
    item_degree = np.diff(sp.csc_matrix(fav).indptr).astype(np.float64)
    user_degree = np.diff(fav.indptr).astype(np.float64)
    rp3_table: dict[str, float] = {}
    for alpha, beta in rp3_grid:
        lists = [
            rp3beta_scores(
                fav,
                case.given,
                alpha=alpha,
                beta=beta,
                fav_by_item=fav_by_item,
                item_degree=item_degree,
                user_degree=user_degree,
            )
            for case in cases
        ]
        rp3_table[f"{alpha},{beta}"] = _mean_ndcg(lists, cases)
    best_lam = max(ease_table, key=lambda k: ease_table[k])
    best_edlae = max(edlae_table, key=lambda k: edlae_table[k])
    edlae_lam, edlae_p = (float(x) for x in best_edlae.split(","))
    best_rp3 = max(rp3_table, key=lambda k: rp3_table[k])
    alpha, beta = (float(x) for x in best_rp3.split(","))
    return {
        "ease_lambda": best_lam,
        "edlae_lambda": edlae_lam,
        "edlae_dropout": edlae_p,
        "rp3_alpha": alpha,
        "rp3_beta": beta,
        "ease_validation_ndcg@10": ease_table,
        "edlae_validation_ndcg@10": edlae_table,
        "rp3_validation_ndcg@10": rp3_table,
        "n_cases": len(cases),
    }
