"""Learned ranker: LightGBM LambdaRank over per-item signals of one survey.

For a survey (favourites + demographics) every signal is computed for every item
(`case_signals`): the NCF seed-path predicted rating, the hand-weighted seed score,
neighbour support, neighbour count and mean rating, item-item cosine, EASE,
RP3beta, demographic agreement of the matched users who like the item and the
demographic prior. Candidates are the union of each signal's top items
(`candidates`); `build_features` turns them into one row per candidate (each
signal's value and its rank among the candidates, plus popularity, mean rating,
year and genre overlap with the favourites).

Training (`train_ranker`) simulates surveys from *training* users: a share of them
is removed from the matching pool and from the item signals, each gives 10
favourites and the rest of their favourites is the truth; cases are grouped per
survey, and boosting is early-stopped on cases of other users.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import metrics as m
from .data import DEMO_CARDINALITIES, Interactions
from .matching import demographic_similarity, top_n_indices
from .model import NCFWeights
from .predict import ServingContext, build_context, seed_scores
from .signals import SignalModel, fit_signals, rp3beta_scores

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

Progress = Callable[[str], None]


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


@dataclass
class Ranker:
    """Trained LightGBM boosters (as text; scores are their mean) and how."""

    model_strings: list[str]
    feature_names: list[str]
    per_signal: int = 100
    meta: dict[str, Any] = field(default_factory=dict)
    _boosters: list[Any] | None = field(default=None, repr=False)
    _columns: np.ndarray | None = field(default=None, repr=False)

    @property
    def boosters(self) -> list[Any]:
        """The LightGBM boosters, parsed on first use."""
        if self._boosters is None:
            import lightgbm

            self._boosters = [
                lightgbm.Booster(model_str=text) for text in self.model_strings
            ]
        return self._boosters

    @property
    def columns(self) -> np.ndarray:
        """Positions of this ranker's features among today's FEATURES (a bundle
        trained with fewer features keeps working)."""
        if self._columns is None:
            missing = set(self.feature_names) - set(FEATURES)
            if missing:
                raise ValueError(f"unknown ranker features: {sorted(missing)}")
            self._columns = np.array(
                [FEATURES.index(name) for name in self.feature_names], np.int64
            )
        return self._columns

    def score(self, features: np.ndarray) -> np.ndarray:
        """Ranking scores for feature rows built with FEATURES (higher is better)."""
        if len(features) == 0:
            return np.zeros(0)
        x = np.asarray(features, np.float64)
        if x.shape[1] != len(self.feature_names) or list(self.feature_names) != list(
            FEATURES
        ):
            x = x[:, self.columns]
        return np.mean(
            [
                np.asarray(b.predict(x, num_threads=1), np.float64)
                for b in self.boosters
            ],
            axis=0,
        )


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
    from .baselines import ease_weights
    from .signals import most_favourited

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


@dataclass
class RankerTraining:
    """What train_ranker produced."""

    ranker: Ranker
    signals: SignalModel  # fitted on all training users with the tuned parameters
    report: dict[str, Any]
    rows: dict[str, Any] | None = None  # the training rows, when asked to keep them


def _case_rows(
    ctx: ServingContext,
    signals: SignalModel,
    statics: ItemStatics,
    cases: list[Case],
    demo_of: np.ndarray,
    serving: dict[str, float],
    per_signal: int,
) -> tuple[
    np.ndarray, np.ndarray, list[int], list[np.ndarray], list[Case], list[np.ndarray]
]:
    xs, ys, groups, hand, kept = [], [], [], [], []
    cands: list[np.ndarray] = []
    for case in cases:
        sig = case_signals(
            ctx, signals, statics, case.given, demo_of[case.user], **serving
        )
        cand = candidates(sig, case.given, per_signal=per_signal)
        if len(cand) == 0:
            continue
        xs.append(build_features(sig, cand))
        ys.append(np.isin(cand, case.truth).astype(np.float64))
        groups.append(len(cand))
        hand.append(sig.seed_score)
        kept.append(case)
        cands.append(cand)
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0), [], [], [], []
    return np.vstack(xs), np.concatenate(ys), groups, hand, kept, cands


LGB_PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "eval_at": [10],
    "lambdarank_truncation_level": 20,
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 2,
    "deterministic": True,
    "verbose": -1,
}


def train_ranker(
    weights: NCFWeights,
    inter: Interactions,
    *,
    serving: dict[str, float] | None = None,
    seed: int = 0,
    n_folds: int = 3,
    max_users: int = 900,
    per_user: int = 1,
    n_given: int = 10,
    min_favourites: int = 20,
    per_signal: int = 100,
    max_ease_items: int = 4000,
    max_tuning_cases: int = 300,
    num_boost_round: int = 500,
    patience: int = 60,
    keep_rows: bool = False,
    progress: Progress | None = None,
) -> RankerTraining:
    """Tune EASE/RP3beta and train the LambdaRank ranker on simulated surveys.

    The ranking users are split into `n_folds`; each fold's surveys are scored
    with every signal re-fitted without that fold's users (their ratings leave
    the matching pool, EASE, RP3beta, item-item and the priors), so no survey
    sees its own hidden favourites. The NCF weights are shared. EASE's lambda and
    RP3beta's (alpha, beta) are tuned on the first fold's surveys.

    Boosting is cross-fitted: one booster per fold, trained on the other folds'
    surveys; the number of trees is where the mean NDCG@10 over the held-out
    folds peaks (lightgbm.cv with early stopping). The ranker scores with the
    mean of the boosters, so no single noisy early stop decides it, and every
    ranking user's surveys train it. `stop_ndcg@10` is out-of-fold: each
    survey scored by the booster that did not train on it.
    """
    import lightgbm

    start = time.perf_counter()
    serving = dict(serving or {})
    rng = np.random.default_rng(seed)
    fav = inter.favourites()
    sizes = np.diff(fav.indptr)
    eligible = np.flatnonzero(sizes >= max(min_favourites, n_given + 1))
    n_folds = max(int(n_folds), 2)
    if len(eligible) < 2 * n_folds:
        raise ValueError("too few users with enough favourites to train the ranker")
    n_rank = int(min(max_users, len(eligible)))
    rank_users = rng.permutation(rng.choice(eligible, size=n_rank, replace=False))
    folds = np.array_split(rng.permutation(rank_users), n_folds)
    fold_cases = [
        simulate_cases(fav, users, rng, n_given=n_given, per_user=per_user)
        for users in folds
    ]
    if progress:
        progress(
            f"ranker: {sum(map(len, fold_cases))} surveys from {n_rank} training "
            f"users in {n_folds} folds (one booster per fold)"
        )
    tuned: dict[str, Any] = {}
    params: dict[str, float] = {}
    tune_seconds = 0.0
    fold_rows: list[tuple] = []
    t_features = 0.0
    for f, users in enumerate(folds):
        masked = mask_users(inter, users)
        masked_fav = masked.favourites()
        if f == 0:
            t0 = time.perf_counter()
            tuned = tune_item_models(
                masked_fav,
                fold_cases[0][:max_tuning_cases],
                max_ease_items=max_ease_items,
            )
            tune_seconds = time.perf_counter() - t0
            params = {
                k: tuned[k]
                for k in (
                    "ease_lambda",
                    "edlae_lambda",
                    "edlae_dropout",
                    "rp3_alpha",
                    "rp3_beta",
                )
            }
            if progress:
                progress(
                    f"ranker: EASE lambda={params['ease_lambda']:g}, EDLAE lambda="
                    f"{params['edlae_lambda']:g} dropout={params['edlae_dropout']:g}, "
                    f"RP3beta alpha="
                    f"{params['rp3_alpha']:g} beta={params['rp3_beta']:g} "
                    f"({tune_seconds:.1f}s)"
                )
        t0 = time.perf_counter()
        masked_signals = fit_signals(
            masked_fav,
            masked.user_demo,
            max_ease_items=max_ease_items,
            cardinalities=DEMO_CARDINALITIES,
            seen=masked.ratings,
            **params,
        )
        masked_ctx = build_context(weights, masked)
        statics = build_statics(masked_ctx, masked)
        fold_rows.append(
            _case_rows(
                masked_ctx,
                masked_signals,
                statics,
                fold_cases[f],
                inter.user_demo,
                serving,
                per_signal,
            )
        )
        t_features += time.perf_counter() - t0
        if progress:
            progress(f"ranker: fold {f + 1}/{n_folds} features ({t_features:.1f}s)")
    usable = [f for f, r in enumerate(fold_rows) if r[2] and r[1].sum() > 0]
    if len(usable) < 2:
        raise ValueError(
            "too few simulated surveys with candidates to train the ranker"
        )

    t0 = time.perf_counter()
    parts = [fold_rows[f] for f in usable]
    x_all = np.vstack([r[0] for r in parts])
    y_all = np.concatenate([r[1] for r in parts])
    g_all = [n for r in parts for n in r[2]]
    bounds = np.cumsum([0, *(len(r[1]) for r in parts)])
    rows = np.arange(bounds[-1])
    cv_folds = [
        (
            np.setdiff1d(rows, rows[bounds[k] : bounds[k + 1]]),
            rows[bounds[k] : bounds[k + 1]],
        )
        for k in range(len(parts))
    ]
    # One booster per fold, all cut at the round where the *mean* validation
    # NDCG@10 over the folds peaks (lightgbm.cv), not at each fold's own noisy peak.
    cv = lightgbm.cv(
        {**LGB_PARAMS, "seed": seed},
        lightgbm.Dataset(
            x_all, y_all, group=g_all, feature_name=list(FEATURES), free_raw_data=False
        ),
        num_boost_round=num_boost_round,
        folds=cv_folds,
        callbacks=[lightgbm.early_stopping(patience, verbose=False)],
        return_cvbooster=True,
    )
    cvbooster = cv["cvbooster"]
    best = max(int(cvbooster.best_iteration), 1)
    boosters: list[Any] = list(cvbooster.boosters)
    iterations = [best] * len(boosters)
    oof_scores: list[np.ndarray] = []
    oof_cases: list[Case] = []
    hand_scores: list[np.ndarray] = []
    for booster, (x_stop, _, g_stop, hand, kept, cands) in zip(
        boosters, parts, strict=True
    ):
        offsets = np.cumsum([0, *g_stop])
        for j, cand in enumerate(cands):
            s = np.full(inter.n_items, -np.inf)
            s[cand] = booster.predict(
                x_stop[offsets[j] : offsets[j + 1]], num_iteration=best
            )
            oof_scores.append(s)
        oof_cases.extend(kept)
        hand_scores.extend(hand)
    boost_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    full_signals = fit_signals(
        fav,
        inter.user_demo,
        max_ease_items=max_ease_items,
        cardinalities=DEMO_CARDINALITIES,
        seen=inter.ratings,
        **params,
    )
    signals_seconds = time.perf_counter() - t0
    ranker = Ranker(
        model_strings=[
            b.model_to_string(num_iteration=it)
            for b, it in zip(boosters, iterations, strict=True)
        ],
        feature_names=list(FEATURES),
        per_signal=per_signal,
    )
    gains = np.sum(
        [b.feature_importance(importance_type="gain") for b in boosters], axis=0
    )
    n_cases = sum(len(r[2]) for r in fold_rows)
    report = {
        "n_fit_cases": n_cases,
        "n_boosters": len(boosters),
        "n_rows": int(sum(len(r[1]) for r in fold_rows)),
        "positives_in_candidates": float(
            sum(r[1].sum() for r in fold_rows) / max(n_cases, 1)
        ),
        "best_iteration": best,
        "stop_ndcg@10": _mean_ndcg(oof_scores, oof_cases),
        "stop_seed_score_ndcg@10": _mean_ndcg(hand_scores, oof_cases),
        "tuned": tuned,
        "feature_gain": {
            name: float(g) for name, g in zip(FEATURES, gains, strict=True)
        },
        "ease_items": int(len(full_signals.ease_items)),
        "ease_mib": full_signals.ease_bytes / 2**20,
        "seconds": {
            "tuning": tune_seconds,
            "features": t_features,
            "boosting": boost_seconds,
            "full_signals": signals_seconds,
            "total": time.perf_counter() - start,
        },
    }
    ranker.meta = {
        k: report[k]
        for k in ("best_iteration", "stop_ndcg@10", "n_fit_cases", "n_boosters")
    }
    ranker.meta.update(params)
    if progress:
        progress(
            f"ranker: {len(boosters)} boosters of {best} trees, out-of-fold "
            f"NDCG@10 {report['stop_ndcg@10']:.4f} (seed score "
            f"{report['stop_seed_score_ndcg@10']:.4f}), "
            f"{report['seconds']['total']:.1f}s"
        )
    rows = None
    if keep_rows:
        rows = {"folds": fold_rows}
    return RankerTraining(ranker=ranker, signals=full_signals, report=report, rows=rows)
