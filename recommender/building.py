"""Building one recommendation set: claim it, run recommender.ml, store the items."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from catalog.lookup import availability_lookups_request
from catalog.models import Movie
from ottsite.lib.generations import user_changed
from recommender.engine import active_model_version, bundle_for
from recommender.ml.pipeline import SurveyInput, recommend
from recommender.models import (
    RecommendationItem,
    RecommendationSet,
)
from recommender.selectors import dismissed_movie_ids, user_ratings
from recommender.variants import variant_for

Status = RecommendationSet.Status
# Stored in English and translated when shown (the page calls gettext on it).
STUCK_MESSAGE = gettext_noop(
    "Building your recommendations took too long. Please try again."
)
TIMEOUT_MESSAGE = STUCK_MESSAGE
FAILED_MESSAGE = gettext_noop(
    "Something went wrong while building your recommendations. Please try again."
)


def _takeable(owner: str) -> Q:
    # Pending, or running under an expired lease (its worker is gone), or running
    # under this very task (a retry or redelivery of the message that claimed it).
    now = timezone.now()
    return Q(status=Status.PENDING) | Q(status=Status.RUNNING) & (
        Q(lease_expires_at__isnull=True)
        | Q(lease_expires_at__lt=now)
        | Q(lease_owner=owner)
    )


def _status_changed(set_id: int, user_id: int | None = None) -> None:
    """A set's status changed: its user's cached payloads (and polls) are stale."""
    if user_id is None:
        user_id = (
            RecommendationSet.objects.filter(pk=set_id)
            .values_list("survey__user_id", flat=True)
            .first()
        )
    if user_id is not None:
        user_changed(user_id=user_id, now=True)


def recommendation_set_claim(
    *, set_id: int, owner: str = "", user_id: int | None = None
) -> bool:
    """Take the set for this task under a lease; False if someone else holds it.

    `user_id` is the set's owner when the caller already knows it (saves a query).
    """
    # A conditional UPDATE is the claim: two workers cannot both take it.
    now = timezone.now()
    lease = timedelta(seconds=settings.RECOMMENDATION_LEASE_SECONDS)
    claimed = (
        RecommendationSet.objects.filter(_takeable(owner), pk=set_id)
        .filter(attempts__lt=settings.RECOMMENDATION_MAX_ATTEMPTS)
        .update(
            status=Status.RUNNING,
            started_at=now,
            lease_owner=owner[:64],
            lease_expires_at=now + lease,
            attempts=F("attempts") + 1,
        )
    )
    if claimed:
        _status_changed(set_id, user_id)
        return True
    # Out of attempts (each one died or timed out): fail it for good.
    _fail_matching(
        RecommendationSet.objects.filter(_takeable(owner), pk=set_id).filter(
            attempts__gte=settings.RECOMMENDATION_MAX_ATTEMPTS
        ),
        set_id=set_id,
        error=STUCK_MESSAGE,
    )
    return False


def _fail_matching(sets: QuerySet, *, set_id: int, error: str) -> None:
    # The one way a set is marked failed: a message for the page, no lease.
    updated = sets.update(
        status=Status.FAILED,
        error=error[:2000],
        finished_at=timezone.now(),
        lease_expires_at=None,
    )
    if updated:
        _status_changed(set_id)


def recommendation_set_fail(*, set_id: int, error: str) -> None:
    """Record a failure so the page shows a message and a retry button."""
    _fail_matching(
        RecommendationSet.objects.filter(pk=set_id).exclude(status=Status.READY),
        set_id=set_id,
        error=error,
    )


def survey_input_for(rec_set: RecommendationSet, k: int) -> SurveyInput:
    """The ML input for a set: the survey plus the user's feedback so far."""
    survey = rec_set.survey
    favourites = list(
        survey.favorites.order_by("position").values_list("movie_id", flat=True)
    )
    rated = user_ratings(user=survey.user)
    dismissed = sorted(dismissed_movie_ids(user=survey.user))
    placeholders = list(
        Movie.objects.filter(Movie.PLACEHOLDER).values_list("pk", flat=True)
    )
    return SurveyInput(
        favourite_ids=favourites,
        rated={int(m): float(r) for m, r in rated.items()},
        excluded_ids=dismissed + placeholders,
        age=survey.age,
        gender=survey.gender,
        occupation=survey.occupation,
        k=k,
        method=rec_set.method or None,
        pool_size=settings.RECOMMENDATION_POOL_SIZE,
    )


def recommendation_set_build(*, set_id: int, owner: str = "") -> RecommendationSet:
    """Claim the set, compute its items and mark it ready (re-running is a no-op)."""
    # Read first (survey and user do not change), so the claim knows whose it is.
    rec_set = RecommendationSet.objects.select_related("survey__user").get(pk=set_id)
    if not recommendation_set_claim(
        set_id=set_id, owner=owner, user_id=rec_set.survey.user_id
    ):
        rec_set.refresh_from_db()
        return rec_set
    started = time.perf_counter()
    version = active_model_version()
    bundle = bundle_for(version)
    load_ms = (time.perf_counter() - started) * 1e3
    arm = variant_for(user=rec_set.survey.user)
    survey = survey_input_for(rec_set, settings.RECOMMENDATIONS_K)
    result = recommend(bundle, None, arm.apply(survey))
    with transaction.atomic():
        # Only the lease holder writes: a worker that outlived its lease (and was
        # taken over) must not store a second copy of the items. The conditional
        # UPDATE is the check and takes the row's lock until the items are in.
        held = RecommendationSet.objects.filter(
            pk=set_id, status=Status.RUNNING, lease_owner=owner[:64]
        ).update(
            status=Status.READY,
            method=result.method,
            model_version=version,
            experiment_id=arm.experiment_id,
            variant_id=arm.variant_id,
            timings={**result.timings, "model_load_ms": load_ms},
            pool=[
                {
                    "movie_id": item.item_id,
                    "score": item.score,
                    "predicted_rating": item.predicted_rating,
                    "reason_data": item.reason_data,
                }
                for item in result.pool
            ],
            finished_at=timezone.now(),
            error="",
            lease_expires_at=None,
        )
        if not held:
            rec_set.refresh_from_db()
            return rec_set
        RecommendationItem.objects.filter(recommendation_set_id=set_id).delete()
        RecommendationItem.objects.bulk_create(
            RecommendationItem(
                recommendation_set=rec_set,
                rank=item.rank,
                movie_id=item.item_id,
                score=item.score,
                predicted_rating=item.predicted_rating,
                reason=item.reason[:300],
                reason_data=item.reason_data,
            )
            for item in result.items
        )
        user_changed(user_id=rec_set.survey.user_id, now=True)
        # Look up where the items stream in the user's region, once the set is
        # saved: the shown ones first, then the longer list the advice counts over.
        shown = [item.item_id for item in result.items]
        longer = [i.item_id for i in result.pool if i.item_id not in shown]
        availability_lookups_request(
            movie_ids=[*shown, *longer[: settings.AVAILABILITY_POOL_LOOKUPS]],
            region=rec_set.survey.region,
        )
    rec_set.refresh_from_db()
    return rec_set
