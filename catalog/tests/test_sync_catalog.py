"""manage.py sync_catalog / catalog_sync against a loopback fake TMDB catalogue."""

from __future__ import annotations

import io
import zlib
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from accounts.models import Notification, Profile
from catalog.models import Availability, CatalogSync, Movie, OfferHistory, Platform
from catalog.providers import tmdb
from catalog.selectors import availability_for_movies, movie_search
from catalog.sync import SyncBusy, catalog_sync
from catalog.tests.factories import MovieFactory
from ottsite.testing import FakeTitle, FakeTmdbCatalogue, kr_catalogue

pytestmark = pytest.mark.django_db

KEY = "0123456789abcdef0123456789abcdef"
INCLUDED = {"flatrate": "subscription", "free": "free", "ads": "ads"}


@pytest.fixture
def tmdb_settings(settings, fake_server):
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    settings.TMDB_REQUESTS_PER_SECOND = 10_000
    return settings


def _fake(fake_server, titles: list[FakeTitle]) -> FakeTmdbCatalogue:
    return FakeTmdbCatalogue(fake_server, titles=titles)


@pytest.fixture
def small(tmdb_settings, fake_server):
    """60 titles (films and series) on the KR services."""
    return _fake(fake_server, kr_catalogue(60, seed=1))


def _expected_offers(fake: FakeTmdbCatalogue) -> set[tuple[str, int, int, str]]:
    """(media, TMDB id, provider id, our offer type) of the fake's KR included offers
    on the platforms we list."""
    ours = set(
        Platform.objects.filter(region="KR", is_active=True)
        .exclude(tmdb_provider_id=None)
        .values_list("tmdb_provider_id", flat=True)
    )
    return {
        (t.media, t.id, provider, INCLUDED[kind])
        for t in fake.titles
        for provider, kinds in t.offers.items()
        if provider in ours
        for kind in kinds
        if kind in INCLUDED
    }


def _stored_offers() -> set[tuple[str, int, int, str]]:
    media = {Movie.Kind.FILM: "movie", Movie.Kind.SERIES: "tv"}
    return {
        (media[kind], tmdb_id, provider, offer_type)
        for kind, tmdb_id, provider, offer_type in Availability.objects.filter(
            region="KR", source=Availability.Source.TMDB
        ).values_list(
            "movie__kind", "movie__tmdb_id", "platform__tmdb_provider_id", "offer_type"
        )
    }


def test_it_creates_the_films_and_series_the_services_carry_with_their_offers(small):
    summary = catalog_sync(region="KR")

    carried = {(m, i) for m, i, _, _ in _expected_offers(small)}
    kinds = Counter(
        Movie.objects.filter(source__in=["tmdb-movie", "tmdb-tv"]).values_list(
            "kind", flat=True
        )
    )
    assert kinds["film"] == sum(1 for m, _ in carried if m == "movie")
    assert kinds["series"] == sum(1 for m, _ in carried if m == "tv")
    assert kinds["series"] > 0 and kinds["film"] > 0
    assert _stored_offers() == _expected_offers(small)
    assert summary.new == len(carried)
    assert summary.offers_added == len(_expected_offers(small))
    assert (summary.offers_removed, summary.errors, summary.failed) == (0, 0, "")
    run = CatalogSync.objects.get()
    assert run.status == CatalogSync.Status.DONE and run.finished_at is not None
    assert run.counts["requests"] == summary.requests == small.request_count


def test_it_stores_details_in_korean_and_english(small):
    catalog_sync(region="KR")

    series = next(
        t for t in small.titles if t.media == "tv" and t.title_ko and t.overview_ko
    )
    stored = Movie.objects.get(kind="series", tmdb_id=series.id)
    assert stored.source == "tmdb-tv" and stored.source_id == series.id
    assert stored.title == series.title_en
    assert stored.title_ko == series.title_ko
    assert stored.overview_en[:50] == series.overview_en[:50]
    assert stored.seasons == series.seasons
    assert stored.year == int(series.date[:4])
    assert stored.original_language == series.original_language
    assert stored.origin_countries == series.origin_country
    assert stored.tmdb_genres and stored.details_fetched_at is not None
    # Display facts only: no MovieLens genre rows for TMDB content.
    assert not stored.genres.exists()
    film = next(t for t in small.titles if t.media == "movie" and t.runtime)
    assert Movie.objects.get(kind="film", tmdb_id=film.id).runtime == film.runtime


