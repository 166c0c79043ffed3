"""Offline evaluation protocol: rating accuracy over folds, cold-start ranking,
paired tests. The held-out split is in `cold_start_split`, the text tables in
`evaluation_report`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import metrics as m
from .artifacts import ServingSettings, bundle_from_recommender
from .baselines import (
    BiasBaseline,
    GlobalMean,
    knn_vote_scores,
    popularity_scores,
)
from .cold_start_split import cold_start_split, survey_demographics
from .content_features import Document
from .content_model import ContentConfig, ContentModel
from .data import encode_demographics, interactions_from_frames
from .fm import FMConfig, fit_rating_blend
from .matching import top_n_indices
from .model import NCFConfig, NCFRecommender
from .pipeline import SurveyInput, recommend
from .ranker import case_signals, train_ranker

Progress = Callable[[str], None]


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def evaluate_rating_accuracy(
    folds: Sequence[tuple[pd.DataFrame, pd.DataFrame]],
    users_df: pd.DataFrame | None,
    movies_df: pd.DataFrame | None,
    *,
    fold_names: Sequence[str] | None = None,
    config: NCFConfig | None = None,
    fm_config: FMConfig | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """RMSE/MAE per fold and mean: NCF, Bayesian FM, their blend and baselines.

    NCF and FM are fitted on 95% of each training fold; the blend weights on the
    other 5% (the test fold is only predicted).
    """
    names = list(fold_names or [f"fold{i + 1}" for i in range(len(folds))])
    rows: list[dict[str, Any]] = []
    models = ("blend", "ncf", "fm", "bias", "global_mean")
    for name, (train_df, test_df) in zip(names, folds, strict=True):
        inter = interactions_from_frames(train_df, users_df, movies_df)
        users, items, ratings = inter.to_triples()
        u_test, i_test = inter.map_item_frame(
            test_df["user_id"].to_numpy(), test_df["movie_id"].to_numpy()
        )
        y = test_df["rating"].to_numpy(dtype=np.float64)
        gm = GlobalMean().fit(users, items, ratings)
        bias = BiasBaseline().fit(users, items, ratings, inter.n_users, inter.n_items)
        blend = fit_rating_blend(inter, ncf_config=config, fm_config=fm_config)
        preds = blend.predict(u_test, i_test)
        preds["global_mean"] = gm.predict(u_test, i_test)
        preds["bias"] = bias.predict(u_test, i_test)
        row: dict[str, Any] = {
            "fold": name,
            "n_test": len(y),
            "train_seconds": blend.seconds["ncf"],
            "fm_train_seconds": blend.seconds["fm"],
            "epochs": len(blend.ncf.history),
            "blend_coef": [float(c) for c in blend.coef],
            "blend_holdout_rmse": blend.blend_rmse,
        }
        for model in models:
            row[model] = {
                "rmse": m.rmse(y, preds[model]),
                "mae": m.mae(y, preds[model]),
            }
        rows.append(row)
        _say(
            progress,
            f"{name}: blend rmse={row['blend']['rmse']:.4f} ncf="
            f"{row['ncf']['rmse']:.4f} fm={row['fm']['rmse']:.4f} "
            f"({blend.seconds['ncf']:.1f}s + {blend.seconds['fm']:.1f}s)",
        )
    mean = {
        model: {
            metric: float(np.mean([r[model][metric] for r in rows]))
            for metric in ("rmse", "mae")
        }
        for model in models
    }
    return {
        "folds": rows,
        "mean": mean,
        "mean_train_seconds": float(np.mean([r["train_seconds"] for r in rows])),
        "mean_fm_train_seconds": float(np.mean([r["fm_train_seconds"] for r in rows])),
    }


def _paired(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    diff = a - b
    out: dict[str, float] = {
        "n": float(len(a)),
        "mean_with": float(np.mean(a)),
        "mean_without": float(np.mean(b)),
        "mean_difference": float(np.mean(diff)),
    }
    if np.any(diff != 0):
        w = stats.wilcoxon(a, b)
        out["wilcoxon_statistic"] = float(w.statistic)
        out["wilcoxon_p"] = float(w.pvalue)
        t = stats.ttest_rel(a, b)
        out["ttest_statistic"] = float(t.statistic)
        out["ttest_p"] = float(t.pvalue)
    else:
        out.update(
            wilcoxon_statistic=float("nan"),
            wilcoxon_p=1.0,
            ttest_statistic=float("nan"),
            ttest_p=1.0,
        )
    return out


COMPONENTS = ("ncf_pred", "support", "item_sim", "demo_prior")


def evaluate_cold_start(
    ratings_df: pd.DataFrame,
    users_df: pd.DataFrame | None,
    movies_df: pd.DataFrame | None,
    *,
    seed: int = 0,
    holdout_fraction: float = 0.2,
    min_favourites: int = 20,
    n_given: int = 10,
    threshold: float = 4.0,
    config: NCFConfig | None = None,
    settings: ServingSettings | None = None,
    diversity: float = 0.0,
    ranker_users: int = 600,
    ranker_cases_per_user: int = 2,
    content_documents: Mapping[int, Document] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Hold out users, give 10 favourites + demographics, rank, score the rest.

    Models: the learned ranker (also with the product's diversity and without
    demographics), the hand-weighted NCF seed and fold-in paths, each signal
    alone, EASE and RP3beta at the hyper-parameters tuned on validation users
    (training users, inside train_ranker), kNN vote and popularity. Reports
    NDCG@10, Recall@20, HR@10, genre diversity and coverage of the top-20 lists,
    and a paired Wilcoxon test of every model's per-user NDCG@10 against EASE.
    With `content_documents`, a content model fitted on them places the unrated
    titles of 'ranker_content' (the same ranker, paired against 'ranker').
    """
    settings = settings or ServingSettings()
    split = cold_start_split(
        ratings_df,
        users_df,
        movies_df,
        seed=seed,
        holdout_fraction=holdout_fraction,
        min_favourites=min_favourites,
        n_given=n_given,
        threshold=threshold,
    )
    inter, held, eligible = split.inter, split.held, split.eligible
    _say(progress, f"cold start seed {seed}: {len(held)} held-out users, NCF")
    ncf_config = NCFConfig.from_dict(
        {**(config or NCFConfig()).to_dict(), "seed": 42 + seed}
    )
    rec = NCFRecommender(ncf_config).fit(inter)
    serving = {
        "n_neighbours": settings.n_neighbours,
        "demo_weight": settings.demo_weight,
        "support_weight": settings.support_weight,
        "item_weight": settings.item_weight,
    }
    trained = train_ranker(
        rec.weights,
        inter,
        serving=serving,
        seed=seed,
        max_users=ranker_users,
        per_user=ranker_cases_per_user,
        progress=progress,
    )
    bundle = bundle_from_recommender(
        rec, inter, settings, ranker=trained.ranker, signals=trained.signals
    )
    ctx, statics, signals = bundle.context, bundle.statics, trained.signals
    fav = inter.favourites(threshold)
    fav_sizes = np.diff(fav.indptr).astype(np.float64)
    popularity = popularity_scores(inter.ratings)

    demo_frame = users_df.set_index("user_id") if users_df is not None else None
    pipeline_models = {
        "ranker": ("ranker", True, diversity),
        "ranker_diverse": ("ranker", True, settings.diversity),
        "ranker_no_demographics": ("ranker", False, diversity),
        "ncf_seed": ("seed", True, diversity),
        "ncf_foldin": ("foldin", True, diversity),
    }
    bundles = dict.fromkeys(pipeline_models, bundle)
    content_report = None
    if content_documents is not None:
        _say(progress, "content model for the unrated titles")
        content_model = ContentModel(ContentConfig(seed=seed)).fit(
            inter, content_documents
        )
        content_report = content_model.report
        pipeline_models["ranker_content"] = ("ranker", True, diversity)
        bundles["ranker_content"] = replace(bundle, content_model=content_model)
    models = [
        *pipeline_models,
        *COMPONENTS,
        "ease",
        "edlae",
        "rp3beta",
        "knn_vote",
        "popularity",
    ]
    per_user: dict[str, dict[str, list[float]]] = {
        name: {"ndcg@10": [], "recall@20": [], "hr@10": [], "ild@20": []}
        for name in models
    }
    lists: dict[str, list[np.ndarray]] = {name: [] for name in models}
    latencies: list[float] = []
    k = 20
    for user in held:
        given, relevant = split.draw_survey(user)
        age, gender, occupation = survey_demographics(demo_frame, user)
        given_ids = [int(x) for x in inter.item_ids[given]]
        ranked: dict[str, np.ndarray] = {}
        for name, (method, use_demo, div) in pipeline_models.items():
            survey = SurveyInput(
                favourite_ids=given_ids,
                age=age,
                gender=gender,
                occupation=occupation,
                k=k,
                method=method,
                use_demographics=use_demo,
                diversity=div,
                outside=False,
            )
            res = recommend(bundles[name], None, survey)
            ranked[name] = np.array(
                [inter.item_index[i.item_id] for i in res.items], np.int64
            )
            if name == "ranker":
                latencies.append(res.timings["total_ms"])
        demo = encode_demographics(age, gender, occupation)
        case = case_signals(ctx, signals, statics, given, demo, **serving)
        base_scores = {name: case.values[name] for name in COMPONENTS}
        base_scores["ease"] = case.values["ease"]
        base_scores["edlae"] = case.values["edlae"]
        base_scores["rp3beta"] = case.values["rp3"]
        base_scores["popularity"] = popularity
        base_scores["knn_vote"] = knn_vote_scores(
            fav, given, settings.n_neighbours, row_sizes=fav_sizes
        )
        for name, scores in base_scores.items():
            s = np.asarray(scores, dtype=np.float64).copy()
            s[~np.isfinite(s)] = -np.inf
            s[given] = -np.inf
            ranked[name] = top_n_indices(s, k)
        for name in models:
            items = list(ranked[name])
            lists[name].append(ranked[name])
            per_user[name]["ndcg@10"].append(m.ndcg_at_k(items, relevant, 10))
            per_user[name]["recall@20"].append(m.recall_at_k(items, relevant, 20))
            per_user[name]["hr@10"].append(m.hit_rate_at_k(items, relevant, 10))
            per_user[name]["ild@20"].append(
                m.intra_list_diversity(items, inter.item_genres)
            )
    table = {
        name: {
            **{metric: float(np.mean(vals)) for metric, vals in per_user[name].items()},
            "coverage@20": m.catalogue_coverage(lists[name], inter.n_items),
        }
        for name in models
    }
    ease_ndcg = np.array(per_user["ease"]["ndcg@10"])
    versus_ease = {
        name: _paired(np.array(per_user[name]["ndcg@10"]), ease_ndcg)
        for name in models
        if name != "ease"
    }
    demographics_paired = {
        "ranker": _paired(
            np.array(per_user["ranker"]["ndcg@10"]),
            np.array(per_user["ranker_no_demographics"]["ndcg@10"]),
        )
    }
    content_paired = None
    if content_report is not None:
        # cold_item_scores places even a perfect match below the (k/2)-th rated
        # title, so with k = 20 only the second half of the list can change
        content_paired = {
            metric: _paired(
                np.array(per_user["ranker_content"][metric]),
                np.array(per_user["ranker"][metric]),
            )
            for metric in ("ndcg@10", "recall@20")
        }
    lat = np.array(latencies)
    report = trained.report
    return {
        "n_heldout_users": len(held),
        "n_eligible_users": len(eligible),
        "n_given": n_given,
        "seed": seed,
        "diversity": diversity,
        "has_demographics": bool(np.any(inter.user_demo > 0)),
        "settings": settings.__dict__.copy(),
        "train_seconds": rec.train_seconds,
        "ranker_train_seconds": report["seconds"]["total"],
        "ranker": {k: v for k, v in report.items() if k != "tuned"},
        "tuned_on_validation_users": report["tuned"],
        "ease_lambda": trained.signals.ease_lambda,
        "edlae": {
            "lambda": trained.signals.edlae_lambda,
            "dropout": trained.signals.edlae_dropout,
        },
        "rp3beta": {
            "alpha": trained.signals.rp3_alpha,
            "beta": trained.signals.rp3_beta,
        },
        "models": table,
        "versus_ease": versus_ease,
        "ranker_over_ease_ndcg@10": table["ranker"]["ndcg@10"]
        / max(table["ease"]["ndcg@10"], 1e-12),
        "demographics_paired": demographics_paired,
        "unrated_titles": int(np.sum(inter.ratings.getnnz(axis=0) == 0)),
        "content_model": content_report,
        "content_paired": content_paired,
        "latency_ms": {
            "p50": float(np.percentile(lat, 50)) if len(lat) else float("nan"),
            "p95": float(np.percentile(lat, 95)) if len(lat) else float("nan"),
        },
    }


def summarise_seeds(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Mean and per-seed NDCG@10 of every model over several cold-start runs."""
    names = list(runs[0]["models"])
    return {
        "seeds": [r["seed"] for r in runs],
        "ranker_over_ease_ndcg@10": [r["ranker_over_ease_ndcg@10"] for r in runs],
        "mean": {
            name: {
                metric: float(np.mean([r["models"][name][metric] for r in runs]))
                for metric in runs[0]["models"][name]
            }
            for name in names
        },
    }
