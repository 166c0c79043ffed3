"""Similar titles from co-likes (recommender.ml.similar), on tiny data by hand."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.ml.similar import (
    SIMILAR_VECTOR_DIM,
    item_cosine,
    like_counts,
    nearest,
    similar_vectors,
    top_k,
)

# Users x items. u0 likes 0 and 1, u1 likes 0, u2 likes 1 and 2; 3 is rated, never
# liked (3 stars).
RATINGS = sp.csr_matrix(
    np.array(
        [
            [5.0, 4.0, 0.0, 3.0],
            [4.0, 2.0, 0.0, 3.0],
            [0.0, 5.0, 4.0, 0.0],
        ]
    )
)


def _cos(vectors: np.ndarray, a: int, b: int) -> float:
    return float(vectors[a] @ vectors[b])


def test_it_computes_item_item_cosine_of_likes_by_hand():
    # Columns of likes: 0 = [1, 1, 0], 1 = [1, 0, 1], 2 = [0, 0, 1], 3 = 0.
    cos = item_cosine(RATINGS)
    assert cos[0, 1] == pytest.approx(0.5)  # 1 / (sqrt 2 * sqrt 2)
    assert cos[1, 2] == pytest.approx(1 / np.sqrt(2))
    assert cos[0, 2] == 0.0
    assert cos[3].sum() == 0.0
    np.testing.assert_allclose(item_cosine(RATINGS, np.array([1])), cos[[1]])
    assert like_counts(RATINGS).tolist() == [2, 2, 1, 0]


def test_it_reproduces_the_cosine_when_the_vectors_reach_the_rank():
    vectors = similar_vectors(RATINGS, dim=8)
    assert vectors.shape == (4, 8) and vectors.dtype == np.float32
    assert _cos(vectors, 0, 1) == pytest.approx(0.5, abs=1e-6)
    assert _cos(vectors, 1, 2) == pytest.approx(1 / np.sqrt(2), abs=1e-6)
    assert _cos(vectors, 0, 2) == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-6)
    assert not vectors[3].any()  # nobody liked it: no direction


def test_it_gives_vectors_of_the_stored_size_deterministically():
    rng = np.random.default_rng(3)
    dense = rng.integers(0, 6, size=(60, 200)).astype(float) * (
        rng.random((60, 200)) < 0.3
    )
    dense[:, 7] = 3.0  # rated by all, liked by none
    ratings = sp.csr_matrix(dense)
    first = similar_vectors(ratings)
    assert first.shape == (200, SIMILAR_VECTOR_DIM)
    assert not first[7].any()  # not the SVD's rounding noise scaled to length 1
    np.testing.assert_array_equal(first, similar_vectors(ratings))
    # 60 users: rank <= 60, so at full rank the cosine is exact.
    cos = item_cosine(ratings)
    liked = np.flatnonzero(like_counts(ratings))
    got = first[liked] @ first[liked].T
    np.testing.assert_allclose(got, cos[np.ix_(liked, liked)], atol=1e-5)


def test_it_ranks_films_liked_by_the_same_people_first():
    # Two audiences: users 0-3 like items 0-2, users 4-7 like items 3-5; user 8
    # likes 0 and 3 (one link). Item 6 is popular with everyone but liked alone.
    dense = np.zeros((9, 7))
    dense[:4, :3] = 5
    dense[4:8, 3:6] = 5
    dense[8, [0, 3]] = 5
    dense[:, 6] = 2
    vectors = similar_vectors(sp.csr_matrix(dense), dim=4)
    assert set(nearest(vectors, 0, k=2).tolist()) == {1, 2}
    assert set(nearest(vectors, 4, k=2).tolist()) == {3, 5}
    allowed = np.array([True, False, True, True, True, True, True])
    assert nearest(vectors, 0, k=1, allowed=allowed).tolist() == [2]
    assert nearest(vectors, 6, k=3).tolist() == []  # no vector: no neighbours


def test_it_breaks_ties_by_index():
    scores = np.array([0.5, 0.9, 0.5, 0.1])
    keep = np.array([True, True, True, False])
    assert top_k(scores, keep, 3).tolist() == [1, 0, 2]


def test_it_gives_no_vectors_without_likes():
    ratings = sp.csr_matrix(np.full((2, 3), 2.0))
    assert not similar_vectors(ratings, dim=4).any()
