"""Services that write recommendation sets and the user's feedback."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.alerts import watchlist_alerts_create
from catalog.models import Movie
from catalog.signals import movies_included_offers
from ottsite.lib.errors import Conflict, NotFound, ValidationFailed
from ottsite.lib.generations import user_changed
from recommender.models import (
    Dismissal,
    MovieRating,
    RecommendationSet,
    WatchlistItem,
)
from survey.models import Survey

logger = logging.getLogger(__name__)
ACTIVE = [RecommendationSet.Status.PENDING, RecommendationSet.Status.RUNNING]


def recommendation_set_enqueue(*, set_id: int) -> bool:
    """Publish the set's build task; False (logged) when the broker is unreachable.

    The set is already committed as `pending`, which is the outbox: if this publish
    fails, the watchdog (recommendation_sets_sweep) publishes it once Redis is back.
    """
    from recommender.tasks import recommendations_build_task

    try:
        recommendations_build_task.delay(set_id)
    except Exception:  # kombu/redis raise many types; none may reach the user
        logger.warning(
            "could not enqueue recommendation set %s; the watchdog will", set_id
        )
        return False
    return True


def _enqueue_after_commit(set_id: int) -> None:
    transaction.on_commit(lambda: recommendation_set_enqueue(set_id=set_id))


def recommendations_request(*, survey: Survey) -> RecommendationSet:
    """Create a pending set for the survey and enqueue its build after commit."""
    rec_set = RecommendationSet.objects.create(
        survey=survey, enqueued_at=timezone.now()
    )
    # The user's newest set changed: a cached "latest" payload is now stale.
    user_changed(user_id=survey.user_id, now=True)
    _enqueue_after_commit(rec_set.pk)
    return rec_set


def _busy_set(survey: Survey) -> RecommendationSet | None:
    return survey.recommendation_sets.filter(status__in=ACTIVE).first()


def recommendations_refresh(*, user: AbstractBaseUser) -> RecommendationSet:
    """A new set for the user's latest survey (after feedback, or to retry).

    A set already in flight is returned instead; a stuck one (its lease expired)
    is re-queued so the next claim takes it over.
    """
    survey = Survey.objects.filter(user=user).order_by("-version").first()
    if survey is None:
        raise NotFound(_("Answer the survey first."))
    busy = _busy_set(survey)
    if busy is None:
        try:
            with transaction.atomic():
                return recommendations_request(survey=survey)
        except IntegrityError:
            # A concurrent refresh won the one-active-set-per-survey constraint.
            busy = _busy_set(survey)
            if busy is None:
                raise
    if _is_stuck(busy):
        recommendation_set_enqueue(set_id=busy.pk)
    return busy


def _is_stuck(rec_set: RecommendationSet) -> bool:
    now = timezone.now()
    if rec_set.status == RecommendationSet.Status.RUNNING:
        return rec_set.lease_expires_at is None or rec_set.lease_expires_at < now
    age = timedelta(seconds=settings.RECOMMENDATION_REQUEUE_SECONDS)
    return rec_set.enqueued_at is None or rec_set.enqueued_at < now - age


def recommendation_set_retry(
    *, user: AbstractBaseUser, set_id: int
) -> RecommendationSet:
    """Re-queue a failed set of the user's, or a stuck one whose worker is gone."""
    rec_set = RecommendationSet.objects.filter(pk=set_id, survey__user=user).first()
    if rec_set is None:
        raise NotFound(_("No such recommendations."))
    if rec_set.status in ACTIVE:
        if not _is_stuck(rec_set):
            raise Conflict(_("These recommendations are still being built."))
        recommendation_set_enqueue(set_id=rec_set.pk)
        return rec_set
    if rec_set.status != RecommendationSet.Status.FAILED:
        raise Conflict(_("Only failed recommendations can be retried."))
    try:
        with transaction.atomic():
            updated = RecommendationSet.objects.filter(
                pk=rec_set.pk, status=RecommendationSet.Status.FAILED
            ).update(
                status=RecommendationSet.Status.PENDING,
                error="",
                attempts=0,
                enqueued_at=timezone.now(),
            )
            if updated:
                user_changed(user_id=user.pk, now=True)
                _enqueue_after_commit(rec_set.pk)
    except IntegrityError:
        raise Conflict(
            _("Newer recommendations for this survey are already being built.")
        ) from None
    rec_set.refresh_from_db()
    return rec_set


