"""API: register, obtain a token, read and change the profile (/api/me/)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from accounts.models import Profile
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)

pytestmark = pytest.mark.django_db

REGISTER, TOKEN, ME = "/api/accounts/register/", "/api/auth/token/", "/api/me/"


@pytest.fixture(autouse=True)
def _cache(settings):
    api_test_settings(settings)


def counts() -> tuple[int, int, int]:
    return (
        get_user_model().objects.count(),
        Token.objects.count(),
        Profile.objects.count(),
    )


def test_it_registers_a_user_and_returns_a_working_token():
    response = send(
        token_client(),
        "post",
        REGISTER,
        {"username": "neo", "password": "red-pill-1999", "email": "neo@example.com"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["username"] == "neo"
    me = token_client()
    me.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert me.get(ME).json()["username"] == "neo"


def test_it_refuses_a_taken_username_with_409(owner):
    before = counts()
    response = send(
        token_client(), "post", REGISTER, {"username": "OWNER", "password": "x-9aZq!pw"}
    )
    assert_error(response, 409, "username")
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "red-pill-1999"}, "username"),
        ({"username": "neo"}, "password"),
        ({"username": "neo", "password": "short"}, "password"),
        ({"username": "neo", "password": "password123"}, "password"),
        ({"username": "neo", "password": "12345678901"}, "password"),
        ({"username": "no spaces", "password": "red-pill-1999"}, "username"),
        ({"username": 12, "password": "red-pill-1999"}, "username"),
        ({"username": "neo", "password": ["x"]}, "password"),
        ({"username": "neo", "password": "red-pill-1999", "email": "nope"}, "email"),
    ],
)
def test_it_rejects_bad_registrations_naming_the_field(body, field):
    before = counts()
    assert_error(send(token_client(), "post", REGISTER, body), 400, field)
    assert counts() == before


def test_it_rejects_broken_json():
    before = counts()
    assert_error(send(token_client(), "post", REGISTER, '{"username": '), 400)
    assert counts() == before


def test_it_issues_the_same_token_for_the_right_password(owner):
    body = {"username": "owner", "password": "pw-owner-12345"}
    first = send(token_client(), "post", TOKEN, body)
    second = send(token_client(), "post", TOKEN, body)
    assert first.status_code == 200
    assert first.json()["token"] == second.json()["token"]


def test_it_refuses_a_token_for_a_wrong_password(owner):
    body = {"username": "owner", "password": "wrong"}
    assert_error(send(token_client(), "post", TOKEN, body), 400)
    assert_error(
        send(token_client(), "post", TOKEN, {"username": "owner"}), 400, "password"
    )
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    ("method", "url"), [("get", REGISTER), ("get", TOKEN), ("put", ME)]
)
def test_it_refuses_wrong_methods(owner, method, url):
    assert_error(send(token_client(owner), method, url), 405)


def test_it_requires_authentication_for_the_profile():
    assert_error(token_client().get(ME), 401)
    assert_error(send(token_client(), "patch", ME, {"age": 30}), 401)
    bad = token_client()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(bad.get(ME), 401)


def test_it_accepts_session_authentication(owner_client):
    assert owner_client.get(ME).json()["username"] == "owner"


def test_it_shows_and_changes_only_the_callers_profile(owner, other_user):
    response = send(
        token_client(owner),
        "patch",
        ME,
        {
            "age": 41,
            "gender": "F",
            "occupation": "writer",
            "region": "US",
            "subscriptions": ["hulu", "netflix"],
            "monthly_budget": 20.5,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subscriptions"] == ["hulu", "netflix"]
    assert body["monthly_budget"] == 20.5
    assert body["region"] == "US"
    assert token_client(other_user).get(ME).json()["region"] == "KR"


def test_it_keeps_fields_a_patch_does_not_name(owner):
    client = token_client(owner)
    send(client, "patch", ME, {"age": 30, "subscriptions": ["netflix", "tving"]})
    body = send(client, "patch", ME, {"occupation": "artist"}).json()
    assert (body["age"], body["occupation"]) == (30, "artist")
    assert body["subscriptions"] == ["netflix", "tving"]
    moved = send(client, "patch", ME, {"region": "US"}).json()
    assert moved["subscriptions"] == []  # KR services do not follow to the US


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"age": "old"}, "age"),
        ({"age": 3}, "age"),
        ({"gender": "Q"}, "gender"),
        ({"occupation": "astronaut"}, "occupation"),
        ({"region": "JP"}, "region"),
        ({"subscriptions": ["hulu"]}, "subscriptions"),
        ({"subscriptions": "netflix"}, "subscriptions"),
        ({"monthly_budget": -1}, "monthly_budget"),
        ({"monthly_budget": 1.234}, "monthly_budget"),
    ],
)
def test_it_rejects_bad_profile_changes_and_saves_nothing(owner, body, field):
    client = token_client(owner)
    send(client, "patch", ME, {"age": 30, "subscriptions": ["netflix"]})
    before = client.get(ME).json()
    assert_error(send(client, "patch", ME, body), 400, field)
    assert client.get(ME).json() == before
