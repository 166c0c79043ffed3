"""Scoring a survey user who is not in the training data: 'seed' and 'foldin' paths.

Both paths start from the top-N Jaccard-matched training users (optionally blended
with demographic agreement) and return, for every item, a predicted rating and a
ranking score

    score = (1 - support_weight) * (predicted - 1) / 4 + support_weight * support

    score += item_weight * item_similarity

where `support` is the similarity-weighted share of matched users who have the item
among their favourites, scaled to max 1, and `item_similarity` is the summed cosine
(over the training favourites matrix) between the item and each survey favourite,
scaled to max 1. A pure rating regressor ranks obscure well-rated films first; the
user- and item-neighbour terms keep the list relevant.

- seed: the NCF predicts each matched user's rating for every candidate item (items
  some matched user rated); the similarity-weighted mean is the prediction.
- foldin: a fresh user vector is initialised with the similarity-weighted mean of
  the matched users' vectors (GMF, bias and MLP user embeddings); the survey's
  demographics replace theirs, then the GMF vector and user bias are re-fitted by
  one closed-form ridge regression in logit space towards `favourite_rating` for
  the favourites (and the given rating for extra rated items), shrunk towards the
  initial vector; the item side is frozen. All items are scored directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .data import Interactions
from .matching import item_cosine_scores, jaccard_top_n
from .ncf_weights import NCFWeights, UserSide


@dataclass
class ServingContext:
    """Per-bundle precomputed matrices used for every survey."""

    weights: NCFWeights
    ratings: sp.csr_matrix
    fav: sp.csr_matrix
    fav_sizes: np.ndarray
    fav_by_item: sp.csr_matrix  # fav transposed (items x users)
    item_fav_norm: np.ndarray  # sqrt(number of users with the item as favourite)
    user_demo: np.ndarray
    item_unit: np.ndarray  # L2-normalised item vectors, for "similar_to" reasons
    mean_user: UserSide


def build_context(weights: NCFWeights, interactions: Interactions) -> ServingContext:
    """Precompute the serving matrices once per bundle."""
    if (
        interactions.n_items != weights.n_items
        or interactions.n_users != weights.n_users
    ):
        raise ValueError("interactions do not match the model's id maps")
    fav = interactions.favourites()
    vec = weights.item_gmf.astype(np.float32)
    norm = np.linalg.norm(vec, axis=1, keepdims=True)
    item_unit = vec / np.maximum(norm, 1e-8)
    mean_hidden = weights.mlp_user_hidden(weights.user_mlp.mean(axis=0))
    mean_user = UserSide(
        gmf=weights.user_gmf.mean(axis=0, keepdims=True),
        bias=np.array([weights.user_bias.mean()], dtype=np.float32),
        hidden=mean_hidden,
    )
    return ServingContext(
        weights=weights,
        ratings=interactions.ratings,
        fav=fav,
        fav_sizes=np.diff(fav.indptr).astype(np.float64),
        fav_by_item=fav.T.tocsr(),
        item_fav_norm=np.sqrt(np.diff(fav.tocsc().indptr).astype(np.float64)),
        user_demo=interactions.user_demo,
        item_unit=item_unit,
        mean_user=mean_user,
    )


@dataclass
class SurveyScores:
    """Per-item predictions for one survey user."""

    scores: np.ndarray  # ranking score, -inf for non-candidates
    predicted: np.ndarray  # predicted rating in [1, 5]
    neighbours: np.ndarray
    similarity: np.ndarray
    neighbour_count: np.ndarray  # matched users who rated the item
    neighbour_rating: np.ndarray  # their mean actual rating (0 when none)
    timings: dict[str, float] = field(default_factory=dict)
    support: np.ndarray | None = None  # neighbour favourite support, max 1
    item_sim: np.ndarray | None = None  # item-item cosine to the query, max 1


def _neighbour_stats(
    ctx: ServingContext, nb: np.ndarray, sim: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_items = ctx.ratings.shape[1]
    if len(nb) == 0:
        z = np.zeros(n_items)
        return z, z.copy(), z.copy()
    rows = ctx.ratings[nb]
    count = np.diff(rows.tocsc().indptr).astype(np.float64)
    total = np.asarray(rows.sum(axis=0), dtype=np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, total / count, 0.0)
    support = np.asarray(ctx.fav[nb].T @ sim, dtype=np.float64).ravel()
    top = support.max()
    support = support / top if top > 0 else support
    return count, mean, support


def match(
    ctx: ServingContext,
    query_items: np.ndarray,
    demo: np.ndarray,
    *,
    n_neighbours: int,
    demo_weight: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-N matched training users (index, similarity)."""
    return jaccard_top_n(
        ctx.fav,
        query_items,
        n_neighbours,
        demo_weight=demo_weight,
        query_demo=demo,
        user_demo=ctx.user_demo,
        row_sizes=ctx.fav_sizes,
    )


