from __future__ import annotations

import pytest

from catalog.models import Movie
from recommender.building import recommendation_set_build
from recommender.models import RecommendationSet
from recommender.services import (
    dismissal_create,
    rating_create,
    recommendation_set_retry,
    recommendations_refresh,
)
from survey.services import survey_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Submit a survey and run the enqueued build (eagerly) as a commit would."""

    def run(user, favourite_ids):
        with django_capture_on_commit_callbacks(execute=True):
            return survey_submit(
                user=user,
                age=28,
                gender="F",
                occupation="student",
                region="KR",
                platform_slugs=["netflix"],
                favorite_movie_ids=favourite_ids,
            )

    return run


def test_it_builds_twenty_reasoned_items_without_favourites(
    owner, favourite_ids, submit
):
    survey = submit(owner, favourite_ids)
    rec_set = survey.recommendation_sets.get()
    assert rec_set.status == RecommendationSet.Status.READY, rec_set.error
    items = list(rec_set.items.all())
    assert [i.rank for i in items] == list(range(1, 21))
    assert not {i.movie_id for i in items} & set(favourite_ids)
    assert all(i.reason and 1 <= i.predicted_rating <= 5 for i in items)
    assert rec_set.model_version.is_active
    assert rec_set.timings["total_ms"] > 0


def test_it_is_idempotent(owner, favourite_ids, submit):
    rec_set = submit(owner, favourite_ids).recommendation_sets.get()
    before = list(rec_set.items.values_list("movie_id", flat=True))
    again = recommendation_set_build(set_id=rec_set.pk)
    assert again.status == RecommendationSet.Status.READY
    assert list(again.items.values_list("movie_id", flat=True)) == before


def test_it_never_returns_rated_or_dismissed_movies_again(
    owner, favourite_ids, submit, django_capture_on_commit_callbacks
):
    first = submit(owner, favourite_ids).recommendation_sets.get()
    top = list(first.items.values_list("movie_id", flat=True)[:2])
    rating_create(user=owner, movie_id=top[0], rating=5)
    dismissal_create(user=owner, movie_id=top[1])
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = recommendations_refresh(user=owner)
    refreshed.refresh_from_db()
    assert refreshed.pk != first.pk and refreshed.status == "ready"
    assert not set(top) & set(refreshed.items.values_list("movie_id", flat=True))


def test_it_retries_only_failed_sets_of_the_owner(
    owner, other_user, favourite_ids, submit, django_capture_on_commit_callbacks
):
    rec_set = submit(owner, favourite_ids).recommendation_sets.get()
    RecommendationSet.objects.filter(pk=rec_set.pk).update(status="failed", error="x")
    from ottsite.lib.errors import Conflict, NotFound

    with pytest.raises(NotFound):
        recommendation_set_retry(user=other_user, set_id=rec_set.pk)
    with django_capture_on_commit_callbacks(execute=True):
        retried = recommendation_set_retry(user=owner, set_id=rec_set.pk)
    retried.refresh_from_db()
    assert retried.status == "ready"
    with pytest.raises(Conflict):
        recommendation_set_retry(user=owner, set_id=rec_set.pk)


def test_it_wrote_item_embeddings_for_similar_movies(trained_model):
    assert Movie.objects.filter(embedding__isnull=False).count() == 1682
