"""Training service: catalogue ratings -> Keras NCF -> versioned artifact + DB row."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Movie
from catalog.selectors import training_frames
from recommender.ml.artifacts import ServingSettings, save_bundle
from recommender.ml.data import interactions_from_frames
from recommender.ml.model import NCFRecommender
from recommender.ml.ranker import train_ranker
from recommender.models import ModelVersion

EpochProgress = Callable[[int, dict[str, Any]], None]


class TrainingError(Exception):
    """Nothing to train on, or training failed."""


def model_train(
    *,
    epochs: int | None = None,
    progress: EpochProgress | None = None,
    activate: bool = True,
    source: str | None = None,
    ranker: bool = True,
) -> ModelVersion:
    """Train on all imported ratings, save the artifact, record and activate it.

    After the NCF, the LightGBM ranker is trained on surveys simulated from the
    same users (its time is reported apart); when there are too few users with
    enough favourites the bundle is saved without one and serves the seed path.
    """
    frames = training_frames(source=source)
    if frames["ratings"].empty:
        raise TrainingError("No ratings in the catalogue: import MovieLens first.")
    interactions = interactions_from_frames(
        frames["ratings"], frames["users"], frames["movies"]
    )
    recommender = NCFRecommender().fit(interactions, epochs=epochs, progress=progress)
    history = recommender.history
    serving = ServingSettings()
    trained = None
    ranker_error = None
    ranker_users = int(settings.RECOMMENDER_RANKER_USERS)
    if ranker and ranker_users > 0:
        try:
            trained = train_ranker(
                recommender.weights,
                interactions,
                serving={
                    "n_neighbours": serving.n_neighbours,
                    "demo_weight": serving.demo_weight,
                    "support_weight": serving.support_weight,
                    "item_weight": serving.item_weight,
                },
                seed=recommender.config.seed,
                max_users=ranker_users,
                per_user=2,
            )
            serving.method = "ranker"
        except ValueError as exc:
            ranker_error = str(exc)
    best = min(history, key=lambda row: row.get("val_rmse", np.inf)) if history else {}
    metrics = {
        "val_rmse": best.get("val_rmse"),
        "val_loss": best.get("val_loss"),
        "epochs_run": len(history),
        "history": history,
        "n_users": interactions.n_users,
        "n_items": interactions.n_items,
        "n_ratings": int(interactions.ratings.nnz),
        "ncf_train_seconds": recommender.train_seconds,
        "ranker": None if trained is None else trained.report,
        "ranker_train_seconds": None
        if trained is None
        else trained.report["seconds"]["total"],
        "ranker_skipped": ranker_error,
    }
    version = timezone.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    path = Path(settings.MODELS_DIR) / version
    save_bundle(
        path,
        recommender,
        interactions,
        metrics,
        settings=serving,
        ranker=None if trained is None else trained.ranker,
        signals=None if trained is None else trained.signals,
    )
    with transaction.atomic():
        row = ModelVersion.objects.create(
            version=version,
            path=str(path),
            metrics=metrics,
            training_seconds=recommender.train_seconds,
        )
        _embeddings_write(interactions.item_ids, recommender.item_embeddings())
        if activate:
            model_version_activate(version=row)
    return row


def model_version_activate(*, version: ModelVersion) -> None:
    """Make this version the one in use (the others are deactivated)."""
    with transaction.atomic():
        ModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(
            is_active=False
        )
        ModelVersion.objects.filter(pk=version.pk).update(is_active=True)
    version.is_active = True


def _embeddings_write(item_ids: np.ndarray, vectors: np.ndarray) -> None:
    """Write item vectors to Movie.embedding with one UPDATE ... FROM (VALUES ...)."""
    rows = [
        (int(movie_id), "[" + ",".join(f"{x:.6g}" for x in vec) + "]")
        for movie_id, vec in zip(item_ids, vectors, strict=True)
    ]
    table = Movie._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            chunk = rows[start : start + 2000]
            values = ",".join(["(%s, %s::vector)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} m SET embedding = v.vec FROM (VALUES {values}) "
                "AS v(id, vec) WHERE m.id = v.id",
                [x for row in chunk for x in row],
            )