def test_it_finds_a_synced_series_by_its_korean_and_english_title(small):
    catalog_sync(region="KR")

    series = next(t for t in small.titles if t.media == "tv" and t.title_ko)
    stored = Movie.objects.get(kind="series", tmdb_id=series.id)
    assert stored in movie_search(query=series.title_ko)
    assert stored in movie_search(query=series.title_en)


def test_it_changes_nothing_on_a_second_run_and_fetches_no_details_again(small):
    catalog_sync(region="KR")
    rows = sorted(
        Availability.objects.values_list("movie_id", "platform_id", "offer_type")
    )
    movies = Movie.objects.count()
    small.reset_counts()

    summary = catalog_sync(region="KR")

    assert (summary.new, summary.updated, summary.offers_added) == (0, 0, 0)
    assert summary.offers_removed == 0
    assert Movie.objects.count() == movies
    assert (
        sorted(
            Availability.objects.values_list("movie_id", "platform_id", "offer_type")
        )
        == rows
    )
    for media in ("movie", "tv"):  # no details: only the changes feed was read
        assert small.count(f"/3/{media}/") == small.count(f"/3/{media}/changes") == 1
    assert small.count("/3/discover/") > 0
    assert small.request_count == small.count("/3/discover/") + small.count(
        "/3/movie/changes"
    ) + small.count("/3/tv/changes")


def test_it_moves_an_offer_a_service_no_longer_lists_to_history(small):
    catalog_sync(region="KR")
    title = next(
        t for t in small.titles if t.media == "tv" and "flatrate" in t.offers.get(8, ())
    )
    movie = Movie.objects.get(kind="series", tmdb_id=title.id)
    netflix = Platform.objects.get(region="KR", tmdb_provider_id=8)
    small.remove_offer("tv", title.id, 8)

    summary = catalog_sync(region="KR")

    assert summary.offers_removed >= 1
    assert not Availability.objects.filter(movie=movie, platform=netflix).exists()
    past = OfferHistory.objects.get(movie=movie, platform=netflix)
    assert past.offer_type == "subscription" and past.region == "KR"
    assert past.source == "tmdb" and past.ended_at >= past.last_seen
    current = availability_for_movies(movie_ids=[movie.pk], region="KR")
    assert netflix.pk not in {o.platform_id for o in current.get(movie.pk, [])}
    assert _stored_offers() == _expected_offers(small)


def test_it_keeps_offers_when_the_lists_were_cut_short(
    tmdb_settings,
    fake_server,
):
    fake = _fake(fake_server, kr_catalogue(150, seed=3))
    netflix_films = sorted(
        (
            t
            for t in fake.titles
            if t.media == "movie" and "flatrate" in t.offers.get(8, ())
        ),
        key=lambda t: (-t.popularity, t.id),
    )
    assert len(netflix_films) > 20  # more than one discover page
    catalog_sync(region="KR")
    before = _stored_offers()
    fake.remove_offer("movie", netflix_films[-1].id, 8)

    summary = catalog_sync(region="KR", pages=1)

    assert not summary.complete and summary.offers_removed == 0
    assert _stored_offers() == before
    assert "no offer was removed" in summary.line()


def test_it_never_overwrites_or_prunes_an_offer_an_admin_wrote(small):
    catalog_sync(region="KR")
    title = next(t for t in small.titles if "flatrate" in t.offers.get(8, ()))
    row = Availability.objects.get(
        movie__tmdb_id=title.id,
        movie__kind="film" if title.media == "movie" else "series",
        platform__tmdb_provider_id=8,
        offer_type="subscription",
    )
    Availability.objects.filter(pk=row.pk).update(source="admin", link="")
    small.remove_offer(title.media, title.id, 8)

    catalog_sync(region="KR")

    row.refresh_from_db()
    assert row.source == "admin"


