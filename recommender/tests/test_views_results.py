from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.tests.factories import SeriesFactory
from recommender.tests.factories import RecommendationItemFactory, ready_set

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


def test_it_shows_series_and_running_times_on_the_cards(owner_client, owner):
    rec_set = ready_set(owner, movies=1)
    RecommendationItemFactory(
        recommendation_set=rec_set,
        rank=2,
        movie=SeriesFactory(title="Dark", seasons=1, tmdb_genres=["Sci-Fi & Fantasy"]),
    )
    film = rec_set.items.get(rank=1).movie
    film.runtime = 142
    film.save()
    url = reverse("recommender:results", args=[rec_set.pk])
    english = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Series · 1 season</span> · Sci-Fi &amp; Fantasy" in english
    assert "142 min</span> · Drama" in english
    korean = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "시리즈 · 시즌 1개</span> · SF·판타지" in korean
    assert "142분</span> · 드라마" in korean
