"""API: poll recommendations, refresh them, rate, dismiss and keep a watchlist."""

from __future__ import annotations

import pytest

from catalog.tests.factories import AvailabilityFactory, MovieFactory
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)
from recommender.models import Dismissal, MovieRating, RecommendationSet, WatchlistItem
from recommender.tests.factories import (
    RecommendationSetFactory,
    SurveyFactory,
    ready_set,
)

pytestmark = pytest.mark.django_db

LATEST, REFRESH = "/api/recommendations/latest/", "/api/recommendations/refresh/"
RATINGS, DISMISSALS, WATCHLIST = "/api/ratings/", "/api/dismissals/", "/api/watchlist/"


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


def recs_url(survey_id: int) -> str:
    return f"/api/surveys/{survey_id}/recommendations/"


def feedback_counts() -> tuple[int, int, int]:
    return (
        MovieRating.objects.count(),
        Dismissal.objects.count(),
        WatchlistItem.objects.count(),
    )


def test_it_reports_a_pending_set_without_items(owner):
    rec_set = RecommendationSetFactory(
        survey=SurveyFactory(user=owner), status="pending"
    )
    body = token_client(owner).get(recs_url(rec_set.survey_id)).json()
    assert body["status"] == "pending"
    assert (body["items"], body["platform_advice"]) == ([], None)


def test_it_reports_a_failure_with_its_error(owner):
    rec_set = RecommendationSetFactory(
        survey=SurveyFactory(user=owner), status="failed", error="no model"
    )
    body = token_client(owner).get(recs_url(rec_set.survey_id)).json()
    assert (body["status"], body["error"]) == ("failed", "no model")


def test_it_shows_ready_items_with_offers_and_platform_advice(owner):
    rec_set = ready_set(owner, movies=3)
    first = rec_set.items.get(rank=1)
    AvailabilityFactory(movie=first.movie, link="https://www.netflix.com/title/7")
    AvailabilityFactory(movie=rec_set.items.get(rank=3).movie)
    body = token_client(owner).get(recs_url(rec_set.survey_id)).json()
    assert body["status"] == "ready"
    assert [i["rank"] for i in body["items"]] == [1, 2, 3]
    item = body["items"][0]
    assert item["movie"]["id"] == first.movie_id
    assert item["predicted_rating"] == 4.2
    assert item["reason"].startswith("7 users")
    assert [o["platform_slug"] for o in item["availability"]] == ["netflix"]
    assert body["items"][1]["availability"] == []
    advice = body["platform_advice"]
    assert advice["region"] == "KR"
    assert advice["watchable_now"]["movie_ids"] == []  # not subscribed yet
    assert (advice["known_count"], advice["min_known"]) == (2, 2)
    assert advice["best_addition"]["slug"] == "netflix"


def test_it_hides_other_users_recommendations(owner, other_user):
    theirs = ready_set(other_user)
    assert_error(token_client(owner).get(recs_url(theirs.survey_id)), 404)
    assert_error(token_client(owner).get(LATEST), 404)
    assert_error(token_client().get(recs_url(theirs.survey_id)), 401)
    assert_error(token_client().get(LATEST), 401)


def test_it_returns_the_latest_set(owner):
    ready_set(owner)
    newest = RecommendationSetFactory(
        survey=SurveyFactory(user=owner), status="running"
    )
    body = token_client(owner).get(LATEST).json()
    assert (body["id"], body["status"]) == (newest.pk, "running")


def test_it_refreshes_the_latest_survey(owner):
    assert_error(send(token_client(owner), "post", REFRESH), 404)
    rec_set = ready_set(owner)
    response = send(token_client(owner), "post", REFRESH)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    assert body["recommendations_url"].endswith(recs_url(rec_set.survey_id))
    assert RecommendationSet.objects.filter(survey=rec_set.survey).count() == 2
    assert_error(send(token_client(), "post", REFRESH), 401)


def test_it_records_and_replaces_a_rating(owner):
    movie, client = MovieFactory(), token_client(owner)
    first = send(client, "post", RATINGS, {"movie_id": movie.pk, "rating": 2})
    assert first.status_code == 201
    send(client, "post", RATINGS, {"movie_id": movie.pk, "rating": 5})
    assert MovieRating.objects.get(user=owner, movie=movie).rating == 5


def test_it_dismisses_a_movie_once(owner):
    movie, client = MovieFactory(), token_client(owner)
    for _ in range(2):
        response = send(client, "post", DISMISSALS, {"movie_id": movie.pk})
        assert response.status_code == 201
    assert Dismissal.objects.filter(user=owner).count() == 1


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (RATINGS, {"movie_id": "{movie}", "rating": 6}, "rating"),
        (RATINGS, {"movie_id": "{movie}", "rating": "good"}, "rating"),
        (RATINGS, {"movie_id": "{movie}"}, "rating"),
        (RATINGS, {"movie_id": "{movie}", "rating": "5"}, "rating"),
        (RATINGS, {"movie_id": "{movie}", "rating": 4.0}, "rating"),
        (RATINGS, {"movie_id": 999999, "rating": 3}, "movie_id"),
        (RATINGS, {"movie_id": "abc", "rating": 3}, "movie_id"),
        (DISMISSALS, {}, "movie_id"),
        (DISMISSALS, {"movie_id": 999999}, "movie_id"),
        (WATCHLIST, {"movie_id": [1]}, "movie_id"),
        (WATCHLIST, {"movie_id": 999999}, "movie_id"),
    ],
)
def test_it_rejects_bad_feedback_and_saves_nothing(owner, url, body, field):
    movie = MovieFactory()
    body = {k: movie.pk if v == "{movie}" else v for k, v in body.items()}
    before = feedback_counts()
    assert_error(send(token_client(owner), "post", url, body), 400, field)
    assert feedback_counts() == before


@pytest.mark.parametrize("url", [RATINGS, DISMISSALS, WATCHLIST])
def test_it_rejects_broken_json_and_anonymous_feedback(owner, url):
    movie = MovieFactory()
    assert_error(send(token_client(owner), "post", url, '{"movie_id": '), 400)
    assert_error(send(token_client(), "post", url, {"movie_id": movie.pk}), 401)
    assert feedback_counts() == (0, 0, 0)


def test_it_keeps_a_watchlist_per_user(owner, other_user):
    mine, theirs = MovieFactory(title="Alien"), MovieFactory()
    client = token_client(owner)
    assert send(client, "post", WATCHLIST, {"movie_id": mine.pk}).status_code == 201
    send(token_client(other_user), "post", WATCHLIST, {"movie_id": theirs.pk})
    listing = client.get(WATCHLIST).json()
    assert [i["movie"]["title"] for i in listing["results"]] == ["Alien"]
    assert_error(send(client, "delete", f"{WATCHLIST}{theirs.pk}/"), 404)
    assert WatchlistItem.objects.filter(user=other_user).exists()
    assert send(client, "delete", f"{WATCHLIST}{mine.pk}/").status_code == 204
    assert_error(send(client, "delete", f"{WATCHLIST}{mine.pk}/"), 404)
    assert_error(token_client().get(WATCHLIST), 401)
    assert_error(send(token_client(), "delete", f"{WATCHLIST}{theirs.pk}/"), 401)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", RATINGS),
        ("delete", DISMISSALS),
        ("put", WATCHLIST),
        ("get", f"{WATCHLIST}1/"),
        ("get", REFRESH),
        ("post", LATEST),
        ("post", recs_url(1)),
    ],
)
def test_it_refuses_wrong_methods(owner, method, url):
    assert_error(send(token_client(owner), method, url), 405)
