from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.tests.factories import MovieFactory
from recommender.models import WatchlistItem

pytestmark = pytest.mark.django_db


def _url(movie_id):
    return reverse("recommender:unsave", args=[movie_id])


def test_it_removes_from_the_watchlist(owner_client, owner):
    movie = MovieFactory()
    WatchlistItem.objects.create(user=owner, movie=movie)
    response = owner_client.post(_url(movie.pk), {"next": "/watchlist/"})
    assert response.url == "/watchlist/"
    assert not WatchlistItem.objects.exists()


def test_it_does_not_touch_another_users_watchlist(owner_client, other_user):
    movie = MovieFactory()
    WatchlistItem.objects.create(user=other_user, movie=movie)
    assert owner_client.post(_url(movie.pk)).status_code == 404
    assert WatchlistItem.objects.filter(user=other_user).exists()


def test_it_refuses_get(owner_client):
    assert owner_client.get(_url(MovieFactory().pk)).status_code == 405
