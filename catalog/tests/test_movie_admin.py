"""The admin's movie pages: films and series, TMDB facts read-only, past offers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Movie, OfferHistory, Platform
from catalog.search import movie_search
from catalog.tests.factories import MovieFactory, SeriesFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_movie_changelist")


def _change(movie: Movie) -> str:
    return reverse("admin:catalog_movie_change", args=[movie.pk])


@pytest.fixture
def titles():
    return {
        "film": MovieFactory(title="Fargo", year=1996, source="ml-100k"),
        "squid": SeriesFactory(
            title="Squid Game",
            title_ko="오징어 게임",
            original_title="오징어 게임",
            source_id=93405,
            seasons=2,
        ),
        "heist": SeriesFactory(
            title="Money Heist", original_title="La casa de papel", source_id=71446
        ),
    }


def _listed(client, **query) -> set[str]:
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return {m.title for m in response.context["cl"].result_list}


def test_it_lists_and_filters_films_and_series(admin_client, titles):
    page = admin_client.get(CHANGELIST).content.decode()
    assert "오징어 게임" in page and "series" in page
    assert _listed(admin_client, kind="series") == {"Squid Game", "Money Heist"}
    assert _listed(admin_client, kind="film") == {"Fargo"}
    assert _listed(admin_client, source="tmdb-tv") == {"Squid Game", "Money Heist"}


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("오징어", {"Squid Game"}),
        ("casa de papel", {"Money Heist"}),
        ("93405", {"Squid Game"}),  # the TMDB id
        ("9340", set()),  # ids match whole
        ("fargo", {"Fargo"}),
    ],
)
def test_it_searches_korean_and_original_titles_and_tmdb_ids(
    admin_client, titles, term, found
):
    assert _listed(admin_client, q=term) == found


def test_it_shows_tmdb_facts_read_only_and_past_offers(admin_client, titles):
    squid = titles["squid"]
    OfferHistory.objects.create(
        movie=squid,
        platform=Platform.objects.get(region="KR", slug="watcha"),
        region="KR",
        offer_type="subscription",
        source="tmdb",
        last_seen=timezone.now() - timedelta(days=3),
        ended_at=timezone.now() - timedelta(days=2),
    )
    page = admin_client.get(_change(squid), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    form = page.context["adminform"].form
    for fact in ("kind", "seasons", "runtime", "original_title", "tmdb_genres"):
        assert fact not in form.fields, fact
    assert "title_ko" in form.fields
    assert "Watcha" in text and "Past offers" in text
    assert 'name="past_offers-0-platform"' not in text  # no editable inline row


def test_it_keeps_the_tmdb_facts_when_staff_edit_a_title(
    admin_client, titles, django_capture_on_commit_callbacks
):
    squid = titles["squid"]
    page = admin_client.get(_change(squid))
    data = {
        **{k: v for k, v in page.context["adminform"].form.initial.items() if v},
        "title": "Squid Game",
        "title_ko": "오징어 게임 2",
        "source": squid.source,
        "source_id": squid.source_id,
        "seasons": 99,
        "kind": "film",
    }
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
    data.pop("genres", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(_change(squid), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    squid.refresh_from_db()
    assert (squid.title_ko, squid.seasons, squid.kind) == ("오징어 게임 2", 2, "series")
    # The search sees the edit at once.
    assert [m.pk for m in movie_search(query="오징어 게임 2")] == [squid.pk]


def test_it_lets_staff_add_a_series_by_hand(admin_client):
    page = admin_client.get(reverse("admin:catalog_movie_add"))
    assert "kind" in page.context["adminform"].form.fields


def test_it_is_for_staff_only(client, owner):
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(owner)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "login" in response.url
