"""The lease on a running set: takeover, the watchdog, attempts, refresh races."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from recommender.building import STUCK_MESSAGE, recommendation_set_claim
from recommender.models import RecommendationSet
from recommender.services import (
    recommendation_set_retry,
    recommendation_sets_sweep,
    recommendations_refresh,
)
from recommender.tests.factories import RecommendationSetFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _running(owner, *, lease_seconds: int, attempts: int = 1, task: str = "dead"):
    now = timezone.now()
    return RecommendationSetFactory(
        survey=SurveyFactory(user=owner),
        status="running",
        lease_owner=task,
        lease_expires_at=now + timedelta(seconds=lease_seconds),
        attempts=attempts,
        enqueued_at=now - timedelta(hours=1),
    )


def test_it_refuses_a_claim_while_another_task_holds_the_lease(owner):
    rec_set = _running(owner, lease_seconds=60)
    assert not recommendation_set_claim(set_id=rec_set.pk, owner="other")
    assert recommendation_set_claim(set_id=rec_set.pk, owner="dead")  # a redelivery


def test_it_takes_over_a_set_whose_lease_expired(owner):
    rec_set = _running(owner, lease_seconds=-1)
    assert recommendation_set_claim(set_id=rec_set.pk, owner="new")
    rec_set.refresh_from_db()
    assert (rec_set.status, rec_set.lease_owner, rec_set.attempts) == (
        "running",
        "new",
        2,
    )


def test_it_fails_a_set_out_of_attempts_with_a_message(owner, settings):
    settings.RECOMMENDATION_MAX_ATTEMPTS = 2
    rec_set = _running(owner, lease_seconds=-1, attempts=2)
    assert not recommendation_set_claim(set_id=rec_set.pk, owner="new")
    rec_set.refresh_from_db()
    assert (rec_set.status, rec_set.error) == ("failed", STUCK_MESSAGE)


def test_the_watchdog_requeues_orphaned_and_lost_sets_only(owner, celery_processes):
    orphaned = _running(owner, lease_seconds=-1)
    _running(owner, lease_seconds=60)
    lost = RecommendationSetFactory(
        survey=SurveyFactory(user=owner),
        status="pending",
        enqueued_at=timezone.now() - timedelta(hours=1),
    )
    RecommendationSetFactory(
        survey=SurveyFactory(user=owner), status="pending", enqueued_at=timezone.now()
    )
    assert recommendation_sets_sweep() == {"requeued": 2, "found": 2}
    orphaned.refresh_from_db()
    lost.refresh_from_db()
    assert orphaned.enqueued_at > timezone.now() - timedelta(minutes=1)
    assert lost.enqueued_at > timezone.now() - timedelta(minutes=1)
    # Just re-queued: the next sweep leaves them to the queue.
    assert recommendation_sets_sweep() == {"requeued": 0, "found": 0}


def test_retry_requeues_a_stuck_set_and_refuses_a_live_one(owner, celery_processes):
    stuck = _running(owner, lease_seconds=-1)
    assert recommendation_set_retry(user=owner, set_id=stuck.pk).pk == stuck.pk
    live = _running(owner, lease_seconds=60)
    from ottsite.lib.errors import Conflict

    with pytest.raises(Conflict):
        recommendation_set_retry(user=owner, set_id=live.pk)


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_make_one_set(owner, celery_processes):
    survey = SurveyFactory(user=owner)
    RecommendationSetFactory(survey=survey, status="ready")
    barrier = threading.Barrier(10)
    results: list[int] = []
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            barrier.wait(10)
            results.append(recommendations_refresh(user=owner).pk)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    active = RecommendationSet.objects.filter(
        survey=survey, status__in=["pending", "running"]
    )
    assert active.count() == 1
    assert set(results) == {active.get().pk}
