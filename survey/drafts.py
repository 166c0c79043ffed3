"""The survey in progress, kept in the session so no answer is lost between steps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from accounts.models import Profile, Region
from catalog.models import Movie
from survey.selectors import survey_latest

SESSION_KEY = "survey_draft"
STEPS = ("about", "services", "movies")


def draft_get(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The answers so far; a new draft starts from the last survey or the profile."""
    draft = request.session.get(SESSION_KEY)
    if not isinstance(draft, dict) or set(draft) != set(STEPS):
        draft = _draft_prefill(request.user)
        request.session[SESSION_KEY] = draft
    return draft


def draft_save(request: HttpRequest, step: str, answers: dict[str, Any]) -> None:
    """Store one step's answers as given, valid or not."""
    draft = draft_get(request)
    draft[step] = answers
    request.session[SESSION_KEY] = draft


def draft_clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def draft_movie_ids(draft: dict[str, dict[str, Any]]) -> list[int]:
    """The chosen movie ids in order, ignoring anything that is not an id."""
    ids: list[int] = []
    for value in draft["movies"].get("movie_ids", []):
        try:
            movie_id = int(value)
        except (TypeError, ValueError):
            continue
        if movie_id not in ids:
            ids.append(movie_id)
    return ids


def draft_movies(ids: list[int]) -> list[Movie]:
    """Movies for the chips, in the order chosen; unknown ids are dropped."""
    found = Movie.objects.exclude(Movie.PLACEHOLDER).in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _draft_prefill(user: AbstractBaseUser) -> dict[str, dict[str, Any]]:
    last = survey_latest(user=user)
    profile = Profile.objects.filter(user=user).first()
    consent = "on" if profile is None or profile.has_training_consent else ""
    if last is not None:
        return {
            "about": {
                "age": str(last.age),
                "gender": last.gender,
                "occupation": last.occupation,
                "region": last.region,
                "share_for_training": consent,
            },
            "services": {
                "platforms": [p.slug for p in last.platforms.all()],
                "monthly_budget": _budget_str(user),
            },
            "movies": {
                "movie_ids": [f.movie_id for f in last.favorites.all()],
            },
        }
    about: dict[str, Any] = {"region": Region.KOREA, "share_for_training": consent}
    services: dict[str, Any] = {"platforms": []}
    if profile is not None:
        about = {
            "age": "" if profile.age is None else str(profile.age),
            "gender": profile.gender,
            "occupation": profile.occupation,
            "region": profile.region or Region.KOREA,
            "share_for_training": consent,
        }
        services = {
            "platforms": [p.slug for p in profile.subscriptions.all()],
            "monthly_budget": _budget_str(user),
        }
    return {"about": about, "services": services, "movies": {"movie_ids": []}}


def _budget_str(user: AbstractBaseUser) -> str:
    budget = (
        Profile.objects.filter(user=user)
        .values_list("monthly_budget", flat=True)
        .first()
    )
    return "" if budget is None else f"{budget.normalize():f}"
