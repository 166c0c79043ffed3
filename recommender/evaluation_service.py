"""Offline evaluation on the MovieLens files (never touches the active model)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings

from catalog import movielens
from recommender.ml.content_sources import (
    SnapshotContent,
    merge_documents,
    movielens_documents,
    read_tags,
    snapshot_content,
)
from recommender.ml.evaluation import (
    evaluate_cold_start,
    evaluate_rating_accuracy,
    summarise_seeds,
)
from recommender.ml.item_cold_start import evaluate_item_cold_start


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
    content_model: bool = False,
    streaming: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Rating accuracy on the u-folds and the cold-start comparison, in one run.

    Cold start runs once per seed; a source without u1..u5 splits (for example
    ml-latest, which has no demographics) allows the cold-start part only. With
    `content_model`, the ranker also runs with a content model placing the unrated
    titles (MovieLens genres and years, the snapshots), paired against itself.
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
    documents = None
    if cold_start and content_model:
        snapshot = _snapshot(dataset.movies, data_dir, streaming, progress)
        documents = merge_documents(
            movielens_documents(dataset.movies),
            snapshot.documents if snapshot else {},
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
                content_documents=documents,
                progress=progress,
            )
            for s in (seeds or [seed])
        ]
        result["cold_start"] = runs
        result["cold_start_summary"] = summarise_seeds(runs)
    return result


def streaming_dir(data_dir: Path, streaming: str | None) -> Path | None:
    """The snapshot directory: as given, else a `streaming` folder beside the
    MovieLens directory, else None."""
    if streaming:
        path = Path(streaming)
        if not path.is_dir():
            raise EvaluationError(f"{path}: no such snapshot directory")
        return path
    beside = data_dir.parent / "streaming"
    return beside if beside.is_dir() else None


def _snapshot(
    movies: pd.DataFrame,
    data_dir: Path,
    streaming: str | None,
    progress: Callable[[str], None] | None,
) -> SnapshotContent | None:
    """Snapshot content matched to `movies`, or None without a snapshot folder."""
    folder = streaming_dir(data_dir, streaming)
    if progress:
        progress(f"streaming snapshots: {folder or 'none'}")
    return None if folder is None else snapshot_content(movies, folder)


def recommender_item_cold_start(
    *,
    source: str | None = None,
    streaming: str | None = None,
    seeds: list[int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The item cold-start comparison (newest tenth of the films unrated)."""
    data_dir = evaluation_source_dir(source, need_splits=False)
    dataset = movielens.read_dataset(data_dir)
    snapshot = _snapshot(dataset.movies, data_dir, streaming, progress)
    try:
        result = evaluate_item_cold_start(
            dataset.ratings,
            dataset.movies,
            tags=read_tags(data_dir),
            snapshot=snapshot,
            seeds=tuple(seeds or (0, 1, 2)),
            progress=progress,
        )
    except ValueError as exc:
        raise EvaluationError(str(exc)) from exc
    folder = streaming_dir(data_dir, streaming) if snapshot is not None else None
    return {"dataset": str(data_dir), "streaming": str(folder or ""), **result}
