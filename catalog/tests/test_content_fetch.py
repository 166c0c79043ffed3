"""content_fetch / fetch_content / the sync's content step against a fake Wikidata."""

from __future__ import annotations

import io
from datetime import timedelta
from functools import partial

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.content import NO_CONTENT, content_fetch, content_for
from catalog.models import CatalogSync, Movie, TitleContent, WikidataLabel
from catalog.providers import wikidata
from catalog.search import movie_search, search_index_clear
from catalog.sync import catalog_sync
from catalog.tests.test_sync_catalog import KEY
from ottsite.testing import (
    COUNTRY_ITEMS,
    LANGUAGE_ITEMS,
    FakeServer,
    FakeTitle,
    FakeTmdbCatalogue,
    FakeWikidata,
    kr_catalogue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wikidata_server():
    server = FakeServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def titles() -> list[FakeTitle]:
    return kr_catalogue(60, seed=1)


@pytest.fixture
def wiki(settings, wikidata_server, titles) -> FakeWikidata:
    fake = FakeWikidata(wikidata_server, titles=titles, seed=1)
    settings.WIKIDATA_ENABLED = True
    settings.WIKIDATA_API_URL = fake.api_url
    settings.WIKIDATA_CONTACT = "ops@example.com"
    settings.WIKIDATA_REQUESTS_PER_SECOND = 10_000
    return fake


def _movie(title: FakeTitle, **overrides) -> Movie:
    """The catalogue entry a sync makes of a fake TMDB title."""
    is_film = title.media == "movie"
    values = {
        "source": Movie.SOURCE_TMDB_MOVIE if is_film else Movie.SOURCE_TMDB_TV,
        "source_id": title.id,
        "kind": Movie.Kind.FILM if is_film else Movie.Kind.SERIES,
        "tmdb_id": title.id,
        "imdb_id": title.imdb_id or "",
        "title": title.title_en,
    }
    return Movie.objects.create(**{**values, **overrides})


def _quick_client(**overrides) -> wikidata.JsonClient:
    return wikidata.wikidata_client(backoff=0.001, **overrides)


def _labels(fake: FakeWikidata, qids: list[str], language: str = "en") -> list[str]:
    other = "ko" if language == "en" else "en"
    names = [fake.label(q, language) or fake.label(q, other) for q in qids]
    return [name for name in names if name]


def _with(fake: FakeWikidata, titles: list[FakeTitle], media: str, *props: str):
    """The first title of `media` whose item records all of `props`."""
    return next(
        t
        for t in titles
        if t.media == media
        and t.wikidata_id
        and all(fake.values(t.wikidata_id, p) for p in props)
    )


def test_it_finds_a_film_by_its_tmdb_id_and_stores_what_wikidata_says(wiki, titles):
    title = _with(wiki, titles, "movie", "P4947", "P57", "P577", "P364")
    movie = _movie(title)

    summary = content_fetch(movie_ids=[movie.pk])

    assert (summary.found, summary.not_found, summary.errors) == (1, 0, 0)
    row = TitleContent.objects.get(movie=movie)
    qid = title.wikidata_id
    assert (row.status, row.wikidata_id, row.source) == ("found", qid, "wikidata")
    assert row.label_en == title.title_en
    fields = row.fields
    assert fields["instance_of"] == ["film"]
    assert fields["directors"] == _labels(wiki, wiki.values(qid, "P57"))
    cast = wiki.values(qid, "P161")
    assert len(cast) > 0 and fields["cast"] == _labels(wiki, cast[:10])
    assert row.item_ids["cast"] == cast[:10]
    assert fields["screenwriters"] == _labels(wiki, wiki.values(qid, "P58"))
    assert fields["genres"] == _labels(
        wiki, list(dict.fromkeys(wiki.values(qid, "P136")))
    )
    assert fields["original_language"] == [LANGUAGE_ITEMS[title.original_language][1]]
    assert fields["countries"] == [COUNTRY_ITEMS[c][1] for c in title.origin_country]
    assert fields["date"] == title.date
    assert fields["duration"] == title.runtime


def test_it_leaves_out_deprecated_statements_and_cuts_the_cast_at_ten(wiki, titles):
    title = next(
        t
        for t in titles
        if t.wikidata_id
        and any(
            s["rank"] == "deprecated"
            for s in wiki.items[t.wikidata_id]["claims"].get("P136", ())
        )
        and len(wiki.values(t.wikidata_id, "P161")) > 10
    )
    movie = _movie(title)

    content_fetch(movie_ids=[movie.pk])

    row = TitleContent.objects.get(movie=movie)
    assert row.item_ids["genres"] == list(
        dict.fromkeys(wiki.values(title.wikidata_id, "P136"))
    )
    assert len(row.fields["cast"]) == 10


def test_it_finds_a_series_by_its_tmdb_series_id_not_the_film_sharing_it(
    settings, wikidata_server
):
    film = FakeTitle("movie", 4242, "Harbour Lights", wikidata_id="Q4242001")
    series = FakeTitle(
        "tv",
        4242,
        "Harbour Days",
        title_ko="항구의 나날",
        original_language="ko",
        origin_country=["KR"],
        date="2021-05-01",
        wikidata_id="Q4242002",
    )
    fake = FakeWikidata(wikidata_server, titles=[film, series], imdb_only_share=0)
    settings.WIKIDATA_API_URL = fake.api_url
    settings.WIKIDATA_REQUESTS_PER_SECOND = 10_000
    movies = [_movie(film), _movie(series)]

    content_fetch(movie_ids=[m.pk for m in movies], client=_quick_client())

    rows = {r.movie_id: r for r in TitleContent.objects.all()}
    assert rows[movies[0].pk].wikidata_id == "Q4242001"
    assert rows[movies[1].pk].wikidata_id == "Q4242002"
    assert rows[movies[1].pk].fields["instance_of"] == ["television series"]
    assert rows[movies[1].pk].fields["date"] == "2021-05-01"  # start time (P580)
    searched = [
        r.query["srsearch"][0]
        for r in wikidata_server.requests
        if "srsearch" in r.query
    ]
    assert searched == ["haswbstatement:P4947=4242|P4983=4242"]


def test_it_finds_a_title_by_its_imdb_id_when_wikidata_lacks_the_tmdb_id(wiki, titles):
    title = _with(wiki, titles, "movie", "P4947", "P345")
    wiki.drop_claims(title.wikidata_id, "P4947")
    synced = _movie(title)
    other = _with(wiki, [t for t in titles if t is not title], "movie", "P345")
    movielens = Movie.objects.create(
        source="ml-latest-small",
        source_id=1,
        title=other.title_en,
        imdb_id=other.imdb_id,
    )

    summary = content_fetch(movie_ids=[synced.pk, movielens.pk])

    assert summary.found == 2
    rows = {r.movie_id: r for r in TitleContent.objects.all()}
    assert rows[synced.pk].wikidata_id == title.wikidata_id
    assert rows[movielens.pk].wikidata_id == other.wikidata_id
    searched = [
        r.query["srsearch"][0] for r in wiki.server.requests if "srsearch" in r.query
    ]
    assert searched == [
        f"haswbstatement:P4947={title.id}",
        "haswbstatement:"
        + "|".join(sorted([f"P345={title.imdb_id}", f"P345={other.imdb_id}"])),
    ]


def test_it_stores_the_korean_label_and_korean_names_on_request(wiki, titles):
    title = next(t for t in titles if t.media == "tv" and t.title_ko and t.wikidata_id)
    movie = _movie(title)

    content_fetch(movie_ids=[movie.pk])

    row = TitleContent.objects.get(movie=movie)
    assert row.label_ko == title.title_ko and row.label_en == title.title_en
    qid = title.wikidata_id
    korean = content_for([movie.pk], language="ko")[movie.pk]
    assert korean["label_ko"] == title.title_ko
    assert korean["fields"]["cast"] == _labels(
        wiki, wiki.values(qid, "P161")[:10], "ko"
    )
    assert korean["fields"]["instance_of"] == ["텔레비전 드라마"]
    assert content_for([movie.pk])[movie.pk]["fields"]["instance_of"] == [
        "television series"
    ]
    assert WikidataLabel.objects.filter(qid=wiki.values(qid, "P161")[0]).exists()


def test_it_says_so_when_a_title_has_no_content(wiki, titles):
    unknown = next(t for t in titles if not t.wikidata_id and t.imdb_id)
    movie = _movie(unknown)
    bare = Movie.objects.create(source="ml-100k", source_id=7, title="Old Film")
    never = _movie(next(t for t in titles if t.wikidata_id))

    summary = content_fetch(movie_ids=[movie.pk, bare.pk])

    assert (summary.found, summary.not_found) == (0, 2)
    content = content_for([movie.pk, bare.pk, never.pk])
    assert content[movie.pk]["status"] == "not_found"
    kind = "film" if unknown.media == "movie" else "series"
    assert content[movie.pk]["message"] == (
        f"Wikidata has no item recording TMDB {kind} {unknown.id} "
        f"or IMDb {unknown.imdb_id}"
    )
    assert content[bare.pk]["status"] == "not_found"
    assert content[bare.pk]["message"] == "No TMDB or IMDb id or year to look it up by"
    assert content[never.pk] == {"status": "none", "message": NO_CONTENT, "fields": {}}


def test_it_treats_an_item_deleted_since_the_search_index_saw_it_as_not_found(
    wiki, titles
):
    title = _with(wiki, titles, "movie", "P4947")
    wiki.delete(title.wikidata_id)
    movie = _movie(title)

    summary = content_fetch(movie_ids=[movie.pk])

    assert summary.not_found == 1
    assert TitleContent.objects.get(movie=movie).status == "not_found"


def test_it_backs_off_on_429_and_maxlag_as_told_and_finishes(wiki, titles):
    waits: list[float] = []
    client = wikidata.wikidata_client(sleep=waits.append)
    films = [_movie(t) for t in titles if t.media == "movie" and t.wikidata_id][:5]
    wiki.fail_next(2, kind="429", retry_after=3)

    first = content_fetch(movie_ids=[m.pk for m in films[:3]], client=client)

    assert waits == [3, 3]
    wiki.fail_next(2, kind="maxlag", retry_after=5)

    second = content_fetch(movie_ids=[m.pk for m in films], client=client)

    assert waits == [3, 3, 5, 5]
    assert first.errors == second.errors == 0
    assert first.found + second.found == len(films)
    sent = wiki.server.requests
    assert all(
        r.query["maxlag"] == ["5"] and r.query["format"] == ["json"] for r in sent
    )
    agent = sent[0].headers["User-Agent"]
    assert agent.startswith("ottsite/") and "ops@example.com" in agent


def test_it_marks_errors_when_wikidata_stays_lagged_and_retries_them_next_run(
    wiki, titles
):
    films = [_movie(t) for t in titles if t.media == "movie" and t.wikidata_id][:4]
    ids = [m.pk for m in films]
    wiki.fail_next(100, kind="maxlag", retry_after=0)

    failed = content_fetch(movie_ids=ids, client=_quick_client())

    assert (failed.found, failed.errors) == (0, 4)
    assert "maxlag" in failed.error_messages[0]
    assert set(TitleContent.objects.values_list("status", flat=True)) == {"error"}
    wiki.fail_next(0)

    again = content_fetch(movie_ids=ids, client=_quick_client())

    assert (again.found, again.errors, again.fresh) == (4, 0, 0)


def test_a_second_run_asks_nothing_and_a_refresh_asks_only_for_stale_titles(
    wiki, titles
):
    movies = [_movie(t) for t in titles]
    ids = [m.pk for m in movies]

    first = content_fetch(movie_ids=ids)

    assert first.found + first.not_found == len(movies) and first.errors == 0
    assert first.found == sum(1 for t in titles if t.wikidata_id)
    assert first.requests == wiki.count()
    searches = [
        r.query["srsearch"][0] for r in wiki.server.requests if "srsearch" in r.query
    ]
    assert all(len(s) <= 300 for s in searches) and len(searches) > 1
    wiki.reset_counts()

    second = content_fetch(movie_ids=ids)

    assert (second.requests, second.fresh, wiki.count()) == (0, len(movies), 0)
    old = timezone.now() - timedelta(days=31)
    stale = [m.pk for m in movies[:5]]
    TitleContent.objects.filter(movie_id__in=stale).update(fetched_at=old)

    third = content_fetch(movie_ids=ids)

    assert third.found + third.not_found == 5 and third.fresh == len(movies) - 5
    # Only the five titles' searches and items: every label was cached.
    assert wiki.count("wbgetentities") == wiki.count("wbgetentities labels|claims")
    assert wiki.count() == third.requests <= 3


@pytest.fixture
def tmdb(settings, fake_server, titles):
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    settings.TMDB_REQUESTS_PER_SECOND = 10_000
    return FakeTmdbCatalogue(fake_server, titles=titles)


def test_the_sync_fetches_content_for_the_titles_it_created(tmdb, wiki):
    summary = catalog_sync(region="KR")

    synced = Movie.objects.filter(source__in=["tmdb-movie", "tmdb-tv"])
    assert TitleContent.objects.count() == synced.count() > 0
    found = TitleContent.objects.filter(status="found").count()
    assert found > 0 and summary.errors == 0
    assert f"; content {found:,} found, " in summary.line()
    assert summary.requests == tmdb.request_count  # Wikidata's are counted apart


def test_an_outage_of_wikidata_during_a_sync_does_not_fail_it(tmdb, wiki, monkeypatch):
    # The real client with short backoffs (the retries, not the waits, are tested).
    quick = partial(wikidata.wikidata_client, backoff=0.001)
    monkeypatch.setattr(wikidata, "wikidata_client", quick)
    wiki.down = True

    summary = catalog_sync(region="KR")

    assert not summary.failed and summary.complete
    assert CatalogSync.objects.get().status == CatalogSync.Status.DONE
    assert summary.errors > 0 and "503" in summary.error_messages[0]
    assert Movie.objects.filter(source="tmdb-tv").exists()
    assert not TitleContent.objects.filter(status="found").exists()
    wiki.down = False

    again = catalog_sync(region="KR")  # nothing changed at TMDB: the errors are due

    assert again.errors == 0
    assert not TitleContent.objects.filter(status="error").exists()
    assert TitleContent.objects.filter(status="found").exists()


def test_the_command_prints_one_summary_line(wiki, titles):
    for title in titles[:10]:
        _movie(title)
    other = next(t for t in titles[10:] if t.wikidata_id and t.media == "movie")
    Movie.objects.create(
        source="ml-latest-small",
        source_id=1,
        title=other.title_en,
        tmdb_id=other.id,
    )
    out = io.StringIO()

    call_command("fetch_content", "--limit", "4", stdout=out, stderr=io.StringIO())

    assert TitleContent.objects.count() == 4
    call_command("fetch_content", "--all", stdout=out, stderr=io.StringIO())

    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("Content from Wikidata: ") for line in lines)
    assert all(" 0 errors, 0 already fresh; " in line for line in lines)
    # The synced titles left and the MovieLens film (--all) are done.
    assert TitleContent.objects.count() == 11


