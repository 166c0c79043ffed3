from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Profile
from catalog.models import Platform

pytestmark = pytest.mark.django_db
URL = reverse("accounts:profile")


def _platform(region: str, slug: str) -> Platform:
    return Platform.objects.get(region=region, slug=slug)


def test_it_redirects_anonymous_users_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_shows_the_region_services_defaulting_to_korea(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert response.context["selected_region"] == "KR"
    assert b"TVING" in response.content


def test_it_saves_the_profile(owner_client, owner):
    netflix = _platform("KR", "netflix")
    response = owner_client.post(
        URL,
        {
            "age": "34",
            "gender": "X",
            "occupation": "writer",
            "region": "KR",
            "subscriptions": [netflix.pk],
            "monthly_budget": "20000",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=owner)
    assert (profile.age, profile.occupation, profile.region) == (34, "writer", "KR")
    assert profile.monthly_budget == Decimal("20000")
    assert list(profile.subscriptions.all()) == [netflix]


def test_it_refuses_services_of_another_region(owner_client, owner):
    response = owner_client.post(
        URL, {"region": "US", "subscriptions": [_platform("KR", "tving").pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["subscriptions"]
    assert not Profile.objects.get(user=owner).subscriptions.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"region": "KR", "age": "3"},
        {"region": "KR", "age": "abc"},
        {"region": "ZZ"},
        {"region": "KR", "subscriptions": ["x"]},
        {"region": "KR", "monthly_budget": "-5"},
    ],
)
def test_it_shows_a_message_for_bad_input(owner_client, data):
    response = owner_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_it_refuses_other_methods(owner_client):
    assert owner_client.delete(URL).status_code == 405
