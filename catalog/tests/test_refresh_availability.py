"""manage.py refresh_availability against the loopback fake TMDB server."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import CommandError, call_command

from catalog.lookup import RateLimiter
from catalog.models import Availability, AvailabilityCheck, Movie
from catalog.selectors import movie_search
from catalog.tests.factories import MovieFactory
from ottsite.testing import (
    TMDB_429,
    Canned,
    kr_providers,
    tmdb_details,
    tmdb_movie,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(fake_tmdb):
    """Titanic (no TMDB id: found by search), Fight Club (id from links.csv), and a
    film TMDB does not know."""
    titanic = MovieFactory(title="Titanic", year=1997)
    fight_club = MovieFactory(title="Fight Club", year=1999, tmdb_id=550)
    obscure = MovieFactory(title="Nobody Knows This", year=1950)
    fake_tmdb.search["Titanic"] = [tmdb_movie(597, "Titanic", "1997-11-18")]
    fake_tmdb.providers[597] = kr_providers(597, [(8, "Netflix"), (3, "Google Play")])
    fake_tmdb.details[597] = tmdb_details(
        597, "타이타닉", "Titanic", "1912년, 초호화 여객선 타이타닉호의 처녀항해."
    )
    fake_tmdb.providers[550] = kr_providers(550, [])
    fake_tmdb.details[550] = tmdb_details(550, "파이트 클럽", "Fight Club")
    return titanic, fight_club, obscure


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("refresh_availability", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_looks_every_movie_up_once_and_reuses_ids(fake_tmdb, catalogue):
    titanic, fight_club, obscure = catalogue
    out, _err = run("--all")
    assert "Looked up 3 movies" in out
    assert "1 with offers, 2 without, 0 errors" in out
    assert "TMDB ids reused 1, resolved 1" in out
    assert "KR:3 Google Play" in out  # a provider we list no platform for
    assert sorted(fake_tmdb.provider_hits()) == [550, 597]
    assert Movie.objects.get(pk=titanic.pk).tmdb_id == 597
    assert Availability.objects.get(movie=titanic).platform.slug == "netflix"
    assert AvailabilityCheck.objects.get(movie=obscure).status == "not_found"

    searches = len(fake_tmdb.server.hits("/3/search/movie"))
    out, _err = run("--all")
    assert "TMDB ids reused 2, resolved 0" in out
    # Only the film TMDB does not know is searched again.
    assert len(fake_tmdb.server.hits("/3/search/movie")) - searches <= 2
    assert fake_tmdb.provider_hits().count(597) == 2


def test_it_stores_korean_titles_that_search_then_finds(fake_tmdb, catalogue):
    titanic, fight_club, _obscure = catalogue
    run("--movie", str(titanic.pk), str(fight_club.pk))
    titanic.refresh_from_db()
    assert titanic.title_ko == "타이타닉"
    assert titanic.poster_path == "/poster597.jpg"
    assert titanic.overview_ko.startswith("1912년")
    assert [m.pk for m in movie_search(query="타이타닉")] == [titanic.pk]
    assert [m.pk for m in movie_search(query="파이트")] == [fight_club.pk]
    assert titanic.pk in [m.pk for m in movie_search(query="titanik")]


def test_it_keeps_an_untranslated_title_out(fake_tmdb):
    movie = MovieFactory(title="Obscure", year=1990, tmdb_id=42)
    fake_tmdb.providers[42] = kr_providers(42, [])
    fake_tmdb.details[42] = tmdb_details(42, "Obscure", "Obscure")
    run("--movie", str(movie.pk))
    movie.refresh_from_db()
    assert (movie.title_ko, movie.poster_path) == ("", "/poster42.jpg")


def test_it_honours_retry_after_on_429(fake_tmdb, catalogue):
    _titanic, fight_club, _obscure = catalogue
    path = "/3/movie/550/watch/providers"
    fake_tmdb.server.add(
        path,
        Canned(429, TMDB_429, {"Retry-After": "1"}),
        Canned(200, kr_providers(550, [(337, "Disney Plus")])),
    )
    started = time.monotonic()
    out, _err = run("--movie", str(fight_club.pk))
    assert time.monotonic() - started >= 0.9
    assert len(fake_tmdb.server.hits(path)) == 2
    assert "1 with offers, 0 without, 0 errors" in out


def test_it_counts_errors_and_keeps_rows_in_an_outage(fake_tmdb, catalogue):
    _titanic, fight_club, _obscure = catalogue
    run("--movie", str(fight_club.pk))
    fake_tmdb.providers[550] = kr_providers(550, [(337, "Disney Plus")])
    run("--movie", str(fight_club.pk))
    assert Availability.objects.filter(movie=fight_club).count() == 1
    fake_tmdb.down = True
    out, err = run("--movie", str(fight_club.pk))
    assert "1 errors" in out
    assert "503" in err
    assert Availability.objects.filter(movie=fight_club).count() == 1


def test_stale_only_skips_fresh_movies_and_limit_caps(fake_tmdb, catalogue):
    run("--all")
    out, _err = run("--stale")
    assert "Looked up 0 movies" in out
    out, _err = run("--all", "--limit", "1")
    assert "Looked up 1 movies" in out


def test_it_refuses_without_a_provider_or_with_bad_options(settings, catalogue):
    with pytest.raises(CommandError, match="--limit"):
        run("--all", "--limit", "0")
    settings.TMDB_API_KEY = ""
    with pytest.raises(CommandError, match="TMDB_API_KEY"):
        run("--all")


def test_the_rate_limiter_spaces_calls():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.wait()
    assert slept == pytest.approx([0.25, 0.25, 0.25, 0.25])
