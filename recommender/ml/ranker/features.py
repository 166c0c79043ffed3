"""Ranker features: every signal of one survey, candidates, feature rows.

For a survey (favourites + demographics) every signal is computed for every item
(`case_signals`): the NCF seed-path predicted rating, the hand-weighted seed score,
neighbour support, neighbour count and mean rating, item-item cosine, EASE,
RP3beta, demographic agreement of the matched users who like the item and the
demographic prior. Candidates are the union of each signal's top items
(`candidates`); `build_features` turns them into one row per candidate (each
signal's value and its rank among the candidates, plus popularity, mean rating,
year and genre overlap with the favourites).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..data import Interactions
from ..matching import demographic_similarity, top_n_indices
from ..predict import ServingContext, seed_scores
from ..signals import SignalModel, rp3beta_scores

FEATURES: tuple[str, ...] = (
    "ncf_pred",
    "ncf_pred_rank",
    "seed_score",
    "seed_score_rank",
    "support",
    "support_rank",
    "neighbour_share",
    "neighbour_rating",
    "item_sim",
    "item_sim_rank",
    "ease",
    "ease_rank",
    "ease_seen",
    "ease_seen_rank",
    "edlae",
    "edlae_rank",
    "rp3",
    "rp3_rank",
    "popularity",
    "popularity_rank",
    "item_mean",
    "year",
    "genre_overlap",
    "demo_agree",
    "demo_prior",
    # survey-relative: the item against the favourites' own profile
    "year_gap",
    "popularity_gap",
    "item_sim_max",
    "item_sim_hits",
    # each strong signal scaled within the survey's candidates (z-score)
    "ease_z",
    "edlae_z",
    "rp3_z",
    "item_sim_z",
    "support_z",
    "ncf_pred_z",
)
# signals whose own top items form the candidate set
CANDIDATE_SIGNALS: tuple[str, ...] = (
    "seed_score",
    "support",
    "item_sim",
    "ease",
    "edlae",
    "rp3",
)
SCALED_SIGNALS: tuple[str, ...] = (
    "ease",
    "edlae",
    "rp3",
    "item_sim",
    "support",
    "ncf_pred",
)
RANKED_SIGNALS: tuple[str, ...] = (
    "ncf_pred",
    "seed_score",
    "support",
    "item_sim",
    "ease",
    "ease_seen",
    "edlae",
    "rp3",
    "popularity",
)


@dataclass
class ItemStatics:
    """Per-item features that do not depend on the survey."""

    popularity: np.ndarray  # log1p(number of ratings)
    item_mean: np.ndarray  # baseline mean + item bias
    year: np.ndarray  # release year, NaN unknown
    genres: np.ndarray  # (n_items, n_genres) multi-hot
    item_degree: np.ndarray  # number of users with the item as favourite


def build_statics(ctx: ServingContext, inter: Interactions) -> ItemStatics:
    """Precompute the survey-independent item features once per bundle."""
    w = ctx.weights
    counts = np.diff(sp.csc_matrix(inter.ratings).indptr).astype(np.float64)
    years = inter.item_years
    return ItemStatics(
        popularity=np.log1p(counts),
        item_mean=np.asarray(w.baseline_mean + w.baseline_item_bias, dtype=np.float64),
        year=np.full(inter.n_items, np.nan) if years is None else years,
        genres=(np.asarray(inter.item_genres) > 0).astype(np.float64),
        item_degree=ctx.item_fav_norm**2,
    )


@dataclass
class CaseSignals:
    """Every signal for every item, for one survey."""

    values: dict[str, np.ndarray]  # signal name -> (n_items,)
    neighbours: np.ndarray
    similarity: np.ndarray
    neighbour_count: np.ndarray
    neighbour_rating: np.ndarray
    predicted: np.ndarray
    seed_score: np.ndarray
    timings: dict[str, float] = field(default_factory=dict)


def case_signals(
    ctx: ServingContext,
    signals: SignalModel,
    statics: ItemStatics,
    query: np.ndarray,
    demo: np.ndarray,
    *,
    n_neighbours: int = 30,
    demo_weight: float = 0.1,
    support_weight: float = 0.8,
    item_weight: float = 3.0,
) -> CaseSignals:
    """All per-item signals for a survey user with favourites `query`."""
    query = np.asarray(query, dtype=np.int64)
    scored = seed_scores(
        ctx,
        query,
        demo,
        n_neighbours=n_neighbours,
        demo_weight=demo_weight,
        support_weight=support_weight,
        item_weight=item_weight if item_weight else 1.0,
    )
    t0 = time.perf_counter()
    nb, sim = scored.neighbours, scored.similarity
    n_items = len(scored.scores)
    support = scored.support if scored.support is not None else np.zeros(n_items)
    item_sim = scored.item_sim if scored.item_sim is not None else np.zeros(n_items)
    rp3 = rp3beta_scores(
        ctx.fav,
        query,
        alpha=signals.rp3_alpha,
        beta=signals.rp3_beta,
        fav_by_item=ctx.fav_by_item,
        item_degree=statics.item_degree,
        user_degree=ctx.fav_sizes,
    )
    demo_agree = np.full(n_items, np.nan)
    has_demo = bool(np.any(np.asarray(demo) > 0)) and demo_weight > 0
    if has_demo and len(nb):
        agree = demographic_similarity(demo, ctx.user_demo[nb])
        liked = ctx.fav[nb].T
        den = np.asarray(liked @ sim, dtype=np.float64).ravel()
        num = np.asarray(liked @ (sim * agree), dtype=np.float64).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            demo_agree = np.where(den > 0, num / den, np.nan)
    demo_prior = signals.demo_prior(demo) if has_demo else np.full(n_items, np.nan)
    profile = statics.genres[query].sum(axis=0) if len(query) else None
    if profile is not None and profile.any():
        norms = np.linalg.norm(statics.genres, axis=1) * np.linalg.norm(profile)
        with np.errstate(divide="ignore", invalid="ignore"):
            overlap = np.where(norms > 0, statics.genres @ profile / norms, 0.0)
    else:
        overlap = np.zeros(n_items)
    share = scored.neighbour_count / max(len(nb), 1)
    fav_years = statics.year[query] if len(query) else np.zeros(0)
    fav_years = fav_years[np.isfinite(fav_years)]
    year_gap = (
        statics.year - np.median(fav_years)
        if len(fav_years)
        else np.full(n_items, np.nan)
    )
    popularity_gap = statics.popularity - (
        statics.popularity[query].mean() if len(query) else 0.0
    )
    sim_max, sim_hits = per_favourite_cosine(
        ctx.fav, ctx.fav_by_item, ctx.item_fav_norm, query
    )
    seed_score = scored.scores
    if not item_weight:  # the hand-weighted score without the item term
        seed_score = np.where(
            np.isfinite(seed_score), seed_score - 1.0 * item_sim, seed_score
        )
    values = {
        "ncf_pred": scored.predicted,
        "seed_score": seed_score,
        "support": support,
        "neighbour_share": share,
        "neighbour_rating": np.where(
            scored.neighbour_count > 0, scored.neighbour_rating, np.nan
        ),
        "item_sim": item_sim,
        "ease": signals.ease(query),
        "ease_seen": signals.ease_seen(query),
        "edlae": signals.edlae(query),
        "rp3": rp3,
        "popularity": statics.popularity,
        "item_mean": statics.item_mean,
        "year": statics.year,
        "genre_overlap": overlap,
        "demo_agree": demo_agree,
        "demo_prior": demo_prior,
        "year_gap": year_gap,
        "popularity_gap": popularity_gap,
        "item_sim_max": sim_max,
        "item_sim_hits": sim_hits,
    }
    t1 = time.perf_counter()
    timings = dict(scored.timings)
    timings["signals_ms"] = (t1 - t0) * 1e3
    return CaseSignals(
        values=values,
        neighbours=nb,
        similarity=sim,
        neighbour_count=scored.neighbour_count,
        neighbour_rating=scored.neighbour_rating,
        predicted=scored.predicted,
        seed_score=seed_score,
        timings=timings,
    )


def per_favourite_cosine(
    fav: sp.csr_matrix,
    fav_by_item: sp.csr_matrix,
    item_norm: np.ndarray,
    query: np.ndarray,
    *,
    hit: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """Per item: its largest cosine to any one favourite, and the share of the
    favourites it has cosine >= `hit` with (an item's cosine to itself left out).

    `fav` is the favourites matrix (users x items, CSR), `fav_by_item` its
    transpose as CSR and `item_norm` the square root of each item's number of
    favourites. The cost is that of the favourites of the users who have a query
    item, as for `item_cosine_scores`.
    """
    n_items = fav_by_item.shape[0]
    query = np.unique(np.asarray(query, dtype=np.int64))
    query = query[(query >= 0) & (query < n_items)]
    query = query[item_norm[query] > 0]
    if len(query) == 0:
        return np.zeros(n_items), np.zeros(n_items)
    # (n_items x q) co-occurrence counts: only users who have a favourite count
    co = (fav_by_item[query] @ fav).toarray().T
    norm = np.outer(item_norm, item_norm[query])
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.where(norm > 0, co / norm, 0.0)
    cos[query, np.arange(len(query))] = 0.0
    return cos.max(axis=1), (cos >= hit).mean(axis=1)


def _finite(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64).copy()
    v[~np.isfinite(v)] = -np.inf
    return v


def candidates(
    case: CaseSignals,
    exclude: np.ndarray,
    *,
    per_signal: int = 100,
    names: Sequence[str] = CANDIDATE_SIGNALS,
) -> np.ndarray:
    """Union of each candidate signal's top `per_signal` items (sorted indices)."""
    exclude = np.asarray(exclude, dtype=np.int64)
    picked: list[np.ndarray] = []
    for name in names:
        v = _finite(case.values[name])
        v[exclude] = -np.inf
        top = top_n_indices(v, per_signal)
        picked.append(top[np.isfinite(v[top])])
    if not picked:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(picked)).astype(np.int64)


