"""Abuse: login brute force with spoofed headers, hostile JSON, oversize bodies,
and server details in errors."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from ottsite.tests.api_support import api_test_settings, assert_error, send
from recommender.models import ModelVersion, RecommendationSet
from recommender.services import recommendations_request
from recommender.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"
PAGE_URL = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _cache(settings):
    api_test_settings(settings)


def _api_login(client, username: str, password: str, forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def _random_ip(i: int) -> str:
    return f"10.{i // 250}.{i % 250}.{(i * 7) % 250 + 1}"


def test_it_limits_api_guesses_for_one_username_whatever_the_forwarded_header(
    client, settings, django_user_model
):
    settings.LOGIN_RATE_LIMIT = "5/d"
    django_user_model.objects.create_user(username="victim", password="right-pw-123")
    codes = [
        _api_login(client, "victim", f"guess{i}", _random_ip(i)).status_code
        for i in range(30)
    ]
    assert codes[:5] == [400] * 5
    assert set(codes[5:]) == {429}
    response = _api_login(client, "victim", "right-pw-123", "203.0.113.9")
    assert_error(response, 429)
    assert int(response["Retry-After"]) > 0


def test_it_limits_guesses_per_address_across_usernames(client, settings):
    settings.LOGIN_RATE_LIMIT = "5/d"
    settings.LOGIN_RATE_LIMIT_ADDRESS = "10/d"
    codes = [
        _api_login(client, f"user{i}", "guess", _random_ip(i)).status_code
        for i in range(15)
    ]
    assert codes[:10] == [400] * 10
    assert set(codes[10:]) == {429}


def test_it_believes_the_forwarded_header_only_from_a_trusted_proxy(client, settings):
    settings.LOGIN_RATE_LIMIT = "100/d"
    settings.LOGIN_RATE_LIMIT_ADDRESS = "3/d"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # The proxy appends the real client: a spoofed left part changes nothing.
    for i in range(3):
        forwarded = f"{_random_ip(i)}, 198.51.100.7"
        assert _api_login(client, f"u{i}", "x", forwarded).status_code == 400
    assert _api_login(client, "u9", "x", "1.1.1.1, 198.51.100.7").status_code == 429
    assert _api_login(client, "u9", "x", "198.51.100.8").status_code == 400


def test_it_shares_one_limiter_between_the_page_and_the_api(
    client, settings, django_user_model
):
    settings.LOGIN_RATE_LIMIT = "5/d"
    username = f"both-{uuid.uuid4().hex[:8]}"
    django_user_model.objects.create_user(username=username, password="right-pw-123")
    for _ in range(3):
        page = client.post(PAGE_URL, {"username": username, "password": "wrong"})
        assert page.status_code == 200
    for _ in range(2):
        assert _api_login(client, username, "wrong").status_code == 400
    assert _api_login(client, username, "right-pw-123").status_code == 429
    page = client.post(PAGE_URL, {"username": username, "password": "right-pw-123"})
    assert page.status_code == 429


def test_it_does_not_count_successful_logins(client, settings, django_user_model):
    settings.LOGIN_RATE_LIMIT = "2/d"
    django_user_model.objects.create_user(username="often", password="right-pw-123")
    for _ in range(4):
        assert _api_login(client, "often", "right-pw-123").status_code == 200


def _api_login_from(client, username: str, password: str, address: str):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_it_lets_the_owner_get_a_token_from_elsewhere_after_guesses(
    client, settings, django_user_model
):
    settings.LOGIN_RATE_LIMIT = "5/d"
    django_user_model.objects.create_user(username="target", password="right-pw-123")
    codes = [
        _api_login_from(client, "target", f"guess{i}", "198.51.100.1").status_code
        for i in range(8)
    ]
    assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}
    assert_error(_api_login_from(client, "target", "right-pw-123", "198.51.100.1"), 429)
    response = _api_login_from(client, "target", "right-pw-123", "203.0.113.7")
    assert response.status_code == 200, response.content
    assert response.json()["token"]


def test_it_stops_api_guesses_from_many_addresses_but_not_a_known_one(
    client, settings, django_user_model
):
    settings.LOGIN_RATE_LIMIT = "5/d"
    settings.LOGIN_RATE_LIMIT_USERNAME = "10/d"
    django_user_model.objects.create_user(username="spread", password="right-pw-123")
    first = _api_login_from(client, "spread", "right-pw-123", "203.0.113.7")
    assert first.status_code == 200, first.content
    codes = [
        _api_login_from(client, "spread", "guess", _random_ip(i)).status_code
        for i in range(14)
    ]
    assert codes[:10] == [400] * 10 and set(codes[10:]) == {429}
    response = _api_login_from(client, "spread", "right-pw-123", "192.0.2.50")
    assert_error(response, 429)
    assert int(response["Retry-After"]) > 0
    known = _api_login_from(client, "spread", "right-pw-123", "203.0.113.7")
    assert known.status_code == 200, known.content


@pytest.mark.parametrize(
    "body",
    ["[" * 1000 + "]" * 1000, "[" * 100_000, '{"a":' * 50 + "1" + "}" * 50],
)
def test_it_refuses_deeply_nested_json_in_the_error_shape(owner, body):
    from ottsite.tests.api_support import token_client

    response = send(token_client(owner), "post", "/api/ratings/", body)
    assert_error(response, 400)


def test_it_refuses_oversize_bodies_in_the_error_shape(client, owner, settings):
    from ottsite.tests.api_support import token_client

    big = '{"movie_id": 1, "pad": "' + "x" * (5 * 1024 * 1024) + '"}'
    for api_client in (client, token_client(owner)):
        response = api_client.post(
            "/api/ratings/", big, content_type="application/json"
        )
        body = assert_error(response, 413)
        assert str(settings.API_MAX_BODY_BYTES) in body["detail"]
    assert_error(client.post(TOKEN_URL, big, content_type="application/json"), 413)


def test_it_shows_no_server_path_when_a_build_fails(
    owner, owner_client, tmp_path, django_capture_on_commit_callbacks
):
    missing = tmp_path / "models" / "v-gone"
    ModelVersion.objects.create(version="v-gone", path=str(missing), is_active=True)
    survey = SurveyFactory(user=owner)
    with django_capture_on_commit_callbacks(execute=True):
        rec_set = recommendations_request(survey=survey)
    rec_set.refresh_from_db()
    assert rec_set.status == RecommendationSet.Status.FAILED
    secret = str(Path(tmp_path))
    assert secret not in rec_set.error and "/" not in rec_set.error
    api = send(owner_client, "get", f"/api/surveys/{survey.pk}/recommendations/")
    assert api.status_code == 200
    assert api.json()["error"] and secret not in api.content.decode()
    page = owner_client.get(reverse("recommender:detail", args=[rec_set.pk]))
    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert "manifest" not in page.content.decode()
    status = owner_client.get(reverse("recommender:status", args=[rec_set.pk]))
    assert secret not in status.content.decode()
