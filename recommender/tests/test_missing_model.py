"""A missing or damaged model file fails the set at once with a clear message
(it is not retried as a transient error and shown as 'took too long')."""

from __future__ import annotations

import pytest

from recommender.models import ModelVersion, RecommendationSet
from recommender.tasks import recommendations_build_task
from recommender.tests.factories import RecommendationSetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_it_fails_the_set_at_once_when_the_model_files_are_gone(tmp_path, damage):
    path = tmp_path / "model"
    if damage == "damaged":
        path.mkdir()
        (path / "weights.npz").write_bytes(b"not a zip file")
        (path / "meta.json").write_text("{not json")
    ModelVersion.objects.create(version="broken-1", path=str(path), is_active=True)
    rec_set = RecommendationSetFactory(status=RecommendationSet.Status.PENDING)

    result = recommendations_build_task.apply(args=(rec_set.pk,))

    rec_set.refresh_from_db()
    assert result.get() == "failed" and result.state == "SUCCESS"  # no retry
    assert rec_set.status == RecommendationSet.Status.FAILED
    assert "missing or damaged" in rec_set.error and "broken-1" in rec_set.error
