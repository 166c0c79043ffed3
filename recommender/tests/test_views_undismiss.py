from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.tests.factories import MovieFactory
from recommender.models import Dismissal
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db


def _url(movie_id):
    return reverse("recommender:undismiss", args=[movie_id])


def test_it_undoes_not_interested(owner_client, owner):
    movie = MovieFactory()
    Dismissal.objects.create(user=owner, movie=movie)
    response = owner_client.post(
        _url(movie.pk), HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == {
        "ok": True,
        "message": "Undone. This movie can be recommended again.",
    }
    assert not Dismissal.objects.exists()


def test_it_leaves_other_users_dismissals_alone(owner_client, other_user):
    movie = MovieFactory()
    Dismissal.objects.create(user=other_user, movie=movie)
    assert owner_client.post(_url(movie.pk)).status_code == 404
    assert Dismissal.objects.filter(user=other_user).count() == 1


def test_it_gives_404_for_an_unknown_movie_or_no_dismissal(owner_client):
    assert owner_client.post(_url(999999)).status_code == 404
    response = owner_client.post(
        _url(MovieFactory().pk), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 404
    assert response.json()["ok"] is False


def test_it_refuses_get(owner_client, owner):
    movie = MovieFactory()
    Dismissal.objects.create(user=owner, movie=movie)
    assert owner_client.get(_url(movie.pk)).status_code == 405
    assert Dismissal.objects.count() == 1


def test_it_redirects_anonymous_users_to_login(anon_client, owner):
    movie = MovieFactory()
    Dismissal.objects.create(user=owner, movie=movie)
    assert anon_client.post(_url(movie.pk)).status_code == 302
    assert Dismissal.objects.count() == 1


def test_a_dismissed_card_has_one_confirmation_line_and_an_undo_button(
    owner_client, owner
):
    rec_set = ready_set(owner, movies=2)
    movie = rec_set.items.get(rank=1).movie
    Dismissal.objects.create(user=owner, movie=movie)
    content = owner_client.get(reverse("recommender:latest")).content.decode()
    card = content.split(f'data-movie-id="{movie.pk}"')[1].split("</li>")[0]
    assert card.count("data-dismissed-line") == 1
    assert _url(movie.pk) in card
    assert reverse("recommender:dismiss", args=[movie.pk]) not in card


def test_the_cached_page_shows_the_card_again_after_an_undo(
    owner_client, owner, django_capture_on_commit_callbacks
):
    rec_set = ready_set(owner, movies=2)
    movie = rec_set.items.get(rank=1).movie
    latest = reverse("recommender:latest")
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("recommender:dismiss", args=[movie.pk]))
    dismissed = owner_client.get(latest).content.decode()  # now cached
    assert _url(movie.pk) in dismissed
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.post(_url(movie.pk)).status_code in (200, 302)
    undone = owner_client.get(latest).content.decode()
    card = undone.split(f'data-movie-id="{movie.pk}"')[1].split("</li>")[0]
    assert "data-dismissed-line" not in card
    assert reverse("recommender:dismiss", args=[movie.pk]) in card
