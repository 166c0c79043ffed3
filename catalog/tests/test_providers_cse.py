from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.availability import movie_availability_refresh_cse
from catalog.models import Availability, Movie, Platform
from catalog.providers.cse import cse_client, platform_for_link
from catalog.providers.http import (
    ProviderAuthError,
    ProviderBadResponse,
    ProviderError,
    ProviderRateLimited,
)
from catalog.tasks import availability_refresh_cse_task
from ottsite.testing import (
    GOOGLE_403,
    GOOGLE_429,
    Canned,
    cse_body,
)

pytestmark = pytest.mark.django_db

PATH = "/customsearch/v1"


@pytest.fixture
def cse(settings, fake_server):
    settings.GOOGLE_CSE_ENABLED = True
    settings.GOOGLE_CSE_KEY = "key-1"
    settings.GOOGLE_CSE_CX = "engine-1"
    settings.GOOGLE_CSE_URL = fake_server.url + PATH
    return fake_server


@pytest.fixture
def movie():
    return Movie.objects.create(
        source="t", source_id=1, title="Usual Suspects, The", year=1995
    )


@pytest.fixture
def existing(movie):
    kr = {p.slug: p for p in Platform.objects.filter(region="KR")}
    old = timezone.now() - timedelta(days=60)
    Availability.objects.bulk_create(
        [
            Availability(
                movie=movie,
                platform=kr["watcha"],
                region="KR",
                offer_type="subscription",
                source="cse",
                link="https://watcha.com/contents/x",
                last_checked=old,
            ),
            Availability(
                movie=movie,
                platform=kr["netflix"],
                region="KR",
                offer_type="subscription",
                source="tmdb",
                link="https://tmdb/kr",
                last_checked=old,
            ),
        ]
    )
    return rows()


def rows() -> list[tuple]:
    return sorted(
        Availability.objects.values_list("platform__slug", "source", "link", "region")
    )


def fast_client(**kwargs):
    return cse_client(backoff=0.01, max_retries=1, **kwargs)


def test_it_maps_result_domains_to_platforms():
    assert platform_for_link("https://www.netflix.com/kr/title/60031262") == "netflix"
    assert platform_for_link("https://tv.apple.com/kr/movie/x") == "apple-tv-plus"
    assert platform_for_link("https://www.coupangplay.com/titles/1") == "coupang-play"
    assert platform_for_link("https://apple.com/tv") is None
    assert platform_for_link("https://notnetflix.com/") is None


def test_it_writes_offers_for_known_sites_with_the_title(cse, movie, existing):
    items = [
        ("The Usual Suspects | Netflix", "https://www.netflix.com/kr/title/1"),
        ("유주얼 서스펙트 - The Usual Suspects | TVING", "https://www.tving.com/m/1"),
        ("The Usual Suspects (1995) - IMDb", "https://www.imdb.com/title/tt0114814/"),
        ("Some other film | wavve", "https://www.wavve.com/player/movie?x=1"),
    ]
    cse.add(PATH, Canned(200, cse_body("The Usual Suspects 1995", items)))
    result = movie_availability_refresh_cse(movie_id=movie.pk, client=fast_client())
    assert result.status == "ok"
    # TVING is new; netflix stays TMDB's (a search hit never overrides it); the old
    # watcha hit is gone; wavve's result was another film.
    assert rows() == [
        ("netflix", "tmdb", "https://tmdb/kr", "KR"),
        ("tving", "cse", "https://www.tving.com/m/1", "KR"),
    ]
    query = cse.hits(PATH)[0].query
    assert query["q"] == ["The Usual Suspects 1995"]
    assert (query["key"], query["cx"], query["gl"]) == (["key-1"], ["engine-1"], ["kr"])


def test_it_treats_missing_items_as_no_results(cse, movie):
    cse.add(PATH, Canned(200, cse_body("The Usual Suspects 1995", None)))
    result = movie_availability_refresh_cse(movie_id=movie.pk, client=fast_client())
    assert (result.status, result.written) == ("ok", 0)


def test_it_keeps_rows_when_the_quota_is_exhausted(cse, movie, existing):
    cse.add(PATH, Canned(429, GOOGLE_429))
    with pytest.raises(ProviderRateLimited, match="Quota exceeded"):
        movie_availability_refresh_cse(movie_id=movie.pk, client=fast_client())
    assert len(cse.hits(PATH)) == 2  # one retry after the backoff
    assert rows() == existing


def test_it_keeps_rows_when_the_project_has_no_access(cse, movie, existing):
    cse.add(PATH, Canned(403, GOOGLE_403))
    with pytest.raises(ProviderAuthError, match="does not have the access"):
        movie_availability_refresh_cse(movie_id=movie.pk, client=fast_client())
    assert rows() == existing


def test_it_keeps_rows_on_bad_json(cse, movie, existing):
    cse.add(PATH, Canned(200, "{not json"))
    with pytest.raises(ProviderBadResponse):
        movie_availability_refresh_cse(movie_id=movie.pk, client=fast_client())
    assert rows() == existing


def test_it_is_off_unless_enabled(settings, movie):
    settings.GOOGLE_CSE_ENABLED = False
    with pytest.raises(ProviderError, match="disabled"):
        cse_client()
    assert availability_refresh_cse_task.delay(movie.pk).get()["status"] == "disabled"
