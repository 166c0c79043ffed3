"""The whole product through the API alone, with a real Celery worker and model."""

from __future__ import annotations

import time

import pytest

from ottsite.tests.api_support import api_test_settings, send, token_client

FAVOURITES = [
    "Star Wars",
    "Toy Story",
    "Fargo",
    "Godfather",
    "Pulp Fiction",
    "Silence of the Lambs",
    "Raiders of the Lost Ark",
    "Return of the Jedi",
    "Contact",
    "Terminator 2",
]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_platforms")
def test_it_goes_from_sign_up_to_twenty_recommendations(
    settings, trained_model, celery_worker
):
    api_test_settings(settings)
    client = token_client()
    credentials = {"username": "cinephile", "password": "long-enough-pw-42"}
    registered = send(client, "post", "/api/accounts/register/", credentials)
    assert registered.status_code == 201
    token = send(client, "post", "/api/auth/token/", credentials).json()["token"]
    assert token == registered.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    ids: list[int] = []
    for title in FAVOURITES:
        found = client.get("/api/movies/", {"search": title, "page_size": 1}).json()
        ids.append(found["results"][0]["id"])
    assert len(set(ids)) == 10

    submitted = send(
        client,
        "post",
        "/api/surveys/",
        {
            "age": 34,
            "gender": "F",
            "occupation": "engineer",
            "region": "KR",
            "platforms": ["netflix"],
            "favorite_movie_ids": ids,
        },
    )
    assert submitted.status_code == 202, submitted.content
    url = submitted.json()["recommendations_url"]

    deadline = time.monotonic() + 120
    body = client.get(url).json()
    while body["status"] in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        body = client.get(url).json()
    assert body["status"] == "ready", body
    assert len(body["items"]) == 20
    assert all("availability" in item for item in body["items"])
    assert not set(ids) & {item["movie"]["id"] for item in body["items"]}
    # "Which service" counts over the set's longer list, not only the 20 shown
    assert body["platform_advice"]["scope"] == "pool"
    assert body["platform_advice"]["k"] > 20
    assert client.get("/api/recommendations/latest/").json()["id"] == body["id"]
