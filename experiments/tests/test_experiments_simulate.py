"""simulate_traffic drives synthetic users through the real services."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from catalog.tests.factories import AvailabilityFactory
from experiments.models import Event, Experiment, SyntheticUser
from experiments.services import founding_experiment_ensure
from experiments.simulate import SimulationError, _bump, effect_parse

pytestmark = pytest.mark.django_db


def test_it_parses_effects():
    assert effect_parse("satisfaction=+5%") == ("satisfaction", pytest.approx(0.05))
    assert effect_parse("ctr=-10") == ("ctr", pytest.approx(-0.10))
    for bad in ["nope=+5%", "ctr", "ctr=lots"]:
        with pytest.raises(SimulationError):
            effect_parse(bad)


def test_it_shifts_the_mean_score_by_the_effect():
    import numpy as np

    rng = np.random.default_rng(1)
    p = np.array([0.08, 0.14, 0.33, 0.30, 0.15])
    base = float(np.dot(np.arange(1, 6), p))
    scores = _bump(rng, p, 0.10, size=200_000)
    assert scores.min() >= 1 and scores.max() <= 5
    assert scores.mean() == pytest.approx(base * 1.10, rel=0.005)


def test_it_simulates_marked_users_left_out_of_reports(favourite_ids, capsys):
    founding = founding_experiment_ensure()
    # Offers for the popular movies so that synthetic users can click out.
    from experiments.simulate import _popular_movies

    for movie_id in _popular_movies()[:150]:
        AvailabilityFactory(movie_id=movie_id, link="https://www.netflix.com/t")
    call_command(
        "simulate_traffic",
        "--experiment",
        founding.name,
        "--users",
        "8",
        "--effect",
        "satisfaction=+20%",
        "--seed",
        "3",
    )
    out = capsys.readouterr().out
    assert "8 users, 8 sets ready" in out
    synthetic = SyntheticUser.objects.count()
    assert synthetic == 8
    assert (
        Event.objects.filter(kind="impression", user__synthetic__isnull=False).count()
        == 8
    )
    call_command("experiment_report", founding.name, "--json")
    without = json.loads(capsys.readouterr().out)
    call_command("experiment_report", founding.name, "--json", "--include-simulated")
    with_sim = json.loads(capsys.readouterr().out)
    assert (
        sum(v["exposed_users"] for v in with_sim["variants"])
        - sum(v["exposed_users"] for v in without["variants"])
        == 8
    )


def test_it_refuses_an_experiment_that_is_not_running(db):
    Experiment.objects.create(name="draft one")
    with pytest.raises(CommandError, match="not running"):
        call_command("simulate_traffic", "--experiment", "draft one", "--users", "1")
    with pytest.raises(CommandError, match="No experiment"):
        call_command("simulate_traffic", "--experiment", "nope", "--users", "1")
