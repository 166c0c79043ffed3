"""API token authentication: the lean look-up answers as DRF's does."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from ottsite.tests.api_support import api_test_settings, assert_error, token_client

pytestmark = pytest.mark.django_db

ME = "/api/me/"


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


def test_a_valid_token_is_its_user(owner, other_user):
    token = Token.objects.create(user=owner)
    Token.objects.create(user=other_user)
    client = token_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "owner"


def test_the_request_carries_the_token_and_a_full_user(owner):
    from rest_framework.test import APIRequestFactory

    from ottsite.lib.auth import TokenAuthentication

    token = Token.objects.create(user=owner)
    request = APIRequestFactory().get(ME, HTTP_AUTHORIZATION=f"Token {token.key}")
    user, auth = TokenAuthentication().authenticate(request)
    assert user == owner and user.email == "owner@example.com"
    assert user.check_password("pw-owner-12345")
    assert (auth.pk, auth.user_id, auth.created) == (token.pk, owner.pk, token.created)
    # A logout deletes the token it authenticated with.
    auth.delete()
    assert not Token.objects.filter(user=owner).exists()


@pytest.mark.parametrize(
    "header",
    [
        "Token 0123456789abcdef0123456789abcdef01234567",
        "Token ' OR '1'='1",
        "Token",
        "Token a b",
    ],
)
def test_a_wrong_or_malformed_token_is_401(owner, header):
    Token.objects.create(user=owner)
    client = token_client()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert_error(client.get(ME), 401)


def test_an_inactive_users_token_is_401(owner):
    token = Token.objects.create(user=owner)
    owner.is_active = False
    owner.save()
    client = token_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert_error(client.get(ME), 401)
