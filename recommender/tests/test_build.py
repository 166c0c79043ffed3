from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Movie
from catalog.tests.factories import MovieFactory, SeriesFactory
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


def test_it_builds_a_ready_set_from_favourites_with_synced_unrated_series(
    owner, owner_client, favourite_ids, submit
):
    # Synced series have no ratings and are unknown to the model's id map: they
    # carry no collaborative signal yet, but a survey may pick them.
    series = SeriesFactory.create_batch(3)
    chosen = favourite_ids[:7] + [s.pk for s in series]
    survey = submit(owner, chosen)
    rec_set = survey.recommendation_sets.get()
    assert rec_set.status == RecommendationSet.Status.READY, rec_set.error
    items = list(rec_set.items.values_list("movie_id", flat=True))
    assert len(items) == 20
    assert not set(items) & set(chosen)
    page = owner_client.get(reverse("recommender:latest"), follow=True)
    assert page.status_code == 200
    assert len(page.context["cards"]) == 20


def test_it_builds_a_ready_set_when_every_favourite_is_a_synced_title(
    owner, owner_client, trained_model, submit
):
    # No favourite is known to the model: the average user's predictions decide.
    titles = SeriesFactory.create_batch(5) + MovieFactory.create_batch(5, synced=True)
    rec_set = submit(owner, [t.pk for t in titles]).recommendation_sets.get()
    assert rec_set.status == RecommendationSet.Status.READY, rec_set.error
    assert rec_set.items.count() == 20
    page = owner_client.get(reverse("recommender:results", args=[rec_set.pk]))
    assert page.status_code == 200 and len(page.context["cards"]) == 20
    api = owner_client.get("/api/recommendations/latest/")
    assert api.status_code == 200 and len(api.json()["items"]) == 20
