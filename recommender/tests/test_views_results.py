from __future__ import annotations

import pytest
from django.urls import reverse

from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db


def test_it_renders_only_the_results_fragment(owner_client, owner):
    rec_set = ready_set(owner, movies=2)
    response = owner_client.get(reverse("recommender:results", args=[rec_set.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "data-ready" in content
    assert "<html" not in content


def test_it_keeps_the_filters(owner_client, owner):
    rec_set = ready_set(owner, movies=3)
    url = reverse("recommender:results", args=[rec_set.pk])
    assert len(owner_client.get(url, {"year_from": "1983"}).context["cards"]) == 1


def test_it_gives_404_for_another_users_set(owner_client, other_user):
    rec_set = ready_set(other_user, movies=1)
    url = reverse("recommender:results", args=[rec_set.pk])
    assert owner_client.get(url).status_code == 404


def test_it_refuses_post(owner_client, owner):
    rec_set = ready_set(owner, movies=1)
    url = reverse("recommender:results", args=[rec_set.pk])
    assert owner_client.post(url).status_code == 405