def test_it_matches_movielens_films_rather_than_duplicating_them(
    tmdb_settings,
    fake_server,
):
    toy = MovieFactory(title="Toy Story (1995)", year=1995, source="ml-100k")
    usual = MovieFactory(
        title="Usual Suspects, The (1995)", year=1995, source="ml-100k"
    )
    linked = MovieFactory(
        title="Fight Club (1999)", year=1999, source="ml-latest-small", tmdb_id=550
    )
    fake = _fake(
        fake_server,
        kr_catalogue(
            30,
            seed=2,
            movielens=[
                (None, "Toy Story (1995)", 1995),
                (None, "Usual Suspects, The (1995)", 1995),
                (550, "Fight Club (1999)", 1999),
            ],
        ),
    )

    summary = catalog_sync(region="KR")

    for movie, title in ((toy, "Toy Story"), (usual, "The Usual Suspects")):
        tmdb_title = next(t for t in fake.titles if t.title_en == title)
        movie.refresh_from_db()
        assert movie.tmdb_id == tmdb_title.id
        assert not Movie.objects.filter(source="tmdb-movie", tmdb_id=tmdb_title.id)
        assert movie.availabilities.exists()
    toy.refresh_from_db()
    assert toy.title == "Toy Story (1995)" and toy.year == 1995  # MovieLens's own
    assert toy.details_fetched_at is not None
    assert Movie.objects.filter(tmdb_id=550).get() == linked
    assert linked.availabilities.exists() == bool(
        fake.title("movie", 550).offers.keys() & {8, 1883, 1881, 356, 337, 97, 350, 119}
    )
    assert summary.matched == 2


def _quick_client():
    """The real client with short backoffs (the retries, not the waits, are tested)."""
    return tmdb.tmdb_client(backoff=0.01)


def test_it_backs_off_on_429_and_5xx_and_finishes(small):
    small.fail_next(2, status=429, retry_after=0)
    first = catalog_sync(region="KR", provider_ids=[8], media=["movie"])
    small.fail_next(2, status=503)
    second = catalog_sync(
        region="KR", provider_ids=[8], media=["tv"], client=_quick_client()
    )

    assert not first.failed and not second.failed
    assert first.errors == 0 and second.errors == 0
    assert {m for m, _, p, _ in _stored_offers()} == {"movie", "tv"}


def test_it_stops_on_an_outage_and_the_next_run_resumes_where_it_stopped(small):
    small.fail_next(1000, status=503, path_prefix="/3/discover/tv")

    stopped = catalog_sync(region="KR", client=_quick_client())

    assert stopped.failed and "503" in stopped.failed
    run = CatalogSync.objects.get()
    assert run.status == CatalogSync.Status.FAILED
    assert Movie.objects.filter(kind="film", source="tmdb-movie").exists()
    assert not Movie.objects.filter(kind="series").exists()
    small.fail_next(0)
    small.reset_counts()

    resumed = catalog_sync(region="KR")

    assert resumed.resumed and not resumed.failed and resumed.complete
    assert CatalogSync.objects.get().status == CatalogSync.Status.DONE
    assert small.count("/3/discover/movie") == 0  # those lists were done
    assert _stored_offers() == _expected_offers(small)
    assert resumed.new == len({(m, i) for m, i, _, _ in _expected_offers(small)})


def test_it_fetches_details_again_for_titles_changed_at_tmdb(small):
    catalog_sync(region="KR")
    title = next(t for t in small.titles if t.media == "tv" and t.title_ko)
    seasons = (title.seasons or 1) + 1
    small.touch("tv", title.id, title_ko="새 제목", seasons=seasons)
    small.reset_counts()

    summary = catalog_sync(region="KR")

    stored = Movie.objects.get(kind="series", tmdb_id=title.id)
    assert stored.title_ko == "새 제목" and stored.seasons == seasons
    assert summary.updated == 1
    assert small.count(f"/3/tv/{title.id}") == 2  # ko-KR and en-US
    assert small.count("/3/movie/") == small.count("/3/movie/changes")


def test_it_alerts_a_watchlist_owner_when_a_title_leaves_their_service(
    small, owner, django_capture_on_commit_callbacks
):
    from recommender.models import WatchlistItem

    catalog_sync(region="KR")
    title = next(t for t in small.titles if "flatrate" in t.offers.get(8, ()))
    movie = Movie.objects.get(
        kind="film" if title.media == "movie" else "series", tmdb_id=title.id
    )
    netflix = Platform.objects.get(region="KR", tmdb_provider_id=8)
    profile, _ = Profile.objects.get_or_create(user=owner)
    profile.subscriptions.add(netflix)
    WatchlistItem.objects.create(user=owner, movie=movie)
    small.remove_offer(title.media, title.id, 8)

    with django_capture_on_commit_callbacks(execute=True):  # alerts follow the commit
        catalog_sync(region="KR")

    note = Notification.objects.get(user=owner, movie=movie)
    assert note.left == ["Netflix"]


