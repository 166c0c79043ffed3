"""Bayesian factorization machine (myFM, Gibbs sampling) with side features.

Each rating row is described by two relation blocks (so features are stored once
per user and once per item, not once per rating):

- user block: user one-hot | age band, gender, occupation one-hot | the user's
  rated items, each 1/sqrt(n) (the SVD++ implicit term)
- item block: item one-hot | genre multi-hot | the item's raters, 1/sqrt(n)

It is blended with the NCF (see ``RatingBlend``) for rating accuracy; the NCF
stays the deep core of the ranking.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .data import DEMO_CARDINALITIES, Interactions


@dataclass
class FMConfig:
    """Hyper-parameters of the Bayesian FM."""

    rank: int = 10
    n_iter: int = 200
    n_kept_samples: int = 190
    implicit: bool = True
    demographics: bool = True
    genres: bool = True
    seed: int = 42


def _implicit(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Binary rows scaled to 1/sqrt(row count)."""
    x = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    x.data[:] = 1.0
    counts = np.diff(x.indptr).astype(np.float64)
    scale = np.where(counts > 0, 1.0 / np.sqrt(np.maximum(counts, 1.0)), 0.0)
    return sp.csr_matrix(sp.diags(scale) @ x)


def _one_hot(codes: np.ndarray, size: int) -> sp.csr_matrix:
    codes = np.asarray(codes, dtype=np.int64)
    rows = np.arange(len(codes))
    return sp.csr_matrix((np.ones(len(codes)), (rows, codes)), shape=(len(codes), size))