def rank_within(values: np.ndarray) -> np.ndarray:
    """0-based rank of each value, largest first; NaN/-inf last; ties by position."""
    v = _finite(values)
    order = np.lexsort((np.arange(len(v)), -v))
    ranks = np.empty(len(v), dtype=np.float64)
    ranks[order] = np.arange(len(v))
    return ranks


def z_within(values: np.ndarray) -> np.ndarray:
    """(value - mean) / std over the finite values; NaN stays NaN, 0 when flat."""
    v = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(v)
    out = np.full(len(v), np.nan)
    if not ok.any():
        return out
    mean, std = v[ok].mean(), v[ok].std()
    out[ok] = (v[ok] - mean) / std if std > 0 else 0.0
    return out


def build_features(case: CaseSignals, cand: np.ndarray) -> np.ndarray:
    """(len(cand), len(FEATURES)) float64 matrix; NaN where a signal is missing."""
    cand = np.asarray(cand, dtype=np.int64)
    cols: dict[str, np.ndarray] = {}
    for name, values in case.values.items():
        col = np.asarray(values, dtype=np.float64)[cand]
        col = np.where(np.isfinite(col), col, np.nan)
        cols[name] = col
    for name in RANKED_SIGNALS:
        cols[f"{name}_rank"] = rank_within(cols[name])
    for name in SCALED_SIGNALS:
        cols[f"{name}_z"] = z_within(cols[name])
    return np.column_stack([cols[name] for name in FEATURES])
