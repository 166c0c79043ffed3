"""Consent to train the shared model: asked by the survey, changed on the profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Profile
from catalog.tests.factories import MovieFactory
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


def _answers(**overrides) -> dict:
    ids = [m.pk for m in MovieFactory.create_batch(10)]
    return {
        "age": 29,
        "gender": "X",
        "occupation": "programmer",
        "region": "KR",
        "favorite_movie_ids": ids,
        **overrides,
    }


def _consent(user) -> bool:
    return Profile.objects.get(user=user).has_training_consent


def test_the_survey_api_consents_by_default(owner):
    response = send(token_client(owner), "post", "/api/surveys/", _answers())
    assert response.status_code == 202
    assert _consent(owner) is True


def test_the_survey_api_records_a_refusal(owner):
    body = _answers(share_for_training=False)
    assert send(token_client(owner), "post", "/api/surveys/", body).status_code == 202
    assert _consent(owner) is False


def test_the_survey_api_refuses_a_non_boolean(owner):
    body = _answers(share_for_training="maybe")
    response = send(token_client(owner), "post", "/api/surveys/", body)
    assert_error(response, 400, "share_for_training")


def test_the_survey_page_asks_with_the_box_ticked(owner_client):
    response = owner_client.get(reverse("survey:about"))
    assert response.status_code == 200
    assert response.context["form"]["share_for_training"].value() in (True, "on")
    assert b'name="share_for_training"' in response.content


def test_the_survey_pages_record_an_unticked_box(owner_client, owner):
    about = {"age": "30", "gender": "F", "occupation": "writer", "region": "KR"}
    assert owner_client.post(reverse("survey:about"), about).status_code == 302
    ids = [str(m.pk) for m in MovieFactory.create_batch(10)]
    response = owner_client.post(reverse("survey:movies"), {"movie": ids})
    assert response.status_code == 302
    assert _consent(owner) is False


def test_the_profile_page_turns_it_off_and_on(owner_client, owner):
    base = {"region": "KR"}
    owner_client.post(reverse("accounts:profile"), base)
    assert _consent(owner) is False
    owner_client.post(reverse("accounts:profile"), {**base, "share_for_training": "on"})
    assert _consent(owner) is True


def test_the_profile_api_reads_and_changes_it(owner):
    client = token_client(owner)
    assert client.get("/api/me/").json()["share_for_training"] is True
    response = send(client, "patch", "/api/me/", {"share_for_training": False})
    assert (
        response.status_code == 200 and response.json()["share_for_training"] is False
    )
    assert _consent(owner) is False
    response = send(client, "patch", "/api/me/", {"region": "US"})
    assert response.json()["share_for_training"] is False  # unchanged by other edits
