"""Similar titles (issue #25 item 4): built from what the same people liked, written
to pgvector when a version is activated, shown on the movie page."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from catalog.models import SIMILAR_VECTOR_DIM, Movie
from catalog.tests.factories import MovieFactory
from recommender.ml.artifacts import load_interactions
from recommender.ml.similar import like_counts, similar_vectors
from recommender.training import model_version_activate

pytestmark = pytest.mark.django_db


def _movie(source_id: int) -> Movie:
    return Movie.objects.get(source="ml-100k", source_id=source_id)


def _similar_source_ids(client, movie: Movie) -> list[int]:
    page = client.get(reverse("recommender:movie", args=[movie.pk]))
    return [m.source_id for m in page.context["similar"]]


def test_it_lists_star_wars_sequels_as_similar_to_star_wars(anon_client, trained_model):
    # Star Wars (50), The Empire Strikes Back (172), Return of the Jedi (181).
    # The NCF embeddings gave City Slickers II, Soul Food and Friday.
    similar = _similar_source_ids(anon_client, _movie(50))
    assert len(similar) == 10
    assert {172, 181} <= set(similar[:5])
    assert 50 in _similar_source_ids(anon_client, _movie(181))[:5]


def test_it_writes_the_versions_co_liked_vectors_on_activation(trained_model):
    interactions = load_interactions(trained_model.path)
    stale = MovieFactory(similar_vector=[1.0] * SIMILAR_VECTOR_DIM)
    model_version_activate(version=trained_model)
    liked = like_counts(interactions.ratings) > 0
    written = Movie.objects.filter(similar_vector__isnull=False)
    assert written.count() == int(liked.sum())
    stale.refresh_from_db()
    assert stale.similar_vector is None  # another version's space: cleared
    expected = similar_vectors(interactions.ratings)
    index = interactions.item_index[_movie(50).pk]
    np.testing.assert_allclose(
        _movie(50).similar_vector, expected[index], rtol=1e-5, atol=1e-6
    )
