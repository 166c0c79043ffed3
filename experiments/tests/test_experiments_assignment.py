"""Sticky, deterministic assignment and the variant's effect on building a set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from experiments.assignment import (
    bucket_for,
    exposure_record,
    index_for_bucket,
    variant_pick,
)
from experiments.models import Assignment, Experiment
from experiments.services import (
    FOUNDING_NAME,
    VariantSpec,
    experiment_create,
    experiment_stop,
    founding_experiment_ensure,
)
from recommender.building import recommendation_set_build
from recommender.models import RecommendationSet
from recommender.tests.factories import RecommendationSetFactory, SurveyFactory

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def only(db):
    """Stop every running experiment; return a factory for the one under test."""
    for experiment in Experiment.objects.filter(status=Experiment.Status.RUNNING):
        experiment_stop(experiment=experiment)

    def make(*variants: VariantSpec, name: str = "test") -> Experiment:
        return experiment_create(name=name, variants=list(variants), start=True)

    return make


def test_it_gives_the_same_bucket_on_every_call():
    first = [bucket_for(salt="exp", user_id=i) for i in range(100)]
    again = [bucket_for(salt="exp", user_id=i) for i in range(100)]
    assert first == again
    assert all(0 <= b < 1 for b in first)
    assert first != [bucket_for(salt="other", user_id=i) for i in range(100)]


def test_it_gives_the_same_variants_in_another_process():
    ids = list(range(1, 501))
    mine = [
        index_for_bucket([50, 30, 20], bucket_for(salt="x", user_id=i)) for i in ids
    ]
    script = (
        "import django, json, sys; django.setup();"
        "from experiments.assignment import bucket_for, index_for_bucket;"
        "print(json.dumps([index_for_bucket([50, 30, 20],"
        " bucket_for(salt='x', user_id=i)) for i in range(1, 501)]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ottsite.settings"}
    # A fresh interpreter with another hash seed: nothing may depend on hash().
    env["PYTHONHASHSEED"] = "12345"
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == mine


def test_it_honours_the_weights_over_ten_thousand_users():
    weights = [70, 20, 10]
    picks = np.array(
        [
            index_for_bucket(weights, bucket_for(salt="weights", user_id=i))
            for i in range(1, 10_001)
        ]
    )
    shares = np.bincount(picks, minlength=3) / len(picks)
    # 3 standard errors of a share near 0.5 over 10,000 users is 0.015.
    assert np.allclose(shares, [0.7, 0.2, 0.1], atol=0.015), shares


def test_it_splits_the_founding_experiment_about_evenly(db):
    founding = founding_experiment_ensure()
    variants = list(founding.variants.order_by("pk"))
    weights = [v.weight for v in variants]
    names = [
        variants[index_for_bucket(weights, bucket_for(salt=founding.name, user_id=i))]
        for i in range(1, 10_001)
    ]
    share = sum(v.name == "control" for v in names) / len(names)
    assert abs(share - 0.5) < 0.015
    assert variant_pick(experiment=founding, user_id=7) == names[6]


def test_it_records_the_assignment_once_and_keeps_it(only, owner):
    experiment = only(
        VariantSpec("a", 1, {}, is_control=True), VariantSpec("b", 1, {"k": 5})
    )
    first = exposure_record(user=owner)
    # Even if the weights change later, a user never moves.
    experiment.variants.filter(pk=first.variant.pk).update(weight=0)
    again = exposure_record(user=owner)
    assert again.variant == first.variant
    assert Assignment.objects.filter(experiment=experiment, user=owner).count() == 1


def test_it_uses_the_default_configuration_outside_experiments(only, owner):
    exposure = exposure_record(user=owner)
    assert exposure.experiment is None and exposure.variant is None
    assert exposure.config.use_demographics is True
    assert not Assignment.objects.exists()


def test_it_starts_with_the_founding_experiment_running(db):
    # Run the data migration itself (a transactional test's flush may have
    # removed its row); found by name, so renumbering does not break this.
    Experiment.objects.filter(name=FOUNDING_NAME).delete()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    key = next(
        k
        for k in loader.disk_migrations
        if k[0] == "recommender" and k[1].endswith("_experiments")
    )
    (code,) = [
        op.code
        for op in loader.disk_migrations[key].operations
        if isinstance(op, RunPython)
    ]
    # With the models as that migration knew them (in the recommender app then).
    code(loader.project_state(key).apps, None)
    founding = Experiment.objects.get(name=FOUNDING_NAME)
    assert founding.status == Experiment.Status.RUNNING
    assert founding.primary_metric == Experiment.Metric.SATISFACTION
    variants = {v.name: v for v in founding.variants.all()}
    assert variants["control"].is_control
    assert variants["control"].config == {"use_demographics": True}
    assert variants["no-demographics"].config == {"use_demographics": False}
    assert variants["control"].weight == variants["no-demographics"].weight


def _set_for(user, favourite_ids, experiment=None, variant_name=None):
    survey = SurveyFactory(user=user, age=25, gender="M", occupation="student")
    survey.favorites.create(movie_id=favourite_ids[0], position=0)
    for position, movie_id in enumerate(favourite_ids[1:], start=1):
        survey.favorites.create(movie_id=movie_id, position=position)
    if experiment is not None:
        Assignment.objects.create(
            experiment=experiment,
            user=user,
            variant=experiment.variants.get(name=variant_name),
        )
    rec_set = RecommendationSetFactory(survey=survey, status="pending")
    return recommendation_set_build(set_id=rec_set.pk)


def test_it_builds_each_set_with_its_variants_configuration(
    only, owner, other_user, favourite_ids
):
    experiment = only(
        VariantSpec("short", 1, {"k": 5, "use_demographics": False}, is_control=True),
        VariantSpec("long", 1, {"k": 12, "method": "foldin", "diversity": 0.0}),
    )
    short = _set_for(owner, favourite_ids, experiment, "short")
    long = _set_for(other_user, favourite_ids, experiment, "long")
    assert short.status == long.status == RecommendationSet.Status.READY
    assert (short.experiment, short.variant.name) == (experiment, "short")
    assert (long.experiment, long.variant.name) == (experiment, "long")
    assert short.items.count() == 5 and long.items.count() == 12
    # "short" sets no method: the bundle's default (whatever ships), not fold-in.
    assert long.method == "foldin" and short.method != "foldin"


def test_it_builds_without_demographics_in_the_treatment(
    only, owner, other_user, favourite_ids
):
    experiment = only(
        VariantSpec("control", 1, {"use_demographics": True}, is_control=True),
        VariantSpec("treatment", 1, {"use_demographics": False}),
    )
    with_demo = _set_for(owner, favourite_ids, experiment, "control")
    without = _set_for(other_user, favourite_ids, experiment, "treatment")
    scores = [
        list(s.items.values_list("movie_id", "score")) for s in (with_demo, without)
    ]
    # Same favourites and answers: only the demographic term differs.
    assert scores[0] != scores[1]


def test_it_builds_with_the_default_when_no_experiment_runs(only, owner, favourite_ids):
    rec_set = _set_for(owner, favourite_ids)
    assert rec_set.experiment is None and rec_set.variant is None
    assert rec_set.items.count() == 20
