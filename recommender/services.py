"""Services that write recommendation sets and the user's feedback."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Movie
from ottsite.lib.errors import Conflict, NotFound, ValidationFailed
from recommender.models import (
    Dismissal,
    MovieRating,
    RecommendationSet,
    WatchlistItem,
)
from survey.models import Survey


def recommendations_request(*, survey: Survey) -> RecommendationSet:
    """Create a pending set for the survey and enqueue its build after commit."""
    from recommender.tasks import recommendations_build_task

    rec_set = RecommendationSet.objects.create(survey=survey)
    transaction.on_commit(lambda: recommendations_build_task.delay(rec_set.pk))
    return rec_set


def recommendations_refresh(*, user: AbstractBaseUser) -> RecommendationSet:
    """A new set for the user's latest survey (after feedback, or to retry)."""
    survey = Survey.objects.filter(user=user).order_by("-version").first()
    if survey is None:
        raise NotFound(_("Answer the survey first."))
    busy = survey.recommendation_sets.filter(
        status__in=[RecommendationSet.Status.PENDING, RecommendationSet.Status.RUNNING]
    ).first()
    if busy is not None:
        return busy
    with transaction.atomic():
        return recommendations_request(survey=survey)


def recommendation_set_retry(
    *, user: AbstractBaseUser, set_id: int
) -> RecommendationSet:
    """Re-queue a failed set of the user's."""
    rec_set = RecommendationSet.objects.filter(pk=set_id, survey__user=user).first()
    if rec_set is None:
        raise NotFound(_("No such recommendations."))
    if rec_set.status != RecommendationSet.Status.FAILED:
        raise Conflict(_("Only failed recommendations can be retried."))
    from recommender.tasks import recommendations_build_task

    with transaction.atomic():
        updated = RecommendationSet.objects.filter(
            pk=rec_set.pk, status=RecommendationSet.Status.FAILED
        ).update(status=RecommendationSet.Status.PENDING, error="")
        if updated:
            transaction.on_commit(lambda: recommendations_build_task.delay(rec_set.pk))
    rec_set.refresh_from_db()
    return rec_set


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
    return obj


def dismissal_create(*, user: AbstractBaseUser, movie_id: int) -> Dismissal:
    """Mark a movie 'not interested' so it is never recommended again."""
    movie = _movie_get(movie_id)
    obj, _created = Dismissal.objects.get_or_create(user=user, movie=movie)
    return obj


def dismissal_delete(*, user: AbstractBaseUser, movie_id: int) -> None:
    """Undo 'not interested': the movie may be recommended again."""
    deleted, _rows = Dismissal.objects.filter(user=user, movie_id=movie_id).delete()
    if not deleted:
        raise NotFound(_("That movie was not marked as not interested."))


def watchlist_add(*, user: AbstractBaseUser, movie_id: int) -> WatchlistItem:
    """Save a movie to the user's watchlist (idempotent)."""
    movie = _movie_get(movie_id)
    obj, _created = WatchlistItem.objects.get_or_create(user=user, movie=movie)
    return obj


def watchlist_remove(*, user: AbstractBaseUser, movie_id: int) -> None:
    """Remove a movie from the user's watchlist."""
    deleted, _rows = WatchlistItem.objects.filter(user=user, movie_id=movie_id).delete()
    if not deleted:
        raise NotFound(_("That movie is not on your watchlist."))


def recommendations_build(*, set_id: int) -> RecommendationSet:
    """Matching -> prediction -> ranking for one set; idempotent and claim-safe."""
    from recommender.building import recommendation_set_build

    return recommendation_set_build(set_id=set_id)