def test_it_refuses_a_second_sync_of_a_region_that_is_running(small):
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s)", [zlib.crc32(b"catalog-sync:KR")]
            )
        with pytest.raises(SyncBusy, match="running now"):
            catalog_sync(region="KR")
        assert not CatalogSync.objects.exists()
    finally:
        other.close()


def test_the_command_says_so_without_a_key_and_changes_nothing(settings):
    settings.TMDB_API_KEY = ""
    out = io.StringIO()

    call_command("sync_catalog", stdout=out)

    assert "TMDB_API_KEY is not set" in out.getvalue()
    assert not CatalogSync.objects.exists()
    assert not Movie.objects.exists()


def test_the_command_prints_one_summary_line(small):
    out = io.StringIO()

    call_command("sync_catalog", "--region", "KR", stdout=out, stderr=io.StringIO())

    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("KR sync: titles ") and " new, " in lines[0]
    assert "offers " in lines[0] and " removed; 0 errors;" in lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--provider", "424242"], "424242"),
        (["--pages", "0"], "pages"),
        (["--rate", "0"], "--rate"),
    ],
)
def test_the_command_refuses_bad_arguments(small, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("sync_catalog", *args, stdout=io.StringIO())
    assert not Movie.objects.exists()


def test_the_nightly_task_syncs_and_is_scheduled(small, settings):
    from catalog.tasks import catalog_sync_task

    result = catalog_sync_task.apply(args=("KR",)).get()

    assert result["status"] == "done" and result["summary"].startswith("KR sync")
    assert settings.CELERY_BEAT_SCHEDULE["catalog-sync"]["task"] == "catalog.sync_all"
    assert CatalogSync.objects.get().status == CatalogSync.Status.DONE


def test_it_makes_stale_only_the_cached_pages_of_titles_it_changed(
    small, django_capture_on_commit_callbacks
):
    from ottsite.lib.generations import generations, movie_generations

    catalog_sync(region="KR")
    title = next(t for t in small.titles if "flatrate" in t.offers.get(8, ()))
    kind = "film" if title.media == "movie" else "series"
    changed = Movie.objects.get(kind=kind, tmdb_id=title.id)
    untouched = Movie.objects.exclude(pk=changed.pk).filter(source="tmdb-tv").first()
    small.remove_offer(title.media, title.id, 8)
    ids = [changed.pk, untouched.pk]
    before, catalogue = movie_generations(movie_ids=ids), generations(user_id=0)[0]

    with django_capture_on_commit_callbacks(execute=True):
        catalog_sync(region="KR")

    after = movie_generations(movie_ids=ids)
    assert after[changed.pk] > before[changed.pk]
    assert after[untouched.pk] == before[untouched.pk]
    assert generations(user_id=0)[0] == catalogue  # not every user's cache


def test_it_counts_as_a_fresh_check_so_pages_ask_no_look_up(small):
    from catalog.lookup import movies_due_for_lookup

    catalog_sync(region="KR")

    synced = list(
        Movie.objects.filter(source__in=["tmdb-movie", "tmdb-tv"]).values_list(
            "pk", flat=True
        )
    )
    assert synced and movies_due_for_lookup(movie_ids=synced) == []


def test_a_synced_series_is_looked_up_on_tmdb_as_a_series(small):
    from catalog.availability import movie_availability_refresh_tmdb

    catalog_sync(region="KR")
    title = next(t for t in small.titles if t.media == "tv" and 8 in t.offers)
    series = Movie.objects.get(kind="series", tmdb_id=title.id)
    small.reset_counts()

    result = movie_availability_refresh_tmdb(movie_id=series.pk)

    assert result.status == "ok"
    assert small.count(f"/3/tv/{title.id}/watch/providers") == 1
    assert small.count("/3/movie/") == 0 and small.count("/3/search/") == 0
    assert Availability.objects.filter(
        movie=series, platform__tmdb_provider_id=8, source="tmdb"
    ).exists()
