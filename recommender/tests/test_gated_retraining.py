"""Gated retraining: a bad candidate is rejected, a good one is served at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ottsite.testing import recommendation_set_wait
from recommender.models import ModelVersion, RecommendationSet
from recommender.training import model_train
from survey.services import survey_submit


def _shuffled_movies(rows: pd.DataFrame) -> pd.DataFrame:
    """Corrupt the training rows: every rating lands on a random movie."""
    rng = np.random.default_rng(0)
    return rows.assign(movie_id=rng.permutation(rows["movie_id"].to_numpy()))


def _build(user, favourite_ids: list[int], *, age: int) -> RecommendationSet:
    # A different age each time: identical answers within minutes are a re-post
    # and return the stored survey (and its set) instead of a new one.
    survey = survey_submit(
        user=user,
        age=age,
        gender="M",
        occupation="programmer",
        region="KR",
        platform_slugs=[],
        favorite_movie_ids=favourite_ids,
    )
    rec_set = survey.recommendation_sets.get()
    recommendation_set_wait(rec_set, seconds=120)
    assert rec_set.status == RecommendationSet.Status.READY, rec_set.error
    return rec_set


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_rejects_a_corrupted_candidate_and_serves_a_good_one_without_restart(
    celery_worker, owner, trained_model, favourite_ids
):
    first = _build(owner, favourite_ids, age=35)
    assert first.model_version_id == trained_model.pk
    assert trained_model.gate_decision == ModelVersion.Gate.ACCEPTED

    bad = model_train(epochs=1, train_rows_transform=_shuffled_movies)
    bad.refresh_from_db()
    assert bad.gate_decision == ModelVersion.Gate.REJECTED and not bad.is_active
    assert "worse than the active version" in bad.gate_reason
    assert ModelVersion.objects.get(is_active=True).pk == trained_model.pk
    assert _build(owner, favourite_ids, age=36).model_version_id == trained_model.pk

    good = model_train(epochs=1)
    good.refresh_from_db()
    assert good.gate_decision == ModelVersion.Gate.ACCEPTED, good.gate_reason
    assert good.is_active
    new_candidate, old = (
        good.metrics["holdout"]["cold_start_ndcg@10"],
        bad.metrics["holdout"]["cold_start_ndcg@10"],
    )
    assert new_candidate > old
    # The same worker process (never restarted) builds with the new version.
    assert celery_worker.poll() is None
    assert _build(owner, favourite_ids, age=37).model_version_id == good.pk
    assert celery_worker.poll() is None
