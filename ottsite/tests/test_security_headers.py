"""HTTPS behind a proxy: X-Forwarded-Proto is believed only from TRUSTED_PROXIES."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.1.2.3"
CLIENT = "203.0.113.9"


@pytest.fixture
def https_settings(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    return settings


def test_it_takes_https_from_a_trusted_proxy(client, https_settings):
    response = client.get(
        reverse("home"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 200
    assert response.wsgi_request.is_secure()
    assert response["Strict-Transport-Security"].startswith("max-age=3600")


def test_it_ignores_x_forwarded_proto_from_anyone_else(client, https_settings):
    response = client.get(
        reverse("home"), REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in response
    assert "HTTP_X_FORWARDED_PROTO" not in response.wsgi_request.META


def test_it_reads_the_trusted_proxys_own_value_when_a_client_sent_one_too(
    client, https_settings
):
    # An appending proxy: the client claimed https, the proxy saw plain http.
    response = client.get(
        reverse("home"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https, http"
    )
    assert response.status_code == 301


def test_it_ignores_x_forwarded_proto_without_trusted_proxies(client, settings):
    settings.TRUSTED_PROXIES = []
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
