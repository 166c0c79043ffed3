"""Offline evaluation: rating accuracy over folds, cold-start ranking, paired tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import metrics as m
from .artifacts import ServingSettings, bundle_from_recommender
from .baselines import (
    BiasBaseline,
    GlobalMean,
    ease_scores,
    ease_weights,
    knn_vote_scores,
    popularity_scores,
)
from .data import interactions_from_frames
from .matching import top_n_indices
from .model import NCFConfig, NCFRecommender
from .pipeline import SurveyInput, recommend

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
    progress: Progress | None = None,
) -> dict[str, Any]:
    """RMSE/MAE per fold and mean for NCF, global mean and user+item bias baseline."""
    names = list(fold_names or [f"fold{i + 1}" for i in range(len(folds))])
    rows: list[dict[str, Any]] = []
    for name, (train_df, test_df) in zip(names, folds, strict=True):
        inter = interactions_from_frames(train_df, users_df, movies_df)
        users, items, ratings = inter.to_triples()
        u_test, i_test = inter.map_item_frame(
            test_df["user_id"].to_numpy(), test_df["movie_id"].to_numpy()
        )
        y = test_df["rating"].to_numpy(dtype=np.float64)
        gm = GlobalMean().fit(users, items, ratings)
        bias = BiasBaseline().fit(users, items, ratings, inter.n_users, inter.n_items)
        rec = NCFRecommender(config).fit(inter)
        preds = {
            "ncf": rec.predict(u_test, i_test),
            "global_mean": gm.predict(u_test, i_test),
            "bias": bias.predict(u_test, i_test),
        }
        row: dict[str, Any] = {
            "fold": name,
            "n_test": len(y),
            "train_seconds": rec.train_seconds,
            "epochs": len(rec.history),
        }
        for model, p in preds.items():
            row[model] = {"rmse": m.rmse(y, p), "mae": m.mae(y, p)}
        rows.append(row)
        _say(
            progress,
            f"{name}: ncf rmse={row['ncf']['rmse']:.4f} bias rmse="
            f"{row['bias']['rmse']:.4f} ({rec.train_seconds:.1f}s)",
        )
    mean = {
        model: {
            metric: float(np.mean([r[model][metric] for r in rows]))
            for metric in ("rmse", "mae")
        }
        for model in ("ncf", "global_mean", "bias")
    }
    return {
        "folds": rows,
        "mean": mean,
        "mean_train_seconds": float(np.mean([r["train_seconds"] for r in rows])),
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
    # tuned on a validation split of training users (500..10000 tried)
    ease_lambda: float = 3000.0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Hold out users, give 10 favourites + demographics, rank, score the rest.

    Returns NDCG@10, Recall@20, HR@10, intra-list genre diversity (top-20) and
    catalogue coverage (top-20 lists) for NCF seed, NCF fold-in, popularity,
    Jaccard-kNN vote and EASE, the paired with/without-demographics test on
    per-user NDCG@10 for both NCF paths, and the chosen default method.
    """
    settings = settings or ServingSettings()
    rng = np.random.default_rng(seed)
    fav_rows = ratings_df[ratings_df["rating"] >= threshold]
    fav_counts = fav_rows.groupby("user_id").size()
    eligible = np.sort(fav_counts[fav_counts >= min_favourites].index.to_numpy())
    n_hold = max(1, int(round(len(eligible) * holdout_fraction)))
    held = np.sort(rng.choice(eligible, size=n_hold, replace=False))
    train_df = ratings_df[~ratings_df["user_id"].isin(held)]
    inter = interactions_from_frames(train_df, users_df, movies_df)
    _say(progress, f"cold start: {len(held)} held-out users, training NCF")
    rec = NCFRecommender(config).fit(inter)
    bundle = bundle_from_recommender(rec, inter, settings)
    fav = inter.favourites(threshold)
    fav_sizes = np.diff(fav.indptr).astype(np.float64)
    popularity = popularity_scores(inter.ratings)
    t0 = time.perf_counter()
    ease = ease_weights(fav, ease_lambda)
    ease_seconds = time.perf_counter() - t0

    demo_frame = users_df.set_index("user_id") if users_df is not None else None
    fav_by_user = fav_rows.groupby("user_id")["movie_id"].apply(np.sort)
    models = ["ncf_seed", "ncf_foldin", "popularity", "knn_vote", "ease"]
    per_user: dict[str, dict[str, list[float]]] = {
        name: {"ndcg@10": [], "recall@20": [], "hr@10": [], "ild@20": []}
        for name in models
    }
    lists: dict[str, list[np.ndarray]] = {name: [] for name in models}
    no_demo: dict[str, list[float]] = {"ncf_seed": [], "ncf_foldin": []}
    latencies: list[float] = []
    k = 20
    for user in held:
        favs = inter.map_items(fav_by_user[user])
        given = np.sort(rng.choice(favs, size=n_given, replace=False))
        relevant = set(np.setdiff1d(favs, given).tolist())
        age = gender = occupation = None
        if demo_frame is not None and user in demo_frame.index:
            row = demo_frame.loc[user]
            age, gender, occupation = (
                row.get("age"),
                row.get("gender"),
                row.get("occupation"),
            )
        given_ids = [int(x) for x in inter.item_ids[given]]
        ranked: dict[str, np.ndarray] = {}
        for method in ("seed", "foldin"):
            for use_demo in (True, False):
                survey = SurveyInput(
                    favourite_ids=given_ids,
                    age=age,
                    gender=gender,
                    occupation=occupation,
                    k=k,
                    method=method,
                    use_demographics=use_demo,
                    diversity=diversity,
                )
                res = recommend(bundle, None, survey)
                idx = np.array(
                    [inter.item_index[i.item_id] for i in res.items], np.int64
                )
                if use_demo:
                    ranked[f"ncf_{method}"] = idx
                    latencies.append(res.timings["total_ms"])
                else:
                    no_demo[f"ncf_{method}"].append(
                        m.ndcg_at_k(list(idx), relevant, 10)
                    )
        q = np.zeros(inter.n_items, dtype=bool)
        q[given] = True
        base_scores = {
            "popularity": popularity.copy(),
            "knn_vote": knn_vote_scores(
                fav, given, settings.n_neighbours, row_sizes=fav_sizes
            ),
            "ease": ease_scores(ease, given),
        }
        for name, s in base_scores.items():
            s = s.astype(np.float64)
            s[q] = -np.inf
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
    paired = {
        name: _paired(np.array(per_user[name]["ndcg@10"]), np.array(no_demo[name]))
        for name in ("ncf_seed", "ncf_foldin")
    }
    default = (
        "seed"
        if table["ncf_seed"]["ndcg@10"] >= table["ncf_foldin"]["ndcg@10"]
        else "foldin"
    )
    lat = np.array(latencies)
    return {
        "n_heldout_users": len(held),
        "n_eligible_users": len(eligible),
        "n_given": n_given,
        "seed": seed,
        "diversity": diversity,
        "settings": settings.__dict__.copy(),
        "train_seconds": rec.train_seconds,
        "ease_seconds": ease_seconds,
        "models": table,
        "demographics_paired": paired,
        "default_method": default,
        "default_method_reason": (
            f"{default} has the higher cold-start NDCG@10 "
            f"({table['ncf_seed']['ndcg@10']:.4f} seed vs "
            f"{table['ncf_foldin']['ndcg@10']:.4f} foldin)"
        ),
        "latency_ms": {
            "p50": float(np.percentile(lat, 50)) if len(lat) else float("nan"),
            "p95": float(np.percentile(lat, 95)) if len(lat) else float("nan"),
        },
    }


