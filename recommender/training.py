"""Training service: data set + product users -> Keras NCF -> gate -> version row."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Movie
from catalog.selectors import training_frames
from recommender.content_documents import rated_documents, unrated_documents
from recommender.ml.artifacts import (
    ServingSettings,
    bundle_from_recommender,
    load_bundle,
    load_interactions,
    save_bundle,
)
from recommender.ml.content_model import ContentConfig, ContentModel
from recommender.ml.data import Interactions, interactions_from_frames
from recommender.ml.holdout import (
    PROTOCOL,
    HoldoutSplit,
    evaluate_on_holdout,
    gate_decide,
    holdout_split,
    origin_counts,
    training_rows,
)
from recommender.ml.model import NCFRecommender
from recommender.ml.ranker import train_ranker
from recommender.ml.similar import similar_vectors
from recommender.models import ModelVersion
from recommender.training_data import product_training_frames

EpochProgress = Callable[[int, dict[str, Any]], None]
RowsTransform = Callable[[pd.DataFrame], pd.DataFrame]


class TrainingError(Exception):
    """Nothing to train on, or training failed."""


def model_train(
    *,
    epochs: int | None = None,
    progress: EpochProgress | None = None,
    activate: bool = True,
    source: str | None = None,
    gate: bool = True,
    train_rows_transform: RowsTransform | None = None,
    ranker: bool = True,
    phase: Callable[[str], None] | None = None,
) -> ModelVersion:
    """Train on the data set plus consenting product users; gate, save, record.

    After the NCF, the LightGBM ranker is trained on surveys simulated from the
    same users (its time is reported apart); when there are too few users with
    enough favourites the bundle is saved without one and serves the seed path.

    With `gate`, a deterministic slice of users and ratings is held out of training,
    the candidate and the active version are both scored on it and the candidate is
    activated only if its cold-start NDCG@10 is not worse than the active one's by
    more than settings.RETRAIN_NDCG_TOLERANCE; a rejected candidate is kept inactive
    with the reason. `train_rows_transform` changes the training rows only (never the
    held-out slice): experiments and tests use it to train on corrupted data.
    """
    started = time.monotonic()
    if epochs is None:
        epochs = settings.RETRAIN_EPOCHS or None  # 0 = the model's own maximum
    say = phase or (lambda message: None)
    say("reading the ratings")
    frames = training_frames(source=source)
    if frames["ratings"].empty:
        raise TrainingError("No ratings in the catalogue: import MovieLens first.")
    product = product_training_frames()
    rows = training_rows(frames["ratings"], product["ratings"])
    users = pd.concat([frames["users"], product["users"]], ignore_index=True)
    split = holdout_split(rows) if gate else None
    train = split.train if split is not None else rows
    if train_rows_transform is not None:
        train = train_rows_transform(train)
    interactions = interactions_from_frames(train, users, frames["movies"])
    say(
        f"NCF: {interactions.ratings.nnz:,} ratings of {interactions.n_users:,} "
        f"users on {interactions.n_items:,} titles"
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
                progress=say,
            )
            serving.method = "ranker"
        except ValueError as exc:
            ranker_error = str(exc)
    content_model, content_report = _content_model_fit(interactions, frames, say)
    best = min(history, key=lambda row: row.get("val_rmse", np.inf)) if history else {}
    metrics: dict[str, Any] = {
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
        "content_model": content_report,
    }
    decision, reason = ModelVersion.Gate.UNGATED, ""
    if split is not None:
        say("gate: scoring the candidate and the active version on held-out users")
        # Scored exactly as it would serve: with its ranker when it has one.
        candidate = bundle_from_recommender(
            recommender,
            interactions,
            serving,
            ranker=None if trained is None else trained.ranker,
            signals=None if trained is None else trained.signals,
            content_model=content_model,
        )
        metrics["holdout"] = evaluate_on_holdout(candidate, split, users)
        accepted, reason = gate_decide(
            metrics["holdout"],
            _active_holdout_score(split, users),
            tolerance=settings.RETRAIN_NDCG_TOLERANCE,
        )
        decision = (
            ModelVersion.Gate.ACCEPTED if accepted else ModelVersion.Gate.REJECTED
        )
        activate = activate and accepted
    # Everything up to here: reading, NCF, ranker and gate (the NCF alone is a
    # small part of it with the ranker).
    metrics["total_seconds"] = time.monotonic() - started
    say("saving the model" + (" and activating it" if activate else ""))
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
        content_model=content_model,
    )
    with transaction.atomic():
        row = ModelVersion.objects.create(
            version=version,
            path=str(path),
            metrics=metrics,
            training_seconds=metrics["total_seconds"],
            gate_decision=decision,
            gate_reason=reason,
            data_counts=origin_counts(train),
        )
        if activate:
            model_version_activate(
                version=row,
                vectors=(interactions.item_ids, recommender.item_embeddings()),
            )
    return row


def _content_model_fit(
    interactions: Interactions,
    frames: dict[str, pd.DataFrame],
    say: Callable[[str], None],
) -> tuple[ContentModel | None, dict[str, Any] | None]:
    """The content model over MovieLens and Wikidata documents (never TMDB's), with
    every documented synced title nobody has rated as a candidate; (None, None)
    when switched off, (None, reason) when there is nothing to learn from."""
    if not settings.RECOMMENDER_CONTENT_MODEL:
        return None, None
    started = time.monotonic()
    rated = rated_documents(frames["movies"])
    unrated = unrated_documents(exclude=interactions.item_ids)
    say(
        f"content model: {len(rated):,} rated titles' documents, "
        f"{len(unrated):,} unrated titles to place"
    )
    config = ContentConfig(
        dims=tuple(settings.RECOMMENDER_CONTENT_DIMS),
        max_validation_users=settings.RECOMMENDER_CONTENT_VALIDATION_USERS,
    )
    try:
        model = ContentModel(config).fit(
            interactions,
            {**rated, **unrated},
            vocabulary_documents=list(unrated.values()),
        )
    except ValueError as exc:
        return None, {"skipped": str(exc)}
    report = {
        "chosen": model.report.get("chosen"),
        "chose_by": model.report.get("chose_by"),
        "n_rated_documents": len(rated),
        "n_unrated_titles": int(model.is_predicted.sum()),
        "n_tokens": model.vocabulary.n_tokens if model.vocabulary else 0,
        "seconds": round(time.monotonic() - started, 2),
    }
    return model, report


def _active_holdout_score(
    split: HoldoutSplit, users: pd.DataFrame
) -> dict[str, Any] | None:
    """The active version scored on the same slice, if it was trained without it."""
    active = ModelVersion.objects.filter(is_active=True).first()
    if active is None or active.metrics.get("holdout", {}).get("protocol") != PROTOCOL:
        # Trained on everything (or before the gate existed): its score on the slice
        # would be inflated by having seen the held-out users.
        return None
    try:
        bundle = load_bundle(active.path)
    except (OSError, ValueError):
        return None
    return evaluate_on_holdout(bundle, split, users)


def model_version_activate(
    *,
    version: ModelVersion,
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Make this version the one in use (activation or roll-back).

    Serving workers compare the active version per build and load the new one, so
    nothing restarts. The movie vectors follow the version: its NCF item embeddings
    and the co-liked vectors of similar titles, computed from its training ratings
    (recommender.ml.similar); `vectors` = (item ids, NCF vectors) saves reading the
    weights back from disk.
    """
    if vectors is None:
        bundle = load_bundle(version.path)
        interactions = bundle.interactions
        vectors = (interactions.item_ids, bundle.item_embeddings())
    else:
        interactions = load_interactions(version.path)
    similar = similar_vectors(interactions.ratings)
    with transaction.atomic():
        _embeddings_write(*vectors, column="embedding")
        _embeddings_write(interactions.item_ids, similar, column="similar_vector")
        ModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(
            is_active=False
        )
        ModelVersion.objects.filter(pk=version.pk).update(is_active=True)
    version.is_active = True


def _embeddings_write(
    item_ids: np.ndarray, vectors: np.ndarray, *, column: str
) -> None:
    """Replace a vector column of Movie: every row's is cleared (another version's
    vectors live in another space), then these are written with UPDATE ... FROM
    (VALUES ...); an all-zero vector (an item nobody liked) stays NULL."""
    if column not in ("embedding", "similar_vector"):
        raise ValueError(f"not a vector column: {column}")
    rows = [
        (int(movie_id), "[" + ",".join(f"{x:.6g}" for x in vec) + "]")
        for movie_id, vec in zip(item_ids, vectors, strict=True)
        if np.any(vec)
    ]
    table = Movie._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} IS NOT NULL")
        for start in range(0, len(rows), 2000):
            chunk = rows[start : start + 2000]
            values = ",".join(["(%s, %s::vector)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} m SET {column} = v.vec FROM (VALUES {values}) "
                "AS v(id, vec) WHERE m.id = v.id",
                [x for row in chunk for x in row],
            )
