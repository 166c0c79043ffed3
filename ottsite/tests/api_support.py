"""Helpers for the REST API tests: token clients, the error shape, a private cache."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def token_client(user: AbstractBaseUser | None = None) -> APIClient:
    """An API client sending the user's token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def send(client: APIClient, method: str, url: str, body: Any = None) -> Any:
    """A JSON request (a str body is sent as it is, e.g. broken JSON)."""
    data = body if isinstance(body, str) or body is None else json.dumps(body)
    return getattr(client, method.lower())(url, data, content_type="application/json")


def assert_error(response: Any, status: int, field: str | None = None) -> dict:
    """The response is `status` in the one error shape, naming `field` if given."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "field", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert body["field"] == field, body
        assert field in body["errors"], body
    return body


def api_test_settings(settings: Any) -> None:
    """A per-test local-memory cache (throttle counters and the search index start
    empty) and a fast password hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-test-{id(settings)}",
        }
    }
