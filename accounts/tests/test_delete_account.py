"""Deleting an account (page and API) removes the user and everything of theirs."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from catalog.tests.factories import MovieFactory
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)
from recommender.models import Dismissal, MovieRating, RecommendationSet
from recommender.tests.factories import ready_set
from survey.models import Survey

pytestmark = pytest.mark.django_db
URL = reverse("accounts:delete")
ME = "/api/me/"
PASSWORD = "pw-owner-12345"


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


def _give_data(user) -> None:
    ready_set(user)
    movie = MovieFactory()
    MovieRating.objects.create(user=user, movie=movie, rating=4)
    Dismissal.objects.create(user=user, movie=MovieFactory())


def _has_data(user_id: int) -> bool:
    return (
        any(
            model.objects.filter(user_id=user_id).exists()
            for model in (Survey, MovieRating, Dismissal, Token)
        )
        or RecommendationSet.objects.filter(survey__user_id=user_id).exists()
    )


def test_it_redirects_anonymous_users_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_asks_for_confirmation_first(owner_client, owner):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert (
        b'name="password"' in response.content and b'name="confirm"' in response.content
    )
    assert get_user_model().objects.filter(pk=owner.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": "wrong", "confirm": "on"}, "password"),
        ({"password": PASSWORD}, "confirm"),
        ({}, "password"),
    ],
)
def test_it_keeps_the_account_on_a_wrong_password_or_no_confirmation(
    owner_client, owner, data, field
):
    _give_data(owner)
    response = owner_client.post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert get_user_model().objects.filter(pk=owner.pk).exists()
    assert _has_data(owner.pk)


def test_it_deletes_the_account_and_all_its_data(owner_client, owner, other_user):
    _give_data(owner)
    _give_data(other_user)
    response = owner_client.post(URL, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert not get_user_model().objects.filter(pk=owner.pk).exists()
    assert not _has_data(owner.pk)
    assert _has_data(other_user.pk)  # nobody else's data goes with it
    assert owner_client.get(reverse("accounts:profile")).status_code == 302


def test_the_profile_links_to_the_deletion(owner_client):
    assert URL.encode() in owner_client.get(reverse("accounts:profile")).content


def test_the_api_refuses_anonymous_deletion():
    assert_error(send(token_client(), "delete", ME, {"password": "x"}), 401)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "password"),
        ({"password": "wrong"}, "password"),
        ({"password": 5}, "password"),
    ],
)
def test_the_api_refuses_a_wrong_or_missing_password(owner, body, field):
    _give_data(owner)
    assert_error(send(token_client(owner), "delete", ME, body), 400, field)
    assert get_user_model().objects.filter(pk=owner.pk).exists()


def test_the_api_refuses_malformed_json(owner):
    assert_error(send(token_client(owner), "delete", ME, "{not json"), 400)
    assert get_user_model().objects.filter(pk=owner.pk).exists()


def test_the_api_deletes_only_the_callers_account(owner, other_user):
    _give_data(owner)
    _give_data(other_user)
    client = token_client(owner)
    response = send(client, "delete", ME, {"password": PASSWORD})
    assert response.status_code == 204
    assert not _has_data(owner.pk)
    assert get_user_model().objects.filter(pk=other_user.pk).exists()
    assert _has_data(other_user.pk)
    assert client.get(ME).status_code == 401  # the token went with the account
