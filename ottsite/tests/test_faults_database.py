"""The database stopped (the real embedded PostgreSQL): pages answer a 503 page
with Retry-After, as the API answers a JSON 503, and both recover when it returns."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from ottsite.lib import embedded
from ottsite.tests.api_support import token_client

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_stopped():
    """Stop the real PostgreSQL for the test's body; start it again afterwards."""

    def stop() -> None:
        connection.close()
        assert embedded.postgres_stop(settings.VAR_DIR)

    try:
        yield stop
    finally:
        connection.close()
        if not embedded.postgres_running(settings.VAR_DIR):
            embedded.postgres_start(settings.VAR_DIR)


def test_it_answers_pages_with_a_503_page_while_the_database_is_down(
    client, owner, database_stopped
):
    client.force_login(owner)
    api = token_client(owner)
    assert client.get(reverse("recommender:watchlist")).status_code == 200
    database_stopped()
    for url in (reverse("recommender:watchlist"), reverse("home")):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 503, url
        assert int(page["Retry-After"]) > 0
        assert "no-cache" in page["Cache-Control"]
        assert page["Content-Type"].startswith("text/html")
        assert b"Temporarily unavailable" in page.content
        assert f'href="{url}"'.encode() in page.content
    response = api.get("/api/me/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]

    embedded.postgres_start(settings.VAR_DIR)
    assert client.get(reverse("recommender:watchlist")).status_code == 200
    assert api.get("/api/me/").status_code == 200
