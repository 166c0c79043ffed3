"""Neighbour matching for a survey user (sparse, vectorised): Jaccard against
training users and item-item cosine against the survey items."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

DEFAULT_DEMO_WEIGHT = 0.1


def top_n_indices(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n largest scores, ties broken by smaller index."""
    n = min(int(n), len(scores))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    if n < len(scores):
        # kth largest value; keep everything >= it, then sort exactly
        kth = np.partition(scores, len(scores) - n)[len(scores) - n]
        cand = np.flatnonzero(scores >= kth)
    else:
        cand = np.arange(len(scores))
    order = np.lexsort((cand, -scores[cand]))
    return cand[order][:n].astype(np.int64)


def jaccard_scores(
    fav: sp.csr_matrix, query_items: np.ndarray, row_sizes: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard |A∩B|/|A∪B| of every row of `fav` with the query set; also |A∩B|."""
    n_items = fav.shape[1]
    query = np.unique(np.asarray(query_items, dtype=np.int64))
    query = query[(query >= 0) & (query < n_items)]
    q = np.zeros(n_items, dtype=np.float32)
    q[query] = 1.0
    inter = np.asarray(fav @ q, dtype=np.float64).ravel()
    if row_sizes is None:
        row_sizes = np.diff(fav.indptr).astype(np.float64)
    union = row_sizes + len(query) - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(union > 0, inter / union, 0.0)
    return jac, inter


def demographic_similarity(query_demo: np.ndarray, user_demo: np.ndarray) -> np.ndarray:
    """Mean agreement over (age band, gender, occupation); unknown (0) never agrees."""
    query_demo = np.asarray(query_demo, dtype=np.int64).reshape(1, -1)
    agree = (user_demo == query_demo) & (query_demo > 0)
    return agree.mean(axis=1)


def jaccard_top_n(
    fav: sp.csr_matrix,
    query_items: np.ndarray,
    n: int,
    *,
    demo_weight: float = 0.0,
    query_demo: np.ndarray | None = None,
    user_demo: np.ndarray | None = None,
    row_sizes: np.ndarray | None = None,
    exclude_users: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-n users by (1-w)*Jaccard + w*demographic similarity (w = demo_weight).

    Jaccard is |A∩B|/|A∪B| between the query item set and each user's row of the
    binary `fav` matrix, computed with one sparse mat-vec. With demo_weight > 0 and
    both `query_demo` (3 codes) and `user_demo` (n_users x 3) given, the score is
    blended with the mean agreement of age band, gender and occupation. The
    pipeline's default weight is DEFAULT_DEMO_WEIGHT = 0.1 (this function's own
    default 0.0 means pure Jaccard). Users with a score of 0 are never returned;
    ties are broken by the smaller user index. Returns (user_idx, similarity).
    """
    jac, _ = jaccard_scores(fav, query_items, row_sizes)
    score = jac
    if demo_weight > 0 and query_demo is not None and user_demo is not None:
        demo = demographic_similarity(query_demo, user_demo)
        score = (1.0 - demo_weight) * jac + demo_weight * demo
    if exclude_users is not None and len(exclude_users):
        score = score.copy()
        score[np.asarray(exclude_users, dtype=np.int64)] = 0.0
    idx = top_n_indices(score, n)
    idx = idx[score[idx] > 0]
    return idx, score[idx]


def item_cosine_scores(
    fav: sp.csr_matrix,
    query_items: np.ndarray,
    *,
    fav_by_item: sp.csr_matrix | None = None,
    item_norm: np.ndarray | None = None,
) -> np.ndarray:
    """Sum over query items q of cosine(q, i) between `fav` columns, scaled to max 1.

    cosine(q, i) = |users with both| / sqrt(|users with q| * |users with i|); each
    query item's similarity to itself is left out. The cost is one sparse mat-vec
    over the users who have any query item, so no item-item matrix is stored.
    `fav_by_item` (fav.T as CSR) and `item_norm` (sqrt of column counts) may be
    passed precomputed. Returns zeros when no query item has any user.
    """
    n_items = fav.shape[1]
    if fav_by_item is None:
        fav_by_item = sp.csr_matrix(fav.T)
    if item_norm is None:
        item_norm = np.sqrt(np.diff(sp.csc_matrix(fav).indptr).astype(np.float64))
    query = np.unique(np.asarray(query_items, dtype=np.int64))
    query = query[(query >= 0) & (query < n_items)]
    query = query[item_norm[query] > 0]
    if len(query) == 0:
        return np.zeros(n_items)
    # per user: sum over the query items they have of 1 / sqrt(|users with q|)
    user_w = np.asarray(fav_by_item[query].T @ (1.0 / item_norm[query])).ravel()
    users = np.flatnonzero(user_w)
    co = np.asarray(fav[users].T @ user_w[users], dtype=np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(item_norm > 0, co / item_norm, 0.0)
    sim[query] -= 1.0  # an item's cosine with itself
    top = sim.max()
    return sim / top if top > 0 else np.zeros(n_items)
