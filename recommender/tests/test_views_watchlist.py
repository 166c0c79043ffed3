from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Profile
from catalog.tests.factories import AvailabilityFactory, MovieFactory, SeriesFactory
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


def test_it_lists_a_saved_series_like_a_film(owner_client, owner):
    series = SeriesFactory(
        title="Squid Game", title_ko="오징어 게임", seasons=2, tmdb_genres=["Drama"]
    )
    AvailabilityFactory(movie=series)
    WatchlistItem.objects.create(user=owner, movie=series)
    content = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "오징어 게임" in content and "Netflix" in content
    assert "시리즈 · 시즌 2개</span> · 드라마" in content
    english = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Series · 2 seasons</span> · Drama" in english


def test_it_shows_only_my_movies(owner_client, other_user):
    WatchlistItem.objects.create(user=other_user, movie=MovieFactory(title="Theirs"))
    response = owner_client.get(URL)
    assert response.context["cards"] == []
    assert b"Theirs" not in response.content


def test_it_redirects_anonymous_users_to_login(anon_client):
    assert anon_client.get(URL).url.startswith(reverse("accounts:login"))


def test_it_refuses_post(owner_client):
    assert owner_client.post(URL).status_code == 405
