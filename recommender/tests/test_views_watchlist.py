from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Profile
from catalog.tests.factories import AvailabilityFactory, MovieFactory
from recommender.models import WatchlistItem

pytestmark = pytest.mark.django_db
URL = reverse("recommender:watchlist")


def test_it_lists_saved_movies_with_where_they_stream(owner_client, owner):
    Profile.objects.create(user=owner, region="KR")
    movie = MovieFactory(title="Saved One")
    AvailabilityFactory(movie=movie)
    WatchlistItem.objects.create(user=owner, movie=movie)
    content = owner_client.get(URL).content.decode()
    assert "Saved One" in content
    assert "Netflix" in content
    assert reverse("recommender:unsave", args=[movie.pk]) in content


def test_it_shows_only_my_movies(owner_client, other_user):
    WatchlistItem.objects.create(user=other_user, movie=MovieFactory(title="Theirs"))
    response = owner_client.get(URL)
    assert response.context["cards"] == []
    assert b"Theirs" not in response.content


def test_it_redirects_anonymous_users_to_login(anon_client):
    assert anon_client.get(URL).url.startswith(reverse("accounts:login"))


def test_it_refuses_post(owner_client):
    assert owner_client.post(URL).status_code == 405
