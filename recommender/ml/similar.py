"""Similar titles from what the same people liked (no Django).

Item-item collaborative similarity: two films are alike when the same people liked
both (rating >= LIKE_THRESHOLD). With X the users x items likes matrix whose columns
are scaled to unit length, X^T X is the item-item cosine matrix. A truncated SVD
X ~ U S V^T gives item vectors V S whose dot products approximate it; scaled to unit
length, their cosine is what pgvector's cosine distance ranks by, so the nearest
neighbours in the database are the films most often liked by the same people.

The NCF item embeddings are trained to predict ratings together with user, genre
and demographic terms, so their cosine mixes in what the rest of the model explains
and gave unrelated neighbours (Star Wars -> City Slickers II); benchmarks/
RESULTS_similar.md compares the two against plain item-item cosine.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

LIKE_THRESHOLD = 4.0
SIMILAR_VECTOR_DIM = 128  # catalog.models.SIMILAR_VECTOR_DIM stores exactly this many
_DENSE_CELLS = 20_000_000  # below this a dense SVD is fast and exact


def likes_matrix(
    ratings: sp.spmatrix, threshold: float = LIKE_THRESHOLD
) -> sp.csr_matrix:
    """Binary users x items CSR (float64) of ratings >= threshold."""
    likes = sp.csr_matrix(ratings, dtype=np.float64, copy=True)
    likes.data = (likes.data >= threshold).astype(np.float64)
    likes.eliminate_zeros()
    return likes


def like_counts(ratings: sp.spmatrix, threshold: float = LIKE_THRESHOLD) -> np.ndarray:
    """How many users liked each item (n_items int64)."""
    return np.asarray(likes_matrix(ratings, threshold).sum(axis=0)).ravel().astype(int)


def _unit_columns(likes: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(likes.multiply(likes).sum(axis=0)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(likes @ sp.diags(scale))


def item_cosine(
    ratings: sp.spmatrix,
    items: np.ndarray | None = None,
    threshold: float = LIKE_THRESHOLD,
) -> np.ndarray:
    """Exact item-item cosine of the likes: rows for `items` (all by default) x
    n_items, dense float64. The reference the vectors approximate."""
    unit = _unit_columns(likes_matrix(ratings, threshold)).tocsc()
    chosen = unit if items is None else unit[:, items]
    return (chosen.T @ unit).toarray()


def similar_vectors(
    ratings: sp.spmatrix,
    *,
    dim: int = SIMILAR_VECTOR_DIM,
    threshold: float = LIKE_THRESHOLD,
    seed: int = 0,
) -> np.ndarray:
    """(n_items x dim) float32 unit vectors whose cosine ~ item-item cosine of likes.

    Items nobody liked get a zero row (no direction: store no vector for them).
    Columns beyond the rank of the likes matrix stay zero. Deterministic for a seed.
    """
    unit = _unit_columns(likes_matrix(ratings, threshold))
    n_users, n_items = unit.shape
    out = np.zeros((n_items, dim), dtype=np.float32)
    if unit.nnz == 0:
        return out
    k = min(dim, n_users, n_items)
    if n_users * n_items <= _DENSE_CELLS or k >= min(n_users, n_items) - 1:
        _u, s, vt = np.linalg.svd(unit.toarray(), full_matrices=False)
        s, vt = s[:k], vt[:k]
    else:
        v0 = np.random.default_rng(seed).standard_normal(min(unit.shape))
        _u, s, vt = svds(unit, k=k, v0=v0, random_state=seed)
        order = np.argsort(-s)
        s, vt = s[order], vt[order]
    vectors = (vt.T * s).astype(np.float64)
    # An unliked item's column is zero, its SVD row only rounding noise.
    vectors[unit.getnnz(axis=0) == 0] = 0.0
    # An SVD's signs are arbitrary; fixing them keeps vectors stable between runs.
    signs = np.sign(vectors.sum(axis=0))
    vectors *= np.where(signs == 0, 1.0, signs)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    out[:, :k] = vectors
    return out


def nearest(
    vectors: np.ndarray, item: int, *, k: int = 10, allowed: np.ndarray | None = None
) -> np.ndarray:
    """Indices of the k items nearest to `item` by cosine (itself and items with a
    zero vector or outside the boolean mask `allowed` left out), nearest first."""
    norms = np.linalg.norm(vectors, axis=1)
    if norms[item] == 0:
        return np.array([], dtype=np.int64)
    scores = vectors @ vectors[item] / np.where(norms > 0, norms, 1.0)
    keep = norms > 0
    if allowed is not None:
        keep &= allowed
    keep[item] = False
    return top_k(scores, keep, k)


def top_k(scores: np.ndarray, keep: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores among `keep`, highest first (ties by index)."""
    candidates = np.flatnonzero(keep)
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order[:k]]
