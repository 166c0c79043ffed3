"""The recommendations page caches a ready set's results until something it shows
changes, and a cached page's forms still pass the CSRF check."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from catalog.availability import availability_replace
from catalog.models import Availability, Platform
from recommender.models import WatchlistItem
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db
URL = reverse("recommender:latest")


@pytest.fixture
def browser(owner) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(owner)
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_reload_is_served_from_the_cache(
    browser, owner, django_assert_max_num_queries
):
    ready_set(owner, movies=3)
    first = browser.get(URL).content.decode()
    # Session, user and the newest set for the page head; none for the cards.
    with django_assert_max_num_queries(6):
        again = browser.get(URL).content.decode()
    strip = re.compile(r'value="[^"]{64}"')  # masked tokens differ per render
    assert strip.sub("", again) == strip.sub("", first)


def test_a_cached_pages_forms_pass_the_csrf_check(
    browser, owner, django_capture_on_commit_callbacks
):
    rec_set = ready_set(owner, movies=3)
    browser.get(URL)
    cached = browser.get(URL).content.decode()
    movie_id = rec_set.items.get(rank=1).movie_id
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("recommender:save", args=[movie_id]),
            {"csrfmiddlewaretoken": _token(cached), "next": URL},
        )
    assert response.status_code == 302
    assert WatchlistItem.objects.filter(user=owner, movie_id=movie_id).exists()
    # The feedback made the cached page stale: it shows the change at once.
    assert "On watchlist" in browser.get(URL).content.decode()


def test_new_availability_shows_at_once(
    browser, owner, django_capture_on_commit_callbacks
):
    rec_set = ready_set(owner, movies=3)
    assert "netflix.com/t/7" not in browser.get(URL).content.decode()
    netflix = Platform.objects.get(region="KR", slug="netflix")
    with django_capture_on_commit_callbacks(execute=True):
        availability_replace(
            movie_id=rec_set.items.get(rank=1).movie_id,
            source=Availability.Source.TMDB,
            regions=["KR"],
            offers=[(netflix.pk, "subscription", "https://www.netflix.com/t/7")],
        )
    assert "Netflix" in browser.get(URL).content.decode().split('class="cards"')[1]


def test_a_satisfaction_answer_shows_at_once(
    browser, owner, django_capture_on_commit_callbacks
):
    rec_set = ready_set(owner, movies=3)
    page = browser.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("experiments:satisfaction", args=[rec_set.pk]),
            {"csrfmiddlewaretoken": _token(page), "score": "4"},
        )
    assert response.status_code in (200, 302)
    assert 'data-satisfaction="4"' in browser.get(URL).content.decode()


def test_another_user_never_gets_the_cached_page(owner, other_user):
    ready_set(owner, movies=3)
    mine = Client()
    mine.force_login(owner)
    assert "data-ready" in mine.get(URL).content.decode()
    theirs = Client()
    theirs.force_login(other_user)
    assert "data-ready" not in theirs.get(URL).content.decode()


def test_filters_and_language_are_cached_apart(browser, owner):
    ready_set(owner, movies=3)
    browser.get(URL)
    filtered = browser.get(URL, {"year_from": "2099"}).content.decode()
    assert "No movie matches these filters." in filtered
    korean = browser.get(URL, {"year_from": "2099"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert "No movie matches these filters." not in korean.content.decode()
    assert "추천" in korean.content.decode()
