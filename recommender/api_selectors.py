"""Recommendation queries behind the REST API: a set with offers and advice.

Kept apart from recommender/selectors.py only because that module has other owners.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from accounts.models import Profile
from catalog.selectors import AvailabilityOffer, availability_for_movies
from ottsite.lib.errors import NotFound
from recommender.advice import platform_advice_for_set
from recommender.models import RecommendationItem, RecommendationSet
from recommender.selectors import (
    recommendation_set_for_survey,
    recommendation_set_latest,
)


@dataclass(frozen=True)
class RecommendationsPage:
    rec_set: RecommendationSet
    items: list[RecommendationItem]
    availability: dict[int, list[AvailabilityOffer]]
    platform_advice: dict[str, Any] | None


def recommendations_page(*, rec_set: RecommendationSet) -> RecommendationsPage:
    """A set with its items' offers in the survey's region and, when ready, advice."""
    if rec_set.status != RecommendationSet.Status.READY:
        return RecommendationsPage(rec_set, [], {}, None)
    items = list(rec_set.items.all())
    offers = availability_for_movies(
        movie_ids=[i.movie_id for i in items], region=rec_set.survey.region
    )
    budget = (
        Profile.objects.filter(user_id=rec_set.survey.user_id)
        .values_list("monthly_budget", flat=True)
        .first()
    )
    advice = platform_advice_for_set(rec_set=rec_set, budget=budget).as_dict()
    return RecommendationsPage(rec_set, items, offers, advice)


def recommendations_for_survey(
    *, user: AbstractBaseUser, survey_id: int
) -> RecommendationsPage:
    """The newest set of one of the user's surveys; others' surveys are NotFound."""
    rec_set = recommendation_set_for_survey(user=user, survey_id=survey_id)
    return recommendations_page(rec_set=rec_set)


def recommendations_latest(*, user: AbstractBaseUser) -> RecommendationsPage:
    """The user's newest set; NotFound before the first survey."""
    rec_set = recommendation_set_latest(user=user)
    if rec_set is None:
        raise NotFound("No recommendations yet: submit the survey first.")
    return recommendations_page(rec_set=rec_set)
