from __future__ import annotations

import pytest
from django.urls import reverse

from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db


def test_it_shows_one_of_my_sets(owner_client, owner):
    rec_set = ready_set(owner, movies=2)
    response = owner_client.get(reverse("recommender:detail", args=[rec_set.pk]))
    assert response.status_code == 200
    assert response.context["rec_set"] == rec_set


def test_it_gives_404_for_another_users_set(owner_client, other_user):
    rec_set = ready_set(other_user, movies=2)
    response = owner_client.get(reverse("recommender:detail", args=[rec_set.pk]))
    assert response.status_code == 404


def test_it_redirects_anonymous_users_to_login(anon_client, owner):
    rec_set = ready_set(owner, movies=1)
    response = anon_client.get(reverse("recommender:detail", args=[rec_set.pk]))
    assert response.url.startswith(reverse("accounts:login"))


def test_it_gives_404_for_an_unknown_set(owner_client):
    assert owner_client.get("/recommendations/999999/").status_code == 404
