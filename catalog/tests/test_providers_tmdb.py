from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.availability import movie_availability_refresh_tmdb
from catalog.models import Availability, AvailabilityCheck, Movie, Platform
from catalog.providers.http import (
    ProviderAuthError,
    ProviderBadResponse,
    ProviderRateLimited,
    ProviderUnavailable,
)
from catalog.providers.tmdb import tmdb_client
from catalog.tasks import (
    availability_refresh_stale_task,
    availability_refresh_tmdb_task,
)
from ottsite.testing import (
    FIGHT_CLUB_PROVIDERS,
    TMDB_401,
    TMDB_404,
    TMDB_429,
    Canned,
    tmdb_movie,
)

pytestmark = pytest.mark.django_db

PROVIDERS = "/3/movie/550/watch/providers"


@pytest.fixture
def tmdb(settings, fake_server):
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = "0123456789abcdef0123456789abcdef"
    return fake_server


@pytest.fixture
def fight_club():
    return Movie.objects.create(
        source="t", source_id=1, title="Fight Club", year=1999, tmdb_id=550
    )


@pytest.fixture
def existing(fight_club):
    """Rows from every source that a failed call must leave exactly as they are."""
    old = timezone.now() - timedelta(days=90)
    kr = {p.slug: p for p in Platform.objects.filter(region="KR")}
    us = {p.slug: p for p in Platform.objects.filter(region="US")}
    rows = [
        (kr["netflix"], "subscription", "tmdb"),
        (kr["tving"], "subscription", "admin"),
        (us["hulu"], "subscription", "snapshot"),
    ]
    Availability.objects.bulk_create(
        Availability(
            movie=fight_club,
            platform=p,
            region=p.region,
            offer_type=kind,
            source=source,
            last_checked=old,
        )
        for p, kind, source in rows
    )
    return snapshot_rows()


def snapshot_rows() -> list[tuple]:
    return sorted(
        Availability.objects.values_list(
            "movie_id", "platform__slug", "region", "offer_type", "source", "link"
        )
    )


def fast_client(**kwargs):
    return tmdb_client(backoff=0.01, max_retries=2, **kwargs)


def test_it_writes_every_region_offer_mapped_to_our_platforms(tmdb, fight_club):
    tmdb.add(PROVIDERS, Canned(200, FIGHT_CLUB_PROVIDERS))
    result = movie_availability_refresh_tmdb(
        movie_id=fight_club.pk, client=fast_client()
    )
    assert result.status == "ok"
    assert [(s, r, t, src) for _, s, r, t, src, _ in snapshot_rows()] == [
        ("disney-plus", "KR", "subscription", "tmdb"),
        ("netflix", "US", "subscription", "tmdb"),
        ("prime-video", "KR", "subscription", "tmdb"),
        ("wavve", "KR", "buy", "tmdb"),
    ]
    # Google Play (3), Amazon Video (10) and Spain are not platforms of ours.
    assert Availability.objects.filter(region="KR").first().link.endswith("locale=KR")
    assert tmdb.hits(PROVIDERS)[0].query["api_key"] == [
        "0123456789abcdef0123456789abcdef"
    ]
    check = AvailabilityCheck.objects.get(movie=fight_club, source="tmdb")
    assert (check.status, check.offers) == ("ok", 4)


def test_it_sends_a_v4_token_as_bearer(tmdb, fight_club, settings):
    settings.TMDB_API_KEY = "eyJhbGciOiJIUzI1NiJ9.token"
    tmdb.add(PROVIDERS, Canned(200, FIGHT_CLUB_PROVIDERS))
    movie_availability_refresh_tmdb(movie_id=fight_club.pk, client=fast_client())
    request = tmdb.hits(PROVIDERS)[0]
    assert request.headers["Authorization"] == "Bearer eyJhbGciOiJIUzI1NiJ9.token"
    assert "api_key" not in request.query


