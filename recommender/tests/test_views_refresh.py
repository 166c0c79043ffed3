from __future__ import annotations

import pytest
from django.urls import reverse

from recommender.models import RecommendationSet
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db
URL = reverse("recommender:refresh")


def test_it_creates_a_new_set_for_the_latest_survey(owner_client, owner):
    old = ready_set(owner, movies=1)
    response = owner_client.post(URL)
    new = RecommendationSet.objects.exclude(pk=old.pk).get()
    assert new.survey == old.survey
    assert response.url == reverse("recommender:detail", args=[new.pk])


def test_it_sends_users_without_a_survey_to_it(owner_client):
    assert owner_client.post(URL).url == reverse("survey:about")


def test_it_refuses_get(owner_client):
    assert owner_client.get(URL).status_code == 405


def test_it_redirects_anonymous_users_to_login(anon_client):
    assert anon_client.post(URL).url.startswith(reverse("accounts:login"))
