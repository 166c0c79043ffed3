"""Pure evaluation metrics for rating accuracy and top-K ranking."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import numpy as np


def rmse(
    y_true: Sequence[float] | np.ndarray, y_pred: Sequence[float] | np.ndarray
) -> float:
    """Root mean squared error."""
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    return float(np.sqrt(np.mean((t - p) ** 2))) if len(t) else float("nan")


def mae(
    y_true: Sequence[float] | np.ndarray, y_pred: Sequence[float] | np.ndarray
) -> float:
    """Mean absolute error."""
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(np.abs(t - p))) if len(t) else float("nan")


def ndcg_at_k(ranked: Sequence[int], relevant: Collection[int], k: int = 10) -> float:
    """Binary-gain NDCG@k: DCG = sum 1/log2(rank+1); ideal uses min(|rel|, k) hits."""
    if not relevant:
        return 0.0
    rel = set(relevant)
    dcg = sum(1.0 / np.log2(r + 2) for r, item in enumerate(ranked[:k]) if item in rel)
    ideal = sum(1.0 / np.log2(r + 2) for r in range(min(len(rel), k)))
    return float(dcg / ideal)


def recall_at_k(ranked: Sequence[int], relevant: Collection[int], k: int = 20) -> float:
    """|top-k ∩ relevant| / |relevant| (0 when nothing is relevant)."""
    if not relevant:
        return 0.0
    rel = set(relevant)
    return sum(1 for item in ranked[:k] if item in rel) / len(rel)


def hit_rate_at_k(
    ranked: Sequence[int], relevant: Collection[int], k: int = 10
) -> float:
    """1.0 if any of the top-k is relevant, else 0.0."""
    rel = set(relevant)
    return float(any(item in rel for item in ranked[:k]))


def genre_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard of two multi-hot genre vectors (1.0 when both are empty)."""
    a_set = np.asarray(a) > 0
    b_set = np.asarray(b) > 0
    union = np.sum(a_set | b_set)
    return float(np.sum(a_set & b_set) / union) if union else 1.0


def intra_list_diversity(items: Sequence[int], item_genres: np.ndarray) -> float:
    """Mean pairwise (1 - genre Jaccard) over the list; 0 for fewer than 2 items."""
    idx = np.asarray(list(items), dtype=np.int64)
    if len(idx) < 2:
        return 0.0
    g = (np.asarray(item_genres)[idx] > 0).astype(np.float64)
    inter = g @ g.T
    sizes = g.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(union > 0, inter / union, 1.0)
    iu = np.triu_indices(len(idx), k=1)
    return float(np.mean(1.0 - sim[iu]))


def catalogue_coverage(lists: Iterable[Sequence[int]], n_items: int) -> float:
    """Fraction of the catalogue appearing in at least one recommendation list."""
    seen: set[int] = set()
    for items in lists:
        seen.update(int(i) for i in items)
    return len(seen) / n_items if n_items else 0.0