class FMRecommender:
    """Fit on Interactions, predict (user_idx, item_idx) pairs; unknown -> mean."""

    def __init__(self, config: FMConfig | None = None) -> None:
        self.config = config or FMConfig()
        self.model = None
        self.user_features: sp.csr_matrix | None = None
        self.item_features: sp.csr_matrix | None = None
        self.train_seconds = 0.0
        self.mean = 3.5

    def _blocks(self, inter: Interactions) -> tuple[list[int], list[int]]:
        cfg = self.config
        user_parts = [sp.identity(inter.n_users, format="csr")]
        user_groups = [inter.n_users]
        if cfg.demographics:
            for j, card in enumerate(DEMO_CARDINALITIES):
                user_parts.append(_one_hot(inter.user_demo[:, j], card))
                user_groups.append(card)
        if cfg.implicit:
            user_parts.append(_implicit(inter.ratings))
            user_groups.append(inter.n_items)
        item_parts = [sp.identity(inter.n_items, format="csr")]
        item_groups = [inter.n_items]
        if cfg.genres and inter.item_genres.shape[1]:
            item_parts.append(sp.csr_matrix(inter.item_genres.astype(np.float64)))
            item_groups.append(inter.item_genres.shape[1])
        if cfg.implicit:
            item_parts.append(_implicit(inter.ratings.T.tocsr()))
            item_groups.append(inter.n_users)
        self.user_features = sp.hstack(user_parts, format="csr")
        self.item_features = sp.hstack(item_parts, format="csr")
        return user_groups, item_groups

    def _relations(self, users: np.ndarray, items: np.ndarray) -> list:
        from myfm import RelationBlock

        assert self.user_features is not None and self.item_features is not None
        return [
            RelationBlock(users.astype(np.int64), self.user_features),
            RelationBlock(items.astype(np.int64), self.item_features),
        ]

    def fit(self, inter: Interactions) -> FMRecommender:
        """Gibbs-sample the FM on all ratings of `inter`; returns self."""
        import myfm

        cfg = self.config
        start = time.perf_counter()
        user_groups, item_groups = self._blocks(inter)
        users, items, ratings = inter.to_triples()
        self.mean = float(ratings.mean()) if len(ratings) else 3.5
        self.model = myfm.MyFMRegressor(rank=cfg.rank, random_seed=cfg.seed)
        self.model.fit(
            sp.csr_matrix((len(ratings), 0)),
            ratings.astype(np.float64),
            X_rel=self._relations(users, items),
            n_iter=cfg.n_iter,
            n_kept_samples=min(cfg.n_kept_samples, cfg.n_iter),
            group_shapes=user_groups + item_groups,
        )
        self.train_seconds = time.perf_counter() - start
        return self

    def predict(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Ratings clipped to [1, 5]; pairs with an unknown index get the mean."""
        if self.model is None or self.user_features is None:
            raise RuntimeError("FMRecommender is not fitted")
        users = np.asarray(users, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        ok = (
            (users >= 0)
            & (users < self.user_features.shape[0])
            & (items >= 0)
            & (items < self.item_features.shape[0])
        )
        out = np.full(len(users), self.mean)
        if ok.any():
            pred = self.model.predict(
                sp.csr_matrix((int(ok.sum()), 0)),
                X_rel=self._relations(users[ok], items[ok]),
            )
            out[ok] = pred
        return np.clip(out, 1.0, 5.0)


def interactions_without(
    inter: Interactions, users: np.ndarray, items: np.ndarray
) -> Interactions:
    """Same id maps and side features, with the given (user, item) ratings removed."""
    drop = sp.csr_matrix(
        (np.ones(len(users), dtype=np.float32), (users, items)),
        shape=inter.ratings.shape,
    )
    keep = inter.ratings - inter.ratings.multiply(drop)
    keep = sp.csr_matrix(keep, dtype=np.float32)
    keep.eliminate_zeros()
    return Interactions(
        user_ids=inter.user_ids,
        item_ids=inter.item_ids,
        ratings=keep,
        user_demo=inter.user_demo,
        item_genres=inter.item_genres,
        genre_names=inter.genre_names,
        item_titles=inter.item_titles,
        item_years=inter.item_years,
        user_index=inter.user_index,
        item_index=inter.item_index,
    )


@dataclass
class RatingBlend:
    """r = c0 + c1 * NCF + c2 * FM, coefficients fitted by least squares on ratings
    held out from the training data (never on test ratings)."""

    ncf: Any
    fm: FMRecommender
    coef: np.ndarray  # (3,) intercept, NCF weight, FM weight
    blend_rmse: float  # on the held-out training ratings
    seconds: dict[str, float]

    def predict(self, users: np.ndarray, items: np.ndarray) -> dict[str, np.ndarray]:
        """Predictions of the NCF, the FM and the blend for (user, item) pairs."""
        p_ncf = np.asarray(self.ncf.predict(users, items), dtype=np.float64)
        p_fm = self.fm.predict(users, items)
        blend = self.coef[0] + self.coef[1] * p_ncf + self.coef[2] * p_fm
        return {"ncf": p_ncf, "fm": p_fm, "blend": np.clip(blend, 1.0, 5.0)}


def fit_rating_blend(
    inter: Interactions,
    *,
    ncf_config: Any = None,
    fm_config: FMConfig | None = None,
    holdout_fraction: float = 0.05,
    seed: int = 0,
) -> RatingBlend:
    """Fit NCF and FM on most of `inter`, the blend weights on the rest."""
    from .model import NCFRecommender

    users, items, ratings = inter.to_triples()
    rng = np.random.default_rng(seed + 7)
    order = rng.permutation(len(ratings))
    n_hold = max(1, int(round(len(ratings) * holdout_fraction)))
    hold = order[:n_hold]
    fit_inter = interactions_without(inter, users[hold], items[hold])
    ncf = NCFRecommender(ncf_config).fit(fit_inter)
    fm = FMRecommender(fm_config).fit(fit_inter)
    p_ncf = np.asarray(ncf.predict(users[hold], items[hold]), dtype=np.float64)
    p_fm = fm.predict(users[hold], items[hold])
    design = np.column_stack([np.ones(n_hold), p_ncf, p_fm])
    coef, *_ = np.linalg.lstsq(design, ratings[hold].astype(np.float64), rcond=None)
    blend = np.clip(design @ coef, 1.0, 5.0)
    err = float(np.sqrt(np.mean((blend - ratings[hold]) ** 2)))
    return RatingBlend(
        ncf=ncf,
        fm=fm,
        coef=coef,
        blend_rmse=err,
        seconds={"ncf": ncf.train_seconds, "fm": fm.train_seconds},
    )
