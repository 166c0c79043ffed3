from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.tests.factories import MovieFactory
from recommender.models import MovieRating

pytestmark = pytest.mark.django_db


def _url(movie_id):
    return reverse("recommender:rate", args=[movie_id])


def test_it_rates_and_goes_back(owner_client, owner):
    movie = MovieFactory()
    response = owner_client.post(
        _url(movie.pk), {"rating": "4", "next": "/recommendations/?genre=Drama"}
    )
    assert response.url == "/recommendations/?genre=Drama"
    assert MovieRating.objects.get(user=owner, movie=movie).rating == 4


def test_it_answers_json_to_fetch(owner_client, owner):
    movie = MovieFactory()
    response = owner_client.post(
        _url(movie.pk), {"rating": "5"}, HTTP_ACCEPT="application/json"
    )
    assert response.json()["ok"] is True


def test_it_never_redirects_off_site(owner_client):
    movie = MovieFactory()
    response = owner_client.post(
        _url(movie.pk), {"rating": "3", "next": "https://evil.example/"}
    )
    assert response.url == reverse("recommender:latest")


@pytest.mark.parametrize("rating", ["0", "6", "x", "", "4.5"])
def test_it_refuses_a_bad_rating_with_400(owner_client, owner, rating):
    movie = MovieFactory()
    response = owner_client.post(_url(movie.pk), {"rating": rating})
    assert response.status_code == 400
    assert not MovieRating.objects.filter(user=owner).exists()
    json = owner_client.post(
        _url(movie.pk), {"rating": rating}, HTTP_ACCEPT="application/json"
    )
    assert json.status_code == 400
    assert json.json()["error"]


def test_it_gives_404_for_an_unknown_movie(owner_client):
    assert owner_client.post(_url(999999), {"rating": "4"}).status_code == 404


def test_it_refuses_get(owner_client):
    assert owner_client.get(_url(MovieFactory().pk)).status_code == 405


def test_it_redirects_anonymous_users_to_login(anon_client):
    response = anon_client.post(_url(MovieFactory().pk), {"rating": "4"})
    assert response.url.startswith(reverse("accounts:login"))
