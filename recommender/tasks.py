"""Celery tasks of the recommender: thin wrappers over services."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from recommender.building import recommendation_set_fail, recommendation_set_release
from recommender.engine import NoActiveModel
from recommender.services import recommendations_build

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="recommender.build", max_retries=3)
def recommendations_build_task(self, set_id: int) -> str:
    """Build a recommendation set; retries transient database errors, else fails it."""
    try:
        return recommendations_build(set_id=set_id).status
    except (DatabaseError, InterfaceError, OSError) as exc:
        if self.request.retries < self.max_retries:
            recommendation_set_release(set_id=set_id)
            raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
        recommendation_set_fail(set_id=set_id, error=f"temporary error: {exc}")
        raise
    except NoActiveModel as exc:
        recommendation_set_fail(set_id=set_id, error=str(exc))
        return "failed"
    except Exception as exc:
        logger.exception("building recommendation set %s failed", set_id)
        recommendation_set_fail(set_id=set_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="recommender.train")
def model_train_task(epochs: int | None = None) -> str:
    """Train and activate a new model version."""
    from recommender.training import model_train

    return model_train(epochs=epochs).version
