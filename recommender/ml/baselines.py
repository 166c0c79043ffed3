"""Reference models: global mean, user+item biases, popularity, Jaccard-kNN, EASE."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .matching import jaccard_top_n


@dataclass
class GlobalMean:
    """Predicts the training mean for everything."""

    mean: float = 3.5

    def fit(
        self, users: np.ndarray, items: np.ndarray, ratings: np.ndarray
    ) -> GlobalMean:
        """Fit on (user_idx, item_idx, rating) triples."""
        self.mean = float(np.mean(ratings)) if len(ratings) else 3.5
        return self

    def predict(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Constant prediction."""
        return np.full(len(users), self.mean, dtype=np.float32)


@dataclass
class BiasBaseline:
    """r = mu + b_u + b_i, regularised ALS-style closed-form alternating updates."""

    reg_user: float = 15.0
    reg_item: float = 10.0
    n_iter: int = 10
    mean: float = 3.5
    user_bias: np.ndarray | None = None
    item_bias: np.ndarray | None = None

    def fit(
        self,
        users: np.ndarray,
        items: np.ndarray,
        ratings: np.ndarray,
        n_users: int | None = None,
        n_items: int | None = None,
    ) -> BiasBaseline:
        """Fit on (user_idx, item_idx, rating) triples."""
        users = np.asarray(users, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        r = np.asarray(ratings, dtype=np.float64)
        n_users = int(n_users if n_users is not None else users.max() + 1)
        n_items = int(n_items if n_items is not None else items.max() + 1)
        self.mean = float(r.mean()) if len(r) else 3.5
        cnt_u = np.bincount(users, minlength=n_users)
        cnt_i = np.bincount(items, minlength=n_items)
        bu = np.zeros(n_users)
        bi = np.zeros(n_items)
        for _ in range(self.n_iter):
            res = r - self.mean - bu[users]
            bi = np.bincount(items, res, minlength=n_items) / (self.reg_item + cnt_i)
            res = r - self.mean - bi[items]
            bu = np.bincount(users, res, minlength=n_users) / (self.reg_user + cnt_u)
        self.user_bias = bu.astype(np.float32)
        self.item_bias = bi.astype(np.float32)
        return self

    def predict(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Predict; indices < 0 or out of range get a zero bias."""
        assert self.user_bias is not None and self.item_bias is not None
        users = np.asarray(users, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        ok_u = (users >= 0) & (users < len(self.user_bias))
        ok_i = (items >= 0) & (items < len(self.item_bias))
        bu = np.where(ok_u, self.user_bias[np.where(ok_u, users, 0)], 0.0)
        bi = np.where(ok_i, self.item_bias[np.where(ok_i, items, 0)], 0.0)
        return np.clip(self.mean + bu + bi, 1.0, 5.0).astype(np.float32)


def popularity_scores(matrix: sp.csr_matrix) -> np.ndarray:
    """Item popularity = number of users with a non-zero entry (column counts)."""
    csc = matrix.tocsc()
    return np.diff(csc.indptr).astype(np.float64)


def knn_vote_scores(
    fav: sp.csr_matrix,
    query_items: np.ndarray,
    n_neighbours: int = 50,
    *,
    demo_weight: float = 0.0,
    query_demo: np.ndarray | None = None,
    user_demo: np.ndarray | None = None,
    row_sizes: np.ndarray | None = None,
) -> np.ndarray:
    """Item scores = sum over top-n Jaccard neighbours of similarity * favourite."""
    idx, sim = jaccard_top_n(
        fav,
        query_items,
        n_neighbours,
        demo_weight=demo_weight,
        query_demo=query_demo,
        user_demo=user_demo,
        row_sizes=row_sizes,
    )
    if len(idx) == 0:
        return np.zeros(fav.shape[1])
    return np.asarray(fav[idx].T @ sim, dtype=np.float64).ravel()


def ease_weights(
    matrix: sp.spmatrix, lam: float = 500.0, dropout: float = 0.0
) -> np.ndarray:
    """EASE item-item weights B (Steck 2019): B = I - P/diag(P), P=(X'X+L)^-1.

    L = lam I for EASE. With `dropout` p > 0 it is EDLAE (Steck 2020, the
    emphasised denoising linear autoencoder with the zero diagonal): L adds
    p / (1 - p) * diag(X'X), a penalty that grows with the item's popularity.
    """
    if not 0.0 <= dropout < 1.0:
        raise ValueError("dropout must be in [0, 1)")
    x = sp.csr_matrix(matrix, dtype=np.float64)
    gram = np.asarray((x.T @ x).todense(), dtype=np.float64)
    gram[np.diag_indices_from(gram)] += lam + dropout / (1.0 - dropout) * np.diag(gram)
    p = np.linalg.inv(gram)
    b = -p / np.diag(p)[None, :]
    b[np.diag_indices_from(b)] = 0.0
    return b.astype(np.float32)


def ease_scores(weights: np.ndarray, query_items: np.ndarray) -> np.ndarray:
    """EASE scores for a user given as a set of item indices."""
    query = np.asarray(query_items, dtype=np.int64)
    return weights[query].sum(axis=0).astype(np.float64)
