"""New movies (nobody has rated them) get a place from their genres and year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recommender.ml.artifacts import ServingSettings, bundle_from_recommender
from recommender.ml.content import cold_item_scores, content_scores, year_array
from recommender.ml.data import interactions_from_frames
from recommender.ml.model import NCFRecommender
from recommender.ml.pipeline import SurveyInput, recommend


def test_content_scores_by_hand() -> None:
    genres = np.array([[1, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)
    years = np.array([1990, 1990, np.nan, 2020])
    scores = content_scores(genres, years, np.array([0]))
    # item 1: same genre, same year -> 1 * (0.5 + 0.5 * 1)
    assert scores[1] == 1.0
    # item 2: no shared genre -> 0
    assert scores[2] == 0.0
    # item 3: cosine 1/sqrt(2), 30 years apart -> exp(-2)
    expected = (1 / np.sqrt(2)) * (0.5 + 0.5 * np.exp(-30 / 15))
    assert np.isclose(scores[3], expected)
    assert year_array(np.array([5, 6]), {5: 1999}).tolist()[0] == 1999
    assert np.isnan(year_array(np.array([5, 6]), {5: 1999})[1])


def test_cold_items_land_by_content_relative_to_the_rated_ones() -> None:
    scores = np.array([4.0, 3.0, 2.0, 1.0, -np.inf])
    out = cold_item_scores(scores, np.array([0, 0, 0, 0, 1.0]), np.array([4]), k=4)
    # a perfect match lands just below the (k/2)-th best rated item
    assert out[4] == pytest.approx(3.0) and out[4] < 3.0
    assert out[:4].tolist() == scores[:4].tolist()
    weak = cold_item_scores(scores, np.array([0, 0, 0, 0, 0.8]), np.array([4]), k=4)
    assert weak[4] < 1.0  # 0.2 less content = 1.6 places lower: last
    none = cold_item_scores(scores, np.array([0, 0, 0, 0, 0.0]), np.array([4]), k=4)
    assert none[4] == -np.inf


def test_an_unrated_movie_is_recommended_by_content_and_says_why() -> None:
    rng = np.random.default_rng(1)
    rows = pd.DataFrame(
        [
            (u, int(i), 5.0)
            for u in range(1, 31)
            for i in rng.choice(np.arange(1, 21), size=8, replace=False)
        ],
        columns=["user_id", "movie_id", "rating"],
    )
    movies = pd.DataFrame(
        {
            "movie_id": range(1, 23),
            "title": [f"M{i}" for i in range(1, 23)],
            "year": [1990] * 20 + [1991, 1950],
            # 1..10 horror, 11..20 comedy; 21 (new) horror, 22 (new) comedy
            "genres": [["Horror"]] * 10 + [["Comedy"]] * 10 + [["Horror"], ["Comedy"]],
        }
    )
    inter = interactions_from_frames(rows, None, movies)
    rec = NCFRecommender(mlp_dim=4, hidden=(8,), batch_size=64, seed=1).fit(
        inter, epochs=1
    )
    bundle = bundle_from_recommender(rec, inter, ServingSettings(diversity=0.0))
    result = recommend(bundle, None, SurveyInput(favourite_ids=[1, 2, 3, 4, 5], k=8))
    by_id = {item.item_id: item for item in result.items}
    assert 21 in by_id and 22 not in by_id
    assert by_id[21].reason_data == {"kind": "new"}
    assert by_id[21].rank < 8
