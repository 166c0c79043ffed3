"""kobis_titles_fetch / fetch_content's KOBIS step against a loopback fake KOBIS."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from catalog.kobis import KobisNotConfigured, kobis_titles_fetch
from catalog.models import KobisTitle, Movie, TitleContent
from catalog.providers import kobis
from catalog.search import movie_search
from ottsite.testing import (
    KOBIS_KEY,
    FakeKobis,
    FakeServer,
    KobisFilm,
)

pytestmark = pytest.mark.django_db

FILMS = [
    KobisFilm("19980001", "타이타닉", "Titanic", "1997", "19980220"),
    KobisFilm("19530001", "타이타닉호의 비극", "Titanic", "1953"),
    KobisFilm("19720001", "대부", "The Godfather", "1972", "19770917"),
    KobisFilm("19950011", "세븐", "Seven", "", "19960113"),
    KobisFilm("20100001", "대부 다큐", "The Godfather Legacy", "2010"),
]


@pytest.fixture
def fake(settings, fake_server: FakeServer) -> FakeKobis:
    fake = FakeKobis(fake_server, FILMS)
    settings.KOBIS_API_KEY = KOBIS_KEY
    settings.KOBIS_API_URL = fake.api_url
    cache.clear()
    yield fake
    cache.clear()


def _film(title: str, year: int, **values) -> Movie:
    return Movie.objects.create(
        source="ml-100k", source_id=Movie.objects.count() + 1, title=title, year=year,
        **values,
    )  # fmt: skip


def test_it_stores_the_korean_title_of_the_film_with_that_english_title_and_year(
    fake,
):
    titanic = _film("Titanic", 1997)
    godfather = _film("Godfather, The", 1972)
    seven = _film("Seven (Se7en)", 1995)  # no production year: released in 1996
    assert movie_search(query="대부") == []

    summary = kobis_titles_fetch(movie_ids=[titanic.pk, godfather.pk, seven.pk])

    assert (summary.found, summary.not_found, summary.errors) == (3, 0, 0)
    rows = {r.movie_id: r for r in KobisTitle.objects.all()}
    assert (rows[titanic.pk].movie_cd, rows[titanic.pk].title_ko) == (
        "19980001",
        "타이타닉",
    )  # not the 1953 film
    assert rows[godfather.pk].title_ko == "대부"
    assert rows[seven.pk].title_ko == "세븐"
    assert fake.searches == ["Titanic", "The Godfather", "Seven"]
    # The search reads them at once.
    assert movie_search(query="대부") == [godfather]


def test_it_asks_only_for_films_no_source_names_in_korean(fake):
    from_tmdb = _film("Titanic", 1997, title_ko="타이타닉 (TMDB)")
    from_wikidata = _film("Godfather, The", 1972)
    TitleContent.objects.create(
        movie=from_wikidata, label_ko="대부", status="found", fetched_at=timezone.now()
    )
    asked = _film("Seven (Se7en)", 1995)

    summary = kobis_titles_fetch(movie_ids=[from_tmdb.pk, from_wikidata.pk, asked.pk])

    assert (summary.found, summary.requests) == (1, 1)
    assert fake.searches == ["Seven"]
    from_tmdb.refresh_from_db()
    assert from_tmdb.title_ko == "타이타닉 (TMDB)"  # never replaced
    # A second run asks nothing: the answer is kept CONTENT_REFRESH_DAYS.
    assert kobis_titles_fetch(movie_ids=[asked.pk]).requests == 0


def test_it_takes_no_film_of_another_year_or_title(fake):
    remake = _film("Godfather, The", 1990)
    other = _film("Godfather Legacy", 2010)  # KOBIS says "The Godfather Legacy"

    summary = kobis_titles_fetch(movie_ids=[remake.pk, other.pk])

    assert (summary.found, summary.not_found) == (0, 2)
    row = KobisTitle.objects.get(movie=remake)
    assert (row.status, row.message) == (
        "not_found",
        "KOBIS has no film 'The Godfather' from 1990",
    )


def test_it_stops_at_a_refused_key_and_retries_next_run(settings, fake):
    films = [_film("Titanic", 1997), _film("Godfather, The", 1972)]
    settings.KOBIS_API_KEY = "wrong"

    summary = kobis_titles_fetch(movie_ids=[f.pk for f in films])

    assert (summary.found, summary.errors, summary.requests) == (0, 1, 1)
    assert (
        "KOBIS refused: 320010: 유효하지않은 키값입니다." in summary.error_messages[0]
    )
    assert KobisTitle.objects.get().status == "error"
    settings.KOBIS_API_KEY = KOBIS_KEY
    assert kobis_titles_fetch(movie_ids=[f.pk for f in films]).found == 2


def test_it_reads_the_kobis_answer(fake):
    client = kobis.kobis_client()
    rows = kobis.search_movies(client, name="titanic")
    assert [(r.movie_cd, r.title_ko, r.production_year) for r in rows] == [
        ("19530001", "타이타닉호의 비극", 1953),
        ("19980001", "타이타닉", 1997),
    ]
    assert rows[1].open_year == 1998
    hit = fake.server.requests[-1]
    assert hit.query["key"] == [KOBIS_KEY] and hit.query["itemPerPage"] == ["100"]


def test_it_is_off_without_a_key(settings, fake):
    settings.KOBIS_API_KEY = ""
    film = _film("Titanic", 1997)
    with pytest.raises(KobisNotConfigured):
        kobis_titles_fetch(movie_ids=[film.pk])
    out = io.StringIO()
    call_command("fetch_content", "--all", stdout=out)
    assert "KOBIS" not in out.getvalue() and fake.searches == []


def test_the_command_asks_kobis_after_wikidata(fake):
    _film("Titanic", 1997)
    out = io.StringIO()

    call_command("fetch_content", "--all", stdout=out, stderr=io.StringIO())

    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "WIKIDATA_ENABLED is off: no content fetched."
    assert lines[1].startswith("Korean titles from KOBIS: 1 found, 0 not found, 0 ")