def item_similarity(ctx: ServingContext, query_items: np.ndarray) -> np.ndarray:
    """Summed item-item cosine of every item to the survey items, max 1."""
    return item_cosine_scores(
        ctx.fav,
        query_items,
        fav_by_item=ctx.fav_by_item,
        item_norm=ctx.item_fav_norm,
    )


def _combine(
    predicted: np.ndarray,
    support: np.ndarray,
    support_weight: float,
    item_sim: np.ndarray | None = None,
    item_weight: float = 0.0,
) -> np.ndarray:
    w = float(np.clip(support_weight, 0.0, 1.0))
    score = (1.0 - w) * (predicted - 1.0) / 4.0 + w * support
    if item_sim is not None and item_weight:
        score = score + float(item_weight) * item_sim
    return score


def seed_scores(
    ctx: ServingContext,
    query_items: np.ndarray,
    demo: np.ndarray,
    *,
    n_neighbours: int = 30,
    demo_weight: float = 0.1,
    support_weight: float = 0.8,
    item_weight: float = 0.0,
) -> SurveyScores:
    """Seed path: matched users' NCF-predicted ratings, similarity-weighted."""
    t0 = time.perf_counter()
    w = ctx.weights
    nb, sim = match(
        ctx, query_items, demo, n_neighbours=n_neighbours, demo_weight=demo_weight
    )
    t1 = time.perf_counter()
    count, mean, support = _neighbour_stats(ctx, nb, sim)
    item_sim = item_similarity(ctx, query_items) if item_weight else None
    predicted = np.full(w.n_items, np.nan, dtype=np.float64)
    scores = np.full(w.n_items, -np.inf)
    if len(nb):
        cand = np.flatnonzero(count > 0)
        ratings = w.rating_matrix(w.user_side(nb), cand)
        predicted[cand] = sim @ ratings / sim.sum()
        scores[cand] = _combine(
            predicted[cand],
            support[cand],
            support_weight,
            None if item_sim is None else item_sim[cand],
            item_weight,
        )
    else:  # nobody matched: the average user's predictions for every item
        predicted[:] = w.rating_matrix(ctx.mean_user, np.arange(w.n_items))[0]
        scores = _combine(predicted, support, support_weight, item_sim, item_weight)
    fill = w.baseline_pairs(np.full(w.n_items, -1), np.arange(w.n_items))
    predicted = np.where(np.isnan(predicted), fill, predicted)
    t2 = time.perf_counter()
    return SurveyScores(
        scores,
        predicted,
        nb,
        sim,
        count,
        mean,
        {"matching_ms": (t1 - t0) * 1e3, "prediction_ms": (t2 - t1) * 1e3},
        support=support,
        item_sim=item_sim,
    )


