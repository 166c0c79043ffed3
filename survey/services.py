"""Submitting a survey: validate, store a new version, request recommendations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MAX_AGE, MIN_AGE, Gender, Profile, Region
from catalog.models import Movie, Platform
from catalog.movielens import OCCUPATION_CHOICES
from ottsite.lib.errors import ValidationFailed
from survey.models import MIN_FAVORITES, Survey, SurveyFavorite

# Identical answers resubmitted within this window return the stored survey.
RESUBMIT_WINDOW = timedelta(minutes=10)


class Unset(Enum):
    """Marks an optional answer that was not asked (keep what the profile has)."""

    TOKEN = 0


UNSET = Unset.TOKEN


def survey_validate(
    *,
    age: Any,
    gender: str,
    occupation: str,
    region: str,
    platform_slugs: Sequence[str],
    favorite_movie_ids: Sequence[Any],
) -> tuple[list[Platform], list[Movie]]:
    """Check every answer; raise ValidationFailed naming each wrong field."""
    errors: dict[str, list[str]] = {}
    if (
        not isinstance(age, int)
        or isinstance(age, bool)
        or not MIN_AGE <= age <= MAX_AGE
    ):
        errors["age"] = [
            _("Age must be a whole number from %(min)d to %(max)d.")
            % {"min": MIN_AGE, "max": MAX_AGE}
        ]
    if gender not in Gender.values:
        errors["gender"] = [_("Choose M, F or X (prefer not to say).")]
    if occupation not in OCCUPATION_CHOICES:
        errors["occupation"] = [_("Choose an occupation from the list.")]
    if region not in Region.values:
        errors["region"] = [_("Choose a supported region.")]
    platforms: list[Platform] = []
    if region in Region.values:
        slugs = list(dict.fromkeys(platform_slugs))
        found = {
            p.slug: p
            for p in Platform.objects.filter(
                region=region, slug__in=slugs, is_active=True
            )
        }
        unknown = [s for s in slugs if s not in found]
        if unknown:
            errors["platforms"] = [
                _("Unknown service(s) in this region: %(slugs)s")
                % {"slugs": ", ".join(map(str, unknown))}
            ]
        platforms = [found[s] for s in slugs if s in found]
    movies = _favorites_validate(favorite_movie_ids, errors)
    if errors:
        raise ValidationFailed(errors)
    return platforms, movies


def _favorites_validate(
    ids: Sequence[Any], errors: dict[str, list[str]]
) -> list[Movie]:
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        errors["favorite_movie_ids"] = [_("Movie ids must be whole numbers.")]
        return []
    if len(set(ids)) != len(ids):
        errors["favorite_movie_ids"] = [_("Each movie can be chosen only once.")]
        return []
    if len(ids) < MIN_FAVORITES:
        errors["favorite_movie_ids"] = [
            _("Choose at least %(n)d different movies (you chose %(got)d).")
            % {"n": MIN_FAVORITES, "got": len(ids)}
        ]
        return []
    found = Movie.objects.exclude(Movie.PLACEHOLDER).in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        errors["favorite_movie_ids"] = [
            _("Unknown movie id(s): %(ids)s") % {"ids": ", ".join(map(str, missing))}
        ]
        return []
    return [found[i] for i in ids]


def survey_submit(
    *,
    user: AbstractBaseUser,
    age: Any,
    gender: str,
    occupation: str,
    region: str,
    platform_slugs: Sequence[str],
    favorite_movie_ids: Sequence[Any],
    share_for_training: bool | Unset = UNSET,
    raw_answers: dict | None = None,
    monthly_budget: Decimal | None | Unset = UNSET,
) -> Survey:
    """Store a new survey version, update the profile and request recommendations."""
    from recommender.services import recommendations_request

    platforms, movies = survey_validate(
        age=age,
        gender=gender,
        occupation=occupation,
        region=region,
        platform_slugs=platform_slugs,
        favorite_movie_ids=favorite_movie_ids,
    )
    with transaction.atomic():
        # Lock the profile row so two submissions cannot take the same version number.
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        # The budget and the training consent are profile settings, not survey
        # answers: a re-post that only changes them still stores them.
        if monthly_budget is not UNSET:
            profile.monthly_budget = monthly_budget
        if share_for_training is not UNSET:
            profile.has_training_consent = bool(share_for_training)
        previous = Survey.objects.filter(user=user).order_by("-version").first()
        if previous is not None and _is_resubmission(
            previous, age, gender, occupation, region, platforms, movies
        ):
            # The same answers again within minutes (a double click, a browser
            # re-posting after an error page): the stored survey already holds them.
            profile.save(update_fields=["monthly_budget", "has_training_consent"])
            return previous
        latest = previous.version if previous is not None else 0
        survey = Survey.objects.create(
            user=user,
            version=latest + 1,
            age=age,
            gender=gender,
            occupation=occupation,
            region=region,
            raw_answers=raw_answers or {},
        )
        survey.platforms.add(*platforms)  # a new survey: nothing to replace
        SurveyFavorite.objects.bulk_create(
            SurveyFavorite(survey=survey, movie=m, position=i)
            for i, m in enumerate(movies)
        )
        profile.age, profile.gender, profile.occupation = age, gender, occupation
        profile.region = region
        profile.save()
        profile.subscriptions.set(platforms)
        recommendations_request(survey=survey)
    return survey


def _is_resubmission(
    previous: Survey,
    age: Any,
    gender: str,
    occupation: str,
    region: str,
    platforms: list[Platform],
    movies: list[Movie],
) -> bool:
    if timezone.now() - previous.created_at > RESUBMIT_WINDOW:
        return False
    same_answers = (previous.age, previous.gender, previous.occupation) == (
        age,
        gender,
        occupation,
    ) and previous.region == region
    if not same_answers:
        return False
    favourites = list(
        previous.favorites.order_by("position").values_list("movie_id", flat=True)
    )
    chosen = {p.pk for p in platforms}
    stored = set(previous.platforms.values_list("pk", flat=True))
    return favourites == [m.pk for m in movies] and stored == chosen
