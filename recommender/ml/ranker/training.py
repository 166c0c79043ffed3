"""Ranker training: LambdaRank boosters fitted on simulated surveys.

`train_ranker` simulates surveys from *training* users: a share of them is removed
from the matching pool and from the item signals, each gives 10 favourites and the
rest of their favourites is the truth; cases are grouped per survey, and boosting
is early-stopped on cases of other users.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..data import DEMO_CARDINALITIES, Interactions
from ..model import NCFWeights
from ..predict import ServingContext, build_context
from ..signals import SignalModel, fit_signals
from .features import (
    FEATURES,
    ItemStatics,
    build_features,
    build_statics,
    candidates,
    case_signals,
)
from .model import Ranker
from .simulation import Case, _mean_ndcg, mask_users, simulate_cases
from .tuning import tune_item_models

Progress = Callable[[str], None]


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
