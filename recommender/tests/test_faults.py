"""Faults with real processes: a worker killed mid-build, the database stopped."""

from __future__ import annotations

import os
import signal
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from catalog.models import Movie
from ottsite.lib import embedded
from ottsite.testing import wait_until
from recommender.models import RecommendationSet
from recommender.tasks import recommendations_build_task
from recommender.tests.factories import RecommendationSetFactory, SurveyFactory
from survey.services import survey_submit

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

LEASE = 8


def _status(set_id: int) -> str:
    return RecommendationSet.objects.get(pk=set_id).status


def _dsn() -> str:
    params = connection.get_connection_params()
    return psycopg.conninfo.make_conninfo(
        **{k: v for k, v in params.items() if k in {"dbname", "user", "host", "port"}}
    )


def test_it_finishes_a_set_once_after_its_worker_is_killed_mid_build(
    celery_processes, owner, favourite_ids
):
    env = {
        "RECOMMENDATION_LEASE_SECONDS": str(LEASE),
        "RECOMMENDATION_SWEEP_SECONDS": "1",
        "RECOMMENDATION_REQUEUE_SECONDS": "2",
    }
    first = celery_processes.start(env=env, name="first")
    # Hold the items table so the build blocks after its claim, while `running`.
    blocker = psycopg.connect(_dsn(), autocommit=False)
    blocker.execute(
        "LOCK TABLE recommender_recommendationitem IN ACCESS EXCLUSIVE MODE"
    )
    try:
        survey = survey_submit(
            user=owner,
            age=35,
            gender="M",
            occupation="programmer",
            region="KR",
            platform_slugs=[],
            favorite_movie_ids=favourite_ids,
        )
        set_id = survey.recommendation_sets.get().pk
        wait_until(
            lambda: _status(set_id) == "running" and _lock_waiters(blocker) > 0,
            seconds=120,
            what="the first worker to block mid-build",
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
    assert _status(set_id) == "running"

    killed_at = time.monotonic()
    celery_processes.start(env=env, beat=True, name="second")
    wait_until(
        lambda: _status(set_id) in ("ready", "failed"),
        seconds=LEASE + 90,
        what="the set to finish after the kill",
    )
    rec_set = RecommendationSet.objects.get(pk=set_id)
    assert rec_set.status == "ready", rec_set.error
    assert rec_set.attempts == 2
    assert rec_set.items.count() == 20
    assert sorted(rec_set.items.values_list("rank", flat=True)) == list(range(1, 21))
    assert survey.recommendation_sets.count() == 1
    print(f"finished {time.monotonic() - killed_at:.1f}s after the kill")


def _lock_waiters(blocker: psycopg.Connection) -> int:
    row = blocker.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
    return row[0]


def test_it_builds_a_set_after_the_database_comes_back(
    celery_processes, owner, favourite_ids
):
    env = {"RECOMMENDATION_RETRY_MAX_SECONDS": "2", "RECOMMENDATION_RETRIES": "30"}
    celery_processes.start(env=env, name="worker")
    survey = SurveyFactory(
        user=owner, favourites=list(Movie.objects.filter(pk__in=favourite_ids))
    )
    rec_set = RecommendationSetFactory(survey=survey, status="pending")
    var_dir = settings.VAR_DIR

    connection.close()
    assert embedded.postgres_stop(var_dir)
    try:
        recommendations_build_task.delay(rec_set.pk)
        wait_until(
            lambda: "retry 2" in celery_processes.log("worker"),
            seconds=60,
            what="the worker to retry while the database is down",
        )
    finally:
        embedded.postgres_start(var_dir)
    wait_until(
        lambda: _status(rec_set.pk) in ("ready", "failed"),
        seconds=120,
        what="the set to be built after the database returned",
    )
    rec_set.refresh_from_db()
    assert rec_set.status == "ready", rec_set.error
    assert rec_set.items.count() == 20
