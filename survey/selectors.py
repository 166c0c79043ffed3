"""Read-only queries over surveys."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from ottsite.lib.errors import NotFound
from survey.models import Survey


def survey_list(*, user: AbstractBaseUser) -> QuerySet[Survey]:
    """The user's surveys, newest first, with platforms and favourites."""
    return Survey.objects.filter(user=user).prefetch_related(
        "platforms", "favorites__movie"
    )


def survey_get(*, user: AbstractBaseUser, survey_id: int) -> Survey:
    """One of the user's surveys; another user's survey is NotFound."""
    survey = survey_list(user=user).filter(pk=survey_id).first()
    if survey is None:
        raise NotFound("No such survey.")
    return survey


def survey_latest(*, user: AbstractBaseUser) -> Survey | None:
    """The user's most recent survey, if any."""
    return survey_list(user=user).first()