def foldin_user(
    ctx: ServingContext,
    nb: np.ndarray,
    sim: np.ndarray,
    demo: np.ndarray,
    targets_items: np.ndarray,
    targets: np.ndarray,
    *,
    ridge: float = 1.0,
) -> UserSide:
    """New user vector: neighbour-mean init, one ridge solve, item side frozen."""
    w = ctx.weights
    if len(nb):
        wts = sim / sim.sum()
        gmf0 = wts @ w.user_gmf[nb]
        bias0 = float(wts @ w.user_bias[nb])
        mlp0 = wts @ w.user_mlp[nb]
    else:
        gmf0 = ctx.mean_user.gmf[0]
        bias0 = float(ctx.mean_user.bias[0])
        mlp0 = w.user_mlp.mean(axis=0)
    hidden = w.mlp_user_hidden(mlp0) + w.demo_hidden(demo)
    if len(targets_items) == 0:
        return UserSide(gmf0[None, :], np.array([bias0]), hidden)
    base = UserSide(np.zeros((1, len(gmf0))), np.zeros(1), hidden)
    offset = w.logits_matrix(base, targets_items)[0]  # everything but gmf + bias
    p = np.clip((np.asarray(targets, dtype=np.float64) - 1.0) / 4.0, 0.02, 0.98)
    y = np.log(p / (1.0 - p)) - offset
    x = np.hstack([w.item_gmf[targets_items], np.ones((len(targets_items), 1))])
    prior = np.append(gmf0, bias0)
    lhs = x.T @ x + ridge * np.eye(x.shape[1])
    rhs = x.T @ y + ridge * prior
    sol = np.linalg.solve(lhs, rhs)
    return UserSide(
        sol[None, :-1].astype(np.float32), sol[-1:].astype(np.float32), hidden
    )


def foldin_scores(
    ctx: ServingContext,
    query_items: np.ndarray,
    demo: np.ndarray,
    *,
    extra_items: np.ndarray | None = None,
    extra_ratings: np.ndarray | None = None,
    favourite_rating: float = 4.5,
    n_neighbours: int = 30,
    demo_weight: float = 0.1,
    support_weight: float = 0.8,
    ridge: float = 1.0,
    item_weight: float = 0.0,
) -> SurveyScores:
    """Fold-in path: fit a new user vector, score every item directly."""
    t0 = time.perf_counter()
    w = ctx.weights
    nb, sim = match(
        ctx, query_items, demo, n_neighbours=n_neighbours, demo_weight=demo_weight
    )
    t1 = time.perf_counter()
    count, mean, support = _neighbour_stats(ctx, nb, sim)
    items = np.asarray(query_items, dtype=np.int64)
    targets = np.full(len(items), favourite_rating, dtype=np.float64)
    if extra_items is not None and extra_ratings is not None and len(extra_items):
        items = np.concatenate([items, np.asarray(extra_items, dtype=np.int64)])
        targets = np.concatenate([targets, np.asarray(extra_ratings, dtype=np.float64)])
    side = foldin_user(ctx, nb, sim, demo, items, targets, ridge=ridge)
    predicted = w.rating_matrix(side, np.arange(w.n_items))[0].astype(np.float64)
    item_sim = item_similarity(ctx, query_items) if item_weight else None
    scores = _combine(predicted, support, support_weight, item_sim, item_weight)
    t2 = time.perf_counter()
    return SurveyScores(
        scores,
        predicted,
        nb,
        sim,
        count,
        mean,
        {"matching_ms": (t1 - t0) * 1e3, "prediction_ms": (t2 - t1) * 1e3},
        support=support,
        item_sim=item_sim,
    )


def most_similar_favourite(
    ctx: ServingContext, items: np.ndarray, favourites: np.ndarray
) -> np.ndarray:
    """For each item, the favourite with the highest item-vector cosine (-1 if none)."""
    items = np.asarray(items, dtype=np.int64)
    favourites = np.asarray(favourites, dtype=np.int64)
    if len(favourites) == 0 or len(items) == 0:
        return np.full(len(items), -1, dtype=np.int64)
    cos = ctx.item_unit[items] @ ctx.item_unit[favourites].T
    return favourites[np.argmax(cos, axis=1)]