def test_it_handles_missing_offer_types_and_drops_only_its_own_gone_rows(
    tmdb, fight_club, existing
):
    body = {
        "id": 550,
        "results": {"KR": {"link": "https://tmdb/kr", "buy": [{"provider_id": 356}]}},
    }
    tmdb.add(PROVIDERS, Canned(200, body))
    result = movie_availability_refresh_tmdb(
        movie_id=fight_club.pk, client=fast_client()
    )
    assert (result.written, result.deleted) == (1, 1)
    rows = {(s, t, src) for _, s, _, t, src, _ in snapshot_rows()}
    # TMDB's old KR netflix row is gone; admin and snapshot rows stay.
    assert rows == {
        ("tving", "subscription", "admin"),
        ("hulu", "subscription", "snapshot"),
        ("wavve", "buy", "tmdb"),
    }


def test_it_never_overwrites_an_admin_row(tmdb, fight_club, existing):
    body = {
        "id": 550,
        "results": {"KR": {"link": "https://x", "flatrate": [{"provider_id": 1883}]}},
    }
    tmdb.add(PROVIDERS, Canned(200, body))
    movie_availability_refresh_tmdb(movie_id=fight_club.pk, client=fast_client())
    tving = Availability.objects.get(platform__slug="tving", region="KR")
    assert (tving.source, tving.link) == ("admin", "")


def test_it_keeps_rows_when_tmdb_answers_404(tmdb, fight_club, existing):
    tmdb.add(PROVIDERS, Canned(404, TMDB_404))
    result = movie_availability_refresh_tmdb(
        movie_id=fight_club.pk, client=fast_client()
    )
    assert result.status == "not_found"
    assert "could not be found" in result.message
    assert snapshot_rows() == existing
    check = AvailabilityCheck.objects.get(movie=fight_club, source="tmdb")
    assert check.status == "not_found"


def test_it_waits_for_retry_after_then_succeeds(tmdb, fight_club):
    tmdb.add(
        PROVIDERS,
        Canned(429, TMDB_429, {"Retry-After": "1"}),
        Canned(200, FIGHT_CLUB_PROVIDERS),
    )
    started = time.monotonic()
    result = movie_availability_refresh_tmdb(
        movie_id=fight_club.pk, client=fast_client()
    )
    assert time.monotonic() - started >= 1.0
    assert result.status == "ok"
    assert len(tmdb.hits(PROVIDERS)) == 2


def test_it_gives_up_on_429_without_touching_rows(tmdb, fight_club, existing):
    tmdb.add(PROVIDERS, Canned(429, TMDB_429, {"Retry-After": "120"}))
    with pytest.raises(ProviderRateLimited) as caught:
        movie_availability_refresh_tmdb(
            movie_id=fight_club.pk, client=fast_client(max_retry_after=5)
        )
    # Waiting 120 s is over the cap: no retry at all.
    assert caught.value.retry_after == 120
    assert len(tmdb.hits(PROVIDERS)) == 1
    assert snapshot_rows() == existing
    assert AvailabilityCheck.objects.get(movie=fight_club).status == "error"


def test_it_keeps_rows_on_bad_json(tmdb, fight_club, existing):
    tmdb.add(PROVIDERS, Canned(200, "<html>upstream hiccup</html>"))
    with pytest.raises(ProviderBadResponse):
        movie_availability_refresh_tmdb(movie_id=fight_club.pk, client=fast_client())
    assert snapshot_rows() == existing


def test_it_keeps_rows_on_a_body_of_the_wrong_shape(tmdb, fight_club, existing):
    tmdb.add(PROVIDERS, Canned(200, {"id": 550, "results": {"KR": {"flatrate": 7}}}))
    with pytest.raises(ProviderBadResponse):
        movie_availability_refresh_tmdb(movie_id=fight_club.pk, client=fast_client())
    assert snapshot_rows() == existing


def test_it_retries_5xx_with_backoff_then_gives_up(tmdb, fight_club, existing):
    tmdb.add(PROVIDERS, Canned(503, {"status_message": "down"}))
    with pytest.raises(ProviderUnavailable):
        movie_availability_refresh_tmdb(movie_id=fight_club.pk, client=fast_client())
    assert len(tmdb.hits(PROVIDERS)) == 3
    assert snapshot_rows() == existing


