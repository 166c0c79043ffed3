"""Smoke tests of the NCF model, bundles and the recommend pipeline (no DB)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recommender.ml.artifacts import ServingSettings, load_bundle, save_bundle
from recommender.ml.data import Interactions, interactions_from_frames
from recommender.ml.model import ITEM_VECTOR_DIM, NCFRecommender
from recommender.ml.pipeline import SurveyInput, recommend

GENRES = ["Action", "Comedy", "Drama", "Horror"]


def _tiny_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(0)
    n_users, n_items = 40, 30
    rows = []
    for u in range(n_users):
        items = rng.choice(n_items, size=12, replace=False)
        for i in items:
            rating = float(np.clip(round(3 + (u % 3) - (i % 3) + rng.normal()), 1, 5))
            rows.append((u + 1, i + 101, rating, 0))
    ratings = pd.DataFrame(rows, columns=["user_id", "movie_id", "rating", "timestamp"])
    ratings["rating"] = ratings["rating"].astype(np.float32)
    users = pd.DataFrame(
        {
            "user_id": np.arange(1, n_users + 1),
            "age": rng.integers(15, 70, n_users),
            "gender": rng.choice(["M", "F"], n_users),
            "occupation": rng.choice(["writer", "student", "engineer"], n_users),
            "zip_code": "00000",
        }
    )
    movies = pd.DataFrame(
        {
            "movie_id": np.arange(101, 101 + n_items),
            "title": [f"Movie {i}" for i in range(n_items)],
            "genres": [[GENRES[i % 4], GENRES[(i // 4) % 4]] for i in range(n_items)],
        }
    )
    return ratings, users, movies


@pytest.fixture(scope="module")
def fitted() -> tuple[NCFRecommender, Interactions]:
    ratings, users, movies = _tiny_frames()
    inter = interactions_from_frames(ratings, users, movies)
    seen: list[int] = []
    rec = NCFRecommender(mlp_dim=4, hidden=(8,), batch_size=64, seed=1).fit(
        inter, epochs=1, progress=lambda epoch, logs: seen.append(epoch)
    )
    assert seen == [1]
    return rec, inter


def test_model_shapes_and_range(fitted: tuple[NCFRecommender, Interactions]) -> None:
    rec, inter = fitted
    assert len(rec.history) == 1
    assert {"loss", "val_loss", "val_rmse"} <= set(rec.history[0])
    users = np.repeat(np.arange(inter.n_users), inter.n_items)
    items = np.tile(np.arange(inter.n_items), inter.n_users)
    pred = rec.predict(users, items)
    assert pred.shape == (inter.n_users * inter.n_items,)
    assert np.all((pred >= 1.0) & (pred <= 5.0))
    emb = rec.item_embeddings()
    assert emb.shape == (inter.n_items, ITEM_VECTOR_DIM) == (30, 32)
    assert emb.dtype == np.float32


def test_numpy_forward_matches_keras(
    fitted: tuple[NCFRecommender, Interactions],
) -> None:
    rec, inter = fitted
    users = np.array([0, 3, 39]).astype(np.int64)
    items = np.array([0, 10, 29]).astype(np.int64)
    x = rec._inputs(inter.user_demo, users, items)
    keras_pred = np.asarray(rec.model(x, training=False)).ravel()
    np.testing.assert_allclose(rec.predict(users, items), keras_pred, atol=1e-4)


def test_unknown_user_or_item_falls_back(
    fitted: tuple[NCFRecommender, Interactions],
) -> None:
    rec, inter = fitted
    w = rec.weights
    assert w is not None
    pred = rec.predict(np.array([-1, 0, 10_000]), np.array([2, 999, 2]))
    expected = [
        np.clip(w.baseline_mean + w.baseline_item_bias[2], 1, 5),
        np.clip(w.baseline_mean + w.baseline_user_bias[0], 1, 5),
        np.clip(w.baseline_mean + w.baseline_item_bias[2], 1, 5),
    ]
    np.testing.assert_allclose(pred, expected, rtol=1e-6)


def test_bundle_round_trip(
    fitted: tuple[NCFRecommender, Interactions], tmp_path: Path
) -> None:
    rec, inter = fitted
    save_bundle(tmp_path / "v1", rec, inter, {"rmse": 0.9})
    assert (tmp_path / "v1" / "model.keras").exists()
    bundle = load_bundle(tmp_path / "v1")
    users = np.repeat(np.arange(inter.n_users), 3)
    items = np.tile([0, 5, 29], inter.n_users)
    np.testing.assert_array_equal(
        bundle.weights.predict_pairs(users, items), rec.predict(users, items)
    )
    np.testing.assert_array_equal(bundle.item_embeddings(), rec.item_embeddings())
    assert bundle.metrics == {"rmse": 0.9}
    assert bundle.interactions.item_ids.tolist() == inter.item_ids.tolist()
    assert (bundle.interactions.ratings != inter.ratings).nnz == 0
    survey = SurveyInput(favourite_ids=[101, 102, 103], k=5, age=30, gender="F")
    from recommender.ml.artifacts import bundle_from_recommender

    direct = recommend(bundle_from_recommender(rec, inter), None, survey)
    loaded = recommend(bundle, None, survey)
    assert [i.item_id for i in direct.items] == [i.item_id for i in loaded.items]


@pytest.mark.parametrize("method", ["seed", "foldin"])
def test_recommend_pipeline(
    fitted: tuple[NCFRecommender, Interactions], method: str
) -> None:
    rec, inter = fitted
    from recommender.ml.artifacts import bundle_from_recommender

    bundle = bundle_from_recommender(rec, inter, ServingSettings(n_neighbours=5))
    favourites = [101, 105, 110, 115, 120, 125, 999_999]  # last one unknown
    survey = SurveyInput(
        favourite_ids=favourites,
        rated={102: 2.0, 888_888: 5.0},
        excluded_ids=[103, 777_777],
        age=25,
        gender="X",
        occupation="student",
        k=8,
        method=method,
        diversity=0.3,
    )
    result = recommend(bundle, inter, survey)
    ids = [item.item_id for item in result.items]
    assert result.method == method
    assert len(ids) == 8 == len(set(ids))
    assert not set(ids) & {101, 105, 110, 115, 120, 125, 102, 103}
    assert [item.rank for item in result.items] == list(range(1, 9))
    for item in result.items:
        assert item.reason and item.reason_data["kind"] in {
            "neighbours",
            "similar_to",
            "popular",
        }
        assert 1.0 <= item.predicted_rating <= 5.0
    assert set(result.timings) >= {"matching_ms", "prediction_ms", "ranking_ms"}
    again = recommend(bundle, inter, survey)
    assert [i.item_id for i in again.items] == ids
    # no known favourite at all still works (demographics / average user)
    empty = recommend(
        bundle, None, SurveyInput(favourite_ids=[424242], k=5, method=method)
    )
    assert len(empty.items) == 5


@pytest.mark.parametrize("path", ["seed", "foldin"])
def test_item_weight_adds_item_similarity(
    fitted: tuple[NCFRecommender, Interactions], path: str
) -> None:
    rec, inter = fitted
    from recommender.ml.artifacts import bundle_from_recommender
    from recommender.ml.predict import foldin_scores, item_similarity, seed_scores

    ctx = bundle_from_recommender(rec, inter).context
    query = inter.map_items([101, 105, 110])
    demo = np.array([3, 1, 0])
    score = seed_scores if path == "seed" else foldin_scores
    plain = score(ctx, query, demo, n_neighbours=5, item_weight=0.0)
    mixed = score(ctx, query, demo, n_neighbours=5, item_weight=2.0)
    sim = item_similarity(ctx, query)
    assert sim.max() == pytest.approx(1.0)
    finite = np.isfinite(plain.scores)
    assert finite.any()
    np.testing.assert_array_equal(np.isfinite(mixed.scores), finite)
    np.testing.assert_allclose(
        mixed.scores[finite], plain.scores[finite] + 2.0 * sim[finite], atol=1e-9
    )
    np.testing.assert_array_equal(mixed.predicted, plain.predicted)


def test_old_settings_get_item_weight_default() -> None:
    settings = ServingSettings.from_dict({"method": "seed", "support_weight": 0.8})
    assert settings.item_weight == ServingSettings().item_weight > 0


def test_ema_early_stopping_keeps_best_average() -> None:
    ratings, users, movies = _tiny_frames()
    inter = interactions_from_frames(ratings, users, movies)
    rec = NCFRecommender(
        mlp_dim=4, hidden=(8,), batch_size=64, seed=3, ema_momentum=0.9, patience=1
    ).fit(inter, epochs=4)
    scores = [row["val_ema_rmse"] for row in rec.history]
    assert len(scores) >= 2
    # the kept weights are the best-scoring average, not the last raw iterate
    u, i, r = inter.to_triples()
    order = np.random.default_rng(3).permutation(len(r))
    val = order[: int(round(len(r) * rec.config.validation_fraction))]
    x = rec._inputs(inter.user_demo, u[val], i[val])
    pred = np.asarray(rec.model(x, training=False)).ravel()
    assert float(np.sqrt(np.mean((pred - r[val]) ** 2))) == pytest.approx(
        min(scores), abs=1e-4
    )


def test_ema_disabled_restores_raw_best() -> None:
    ratings, users, movies = _tiny_frames()
    inter = interactions_from_frames(ratings, users, movies)
    rec = NCFRecommender(
        mlp_dim=4, hidden=(8,), batch_size=64, seed=3, ema_momentum=0.0
    ).fit(inter, epochs=2)
    assert all("val_ema_rmse" not in row for row in rec.history)
    assert len(rec.history) == 2
