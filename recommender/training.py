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
from recommender.ml.artifacts import save_bundle
from recommender.ml.data import interactions_from_frames
from recommender.ml.model import NCFRecommender
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
) -> ModelVersion:
    """Train on all imported ratings, save the artifact, record and activate it."""
    frames = training_frames(source=source)
    if frames["ratings"].empty:
        raise TrainingError("No ratings in the catalogue: import MovieLens first.")
    interactions = interactions_from_frames(
        frames["ratings"], frames["users"], frames["movies"]
    )
    recommender = NCFRecommender().fit(interactions, epochs=epochs, progress=progress)
    history = recommender.history
    best = min(history, key=lambda row: row.get("val_rmse", np.inf)) if history else {}
    metrics = {
        "val_rmse": best.get("val_rmse"),
        "val_loss": best.get("val_loss"),
        "epochs_run": len(history),
        "history": history,
        "n_users": interactions.n_users,
        "n_items": interactions.n_items,
        "n_ratings": int(interactions.ratings.nnz),
    }
    version = timezone.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    path = Path(settings.MODELS_DIR) / version
    save_bundle(path, recommender, interactions, metrics)
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
