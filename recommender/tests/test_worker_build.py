from __future__ import annotations

import pytest

from experiments.models import Assignment, Experiment
from experiments.services import VariantSpec, experiment_create, experiment_stop
from ottsite.testing import recommendation_set_wait
from recommender.models import RecommendationSet
from survey.services import survey_submit


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_builds_a_survey_set_in_the_real_worker(celery_worker, owner, favourite_ids):
    for running in Experiment.objects.filter(status=Experiment.Status.RUNNING):
        experiment_stop(experiment=running)
    experiment = experiment_create(
        name="worker",
        variants=[VariantSpec("a", 1, {}, is_control=True), VariantSpec("b", 1, {})],
        start=True,
    )
    survey = survey_submit(
        user=owner,
        age=35,
        gender="M",
        occupation="programmer",
        region="KR",
        platform_slugs=[],
        favorite_movie_ids=favourite_ids,
    )
    rec_set = survey.recommendation_sets.get()
    recommendation_set_wait(rec_set, seconds=90)
    assert rec_set.status == RecommendationSet.Status.READY, rec_set.error
    items = list(rec_set.items.all())
    assert len(items) == 20
    assert not {i.movie_id for i in items} & set(favourite_ids)
    assert all(i.reason for i in items)
    # The worker ran ExperimentsConfig.ready(): its build asked for the variant.
    assignment = Assignment.objects.get(experiment=experiment, user=owner)
    assert (rec_set.experiment, rec_set.variant) == (experiment, assignment.variant)
