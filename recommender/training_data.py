"""What the product's own users contribute to training (only those who consented)."""

from __future__ import annotations

import pandas as pd
from django.contrib.auth import get_user_model

from accounts.models import Profile
from recommender.ml.holdout import (
    DISMISSAL_RATING,
    FAVOURITE_RATING,
    product_user_id,
)
from recommender.models import Dismissal, MovieRating
from survey.models import Survey, SurveyFavorite

RATING_COLUMNS = ["user_id", "movie_id", "rating"]
USER_COLUMNS = ["user_id", "age", "gender", "occupation"]


def consenting_user_ids() -> list[int]:
    """Active accounts that allow their answers and ratings to train the model."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__has_training_consent=True)
        .values_list("pk", flat=True)
    )


def product_training_frames() -> dict[str, pd.DataFrame]:
    """Consenting users' rows: latest survey favourites, ratings and dismissals.

    One row per (user, movie): an explicit 1-5 rating wins over a favourite
    (FAVOURITE_RATING), which wins over a dismissal (DISMISSAL_RATING). User ids are
    `product_user_id(account id)`, negative, so they never collide with data-set ids.
    """
    accounts = consenting_user_ids()
    latest = (
        Survey.objects.filter(user_id__in=accounts)
        .order_by("user_id", "-version")
        .distinct("user_id")
        .values_list("pk", flat=True)
    )
    rows: dict[tuple[int, int], float] = {}
    for user, movie in Dismissal.objects.filter(user_id__in=accounts).values_list(
        "user_id", "movie_id"
    ):
        rows[(user, movie)] = DISMISSAL_RATING
    for user, movie in SurveyFavorite.objects.filter(
        survey_id__in=list(latest)
    ).values_list("survey__user_id", "movie_id"):
        rows[(user, movie)] = FAVOURITE_RATING
    for user, movie, rating in MovieRating.objects.filter(
        user_id__in=accounts
    ).values_list("user_id", "movie_id", "rating"):
        rows[(user, movie)] = float(rating)
    ratings = pd.DataFrame(
        [(product_user_id(u), m, r) for (u, m), r in rows.items()],
        columns=RATING_COLUMNS,
    ).astype({"user_id": "int64", "movie_id": "int64", "rating": "float32"})
    profiles = Profile.objects.filter(user_id__in=accounts).values_list(
        "user_id", "age", "gender", "occupation"
    )
    users = pd.DataFrame(
        [
            (product_user_id(u), age, gender if gender in ("M", "F") else "", occ)
            for u, age, gender, occ in profiles
        ],
        columns=USER_COLUMNS,
    )
    return {"ratings": ratings, "users": users}
