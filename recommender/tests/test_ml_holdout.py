"""Training rows with origin, the held-out slice, the gate and 'people here' reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recommender.ml.artifacts import ServingSettings, bundle_from_recommender
from recommender.ml.data import interactions_from_frames
from recommender.ml.holdout import (
    DATASET,
    PRIMARY_METRIC,
    PRODUCT,
    evaluate_on_holdout,
    gate_decide,
    holdout_split,
    is_product_user,
    origin_counts,
    product_user_id,
    training_rows,
)
from recommender.ml.model import NCFRecommender
from recommender.ml.pipeline import SurveyInput, recommend


def _rows(users: range, items: range, rating: float = 5.0) -> pd.DataFrame:
    return pd.DataFrame(
        [(u, i, rating) for u in users for i in items],
        columns=["user_id", "movie_id", "rating"],
    )


def test_it_tags_each_row_with_its_origin_and_counts_them() -> None:
    dataset = _rows(range(1, 4), range(10, 12))  # 3 users x 2
    product = _rows(range(-2, 0), range(10, 15))  # 2 users x 5
    rows = training_rows(dataset, product)
    assert list(rows["origin"]) == [DATASET] * 6 + [PRODUCT] * 10
    assert origin_counts(rows) == {
        DATASET: {"users": 3, "ratings": 6},
        PRODUCT: {"users": 2, "ratings": 10},
    }
    assert product_user_id(7) == -7
    assert is_product_user(np.array([3, -7])).tolist() == [False, True]


def test_it_holds_out_the_same_users_and_ratings_every_time() -> None:
    rows = training_rows(_rows(range(1, 201), range(100, 125)), None)
    split = holdout_split(rows)
    again = holdout_split(rows)
    assert sorted(split.cold_users) == sorted(again.cold_users)
    assert 5 <= len(split.cold_users) <= 40  # about 1 in 10 of 200 eligible users
    cold = set(split.cold_users)
    assert not cold & set(split.train["user_id"])
    assert not cold & set(split.rating_test["user_id"])
    keys = lambda f: set(zip(f["user_id"], f["movie_id"], strict=True))  # noqa: E731
    assert not keys(split.train) & keys(split.rating_test)
    total = len(split.train) + len(split.rating_test) + 25 * len(cold)
    assert total == len(rows)
    assert 0.02 < len(split.rating_test) / len(rows) < 0.09  # about 1 in 20


def test_the_gate_rejects_a_worse_candidate_beyond_the_tolerance() -> None:
    active = {PRIMARY_METRIC: 0.30}
    ok, reason = gate_decide({PRIMARY_METRIC: 0.29}, active, tolerance=0.02)
    assert ok and "0.2900" in reason
    ok, reason = gate_decide({PRIMARY_METRIC: 0.27}, active, tolerance=0.02)
    assert not ok
    assert reason == (
        "cold-start NDCG@10 0.2700 is worse than the active version's 0.3000 "
        "by more than the tolerance 0.0200"
    )
    assert gate_decide({PRIMARY_METRIC: 0.01}, None, tolerance=0.02)[0]
    assert not gate_decide({PRIMARY_METRIC: None}, active, tolerance=0.02)[0]


@pytest.fixture(scope="module")
def bundle_with_product_users():
    rng = np.random.default_rng(3)
    dataset = pd.DataFrame(
        [
            (u, int(i), float(rng.integers(1, 6)))
            for u in range(1, 41)
            for i in rng.choice(np.arange(101, 131), size=10, replace=False)
        ],
        columns=["user_id", "movie_id", "rating"],
    ).drop_duplicates(["user_id", "movie_id"])
    # Two people here chose 140..149 (outside every data-set user's films) and 150.
    product = _rows(range(-2, 0), range(140, 151))
    rows = training_rows(dataset, product)
    movies = pd.DataFrame(
        {
            "movie_id": range(101, 151),
            "title": [f"M{i}" for i in range(101, 151)],
            "genres": [["Drama"] if i % 2 else ["Comedy"] for i in range(101, 151)],
        }
    )
    inter = interactions_from_frames(rows, None, movies)
    rec = NCFRecommender(mlp_dim=4, hidden=(8,), batch_size=64, seed=1).fit(
        inter, epochs=1
    )
    return bundle_from_recommender(rec, inter, ServingSettings(n_neighbours=2)), rows


def test_it_matches_people_here_and_says_so(bundle_with_product_users) -> None:
    bundle, _rows_ = bundle_with_product_users
    result = recommend(
        bundle, None, SurveyInput(favourite_ids=list(range(140, 150)), k=1)
    )
    [item] = result.items
    assert item.item_id == 150
    assert item.reason_data == {
        "kind": "neighbours",
        "count": 2,
        "rating": 5.0,
        "here": 2,
    }
    assert item.reason == "2 people here who also chose your favourites rated it 5.0"


def test_it_scores_a_bundle_per_origin(bundle_with_product_users) -> None:
    bundle, rows = bundle_with_product_users
    split = holdout_split(rows, min_favourites=3)
    result = evaluate_on_holdout(bundle, split, None, n_given=2)
    assert result["protocol"] == "holdout-v1"
    by_origin = result["by_origin"]
    assert set(by_origin) == {DATASET, PRODUCT}
    scored = (
        by_origin[DATASET]["cold_start_users"] + by_origin[PRODUCT]["cold_start_users"]
    )
    assert scored == len(split.cold_users) > 0
    assert 0.0 <= result[PRIMARY_METRIC] <= 1.0
    assert result["rmse"] is not None and 0 < result["rmse"] < 4
