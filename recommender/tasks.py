"""Celery tasks of the recommender: thin wrappers over services."""

from __future__ import annotations

import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError

from recommender.building import (
    FAILED_MESSAGE,
    TIMEOUT_MESSAGE,
    recommendation_set_fail,
)
from recommender.engine import ModelUnavailable, NoActiveModel
from recommender.services import recommendation_sets_sweep, recommendations_build

logger = logging.getLogger(__name__)

TRANSIENT = (DatabaseError, InterfaceError, OSError)


def _backoff(retries: int) -> float:
    """Exponential backoff with jitter, capped (seconds)."""
    cap = settings.RECOMMENDATION_RETRY_MAX_SECONDS
    return min(cap, 2**retries) * random.uniform(0.5, 1.0)  # noqa: S311


def _fail_quietly(set_id: int, error: str) -> None:
    # The database may be the thing that is down; the watchdog fails or re-queues
    # the set once it is back, so a failure to record the failure is only logged.
    try:
        recommendation_set_fail(set_id=set_id, error=error)
    except TRANSIENT:
        logger.exception("could not mark recommendation set %s failed", set_id)


@shared_task(
    bind=True,
    name="recommender.build",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=settings.RECOMMENDATION_BUILD_TIMEOUT,
    time_limit=settings.RECOMMENDATION_BUILD_TIMEOUT + 10,
    max_retries=settings.RECOMMENDATION_RETRIES,
)
def recommendations_build_task(self, set_id: int) -> str:
    """Build a recommendation set; retries transient errors, else fails it."""
    owner = self.request.id or ""
    try:
        return recommendations_build(set_id=set_id, owner=owner).status
    except (NoActiveModel, ModelUnavailable) as exc:
        # Permanent until someone trains or activates a model: fail the set now
        # rather than retry it into "took too long".
        _fail_quietly(set_id, str(exc))
        return "failed"
    except SoftTimeLimitExceeded:
        logger.error("building recommendation set %s timed out", set_id)
        _fail_quietly(set_id, TIMEOUT_MESSAGE)
        return "failed"
    except TRANSIENT as exc:
        # No database call here: the set stays running under this task's lease, and
        # the retry (same task id) takes it back over; publishing needs only Redis.
        if self.request.retries < self.max_retries:
            logger.warning(
                "recommendation set %s: %s; retry %d",
                set_id,
                exc,
                self.request.retries + 1,
            )
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
        logger.exception("recommendation set %s: out of retries", set_id)
        _fail_quietly(set_id, FAILED_MESSAGE)
        return "failed"
    except Exception:
        # The details (paths, queries) go to the log, never to the user.
        logger.exception("building recommendation set %s failed", set_id)
        _fail_quietly(set_id, FAILED_MESSAGE)
        return "failed"


@shared_task(name="recommender.sweep", ignore_result=True)
def recommendation_sets_sweep_task() -> dict[str, int]:
    """Watchdog: re-queue lost or orphaned sets, fail those out of attempts."""
    return recommendation_sets_sweep()


@shared_task(name="recommender.train")
def model_train_task(epochs: int | None = None) -> str:
    """Train and activate a new model version."""
    from recommender.training import model_train

    return model_train(epochs=epochs).version