def recommendation_sets_sweep() -> dict[str, int]:
    """Watchdog: re-queue pending sets never built and running sets whose lease
    expired; the claim fails those already out of attempts."""
    now = timezone.now()
    old = now - timedelta(seconds=settings.RECOMMENDATION_REQUEUE_SECONDS)
    Status = RecommendationSet.Status
    lost = RecommendationSet.objects.filter(status=Status.PENDING).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=old)
    )
    orphaned = RecommendationSet.objects.filter(
        status=Status.RUNNING, lease_expires_at__lt=now
    ).filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - _lease()))
    ids = list(lost.values_list("pk", flat=True)[:500]) + list(
        orphaned.values_list("pk", flat=True)[:500]
    )
    RecommendationSet.objects.filter(pk__in=ids).update(enqueued_at=now)
    published = sum(recommendation_set_enqueue(set_id=i) for i in ids)
    if ids:
        logger.info("watchdog re-queued %d of %d stuck sets", published, len(ids))
    return {"requeued": published, "found": len(ids)}


def _lease() -> timedelta:
    return timedelta(seconds=settings.RECOMMENDATION_LEASE_SECONDS)


def _movie_get(movie_id: object) -> Movie:
    if not isinstance(movie_id, int) or isinstance(movie_id, bool):
        raise ValidationFailed({"movie_id": [_("A movie id must be a whole number.")]})
    movie = Movie.objects.filter(pk=movie_id).first()
    if movie is None:
        raise ValidationFailed(
            {"movie_id": [_("Unknown movie id %(id)s.") % {"id": movie_id}]}
        )
    return movie


def rating_create(
    *, user: AbstractBaseUser, movie_id: int, rating: object
) -> MovieRating:
    """Rate a movie 1-5 (re-rating replaces the old value)."""
    movie = _movie_get(movie_id)
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationFailed(
            {"rating": [_("A rating is a whole number from 1 to 5.")]}
        )
    obj, _created = MovieRating.objects.update_or_create(
        user=user, movie=movie, defaults={"rating": rating}
    )
    user_changed(user_id=user.pk)
    return obj


def dismissal_create(*, user: AbstractBaseUser, movie_id: int) -> Dismissal:
    """Mark a movie 'not interested' so it is never recommended again."""
    movie = _movie_get(movie_id)
    obj, _created = Dismissal.objects.get_or_create(user=user, movie=movie)
    user_changed(user_id=user.pk)
    return obj


def dismissal_delete(*, user: AbstractBaseUser, movie_id: int) -> None:
    """Undo 'not interested': the movie may be recommended again."""
    deleted, _rows = Dismissal.objects.filter(user=user, movie_id=movie_id).delete()
    if not deleted:
        raise NotFound(_("That movie was not marked as not interested."))
    # The cached results fragment and payloads show the card as dismissed.
    user_changed(user_id=user.pk)


def watchlist_add(*, user: AbstractBaseUser, movie_id: int) -> WatchlistItem:
    """Save a movie to the user's watchlist (idempotent)."""
    movie = _movie_get(movie_id)
    obj, _created = WatchlistItem.objects.get_or_create(user=user, movie=movie)
    user_changed(user_id=user.pk)
    return obj


def watchlist_remove(*, user: AbstractBaseUser, movie_id: int) -> None:
    """Remove a movie from the user's watchlist."""
    deleted, _rows = WatchlistItem.objects.filter(user=user, movie_id=movie_id).delete()
    if not deleted:
        raise NotFound(_("That movie is not on your watchlist."))
    user_changed(user_id=user.pk)


def watchlist_alerts_send(
    *, movie_ids: Sequence[int], before: Mapping[int, Mapping[int, str]]
) -> int:
    """Alert the owners of saved titles whose services gained or lost them."""
    watchers: dict[int, list[int]] = defaultdict(list)
    saved = WatchlistItem.objects.filter(movie_id__in=list(movie_ids))
    for movie_id, user_id in saved.values_list("movie_id", "user_id"):
        watchers[movie_id].append(user_id)
    after = movies_included_offers(movie_ids=sorted(watchers))
    created = 0
    # One transaction: the alerts of a change, and their e-mail on its commit.
    with transaction.atomic():
        for movie_id in sorted(watchers):
            was = before.get(movie_id, {})
            if was != after[movie_id]:
                created += len(
                    watchlist_alerts_create(
                        movie_id=movie_id,
                        user_ids=watchers[movie_id],
                        before=was,
                        after=after[movie_id],
                    )
                )
    return created


def recommendations_build(*, set_id: int, owner: str = "") -> RecommendationSet:
    """Matching -> prediction -> ranking for one set; idempotent and claim-safe."""
    from recommender.building import recommendation_set_build

    return recommendation_set_build(set_id=set_id, owner=owner)
