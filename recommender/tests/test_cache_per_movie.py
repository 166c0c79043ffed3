"""A look-up or new offers of a movie rebuild only the cached payloads and pages that
show it: another user's stay cached (issue #23)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import translation

from catalog.availability import availability_replace
from catalog.lookup import availability_lookups_request
from catalog.models import Availability, Movie, Platform
from ottsite.lib.cache import counter_bump
from ottsite.lib.generations import CATALOG
from ottsite.testing import (
    kr_providers,
    tmdb_details,
)
from ottsite.tests.api_support import token_client
from recommender.selectors import recommendations_payload
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db

LATEST = "/api/recommendations/latest/"
PAGE = reverse("recommender:latest")


@pytest.fixture(autouse=True)
def _nothing_cached_before():
    # The real Redis outlives each test database, whose ids repeat.
    counter_bump(caches["default"], CATALOG)


def _offers(body: dict) -> list[list[str]]:
    return [[o["platform_slug"] for o in i["availability"]] for i in body["items"]]


def test_it_rebuilds_only_the_payloads_that_show_a_looked_up_movie(
    owner,
    other_user,
    fake_tmdb,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    mine = ready_set(owner, movies=3)
    ready_set(other_user, movies=3)
    movie = mine.items.get(rank=2).movie
    Movie.objects.filter(pk=movie.pk).update(tmdb_id=10_000 + movie.pk)
    fake_tmdb.providers[10_000 + movie.pk] = kr_providers(
        10_000 + movie.pk, [(8, "Netflix")]
    )
    fake_tmdb.details[10_000 + movie.pk] = tmdb_details(
        10_000 + movie.pk, movie.title, movie.title
    )
    a, b = token_client(owner), token_client(other_user)
    assert _offers(a.get(LATEST).json()) == [[], [], []]
    theirs = b.get(LATEST).json()

    # The claim ("checking"), then the look-up itself (run in-process): offers
    # and a check of the movie are written.
    with django_capture_on_commit_callbacks(execute=True):
        queued = availability_lookups_request(movie_ids=[movie.pk], region="KR")
    assert queued == [movie.pk]
    assert fake_tmdb.provider_hits() == [10_000 + movie.pk]

    with django_assert_num_queries(1):  # the token only: B's payload is cached
        assert b.get(LATEST).json() == theirs
    assert _offers(a.get(LATEST).json()) == [[], ["netflix"], []]  # rebuilt
    with django_assert_num_queries(1):  # and cached again
        assert _offers(a.get(LATEST).json()) == [[], ["netflix"], []]


def test_it_rebuilds_a_payload_only_for_a_change_of_its_own_movies(
    owner, other_user, django_capture_on_commit_callbacks
):
    mine = ready_set(owner, movies=2)
    theirs = ready_set(other_user, movies=2)
    builds: list[int] = []

    def payload(user) -> bool:  # noqa: ANN001
        def render(page) -> bytes:  # noqa: ANN001
            builds.append(user.pk)
            return b"{}"

        return recommendations_payload(user=user, render=render)[1] is not None

    assert (payload(owner), payload(other_user)) == (True, True)
    netflix = Platform.objects.get(region="KR", slug="netflix")
    with django_capture_on_commit_callbacks(execute=True):
        availability_replace(
            movie_id=theirs.items.get(rank=1).movie_id,
            source=Availability.Source.TMDB,
            regions=["KR"],
            offers=[(netflix.pk, "subscription", "https://www.netflix.com/t/2")],
        )
    assert (payload(owner), payload(other_user)) == (False, True)
    with django_capture_on_commit_callbacks(execute=True):
        availability_replace(
            movie_id=mine.items.get(rank=2).movie_id,
            source=Availability.Source.TMDB,
            regions=["KR"],
            offers=[(netflix.pk, "subscription", "https://www.netflix.com/t/3")],
        )
    assert (payload(owner), payload(other_user)) == (True, False)
    assert builds == [owner.pk, other_user.pk, other_user.pk, owner.pk]


def test_it_keeps_a_page_cached_when_only_another_users_movie_changes(
    owner, other_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    mine = ready_set(owner, movies=3)
    theirs = ready_set(other_user, movies=3)
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(owner)
    browser.get(PAGE)
    netflix = Platform.objects.get(region="KR", slug="netflix")
    with django_capture_on_commit_callbacks(execute=True):
        availability_replace(
            movie_id=theirs.items.get(rank=1).movie_id,
            source=Availability.Source.TMDB,
            regions=["KR"],
            offers=[(netflix.pk, "subscription", "https://www.netflix.com/t/8")],
        )
    # Session, user and the newest set for the page head; none for the cards.
    with django_assert_max_num_queries(6):
        browser.get(PAGE)
    with django_capture_on_commit_callbacks(execute=True):
        availability_replace(
            movie_id=mine.items.get(rank=3).movie_id,
            source=Availability.Source.TMDB,
            regions=["KR"],
            offers=[(netflix.pk, "subscription", "https://www.netflix.com/t/9")],
        )
    cards = browser.get(PAGE).content.decode().split('class="cards"')[1]
    assert "Netflix" in cards


def test_it_rebuilds_for_an_admin_edit_the_payloads_of_the_old_and_new_movie(
    owner,
    other_user,
    django_user_model,
    admin_client,
    django_capture_on_commit_callbacks,
):
    third = django_user_model.objects.create_user(username="third", password="x")
    sets = [ready_set(user, movies=2) for user in (owner, other_user, third)]
    netflix = Platform.objects.get(region="KR", slug="netflix")
    offer = Availability.objects.create(
        movie_id=sets[0].items.get(rank=1).movie_id,
        platform=netflix,
        region="KR",
        offer_type="subscription",
        source=Availability.Source.ADMIN,
    )

    def rebuilt() -> list[bool]:
        with translation.override("en"):  # whatever the admin's request activated
            return [
                recommendations_payload(user=s.survey.user, render=lambda p: b"")[1]
                is not None
                for s in sets
            ]

    assert rebuilt() == [True, True, True]
    assert rebuilt() == [False, False, False]
    # The offer moves from the owner's movie to the other user's.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_availability_change", args=[offer.pk]),
            {
                "movie": sets[1].items.get(rank=2).movie_id,
                "platform": netflix.pk,
                "offer_type": "subscription",
                "link": "",
                "source": "admin",
                "last_checked_0": "2024-01-02",
                "last_checked_1": "03:04:05",
            },
        )
    assert response.status_code == 302, response.content.decode()
    assert rebuilt() == [True, True, False]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_availability_delete", args=[offer.pk]),
            {"post": "yes"},
        )
    assert response.status_code == 302
    assert rebuilt() == [False, True, False]
