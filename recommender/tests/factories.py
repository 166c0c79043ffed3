"""factory_boy factories for surveys, recommendation sets and their items."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from catalog.tests.factories import MovieFactory
from recommender.models import RecommendationItem, RecommendationSet
from survey.models import Survey, SurveyFavorite


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    version = factory.Sequence(lambda n: n + 1)
    age = 30
    gender = "F"
    occupation = "engineer"
    region = "KR"

    @factory.post_generation
    def favourites(self, create: bool, extracted: list | None, **kwargs) -> None:
        if create and extracted:
            SurveyFavorite.objects.bulk_create(
                SurveyFavorite(survey=self, movie=m, position=i)
                for i, m in enumerate(extracted)
            )


class RecommendationSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationSet

    survey = factory.SubFactory(SurveyFactory)
    status = RecommendationSet.Status.READY


class RecommendationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationItem

    recommendation_set = factory.SubFactory(RecommendationSetFactory)
    rank = factory.Sequence(lambda n: n + 1)
    movie = factory.SubFactory(MovieFactory)
    score = 0.9
    predicted_rating = 4.2
    reason = "7 users who share your favourites rated it 4.4"
    reason_data = factory.LazyFunction(
        lambda: {"kind": "neighbours", "count": 7, "rating": 4.4}
    )


def ready_set(user, *, movies: int = 3, genres: list[str] | None = None, **kwargs):
    """A ready set of the user's with `movies` items and favourites."""
    favourites = MovieFactory.create_batch(10, genres=genres or ["Drama"])
    survey = SurveyFactory(user=user, favourites=favourites, **kwargs)
    rec_set = RecommendationSetFactory(survey=survey)
    for rank in range(1, movies + 1):
        RecommendationItemFactory(
            recommendation_set=rec_set,
            rank=rank,
            movie=MovieFactory(genres=genres or ["Drama"], year=1980 + rank),
        )
    return rec_set


def pool_entry(
    movie, *, rating: float = 4.0, reason_data: dict | None = None
) -> dict[str, Any]:
    """One entry of RecommendationSet.pool, as the producer writes it."""
    return {
        "movie_id": movie.pk,
        "score": round(rating / 5, 3),
        "predicted_rating": rating,
        "reason_data": reason_data
        if reason_data is not None
        else {"kind": "neighbours", "count": 5, "rating": rating},
    }


def pool_set(user, *, shown: int = 2, pool: list | None = None, **kwargs):
    """A ready set of the user's whose pool is its shown items followed by `pool`
    (movies, or (movie, rating) pairs), best first."""
    rec_set = ready_set(user, movies=shown, **kwargs)
    entries = [
        pool_entry(i.movie, rating=i.predicted_rating, reason_data=i.reason_data)
        for i in rec_set.items.all()
    ]
    for row in pool or []:
        movie, rating = row if isinstance(row, tuple) else (row, 3.5)
        entries.append(pool_entry(movie, rating=rating))
    rec_set.pool = entries
    rec_set.save(update_fields=["pool"])
    return rec_set
