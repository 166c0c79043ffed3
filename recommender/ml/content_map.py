"""The taste space and the linear maps from content into it (no Django).

Taste vectors are PureSVD item factors (Cremonesi et al. 2010): the top right
singular vectors of a binary users x items matrix. A map predicts them from TF-IDF
rows by ridge regression, either

- 'joint': one ridge over every token, or
- 'fields': one ridge per field, fitted on the items that have that field, and an
  item's prediction the mean over the fields it has. Sources cover titles unevenly
  (MovieLens tags for some, a snapshot description for others, Wikidata later);
  fitted jointly, a field the training items have and new titles lack (tags)
  explains away the weight the others would carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
from scipy.sparse.linalg import svds

COMBINES = ("joint", "fields")


def taste_factors(matrix: sp.spmatrix, dim: int, seed: int = 0) -> np.ndarray:
    """(n_items x dim) PureSVD item factors: right singular vectors, largest first.

    Columns beyond the matrix's rank are zero; each column's sign is fixed so its
    largest entry is positive (SVD signs are arbitrary).
    """
    x = sp.csr_matrix(matrix, dtype=np.float64)
    out = np.zeros((x.shape[1], dim))
    k = min(dim, min(x.shape) - 1)
    if k < 1 or x.nnz == 0:
        return out
    v0 = np.random.default_rng(seed).uniform(-1, 1, size=min(x.shape))
    _, s, vt = svds(x, k=k, v0=v0)
    order = np.argsort(-s)
    # a direction with a zero singular value is arbitrary: leave it out
    order = order[s[order] > 1e-9 * max(float(s.max()), 1e-300)]
    vectors = vt[order].T
    flip = np.sign(vectors[np.argmax(np.abs(vectors), axis=0), np.arange(len(order))])
    out[:, : len(order)] = vectors * np.where(flip == 0, 1.0, flip)
    return out


def _gram(x: sp.spmatrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[X 1]'[X 1] and [X 1]'Y."""
    ones = np.ones((x.shape[0], 1))
    xa = sp.csr_matrix(sp.hstack([sp.csr_matrix(x, dtype=np.float64), ones]))
    return np.asarray((xa.T @ xa).todense()), np.asarray(xa.T @ y)


def ridge_solve(gram: np.ndarray, rhs: np.ndarray, ridge: float) -> np.ndarray:
    """(G + ridge * I') \\ rhs by Cholesky; I' leaves the last (intercept) row out."""
    penalised = gram.copy()
    idx = np.arange(gram.shape[0] - 1)
    penalised[idx, idx] += float(ridge)
    return la.cho_solve(la.cho_factor(penalised), rhs)


def ridge_fit(x: sp.spmatrix, y: np.ndarray, ridge: float) -> np.ndarray:
    """Ridge weights with an unpenalised intercept: ((n_features + 1) x n_targets).

    Minimises |[X 1] W - Y|^2 + ridge * |W[:-1]|^2; the last row is the intercept.
    """
    gram, rhs = _gram(x, np.asarray(y, dtype=np.float64))
    return ridge_solve(gram, rhs, ridge)


@dataclass
class TasteMap:
    """A fitted map: predict (n x d) taste vectors from (n x F) TF-IDF rows."""

    combine: str
    weights: np.ndarray  # F x d
    intercepts: np.ndarray  # n_fields x d ('fields') or 1 x d ('joint')
    fallback: np.ndarray  # d: the prediction for a row without any known token
    token_field: np.ndarray  # F field code per column

    def presence(self, x: sp.spmatrix) -> np.ndarray:
        """(n x n_fields) 1.0 where a row has a token of the field."""
        n_fields = len(self.intercepts)
        coo = sp.coo_matrix(x)
        out = np.zeros((x.shape[0], n_fields))
        out[coo.row, self.token_field[coo.col]] = 1.0
        return out

    def predict(self, x: sp.spmatrix) -> np.ndarray:
        """(n x d) predicted taste vectors."""
        linear = np.asarray(x @ self.weights)
        if self.combine == "joint":
            out = linear + self.intercepts[0]
            empty = np.diff(sp.csr_matrix(x).indptr) == 0
        else:
            present = self.presence(x)
            count = present.sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                out = (linear + present @ self.intercepts) / count[:, None]
            empty = count == 0
        out[empty] = self.fallback
        return out

    def truncate(self, dim: int) -> TasteMap:
        """The map onto the first `dim` taste dimensions (ridge is per column)."""
        return TasteMap(
            self.combine,
            self.weights[:, :dim],
            self.intercepts[:, :dim],
            self.fallback[:dim],
            self.token_field,
        )


def fit_maps(
    x: sp.spmatrix,
    token_field: np.ndarray,
    n_fields: int,
    y: np.ndarray,
    ridges: Sequence[float],
    combine: str,
) -> dict[float, TasteMap]:
    """One map per ridge; the Gram matrices are built once and shared."""
    if combine not in COMBINES:
        raise ValueError(f"unknown combine {combine!r}; expected one of {COMBINES}")
    x = sp.csc_matrix(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    fallback = y.mean(axis=0) if len(y) else np.zeros(y.shape[1])
    token_field = np.asarray(token_field, dtype=np.int64)
    if combine == "joint":
        gram, rhs = _gram(x, y)
        maps = {}
        for ridge in ridges:
            w = ridge_solve(gram, rhs, ridge)
            maps[ridge] = TasteMap(combine, w[:-1], w[-1:], fallback, token_field)
        return maps
    weights = {r: np.zeros((x.shape[1], y.shape[1])) for r in ridges}
    intercepts = {r: np.zeros((n_fields, y.shape[1])) for r in ridges}
    for f in range(n_fields):
        cols = np.flatnonzero(token_field == f)
        block = x[:, cols].tocsr()
        rows = np.flatnonzero(np.diff(block.indptr) > 0)
        if len(rows) == 0:
            continue
        gram, rhs = _gram(block[rows], y[rows])
        for ridge in ridges:
            w = ridge_solve(gram, rhs, ridge)
            weights[ridge][cols] = w[:-1]
            intercepts[ridge][f] = w[-1]
    return {
        r: TasteMap(combine, weights[r], intercepts[r], fallback, token_field)
        for r in ridges
    }