def test_it_recovers_from_one_5xx(tmdb, fight_club):
    tmdb.add(
        PROVIDERS,
        Canned(502, "bad gateway"),
        Canned(200, FIGHT_CLUB_PROVIDERS),
    )
    result = movie_availability_refresh_tmdb(
        movie_id=fight_club.pk, client=fast_client()
    )
    assert result.written == 4


def test_it_reports_a_bad_key_clearly(tmdb, fight_club, existing):
    tmdb.add(PROVIDERS, Canned(401, TMDB_401))
    with pytest.raises(ProviderAuthError, match="Invalid API key"):
        movie_availability_refresh_tmdb(movie_id=fight_club.pk, client=fast_client())
    assert snapshot_rows() == existing


def test_it_resolves_the_tmdb_id_from_imdb_and_stores_it(tmdb):
    movie = Movie.objects.create(
        source="t", source_id=2, title="Fight Club", year=1999, imdb_id="137523"
    )
    tmdb.add(
        "/3/find/tt0137523",
        Canned(
            200,
            {
                "movie_results": [tmdb_movie(550, "Fight Club", "1999-10-15")],
                "person_results": [],
                "tv_results": [],
                "tv_episode_results": [],
                "tv_season_results": [],
            },
        ),
    )
    tmdb.add(PROVIDERS, Canned(200, FIGHT_CLUB_PROVIDERS))
    assert movie_availability_refresh_tmdb(movie_id=movie.pk, client=fast_client())
    movie.refresh_from_db()
    assert movie.tmdb_id == 550
    assert tmdb.hits("/3/find/tt0137523")[0].query["external_source"] == ["imdb_id"]


def test_it_resolves_by_title_search_and_refuses_to_guess(tmdb):
    movie = Movie.objects.create(
        source="t", source_id=3, title="Usual Suspects, The", year=1995
    )
    results = [
        tmdb_movie(629, "The Usual Suspects", "1995-07-19"),
        tmdb_movie(9999, "The Usual Suspects 2", "2030-01-01"),
    ]
    tmdb.add(
        "/3/search/movie",
        Canned(
            200,
            {"page": 1, "results": results, "total_pages": 1, "total_results": 2},
        ),
    )
    tmdb.add("/3/movie/629/watch/providers", Canned(200, {"id": 629, "results": {}}))
    result = movie_availability_refresh_tmdb(movie_id=movie.pk, client=fast_client())
    assert result.status == "ok"
    movie.refresh_from_db()
    assert movie.tmdb_id == 629
    query = tmdb.hits("/3/search/movie")[0].query
    assert (query["query"], query["year"]) == (["The Usual Suspects"], ["1995"])

    twin = Movie.objects.create(source="t", source_id=4, title="Crash", year=1996)
    tmdb.add(
        "/3/search/movie",
        Canned(
            200,
            {
                "page": 1,
                "results": [
                    tmdb_movie(1, "Crash", "1996-10-04"),
                    tmdb_movie(2, "Crash", "1996-05-01"),
                ],
                "total_pages": 1,
                "total_results": 2,
            },
        ),
    )
    result = movie_availability_refresh_tmdb(movie_id=twin.pk, client=fast_client())
    assert result.status == "not_found"
    twin.refresh_from_db()
    assert twin.tmdb_id is None


def test_it_runs_as_a_task_and_the_beat_task_queues_due_movies(tmdb, fight_club):
    tmdb.add(PROVIDERS, Canned(200, FIGHT_CLUB_PROVIDERS))
    assert availability_refresh_tmdb_task.delay(fight_club.pk).get()["written"] == 4
    # Just checked: nothing is due, so the beat task queues nothing.
    assert availability_refresh_stale_task.delay(10).get()["queued"] == 0
    AvailabilityCheck.objects.update(checked_at=timezone.now() - timedelta(days=400))
    assert availability_refresh_stale_task.delay(10).get()["queued"] == 1
    assert len(tmdb.hits(PROVIDERS)) == 2
    assert Availability.objects.count() == 4


def test_it_skips_the_beat_task_without_a_key(settings):
    settings.TMDB_API_KEY = ""
    assert availability_refresh_stale_task.delay(10).get()["queued"] == 0
