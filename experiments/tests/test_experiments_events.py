"""Events from the page and the API land once, with the set's variant; the
click-out redirect and the satisfaction question refuse strangers and bad input."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from catalog.models import Platform
from catalog.tests.factories import AvailabilityFactory
from experiments.models import Event
from experiments.services import founding_experiment_ensure
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db

Kind = Event.Kind


@pytest.fixture
def rec_set(owner):
    """A ready set of the owner's built under the founding experiment's treatment."""
    experiment = founding_experiment_ensure()
    variant = experiment.variants.get(name="no-demographics")
    rec_set = ready_set(owner, movies=3)
    rec_set.experiment, rec_set.variant = experiment, variant
    rec_set.save()
    rec_set.survey.platforms.add(Platform.objects.get(region="KR", slug="netflix"))
    movie = rec_set.items.get(rank=1).movie
    AvailabilityFactory(movie=movie, link="https://www.netflix.com/title/70001")
    AvailabilityFactory(
        movie=movie,
        platform=Platform.objects.get(region="KR", slug="watcha"),
        link="javascript:alert(1)",
    )
    return rec_set


@pytest.fixture
def api(settings):
    api_test_settings(settings)


def _clickout_url(rec_set, slug="netflix", movie=None):
    movie_id = movie if movie is not None else rec_set.items.get(rank=1).movie_id
    return f"/recommendations/{rec_set.pk}/out/{movie_id}/{slug}/"


def _events(kind):
    return list(Event.objects.filter(kind=kind))


# Impressions


def test_it_records_one_page_impression_with_the_variant(owner_client, rec_set):
    for url in ["/recommendations/", f"/recommendations/{rec_set.pk}/results/"]:
        assert owner_client.get(url).status_code == 200
    (event,) = _events(Kind.IMPRESSION)
    assert event.surface == "page" and event.recommendation_set == rec_set
    assert event.variant == rec_set.variant and event.experiment == rec_set.experiment
    items = list(rec_set.items.values_list("movie_id", "rank"))
    assert event.data["items"] == [list(row) for row in items]


def test_it_records_one_api_impression_beside_the_page_one(
    api, owner, owner_client, rec_set
):
    owner_client.get("/recommendations/")
    client = token_client(owner)
    for _ in range(2):
        assert client.get("/api/recommendations/latest/").status_code == 200
    surfaces = sorted(e.surface for e in _events(Kind.IMPRESSION))
    assert surfaces == ["api", "page"]


def test_it_records_no_impression_before_the_set_is_ready(owner_client, rec_set):
    rec_set.status = "running"
    rec_set.save()
    owner_client.get("/recommendations/")
    assert not _events(Kind.IMPRESSION)


# Click-out redirect


def test_it_links_cards_through_the_click_out_redirect(owner_client, rec_set):
    page = owner_client.get("/recommendations/").content.decode()
    assert f'href="{_clickout_url(rec_set)}"' in page


def test_it_records_the_click_and_redirects_to_the_offer(owner_client, rec_set):
    response = owner_client.get(_clickout_url(rec_set))
    assert response.status_code == 302
    assert response["Location"] == "https://www.netflix.com/title/70001"
    (event,) = _events(Kind.CLICK_OUT)
    assert event.platform_slug == "netflix" and event.data["is_subscribed"] is True
    assert event.variant == rec_set.variant and event.surface == "page"


def test_it_never_redirects_to_a_link_that_is_not_a_web_url(owner_client, rec_set):
    movie = rec_set.items.get(rank=1).movie
    response = owner_client.get(_clickout_url(rec_set, "watcha"))
    assert response.status_code == 302
    title = quote(movie.display_title.split(" (")[0], safe="")
    assert response["Location"] == f"https://watcha.com/search?query={title}"
    (event,) = _events(Kind.CLICK_OUT)
    assert event.data["is_subscribed"] is False


def test_it_sends_a_badge_without_an_offer_link_to_the_services_search(
    owner_client, rec_set
):
    # A snapshot knows the service carries the title but has no page for it: the
    # service's search for the title, not its home page where the user starts over.
    movie = rec_set.items.get(rank=2).movie
    movie.title_ko = "두 번째 영화"
    movie.save()
    AvailabilityFactory(movie=movie, link="", source="snapshot")
    response = owner_client.get(_clickout_url(rec_set, movie=movie.pk))
    assert response.status_code == 302
    assert response["Location"] == (
        "https://www.netflix.com/search?q=%EB%91%90%20%EB%B2%88%EC%A7%B8%20%EC%98%81%ED%99%94"
    )
    # A service without a search template: its home page, as before.
    Platform.objects.filter(region="KR", slug="netflix").update(search_url="")
    response = owner_client.get(_clickout_url(rec_set, movie=movie.pk))
    assert response["Location"] == "https://www.netflix.com/kr/"


def test_it_sends_anonymous_clicks_to_log_in(anon_client, rec_set):
    response = anon_client.get(_clickout_url(rec_set))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not _events(Kind.CLICK_OUT)


def test_it_refuses_a_click_on_another_users_set(client, other_user, rec_set):
    client.force_login(other_user)
    assert client.get(_clickout_url(rec_set)).status_code == 404
    assert not _events(Kind.CLICK_OUT)


@pytest.mark.parametrize("slug", ["tving", "no-such-service"])
def test_it_refuses_a_service_that_does_not_offer_the_movie(
    owner_client, rec_set, slug
):
    assert owner_client.get(_clickout_url(rec_set, slug)).status_code == 404


def test_it_refuses_a_movie_that_is_not_in_the_set(owner_client, rec_set):
    assert owner_client.get(_clickout_url(rec_set, movie=999999)).status_code == 404


def test_it_refuses_posting_a_click(owner_client, rec_set):
    assert owner_client.post(_clickout_url(rec_set)).status_code == 405


# Satisfaction on the page


def test_it_asks_how_good_the_list_is(owner_client, rec_set):
    page = owner_client.get("/recommendations/", HTTP_ACCEPT_LANGUAGE="en")
    assert "How good is this list for you?" in page.content.decode()
    assert f'action="/recommendations/{rec_set.pk}/satisfaction/"' in page.text


def test_it_records_satisfaction_once_and_lets_it_change(owner_client, rec_set):
    url = f"/recommendations/{rec_set.pk}/satisfaction/"
    response = owner_client.post(url, {"score": "4"})
    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/{rec_set.pk}/"
    owner_client.post(url, {"score": "2"})
    (event,) = _events(Kind.SATISFACTION)
    assert event.value == 2 and event.variant == rec_set.variant
    page = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert 'value="2" checked' in page


@pytest.mark.parametrize("data", [{}, {"score": "9"}, {"score": "x"}, {"score": ""}])
def test_it_refuses_a_malformed_score(owner_client, rec_set, data):
    url = f"/recommendations/{rec_set.pk}/satisfaction/"
    assert owner_client.post(url, data).status_code == 400
    assert not _events(Kind.SATISFACTION)


def test_it_refuses_satisfaction_from_strangers(
    client, anon_client, other_user, rec_set
):
    url = f"/recommendations/{rec_set.pk}/satisfaction/"
    response = anon_client.post(url, {"score": "5"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(other_user)
    assert client.post(url, {"score": "5"}).status_code == 404
    assert client.get(url).status_code == 405
    assert not _events(Kind.SATISFACTION)


# Feedback events from the page


def test_it_records_feedback_with_the_sets_variant(owner_client, rec_set):
    first, second, third = rec_set.items.values_list("movie_id", flat=True)
    owner_client.post(f"/movies/{first}/rate/", {"rating": "5"})
    owner_client.post(f"/movies/{second}/dismiss/")
    owner_client.post(f"/movies/{third}/save/")
    owner_client.get(f"/movies/{third}/")
    events = {e.kind: e for e in Event.objects.exclude(kind=Kind.IMPRESSION)}
    assert set(events) == {
        Kind.RATING,
        Kind.DISMISSAL,
        Kind.WATCHLIST_ADD,
        Kind.DETAIL_VIEW,
    }
    assert events[Kind.RATING].value == 5 and events[Kind.RATING].movie_id == first
    assert {e.variant for e in events.values()} == {rec_set.variant}


def test_it_records_no_feedback_event_for_a_refused_rating(owner_client, rec_set):
    movie_id = rec_set.items.get(rank=1).movie_id
    owner_client.post(f"/movies/{movie_id}/rate/", {"rating": "7"})
    assert not _events(Kind.RATING)


# Satisfaction in the API


def test_it_records_satisfaction_from_the_api(api, owner, rec_set):
    client = token_client(owner)
    url = f"/api/recommendations/{rec_set.pk}/satisfaction/"
    response = send(client, "post", url, {"score": 3})
    assert response.status_code == 200, response.content
    assert response.json()["score"] == 3
    send(client, "post", url, {"score": 5})
    (event,) = _events(Kind.SATISFACTION)
    assert event.value == 5 and event.surface == "api"


def test_it_refuses_api_satisfaction_from_strangers_and_bad_bodies(
    api, owner, other_user, rec_set
):
    url = f"/api/recommendations/{rec_set.pk}/satisfaction/"
    assert send(token_client(), "post", url, {"score": 3}).status_code in (401, 403)
    assert_error(send(token_client(other_user), "post", url, {"score": 3}), 404)
    client = token_client(owner)
    assert_error(send(client, "post", url, {"score": 6}), 400, "score")
    assert_error(send(client, "post", url, {"score": "3"}), 400, "score")
    assert_error(send(client, "post", url, "{broken"), 400)
    assert not _events(Kind.SATISFACTION)


# The batch events endpoint


def test_it_accepts_a_batch_of_events(api, owner, rec_set):
    movie_id = rec_set.items.get(rank=1).movie_id
    body = {
        "events": [
            {"kind": "impression", "recommendation_set_id": rec_set.pk},
            {"kind": "impression", "recommendation_set_id": rec_set.pk},
            {
                "kind": "click_out",
                "recommendation_set_id": rec_set.pk,
                "movie_id": movie_id,
                "platform": "netflix",
            },
            {"kind": "detail_view", "movie_id": movie_id},
        ]
    }
    response = send(token_client(owner), "post", "/api/events/", body)
    assert response.status_code == 201, response.content
    assert len(_events(Kind.IMPRESSION)) == 1
    (click,) = _events(Kind.CLICK_OUT)
    assert click.surface == "api" and click.variant == rec_set.variant
    assert _events(Kind.DETAIL_VIEW)[0].recommendation_set == rec_set


def test_it_refuses_an_impression_of_another_users_set(api, other_user, rec_set):
    body = {"events": [{"kind": "impression", "recommendation_set_id": rec_set.pk}]}
    assert_error(send(token_client(other_user), "post", "/api/events/", body), 404)
    assert not Event.objects.exists()


def test_it_refuses_the_whole_batch_when_one_event_is_not_owned(
    api, owner, other_user, rec_set
):
    others = ready_set(other_user, movies=1)
    body = {
        "events": [
            {"kind": "impression", "recommendation_set_id": rec_set.pk},
            {"kind": "impression", "recommendation_set_id": others.pk},
        ]
    }
    assert_error(send(token_client(owner), "post", "/api/events/", body), 404)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "events"),
        ({"events": []}, "events"),
        ({"events": [{"kind": "rating", "movie_id": 1}]}, "events"),
        ({"events": [{"kind": "impression"}]}, "events"),
        ({"events": [{"kind": "click_out", "recommendation_set_id": 1}]}, "events"),
        ({"events": [{"kind": "detail_view", "movie_id": "1"}]}, "events"),
        ({"events": [{"kind": "detail_view", "movie_id": 99999999}]}, None),
        ({"events": [{"kind": "impression", "recommendation_set_id": 1}] * 51}, None),
        ({"events": "impression"}, "events"),
    ],
)
def test_it_refuses_malformed_batches(api, owner, rec_set, body, field):
    response = send(token_client(owner), "post", "/api/events/", body)
    assert_error(response, 400, field)
    assert not Event.objects.exists()


def test_it_refuses_a_click_out_to_a_service_without_the_movie(api, owner, rec_set):
    body = {
        "events": [
            {
                "kind": "click_out",
                "recommendation_set_id": rec_set.pk,
                "movie_id": rec_set.items.get(rank=2).movie_id,
                "platform": "netflix",
            }
        ]
    }
    assert_error(send(token_client(owner), "post", "/api/events/", body), 404)


def test_it_refuses_anonymous_batches(api, rec_set):
    body = {"events": [{"kind": "impression", "recommendation_set_id": rec_set.pk}]}
    assert send(token_client(), "post", "/api/events/", body).status_code in (401, 403)
    assert not Event.objects.exists()


def test_it_throttles_batches(api, monkeypatch, owner, rec_set):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "events": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    body = {"events": [{"kind": "impression", "recommendation_set_id": rec_set.pk}]}
    client = token_client(owner)
    for _ in range(2):
        assert send(client, "post", "/api/events/", body).status_code == 201
    assert_error(send(client, "post", "/api/events/", body), 429)


# "Search on <service>" links


def test_it_records_a_search_click_and_redirects_to_the_search(owner_client, rec_set):
    movie_id = rec_set.items.get(rank=2).movie_id
    for slug in ["netflix", "justwatch"]:
        url = f"/recommendations/{rec_set.pk}/search/{movie_id}/{slug}/"
        response = owner_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("https://")
    kinds = sorted(e.data["kind"] for e in _events(Kind.CLICK_OUT))
    assert kinds == ["justwatch", "search"]


def test_it_refuses_search_clicks_from_strangers_and_for_unknown_services(
    other_user, owner_client, rec_set
):
    movie_id = rec_set.items.get(rank=2).movie_id
    url = f"/recommendations/{rec_set.pk}/search/{movie_id}/netflix/"
    assert "/accounts/login/" in Client().get(url)["Location"]
    bad = f"/recommendations/{rec_set.pk}/search/{movie_id}/no-such/"
    assert owner_client.get(bad).status_code == 404
    assert (
        owner_client.get(f"/recommendations/{rec_set.pk}/search/1/netflix/").status_code
        == 404
    )
    stranger = Client()
    stranger.force_login(other_user)
    assert stranger.get(url).status_code == 404
    assert not _events(Kind.CLICK_OUT)