def test_the_command_says_so_when_wikidata_is_off(settings, titles):
    settings.WIKIDATA_ENABLED = False
    _movie(titles[0])
    out = io.StringIO()

    call_command("fetch_content", stdout=out)

    assert "WIKIDATA_ENABLED is off" in out.getvalue()
    assert not TitleContent.objects.exists()


def test_it_finds_a_movielens_film_by_its_english_title_and_year(wiki):
    wiki.add_film("Q47703", en="The Godfather", ko="대부", year=1972)
    wiki.add_film("Q1000001", en="Titanic", year=1953)  # same title, another year
    wiki.add_film("Q44578", en="Titanic", ko="타이타닉", year=1997)
    wiki.add_film(
        "Q1000002", en="Toy Story", ko="토이 스토리", year=1995, instance="Q29168811"
    )
    godfather = Movie.objects.create(
        source="ml-100k", source_id=127, title="Godfather, The", year=1972
    )
    titanic = Movie.objects.create(
        source="ml-100k", source_id=313, title="Titanic", year=1997
    )
    toy_story = Movie.objects.create(
        source="ml-100k", source_id=1, title="Toy Story", year=1995
    )
    search_index_clear()
    assert movie_search(query="대부") == []

    summary = content_fetch(movie_ids=[godfather.pk, titanic.pk, toy_story.pk])

    assert (summary.found, summary.not_found, summary.errors) == (3, 0, 0)
    rows = {r.movie_id: r for r in TitleContent.objects.all()}
    assert (rows[godfather.pk].wikidata_id, rows[godfather.pk].label_ko) == (
        "Q47703",
        "대부",
    )
    assert rows[titanic.pk].wikidata_id == "Q44578"  # not the 1953 film
    assert rows[toy_story.pk].label_ko == "토이 스토리"  # an animated feature film
    assert rows[godfather.pk].fields["date"] == "1972-06-01"
    # The search reads the Korean labels at once.
    assert movie_search(query="대부") == [godfather]
    assert wiki.count("search") == 3


def test_it_finds_a_foreign_film_by_its_english_alternate_title(wiki):
    wiki.add_film(
        "Q1000003",
        en="The City of Lost Children",
        ko="잃어버린 아이들의 도시",
        year=1995,
    )
    movie = Movie.objects.create(
        source="ml-100k",
        source_id=1000,
        title="Cité des enfants perdus, La (City of Lost Children, The)",
        year=1995,
    )

    content_fetch(movie_ids=[movie.pk])

    row = TitleContent.objects.get(movie=movie)
    assert (row.status, row.label_ko) == ("found", "잃어버린 아이들의 도시")


def test_it_takes_no_film_of_another_year_or_another_title(wiki):
    wiki.add_film("Q1000004", en="Psycho", ko="싸이코", year=1960)
    wiki.add_film("Q1000005", en="Psycho II", year=1998)
    remake = Movie.objects.create(
        source="ml-100k", source_id=1, title="Psycho", year=1998
    )

    summary = content_fetch(movie_ids=[remake.pk])

    assert (summary.found, summary.not_found) == (0, 1)
    row = TitleContent.objects.get(movie=remake)
    assert row.message == "Wikidata has no film titled 'Psycho' from 1998"
