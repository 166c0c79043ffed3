"""/api/recommendations/latest/ caches a ready set's payload until something it
shows changes: availability, the user's feedback or profile."""

from __future__ import annotations

import pytest

from catalog.availability import availability_replace
from catalog.models import Availability, Platform
from ottsite.tests.api_support import api_test_settings, send, token_client
from recommender.building import recommendation_set_claim, recommendation_set_fail
from recommender.models import RecommendationSet
from recommender.services import recommendation_set_retry, recommendations_request
from recommender.tests.factories import SurveyFactory, ready_set

pytestmark = pytest.mark.django_db

LATEST = "/api/recommendations/latest/"


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


def _offers(body: dict) -> list[list[str]]:
    return [[o["platform_slug"] for o in i["availability"]] for i in body["items"]]


def test_it_serves_a_ready_set_from_the_cache(owner, django_assert_max_num_queries):
    ready_set(owner, movies=3)
    client = token_client(owner)
    first = client.get(LATEST).json()
    # The token look-up only: the payload and its generations are two cache reads.
    with django_assert_max_num_queries(1):
        again = client.get(LATEST).json()
    assert again == first


def test_it_shows_new_availability_at_once(owner, django_capture_on_commit_callbacks):
    rec_set = ready_set(owner, movies=3)
    client = token_client(owner)
    assert _offers(client.get(LATEST).json()) == [[], [], []]
    netflix = Platform.objects.get(region="KR", slug="netflix")
    with django_capture_on_commit_callbacks(execute=True):
        availability_replace(
            movie_id=rec_set.items.get(rank=2).movie_id,
            source=Availability.Source.TMDB,
            regions=["KR"],
            offers=[(netflix.pk, "subscription", "https://www.netflix.com/t/1")],
        )
    assert _offers(client.get(LATEST).json()) == [[], ["netflix"], []]


def test_it_shows_new_advice_after_feedback(owner, django_capture_on_commit_callbacks):
    rec_set = ready_set(owner, movies=3)
    client = token_client(owner)
    before = client.get(LATEST).json()
    movie_id = rec_set.items.get(rank=1).movie_id
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "post", "/api/watchlist/", {"movie_id": movie_id})
    assert response.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, "post", "/api/dismissals/", {"movie_id": movie_id})
    assert response.status_code == 201
    # Same set, but it was rebuilt from the database (new generation), not cached.
    from ottsite.lib.generations import generations

    assert generations(user_id=owner.pk)[1] == 2
    assert client.get(LATEST).json()["id"] == before["id"]


def test_it_never_caches_a_set_still_in_flight(owner):
    ready_set(owner)
    client = token_client(owner)
    client.get(LATEST)
    # A new set comes from the service, which makes the cached payload stale.
    newest = recommendations_request(survey=SurveyFactory(user=owner))
    body = client.get(LATEST).json()
    assert (body["id"], body["status"]) == (newest.pk, "pending")
    # The worker's claim changes the status and announces it.
    assert recommendation_set_claim(set_id=newest.pk, owner="test-worker")
    body = client.get(LATEST).json()
    assert (body["id"], body["status"]) == (newest.pk, "running")


def test_a_poll_while_building_is_cached_until_the_status_changes(
    owner, django_assert_max_num_queries
):
    survey = SurveyFactory(user=owner)
    rec_set = recommendations_request(survey=survey)
    client = token_client(owner)
    url = f"/api/surveys/{survey.pk}/recommendations/"
    assert client.get(url).json()["status"] == "pending"
    with django_assert_max_num_queries(1):  # the token look-up only
        assert client.get(url).json()["status"] == "pending"
    recommendation_set_fail(set_id=rec_set.pk, error="boom")
    assert client.get(url).json()["status"] == "failed"
    recommendation_set_retry(user=owner, set_id=rec_set.pk)
    assert client.get(url).json()["status"] == "pending"


def test_it_serves_nothing_from_the_cache_while_redis_is_down(owner, monkeypatch):
    from django.core.cache import caches

    ready_set(owner)
    client = token_client(owner)
    client.get(LATEST)
    # While degraded, the per-process fallback cache cannot see other processes'
    # generation bumps: the answer comes from the database.
    monkeypatch.setattr(caches["default"], "is_degraded", True, raising=False)
    newest = RecommendationSet.objects.create(survey=SurveyFactory(user=owner))
    assert client.get(LATEST).json()["id"] == newest.pk


def test_a_surveys_ready_set_is_cached_too_until_a_refresh(
    owner, django_assert_max_num_queries
):
    rec_set = ready_set(owner, movies=3)
    client = token_client(owner)
    url = f"/api/surveys/{rec_set.survey_id}/recommendations/"
    first = client.get(url).json()
    with django_assert_max_num_queries(1):
        assert client.get(url).json() == first
    newest = send(client, "post", "/api/recommendations/refresh/").json()
    body = client.get(url).json()
    assert body["id"] == newest["id"] != first["id"]


def test_another_users_survey_is_404_even_when_cached(owner, other_user):
    rec_set = ready_set(owner, movies=3)
    url = f"/api/surveys/{rec_set.survey_id}/recommendations/"
    assert token_client(owner).get(url).status_code == 200
    assert token_client(other_user).get(url).status_code == 404


def test_an_admin_edit_shows_at_once(
    owner, admin_client, django_capture_on_commit_callbacks
):
    rec_set = ready_set(owner, movies=2)
    netflix = Platform.objects.get(region="KR", slug="netflix")
    offer = Availability.objects.create(
        movie_id=rec_set.items.get(rank=1).movie_id,
        platform=netflix,
        region="KR",
        offer_type="subscription",
        source=Availability.Source.ADMIN,
    )
    client = token_client(owner)
    assert _offers(client.get(LATEST).json()) == [["netflix"], []]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/catalog/availability/{offer.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert _offers(client.get(LATEST).json()) == [[], []]
