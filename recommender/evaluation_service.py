"""Offline evaluation on the MovieLens files (never touches the active model)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from catalog import movielens
from recommender.ml.evaluation import (
    evaluate_cold_start,
    evaluate_rating_accuracy,
    summarise_seeds,
)


class EvaluationError(Exception):
    """The evaluation data is missing or not in the ml-100k format."""


def evaluation_source_dir(
    source: str | None = None, *, need_splits: bool = True
) -> Path:
    """The MovieLens directory (ml-100k with u1..u5 splits when `need_splits`)."""
    try:
        folder = movielens.resolve_source(
            source or settings.MOVIELENS_SOURCE or movielens.ML100K_URL,
            settings.DATASETS_DIR,
        )
        fmt, data_dir = movielens.detect_format(folder)
    except movielens.MovieLensFormatError as exc:
        raise EvaluationError(str(exc)) from exc
    if need_splits and (fmt != "ml-100k" or not (data_dir / "u1.base").exists()):
        raise EvaluationError(
            f"{folder}: the evaluation needs ml-100k with u1..u5 splits"
        )
    return data_dir


def recommender_evaluate(
    *,
    source: str | None = None,
    folds: list[str] | None = None,
    rating: bool = True,
    cold_start: bool = True,
    seed: int = 0,
    seeds: list[int] | None = None,
    ranker_users: int = 600,
    ranker_cases_per_user: int = 2,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Rating accuracy on the u-folds and the cold-start comparison, in one run.

    Cold start runs once per seed; a source without u1..u5 splits (for example
    ml-latest, which has no demographics) allows the cold-start part only.
    """
    data_dir = evaluation_source_dir(source, need_splits=rating)
    dataset = movielens.read_dataset(data_dir)
    result: dict[str, Any] = {"dataset": str(data_dir)}
    if rating:
        names = folds or ["u1", "u2", "u3", "u4", "u5"]
        splits = [movielens.read_ml100k_split(data_dir, name) for name in names]
        result["rating_accuracy"] = evaluate_rating_accuracy(
            splits, dataset.users, dataset.movies, fold_names=names, progress=progress
        )
    if cold_start:
        runs = [
            evaluate_cold_start(
                dataset.ratings,
                dataset.users,
                dataset.movies,
                seed=s,
                ranker_users=ranker_users,
                ranker_cases_per_user=ranker_cases_per_user,
                progress=progress,
            )
            for s in (seeds or [seed])
        ]
        result["cold_start"] = runs
        result["cold_start_summary"] = summarise_seeds(runs)
    return result
