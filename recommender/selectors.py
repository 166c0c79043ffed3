"""Read-only queries over recommendation sets and feedback."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from ottsite.lib.errors import NotFound
from recommender.models import (
    Dismissal,
    MovieRating,
    RecommendationItem,
    RecommendationSet,
    WatchlistItem,
)


def _sets(user: AbstractBaseUser) -> QuerySet[RecommendationSet]:
    items = RecommendationItem.objects.select_related("movie").prefetch_related(
        "movie__genres"
    )
    return (
        RecommendationSet.objects.filter(survey__user=user)
        .select_related("survey", "model_version")
        .prefetch_related(Prefetch("items", queryset=items))
    )


def recommendation_set_get(*, user: AbstractBaseUser, set_id: int) -> RecommendationSet:
    """One of the user's sets with items and movies; others' sets are NotFound."""
    rec_set = _sets(user).filter(pk=set_id).first()
    if rec_set is None:
        raise NotFound("No such recommendations.")
    return rec_set


def recommendation_set_for_survey(
    *, user: AbstractBaseUser, survey_id: int
) -> RecommendationSet:
    """The newest set of one of the user's surveys."""
    rec_set = _sets(user).filter(survey_id=survey_id).order_by("-created_at").first()
    if rec_set is None:
        raise NotFound("No such survey.")
    return rec_set


def recommendation_set_latest(*, user: AbstractBaseUser) -> RecommendationSet | None:
    """The user's newest set, whatever its status."""
    return _sets(user).order_by("-created_at").first()


def feedback_movie_ids(*, user: AbstractBaseUser) -> dict[str, set[int]]:
    """Movie ids the user rated, dismissed or saved."""
    return {
        "rated": set(
            MovieRating.objects.filter(user=user).values_list("movie_id", flat=True)
        ),
        "dismissed": set(
            Dismissal.objects.filter(user=user).values_list("movie_id", flat=True)
        ),
        "watchlist": set(
            WatchlistItem.objects.filter(user=user).values_list("movie_id", flat=True)
        ),
    }


def user_ratings(*, user: AbstractBaseUser) -> dict[int, int]:
    """The user's own ratings: movie id -> 1..5."""
    return dict(MovieRating.objects.filter(user=user).values_list("movie_id", "rating"))


def watchlist_list(*, user: AbstractBaseUser) -> QuerySet[WatchlistItem]:
    """The user's watchlist, newest first, with movies and genres."""
    return (
        WatchlistItem.objects.filter(user=user)
        .select_related("movie")
        .prefetch_related("movie__genres")
    )
