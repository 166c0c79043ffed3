"""recommender.variants: the build's question to the experiments app (issue #27)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from recommender import variants
from recommender.ml.pipeline import SurveyInput


@pytest.fixture
def provider_kept():
    kept = variants._provider
    yield
    variants.variant_provider_set(kept)


def test_it_runs_under_no_experiment_without_a_provider(provider_kept):
    variants.variant_provider_set(None)
    arm = variants.variant_for(user=SimpleNamespace(pk=1))
    assert arm == variants.NO_EXPERIMENT
    survey = SurveyInput(favourite_ids=[1, 2])
    assert arm.apply(survey) is survey
    assert (arm.experiment_id, arm.variant_id) == (None, None)


def test_it_asks_the_registered_provider(provider_kept):
    asked = []

    def provider(*, user):
        asked.append(user.pk)
        return variants.BuildVariant(experiment_id=3, variant_id=4)

    variants.variant_provider_set(provider)
    assert variants.variant_for(user=SimpleNamespace(pk=7)).variant_id == 4
    assert asked == [7]
