"""The suite's own speed rules: training in tests happens at test size."""

from __future__ import annotations

import os

import pytest

from ottsite.testing import TEST_EPOCHS, TEST_RANKER_USERS
from recommender.ml.artifacts import load_bundle

pytestmark = pytest.mark.django_db

# train_recommender's production default: a fixture trained at it costs minutes.
PRODUCTION_RANKER_USERS = 600


def test_it_trains_the_session_model_at_test_size(trained_model):
    metrics = trained_model.metrics
    assert metrics["epochs_run"] == TEST_EPOCHS
    # model_train simulates two surveys per ranking user.
    assert metrics["ranker"]["n_fit_cases"] == 2 * TEST_RANKER_USERS
    assert metrics["ranker"]["n_fit_cases"] < 2 * PRODUCTION_RANKER_USERS
    assert trained_model.gate_decision == "accepted"


def test_every_training_in_the_tests_uses_the_test_size(settings):
    assert settings.RECOMMENDER_RANKER_USERS == TEST_RANKER_USERS
    # Worker processes the tests start read it from the environment.
    assert os.environ["RECOMMENDER_RANKER_USERS"] == str(TEST_RANKER_USERS)


def test_it_restores_the_same_ids_the_session_model_was_trained_on(trained_model):
    from catalog.models import DatasetUser, Movie, Rating

    bundle = load_bundle(trained_model.path)
    movie_ids = set(Movie.objects.values_list("id", flat=True))
    assert set(bundle.interactions.item_ids.tolist()) <= movie_ids
    user_ids = set(DatasetUser.objects.values_list("id", flat=True))
    dataset_users = {u for u in bundle.interactions.user_ids.tolist() if u > 0}
    assert dataset_users <= user_ids and len(user_ids) == 943
    assert Rating.objects.count() == 100_000
    assert Movie.objects.filter(embedding__isnull=False).count() == 1682
