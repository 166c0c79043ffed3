"""API: submit the survey (202 + where to poll), list and read your own surveys."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.tests.factories import MovieFactory
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)
from recommender.models import RecommendationSet
from recommender.tests.factories import SurveyFactory
from survey.models import Survey, SurveyFavorite

pytestmark = pytest.mark.django_db

SURVEYS = "/api/surveys/"


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


@pytest.fixture
def movie_ids() -> list[int]:
    return [m.pk for m in MovieFactory.create_batch(12)]


def answers(movie_ids: list[int], **overrides) -> dict:
    return {
        "age": 29,
        "gender": "X",
        "occupation": "programmer",
        "region": "KR",
        "platforms": ["netflix", "watcha"],
        "favorite_movie_ids": movie_ids[:10],
        **overrides,
    }


def counts() -> tuple[int, int, int]:
    return (
        Survey.objects.count(),
        SurveyFavorite.objects.count(),
        RecommendationSet.objects.count(),
    )


def test_it_accepts_a_survey_and_says_where_to_poll(owner, movie_ids):
    response = send(token_client(owner), "post", SURVEYS, answers(movie_ids))
    assert response.status_code == 202, response.content
    body = response.json()
    survey = Survey.objects.get(pk=body["id"])
    assert survey.user == owner
    assert body["recommendations_url"].endswith(
        f"/api/surveys/{survey.pk}/recommendations/"
    )
    assert survey.recommendation_sets.get().status == "pending"
    assert [f.movie_id for f in survey.favorites.all()] == movie_ids[:10]


def test_it_accepts_an_everyday_occupation(owner, movie_ids):
    body = answers(movie_ids, occupation="office_worker")
    response = send(token_client(owner), "post", SURVEYS, body)
    assert response.status_code == 202, response.content
    assert Survey.objects.get(pk=response.json()["id"]).occupation == "office_worker"


def test_it_accepts_an_empty_platform_list(owner, movie_ids):
    body = answers(movie_ids, platforms=[])
    assert send(token_client(owner), "post", SURVEYS, body).status_code == 202


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"age": None}, "age"),
        ({"age": "thirty"}, "age"),
        ({"age": 150}, "age"),
        ({"gender": "Q"}, "gender"),
        ({"occupation": "astronaut"}, "occupation"),
        ({"region": "JP"}, "region"),
        ({"platforms": ["hulu"]}, "platforms"),
        ({"platforms": "netflix"}, "platforms"),
        ({"favorite_movie_ids": "1,2,3"}, "favorite_movie_ids"),
        ({"favorite_movie_ids": ["a"] * 10}, "favorite_movie_ids"),
    ],
)
def test_it_rejects_bad_answers_naming_the_field(owner, movie_ids, change, field):
    before = counts()
    body = answers(movie_ids, **change)
    assert_error(send(token_client(owner), "post", SURVEYS, body), 400, field)
    assert counts() == before


def test_it_needs_ten_distinct_known_movies(owner, movie_ids):
    client, before = token_client(owner), counts()
    for ids in (movie_ids[:9], movie_ids[:9] + movie_ids[:1], movie_ids[:9] + [10**9]):
        body = answers(movie_ids, favorite_movie_ids=ids)
        assert_error(send(client, "post", SURVEYS, body), 400, "favorite_movie_ids")
    assert counts() == before


def test_it_names_a_missing_field(owner, movie_ids):
    body = answers(movie_ids)
    del body["favorite_movie_ids"]
    assert_error(
        send(token_client(owner), "post", SURVEYS, body), 400, "favorite_movie_ids"
    )


def test_it_rejects_broken_json(owner):
    before = counts()
    assert_error(send(token_client(owner), "post", SURVEYS, "{'age': 3"), 400)
    assert counts() == before


def test_it_requires_authentication(movie_ids):
    survey = SurveyFactory()
    client = token_client()
    assert_error(client.get(SURVEYS), 401)
    assert_error(send(client, "post", SURVEYS, answers(movie_ids)), 401)
    assert_error(client.get(f"{SURVEYS}{survey.pk}/"), 401)


def test_it_lists_and_shows_only_the_callers_surveys(owner, other_user, movie_ids):
    mine = SurveyFactory(user=owner, favourites=MovieFactory.create_batch(10))
    theirs = SurveyFactory(user=other_user)
    client = token_client(owner)
    listing = client.get(SURVEYS).json()
    assert [s["id"] for s in listing["results"]] == [mine.pk]
    detail = client.get(f"{SURVEYS}{mine.pk}/").json()
    assert detail["gender"] == "F"
    assert len(detail["favorites"]) == 10
    assert_error(client.get(f"{SURVEYS}{theirs.pk}/"), 404)


@pytest.mark.parametrize(("method", "url"), [("put", SURVEYS), ("delete", "{id}")])
def test_it_refuses_wrong_methods(owner, method, url):
    survey = SurveyFactory(user=owner)
    url = url.format(id=f"{SURVEYS}{survey.pk}/")
    assert_error(send(token_client(owner), method, url), 405)


def test_it_stores_an_optional_budget_and_keeps_it_when_omitted(owner, movie_ids):
    client = token_client(owner)
    response = send(client, "post", SURVEYS, answers(movie_ids, monthly_budget=20))
    assert response.status_code == 202, response.content
    owner.profile.refresh_from_db()
    assert owner.profile.monthly_budget == Decimal("20")
    assert send(client, "post", SURVEYS, answers(movie_ids)).status_code == 202
    owner.profile.refresh_from_db()
    assert owner.profile.monthly_budget == Decimal("20")
    body = answers(movie_ids, monthly_budget=None)
    assert send(client, "post", SURVEYS, body).status_code == 202
    owner.profile.refresh_from_db()
    assert owner.profile.monthly_budget is None


def test_it_refuses_a_negative_budget(owner, movie_ids):
    response = send(
        token_client(owner), "post", SURVEYS, answers(movie_ids, monthly_budget=-1)
    )
    assert_error(response, 400, "monthly_budget")
    assert counts() == (0, 0, 0)


def test_it_keeps_a_training_opt_out_when_the_answer_is_omitted(owner, movie_ids):
    client = token_client(owner)
    body = answers(movie_ids, share_for_training=False)
    assert send(client, "post", SURVEYS, body).status_code == 202
    owner.profile.refresh_from_db()
    assert owner.profile.has_training_consent is False
    body = answers(movie_ids[::-1])
    body.pop("share_for_training", None)
    assert send(client, "post", SURVEYS, body).status_code == 202
    owner.profile.refresh_from_db()
    assert owner.profile.has_training_consent is False
    body = answers(movie_ids, share_for_training=True)
    assert send(client, "post", SURVEYS, body).status_code == 202
    owner.profile.refresh_from_db()
    assert owner.profile.has_training_consent is True
