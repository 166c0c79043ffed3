"""EASE, RP3beta, demographic priors and the learned ranker on tiny hand-made data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.ml.artifacts import (
    ServingSettings,
    bundle_from_recommender,
    load_bundle,
    save_bundle,
)
from recommender.ml.data import interactions_from_frames
from recommender.ml.model import NCFRecommender
from recommender.ml.pipeline import SurveyInput, recommend
from recommender.ml.ranker import (
    FEATURES,
    CaseSignals,
    Ranker,
    build_features,
    candidates,
    mask_users,
    per_favourite_cosine,
    rank_within,
    simulate_cases,
    train_ranker,
    z_within,
)
from recommender.ml.signals import demographic_rates, fit_signals, rp3beta_scores
from recommender.tests.test_ml_model import _tiny_frames


def test_ease_weights_hand_computed() -> None:
    # X'X = [[2,1],[1,1]]; +1 on the diagonal; P = 1/5 [[2,-1],[-1,3]];
    # B_01 = -P_01/P_11 = 1/3 and B_10 = -P_10/P_00 = 1/2
    fav = sp.csr_matrix(np.array([[1, 1], [1, 0]], dtype=np.float32))
    model = fit_signals(fav, np.zeros((2, 3), dtype=np.int64), ease_lambda=1.0)
    np.testing.assert_allclose(model.ease_b, [[0, 1 / 3], [1 / 2, 0]], rtol=1e-6)
    np.testing.assert_allclose(model.ease(np.array([0])), [0, 1 / 3], rtol=1e-6)
    np.testing.assert_allclose(model.ease(np.array([0, 1])), [1 / 2, 1 / 3])


def test_edlae_weights_hand_computed() -> None:
    # X'X = [[2,1],[1,1]]; dropout 0.5 adds 0.5/0.5 * diag(X'X) = [2, 1] beside
    # lambda 1: [[5,1],[1,3]]; P = 1/14 [[3,-1],[-1,5]]; B_01 = 1/5, B_10 = 1/3
    fav = sp.csr_matrix(np.array([[1, 1], [1, 0]], dtype=np.float32))
    model = fit_signals(
        fav,
        np.zeros((2, 3), dtype=np.int64),
        ease_lambda=1.0,
        edlae_lambda=1.0,
        edlae_dropout=0.5,
    )
    np.testing.assert_allclose(model.edlae_b, [[0, 1 / 5], [1 / 3, 0]], rtol=1e-6)
    np.testing.assert_allclose(model.edlae(np.array([0, 1])), [1 / 3, 1 / 5], rtol=1e-6)
    restored = type(model).from_arrays(model.to_arrays())
    np.testing.assert_array_equal(restored.edlae_b, model.edlae_b)
    assert (restored.edlae_lambda, restored.edlae_dropout) == (1.0, 0.5)
    assert model.ease_bytes == 2 * (2 * 2 * 4)


def test_ease_on_rated_at_all_hand_computed() -> None:
    # both users rated both items (any value): X'X = [[2,2],[2,2]] + I;
    # P = 1/5 [[3,-2],[-2,3]]; B_01 = B_10 = 2/3. Favourites alone differ.
    fav = sp.csr_matrix(np.array([[1, 1], [1, 0]], dtype=np.float32))
    seen = sp.csr_matrix(np.array([[5, 4], [4, 2]], dtype=np.float32))
    model = fit_signals(
        fav, np.zeros((2, 3), dtype=np.int64), ease_lambda=1.0, seen=seen
    )
    np.testing.assert_allclose(model.ease_seen_b, [[0, 2 / 3], [2 / 3, 0]], rtol=1e-6)
    np.testing.assert_allclose(model.ease_seen(np.array([0])), [0, 2 / 3], rtol=1e-6)
    assert np.isnan(
        fit_signals(fav, np.zeros((2, 3)), ease_lambda=1.0).ease_seen(np.array([0]))
    ).all()


def test_edlae_rejects_a_dropout_of_one() -> None:
    fav = sp.csr_matrix(np.array([[1, 1], [1, 0]], dtype=np.float32))
    with pytest.raises(ValueError, match="dropout"):
        fit_signals(fav, np.zeros((2, 3)), edlae_lambda=1.0, edlae_dropout=1.0)


def test_ease_over_the_most_favourited_items_only() -> None:
    fav = sp.csr_matrix(
        np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]], dtype=np.float32)
    )  # item 2 has the fewest favourites
    model = fit_signals(
        fav, np.zeros((3, 3), dtype=np.int64), ease_lambda=1.0, max_ease_items=2
    )
    assert model.ease_items.tolist() == [0, 1]
    assert model.ease_bytes == 2 * 2 * 4
    scores = model.ease(np.array([0, 2]))  # the uncovered query item is ignored
    assert np.isnan(scores[2]) and scores[1] > 0


def test_rp3beta_hand_computed() -> None:
    # users: u0 {0,1}, u1 {0,2}, u2 {1}; item degrees 2,2,1; user degrees 2,2,1
    fav = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=np.float32))
    # alpha=1: u0 and u1 each get 1/2 * 1/2 = 1/4 -> item0 1/2, item1 1/4, item2 1/4
    np.testing.assert_allclose(
        rp3beta_scores(fav, np.array([0]), alpha=1.0, beta=0.0), [0.5, 0.25, 0.25]
    )
    # beta=1 divides by the item degree
    np.testing.assert_allclose(
        rp3beta_scores(fav, np.array([0]), alpha=1.0, beta=1.0), [0.25, 0.125, 0.25]
    )
    # alpha=0.5: (1/2)^0.5 * (1/2)^0.5 = 1/2 per user
    np.testing.assert_allclose(
        rp3beta_scores(fav, np.array([0]), alpha=0.5, beta=0.0), [1.0, 0.5, 0.5]
    )
    assert rp3beta_scores(fav, np.array([], dtype=np.int64)).tolist() == [0, 0, 0]


def test_demographic_prior_hand_computed() -> None:
    fav = sp.csr_matrix(np.array([[1, 0], [1, 1], [0, 1]], dtype=np.float32))
    demo = np.array([[1, 1, 0], [1, 2, 0], [2, 2, 0]])
    overall, tables = demographic_rates(fav, demo, (3, 3, 2))
    np.testing.assert_allclose(overall, [2 / 3, 2 / 3])
    np.testing.assert_allclose(tables[0][1], [1.0, 0.5])  # age band 1: users 0, 1
    np.testing.assert_allclose(tables[1][2], [0.5, 1.0])  # gender 2: users 1, 2
    model = fit_signals(fav, demo, ease_lambda=1.0, cardinalities=(3, 3, 2))
    prior = model.demo_prior(np.array([1, 0, 0]))  # only the age band is known
    s = 0.01
    np.testing.assert_allclose(
        prior,
        [np.log((1 + s) / (2 / 3 + s)), np.log((0.5 + s) / (2 / 3 + s))],
        rtol=1e-6,
    )
    assert np.isnan(model.demo_prior(np.zeros(3, dtype=np.int64))).all()


def _case() -> CaseSignals:
    n = 4
    values = {
        name: np.zeros(n) for name in FEATURES if not name.endswith(("_rank", "_z"))
    }
    values["seed_score"] = np.array([0.5, -np.inf, 0.9, 0.5])
    values["ease"] = np.array([0.1, 0.2, np.nan, 0.3])
    values["rp3"] = np.array([3.0, 2.0, 1.0, 0.0])
    values["year"] = np.array([1990.0, np.nan, 1995.0, 2000.0])
    return CaseSignals(
        values=values,
        neighbours=np.zeros(0, dtype=np.int64),
        similarity=np.zeros(0),
        neighbour_count=np.zeros(n),
        neighbour_rating=np.zeros(n),
        predicted=np.full(n, 3.0),
        seed_score=values["seed_score"],
    )


def test_rank_within_puts_missing_last_and_breaks_ties_by_position() -> None:
    ranks = rank_within(np.array([0.5, np.nan, 0.9, 0.5]))
    assert ranks.tolist() == [1, 3, 0, 2]


def test_z_within_scales_finite_values_and_keeps_missing() -> None:
    z = z_within(np.array([1.0, 2.0, 3.0, np.nan]))
    np.testing.assert_allclose(z[:3], [-np.sqrt(1.5), 0.0, np.sqrt(1.5)])
    assert np.isnan(z[3])
    assert z_within(np.array([2.0, 2.0])).tolist() == [0.0, 0.0]
    assert np.isnan(z_within(np.array([np.nan]))).all()


def test_per_favourite_cosine_hand_computed() -> None:
    # users: u0 {0,1}, u1 {0,2}, u2 {1,2}, u3 {0,1}; favourites per item 3, 3, 2
    fav = sp.csr_matrix(
        np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 0]], dtype=np.float32)
    )
    by_item = sp.csr_matrix(fav.T)
    norm = np.sqrt([3.0, 3.0, 2.0])
    best, hits = per_favourite_cosine(fav, by_item, norm, np.array([0]), hit=0.5)
    # cos(0,1) = 2/sqrt(9); cos(0,2) = 1/sqrt(6); an item with itself is left out
    np.testing.assert_allclose(best, [0.0, 2 / 3, 1 / np.sqrt(6)])
    assert hits.tolist() == [0.0, 1.0, 0.0]
    best, hits = per_favourite_cosine(fav, by_item, norm, np.array([0, 1]), hit=0.5)
    np.testing.assert_allclose(best, [2 / 3, 2 / 3, 1 / np.sqrt(6)])
    assert hits.tolist() == [0.5, 0.5, 0.0]
    best, hits = per_favourite_cosine(fav, by_item, norm, np.array([], dtype=np.int64))
    assert not best.any() and not hits.any()


def test_build_features_values_and_ranks() -> None:
    x = build_features(_case(), np.array([0, 2, 3]))
    col = {name: x[:, j] for j, name in enumerate(FEATURES)}
    assert x.shape == (3, len(FEATURES))
    np.testing.assert_array_equal(col["seed_score"], [0.5, 0.9, 0.5])
    np.testing.assert_array_equal(col["seed_score_rank"], [1, 0, 2])
    assert np.isnan(col["ease"][1]) and col["ease_rank"].tolist() == [1, 2, 0]
    np.testing.assert_array_equal(col["rp3_rank"], [0, 1, 2])
    np.testing.assert_array_equal(col["year"], [1990, 1995, 2000])
    # scaled within the candidates: ease 0.1, NaN, 0.3 -> -1, NaN, 1
    np.testing.assert_allclose(col["ease_z"], [-1.0, np.nan, 1.0])


def test_candidates_are_each_signals_top_items_minus_exclusions() -> None:
    case = _case()
    for name in ("support", "item_sim"):
        case.values[name] = np.full(4, -np.inf)
    cand = candidates(case, np.array([2]), per_signal=1)
    # seed_score top (item 2) is excluded -> item 0; ease -> 3; rp3 -> 0
    assert cand.tolist() == [0, 3]


def test_simulated_cases_split_favourites_into_given_and_truth() -> None:
    fav = sp.csr_matrix(np.ones((2, 15), dtype=np.float32))
    cases = simulate_cases(fav, np.array([0, 1]), np.random.default_rng(0), n_given=10)
    for case in cases:
        assert len(case.given) == 10 and len(case.truth) == 5
        assert not set(case.given) & set(case.truth)


def test_masked_users_leave_signals_and_matching_pool() -> None:
    ratings, users, movies = _tiny_frames()
    inter = interactions_from_frames(ratings, users, movies)
    masked = mask_users(inter, np.array([0, 3]))
    assert masked.ratings[0].nnz == 0 and masked.ratings[3].nnz == 0
    assert (masked.user_demo[[0, 3]] == 0).all()
    assert masked.ratings[1].nnz == inter.ratings[1].nnz
    assert masked.item_ids is inter.item_ids


@pytest.fixture(scope="module")
def ranked_bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    ratings, users, movies = _tiny_frames()
    movies["year"] = 1990 + np.arange(len(movies)) % 10
    ratings["rating"] = np.where(ratings["rating"] >= 3, 4.0, ratings["rating"])
    inter = interactions_from_frames(ratings, users, movies)
    rec = NCFRecommender(mlp_dim=4, hidden=(8,), batch_size=64, seed=1).fit(
        inter, epochs=1
    )
    trained = train_ranker(
        rec.weights,
        inter,
        serving={"n_neighbours": 5},
        min_favourites=5,
        n_given=3,
        per_signal=10,
        num_boost_round=20,
    )
    path = tmp_path_factory.mktemp("bundle") / "v2"
    save_bundle(
        path,
        rec,
        inter,
        {},
        settings=ServingSettings(method="ranker", n_neighbours=5),
        ranker=trained.ranker,
        signals=trained.signals,
    )
    return rec, inter, trained, path


def test_ranker_is_saved_and_serves_from_the_bundle(ranked_bundle: tuple) -> None:
    rec, inter, trained, path = ranked_bundle
    assert trained.report["n_fit_cases"] > 0
    assert set(trained.report["tuned"]) >= {
        "ease_lambda",
        "edlae_lambda",
        "edlae_dropout",
        "rp3_alpha",
        "rp3_beta",
    }
    # one booster per fold, each early-stopped on the fold it did not train on
    assert len(trained.ranker.model_strings) == trained.report["n_boosters"] == 3
    assert (Path(path) / "ranker.2.txt").exists()
    assert (
        trained.signals.edlae_b is not None and trained.signals.ease_seen_b is not None
    )
    manifest = json.loads((Path(path) / "manifest.json").read_text())
    assert manifest["format"] == 2 and manifest["ranker"]["n_fit_cases"] > 0
    bundle = load_bundle(path)
    assert bundle.has_ranker and bundle.settings.method == "ranker"
    np.testing.assert_array_equal(bundle.interactions.item_years, inter.item_years)
    survey = SurveyInput(favourite_ids=[101, 102, 103], excluded_ids=[104], k=5)
    loaded = recommend(bundle, None, survey)
    direct = recommend(
        bundle_from_recommender(
            rec,
            inter,
            ServingSettings(n_neighbours=5),
            ranker=trained.ranker,
            signals=trained.signals,
        ),
        None,
        SurveyInput(**{**survey.__dict__, "method": "ranker"}),
    )
    assert loaded.method == "ranker"
    ids = [i.item_id for i in loaded.items]
    assert ids == [i.item_id for i in direct.items]
    assert len(ids) == 5 and not set(ids) & {101, 102, 103, 104}
    assert all(i.reason for i in loaded.items)
    assert len(bundle.ranker.model_strings) == 3


def test_the_ranker_scores_with_the_mean_of_its_boosters(ranked_bundle: tuple) -> None:
    import lightgbm

    _, _, trained, _ = ranked_bundle
    x = np.random.default_rng(0).normal(size=(7, len(FEATURES)))
    each = [
        lightgbm.Booster(model_str=text).predict(x)
        for text in trained.ranker.model_strings
    ]
    np.testing.assert_allclose(trained.ranker.score(x), np.mean(each, axis=0))


def test_a_ranker_trained_on_fewer_features_still_scores() -> None:
    # a bundle saved before some features existed: its booster reads its own columns
    import lightgbm

    rng = np.random.default_rng(1)
    names = ["rp3", "ease", "popularity"]
    x_old = rng.normal(size=(60, 3))
    booster = lightgbm.train(
        {"objective": "regression", "verbose": -1, "min_data_in_leaf": 5},
        lightgbm.Dataset(x_old, x_old @ [1.0, 0.5, -0.2], feature_name=names),
        num_boost_round=5,
    )
    old = Ranker(model_strings=[booster.model_to_string()], feature_names=names)
    x = rng.normal(size=(4, len(FEATURES)))
    cols = [FEATURES.index(n) for n in names]
    np.testing.assert_allclose(old.score(x), booster.predict(x[:, cols]))
    unknown = Ranker(model_strings=[booster.model_to_string()], feature_names=["gone"])
    with pytest.raises(ValueError, match="unknown ranker features"):
        unknown.score(x)


def test_a_bundle_without_ranker_falls_back_to_the_seed_path(
    ranked_bundle: tuple, tmp_path: Path
) -> None:
    rec, inter, _, _ = ranked_bundle
    save_bundle(tmp_path / "old", rec, inter, {}, save_keras=False)
    manifest = json.loads((tmp_path / "old" / "manifest.json").read_text())
    manifest["format"] = 1  # a bundle written before the ranker existed
    (tmp_path / "old" / "manifest.json").write_text(json.dumps(manifest))
    bundle = load_bundle(tmp_path / "old")
    assert not bundle.has_ranker
    survey = SurveyInput(favourite_ids=[101, 102, 103], k=5, method="ranker")
    result = recommend(bundle, None, survey)
    assert result.method == "seed" and len(result.items) == 5