def format_table(result: dict[str, Any]) -> str:
    """Readable plain-text table of an evaluation result (either kind or both)."""
    lines: list[str] = []
    rating = result.get("rating_accuracy", result if "folds" in result else None)
    cold = result.get("cold_start", result if "models" in result else None)
    if rating:
        lines.append("Rating accuracy (RMSE / MAE)")
        header = f"{'fold':<8}" + "".join(
            f"{name:>22}" for name in ("ncf", "bias", "global_mean")
        )
        lines.append(header)
        for row in rating["folds"]:
            cells = "".join(
                f"{row[n]['rmse']:>12.4f} /{row[n]['mae']:>7.4f}"
                for n in ("ncf", "bias", "global_mean")
            )
            lines.append(f"{row['fold']:<8}{cells}")
        mean = rating["mean"]
        cells = "".join(
            f"{mean[n]['rmse']:>12.4f} /{mean[n]['mae']:>7.4f}"
            for n in ("ncf", "bias", "global_mean")
        )
        lines.append(f"{'mean':<8}{cells}")
        lines.append("")
    if cold:
        lines.append(
            f"Cold start ({cold['n_heldout_users']} held-out users, "
            f"{cold['n_given']} favourites given)"
        )
        metric_names = ["ndcg@10", "recall@20", "hr@10", "ild@20", "coverage@20"]
        lines.append(f"{'model':<12}" + "".join(f"{n:>12}" for n in metric_names))
        for name, vals in cold["models"].items():
            lines.append(
                f"{name:<12}" + "".join(f"{vals[n]:>12.4f}" for n in metric_names)
            )
        lines.append("")
        lines.append("Demographics on vs off (paired per-user NDCG@10)")
        for name, p in cold["demographics_paired"].items():
            lines.append(
                f"{name:<12} with={p['mean_with']:.4f} without={p['mean_without']:.4f} "
                f"diff={p['mean_difference']:+.4f}"
                f" wilcoxon W={p['wilcoxon_statistic']:.1f} p={p['wilcoxon_p']:.4f}"
                f" ttest t={p['ttest_statistic']:.3f}"
                f" p={p['ttest_p']:.4f}"
            )
        lines.append(f"default method: {cold['default_method_reason']}")
    return "\n".join(lines)
