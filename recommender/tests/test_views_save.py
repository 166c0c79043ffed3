from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.tests.factories import MovieFactory
from recommender.models import WatchlistItem

pytestmark = pytest.mark.django_db


def _url(movie_id):
    return reverse("recommender:save", args=[movie_id])


def test_it_saves_to_the_watchlist_once(owner_client, owner):
    movie = MovieFactory()
    owner_client.post(_url(movie.pk))
    owner_client.post(_url(movie.pk))
    assert WatchlistItem.objects.filter(user=owner, movie=movie).count() == 1


def test_it_gives_404_for_an_unknown_movie(owner_client):
    assert owner_client.post(_url(999999)).status_code == 404


def test_it_refuses_get(owner_client):
    assert owner_client.get(_url(MovieFactory().pk)).status_code == 405


def test_it_redirects_anonymous_users_to_login(anon_client):
    assert anon_client.post(_url(MovieFactory().pk)).status_code == 302
    assert not WatchlistItem.objects.exists()
