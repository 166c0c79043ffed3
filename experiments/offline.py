"""The offline arm: every variant of an experiment on the same cold-start users.

The protocol of recommender.ml.evaluation's cold-start comparison (hold out users
with at least 20 liked movies, train on the rest, give each 10 favourites plus
demographics, score the remaining liked movies), but each held-out user is served
once per variant through pipeline.recommend with the variant's configuration, and
every treatment is compared with control on the same users (Wilcoxon signed-rank).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from experiments.config import VariantConfig
from recommender.ml import metrics as m
from recommender.ml.artifacts import ServingSettings, bundle_from_recommender
from recommender.ml.cold_start_split import cold_start_split, survey_demographics
from recommender.ml.model import NCFConfig, NCFRecommender
from recommender.ml.pipeline import SurveyInput, recommend

METRICS = ("ndcg@10", "recall@20", "hr@10")


def paired_test(control: np.ndarray, treatment: np.ndarray) -> dict[str, float]:
    """Mean difference and the Wilcoxon signed-rank test of treatment - control."""
    diff = treatment - control
    out = {
        "n": int(len(diff)),
        "mean_control": float(control.mean()),
        "mean_treatment": float(treatment.mean()),
        "mean_difference": float(diff.mean()),
        "n_nonzero": int(np.count_nonzero(diff)),
    }
    if np.count_nonzero(diff):
        w = stats.wilcoxon(treatment, control)
        out.update(wilcoxon_statistic=float(w.statistic), wilcoxon_p=float(w.pvalue))
    else:
        out.update(wilcoxon_statistic=float("nan"), wilcoxon_p=1.0)
    return out


def offline_arm(
    ratings_df: pd.DataFrame,
    users_df: pd.DataFrame | None,
    movies_df: pd.DataFrame | None,
    *,
    variants: list[tuple[str, VariantConfig]],
    control: str,
    seed: int = 0,
    holdout_fraction: float = 0.2,
    min_favourites: int = 20,
    n_given: int = 10,
    threshold: float = 4.0,
    config: NCFConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Per-variant cold-start metrics and paired tests against control."""
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
    inter, held = split.inter, split.held
    if progress:
        progress(f"offline arm: {len(held)} held-out users, training NCF")
    rec = NCFRecommender(config).fit(inter)
    bundle = bundle_from_recommender(rec, inter, ServingSettings())
    demo = users_df.set_index("user_id") if users_df is not None else None
    per_user = {name: {k: [] for k in METRICS} for name, _c in variants}
    for number, user in enumerate(held, start=1):
        given, relevant = split.draw_survey(user)
        age, gender, occupation = survey_demographics(demo, user)
        base = SurveyInput(
            favourite_ids=[int(x) for x in inter.item_ids[given]],
            age=age,
            gender=gender,
            occupation=occupation,
            k=20,
        )
        for name, variant_config in variants:
            result = recommend(bundle, None, variant_config.apply(base))
            ranked = [inter.item_index[i.item_id] for i in result.items]
            per_user[name]["ndcg@10"].append(m.ndcg_at_k(ranked, relevant, 10))
            per_user[name]["recall@20"].append(m.recall_at_k(ranked, relevant, 20))
            per_user[name]["hr@10"].append(m.hit_rate_at_k(ranked, relevant, 10))
        if progress and number % 25 == 0:
            progress(f"offline arm: {number}/{len(held)} users")
    table = {
        name: {k: float(np.mean(v)) for k, v in values.items()}
        for name, values in per_user.items()
    }
    paired = {
        name: {
            k: paired_test(np.array(per_user[control][k]), np.array(per_user[name][k]))
            for k in METRICS
        }
        for name, _c in variants
        if name != control
    }
    return {
        "n_heldout_users": int(len(held)),
        "n_given": n_given,
        "seed": seed,
        "train_seconds": rec.train_seconds,
        "control": control,
        "variants": {name: c.__dict__.copy() for name, c in variants},
        "metrics": table,
        "paired": paired,
    }


def offline_arm_text(result: dict[str, Any]) -> str:
    """The offline arm as a table plus one paired line per treatment and metric."""
    lines = [
        f"Offline arm ({result['n_heldout_users']} held-out users, "
        f"{result['n_given']} favourites given, seed {result['seed']})",
        f"{'variant':<20}" + "".join(f"{k:>12}" for k in METRICS),
    ]
    for name, row in result["metrics"].items():
        mark = " (control)" if name == result["control"] else ""
        lines.append(
            f"{(name + mark)[:20]:<20}" + "".join(f"{row[k]:>12.4f}" for k in METRICS)
        )
    lines.append("")
    lines.append("Paired vs control, same users (Wilcoxon signed-rank)")
    for name, per_metric in result["paired"].items():
        for metric, p in per_metric.items():
            lines.append(
                f"{name:<20} {metric:<10} diff={p['mean_difference']:+.4f} "
                f"W={p['wilcoxon_statistic']:.1f} p={p['wilcoxon_p']:.4f} "
                f"(users with a difference: {p['n_nonzero']}/{p['n']})"
            )
    return "\n".join(lines)
