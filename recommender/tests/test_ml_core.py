"""Hand-computed checks of matching, ranking, metrics and baselines (no DB)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from recommender.ml import metrics
from recommender.ml.baselines import BiasBaseline, ease_weights, knn_vote_scores
from recommender.ml.data import (
    encode_demographics,
    interactions_from_frames,
)
from recommender.ml.matching import (
    demographic_similarity,
    item_cosine_scores,
    jaccard_top_n,
)
from recommender.ml.ranking import diverse_top_k, explain


def _fav() -> sp.csr_matrix:
    dense = np.array(
        [
            [1, 1, 1, 0, 0],  # user 0: {0, 1, 2}
            [1, 0, 0, 1, 0],  # user 1: {0, 3}
            [0, 0, 0, 0, 1],  # user 2: {4}
        ],
        dtype=np.float32,
    )
    return sp.csr_matrix(dense)


def test_jaccard_values_hand_computed() -> None:
    idx, sim = jaccard_top_n(_fav(), np.array([0, 1]), 3)
    # user0: |{0,1}|/|{0,1,2}| = 2/3; user1: |{0}|/|{0,1,3}| = 1/3; user2: 0 (dropped)
    assert idx.tolist() == [0, 1]
    np.testing.assert_allclose(sim, [2 / 3, 1 / 3])


def test_jaccard_demographic_blend_and_tie_break() -> None:
    user_demo = np.array([[2, 2, 5], [2, 1, 5], [0, 0, 0]])
    query_demo = np.array([2, 1, 5])
    np.testing.assert_allclose(
        demographic_similarity(query_demo, user_demo), [2 / 3, 1.0, 0.0]
    )
    idx, sim = jaccard_top_n(
        _fav(),
        np.array([0, 1]),
        3,
        demo_weight=0.5,
        query_demo=query_demo,
        user_demo=user_demo,
    )
    # 0.5*2/3 + 0.5*2/3 = 2/3 and 0.5*1/3 + 0.5*1 = 2/3: tie -> smaller index first
    assert idx.tolist() == [0, 1]
    np.testing.assert_allclose(sim, [2 / 3, 2 / 3])


def test_unknown_demographics_never_agree() -> None:
    sim = demographic_similarity(np.array([0, 0, 0]), np.array([[0, 0, 0]]))
    assert sim.tolist() == [0.0]
    assert encode_demographics(None, "X", "astronaut").tolist() == [0, 0, 0]
    assert encode_demographics(30, "F", "writer").tolist() == [3, 2, 21]
    assert encode_demographics(17, "m", "administrator").tolist() == [1, 1, 1]


def test_knn_vote_scores() -> None:
    scores = knn_vote_scores(_fav(), np.array([0, 1]), 2)
    # 2/3 * user0 row + 1/3 * user1 row
    np.testing.assert_allclose(scores, [1.0, 2 / 3, 2 / 3, 1 / 3, 0.0])


def _genres() -> np.ndarray:
    return np.array([[1, 0], [1, 0], [0, 1], [1, 0]], dtype=np.float32)


def test_diversity_zero_is_pure_top_k() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    assert diverse_top_k(scores, _genres(), 2, diversity=0.0).tolist() == [0, 1]
    assert diverse_top_k(scores, _genres(), 4, diversity=0.0).tolist() == [0, 1, 2, 3]


def test_diversity_promotes_other_genre() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    # relevance [1, 2/3, 1/3, 0]; after item 0: item1 0.5*2/3-0.5*1 < item2 0.5*1/3
    assert diverse_top_k(scores, _genres(), 2, diversity=0.5).tolist() == [0, 2]


def test_exclusions_and_determinism() -> None:
    rng = np.random.default_rng(3)
    scores = rng.random(50)
    scores[7] = scores[8]  # a tie
    genres = (rng.random((50, 4)) > 0.6).astype(np.float32)
    exclude = np.array([int(np.argmax(scores)), 7, 3])
    for d in (0.0, 0.3, 0.9):
        first = diverse_top_k(scores, genres, 20, diversity=d, exclude=exclude)
        again = diverse_top_k(scores, genres, 20, diversity=d, exclude=exclude)
        assert first.tolist() == again.tolist()
        assert len(first) == 20
        assert not set(first.tolist()) & set(exclude.tolist())
    scores[10] = -np.inf
    assert 10 not in diverse_top_k(scores, genres, 49).tolist()


def test_explain_sentences() -> None:
    ids = np.array([10, 20, 30])
    reason, text = explain(
        1, ids, neighbour_count=6, neighbour_rating=4.57, similar_item=0
    )
    assert reason == {"kind": "neighbours", "count": 6, "rating": 4.6, "here": 0}
    assert text == "6 MovieLens viewers who share your favourites rated it 4.6"
    reason, text = explain(
        1, ids, neighbour_count=3, neighbour_rating=4.0, similar_item=0, product_count=3
    )
    assert reason["here"] == 3
    assert text == "3 people here who also chose your favourites rated it 4.0"
    _, text = explain(
        1, ids, neighbour_count=5, neighbour_rating=4.0, similar_item=0, product_count=2
    )
    assert text == "5 viewers who share your favourites (2 of them here) rated it 4.0"
    reason, text = explain(
        1,
        ids,
        neighbour_count=1,
        neighbour_rating=5.0,
        similar_item=2,
        titles={30: "Heat"},
    )
    assert reason == {"kind": "similar_to", "item_id": 30}
    assert text == "like Heat you chose"


def test_ranking_metrics_hand_computed() -> None:
    ranked = [5, 3, 8, 1]
    relevant = {3, 1, 9}
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg_at_k(ranked, relevant, 4) == pytest.approx(dcg / idcg)
    assert metrics.ndcg_at_k(ranked, relevant, 4) == pytest.approx(0.498190, abs=1e-6)
    assert metrics.recall_at_k(ranked, relevant, 4) == pytest.approx(2 / 3)
    assert metrics.recall_at_k(ranked, relevant, 1) == 0.0
    assert metrics.hit_rate_at_k(ranked, relevant, 1) == 0.0
    assert metrics.hit_rate_at_k(ranked, relevant, 2) == 1.0
    assert metrics.ndcg_at_k(ranked, set(), 4) == 0.0


def test_rating_metrics_and_lists() -> None:
    assert metrics.rmse([1, 2, 3], [2, 2, 5]) == pytest.approx(math.sqrt(5 / 3))
    assert metrics.mae([1, 2, 3], [2, 2, 5]) == pytest.approx(1.0)
    assert metrics.catalogue_coverage([[0, 1], [1, 2]], 10) == pytest.approx(0.3)
    genres = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 1]])
    # pairs: (0,1) 1-1/2, (0,2) 1-0, (1,2) 1-0 -> 2.5/3
    assert metrics.intra_list_diversity([0, 1, 2], genres) == pytest.approx(2.5 / 3)
    assert metrics.intra_list_diversity([0], genres) == 0.0


def test_item_cosine_scores_hand_computed() -> None:
    fav = _fav()  # fans per item: 2, 1, 1, 1, 1
    # query {0}: cos(0, i) = 1/sqrt(2) for items 1, 2, 3; itself left out
    np.testing.assert_allclose(
        item_cosine_scores(fav, np.array([0])), [0, 1, 1, 1, 0], atol=1e-12
    )
    # query {1, 3}: item 0 -> 2/sqrt(2), item 2 -> cos(1, 2) = 1; scaled by sqrt(2)
    np.testing.assert_allclose(
        item_cosine_scores(fav, np.array([1, 3, 99])),
        [1, 0, 1 / math.sqrt(2), 0, 0],
        atol=1e-12,
    )
    np.testing.assert_array_equal(item_cosine_scores(fav, np.array([4])), 0.0)
    np.testing.assert_array_equal(item_cosine_scores(fav, np.array([], int)), 0.0)


def test_ease_tiny() -> None:
    x = sp.csr_matrix(
        np.array([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=np.float32)
    )
    b = ease_weights(x, lam=1.0)
    assert b.shape == (3, 3)
    np.testing.assert_array_equal(np.diag(b), 0.0)
    assert b[0, 1] > 0 and b[1, 0] > 0  # co-occurring items
    assert b[0, 2] < b[1, 2]  # item 0 never co-occurs with 2


def test_bias_baseline_one_iteration() -> None:
    users, items = np.array([0, 0, 1]), np.array([0, 1, 0])
    ratings = np.array([5.0, 3.0, 4.0])
    model = BiasBaseline(reg_user=0.0, reg_item=0.0, n_iter=1).fit(
        users, items, ratings
    )
    # mean 4; b_i = [0.5, -1]; b_u = [0.25, -0.5]
    np.testing.assert_allclose(model.item_bias, [0.5, -1.0])
    np.testing.assert_allclose(model.user_bias, [0.25, -0.5])
    assert model.predict(np.array([0, 5]), np.array([0, 0]))[0] == pytest.approx(4.75)
    assert model.predict(np.array([5]), np.array([9]))[0] == pytest.approx(4.0)


def test_interactions_from_frames() -> None:
    ratings = pd.DataFrame(
        {
            "user_id": [7, 7, 9],
            "movie_id": [100, 200, 100],
            "rating": np.array([5, 3, 4], dtype=np.float32),
            "timestamp": [0, 0, 0],
        }
    )
    users = pd.DataFrame(
        {
            "user_id": [7, 9],
            "age": [30, 60],
            "gender": ["F", "M"],
            "occupation": ["writer", "nobody"],
            "zip_code": ["1", "2"],
        }
    )
    movies = pd.DataFrame(
        {
            "movie_id": [100, 200, 300],
            "title": ["A", "B", "C"],
            "genres": [["Drama"], ["Comedy", "Drama"], []],
        }
    )
    inter = interactions_from_frames(ratings, users, movies)
    assert inter.user_ids.tolist() == [7, 9]
    assert inter.item_ids.tolist() == [100, 200, 300]
    assert inter.ratings.toarray().tolist() == [[5, 3, 0], [4, 0, 0]]
    assert inter.user_demo.tolist() == [[3, 2, 21], [7, 1, 0]]
    assert inter.genre_names == ["Comedy", "Drama"]
    assert inter.item_genres.tolist() == [[0, 1], [1, 1], [0, 0]]
    assert inter.favourites().toarray().tolist() == [[1, 0, 0], [1, 0, 0]]
    assert inter.map_items([300, 999, 100]).tolist() == [2, 0]
    none_demo = interactions_from_frames(ratings, None, None)
    assert none_demo.user_demo.tolist() == [[0, 0, 0], [0, 0, 0]]
    assert none_demo.n_items == 2
