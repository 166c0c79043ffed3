from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Profile

pytestmark = pytest.mark.django_db
URL = reverse("accounts:signup")


def test_it_shows_the_form(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_it_creates_the_user_and_profile_and_logs_in(anon_client, django_user_model):
    response = anon_client.post(
        URL,
        {
            "username": "newbie",
            "email": "n@example.com",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("survey:about")
    user = django_user_model.objects.get(username="newbie")
    assert Profile.objects.get(user=user).region == "KR"
    assert anon_client.get(reverse("accounts:profile")).status_code == 200


def test_it_refuses_mismatched_passwords_with_a_message(anon_client):
    response = anon_client.post(
        URL,
        {"username": "x1", "password1": "a-Long-pass-123", "password2": "other-123"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]


def test_it_refuses_a_taken_username(anon_client, owner):
    response = anon_client.post(
        URL,
        {
            "username": "owner",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_it_sends_a_logged_in_user_to_the_survey(owner_client):
    assert owner_client.get(URL).url == reverse("survey:about")


def test_it_refuses_other_methods(anon_client):
    assert anon_client.put(URL).status_code == 405
