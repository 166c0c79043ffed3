"""Cards without data: search links for the user's services; Korean titles, posters,
dated KR prices, the CSE fallback and the admin's "check availability now"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.links import outbound_url
from catalog.lookup import movie_lookup
from catalog.models import Availability, AvailabilityCheck, Movie, Platform
from catalog.platform_seed import PLATFORMS, platforms_facts_apply
from catalog.tests.factories import MovieFactory
from ottsite.testing import (
    FakeTmdb,
    cse_body,
    kr_providers,
    tmdb_details,
)
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db
KEY = "0123456789abcdef0123456789abcdef"


def _kr_user_set(user, *, movies: int = 2, slugs=("netflix", "tving")):
    rec_set = ready_set(user, movies=movies, region="KR")
    rec_set.survey.platforms.set(Platform.objects.filter(region="KR", slug__in=slugs))
    return rec_set


def test_a_card_without_data_links_to_searches_on_my_services(owner, owner_client):
    rec_set = _kr_user_set(owner)
    first = rec_set.items.first().movie
    Movie.objects.filter(pk=first.pk).update(title="Usual Suspects, The")
    html = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert html.count('data-availability="unknown"') == 2
    assert 'data-search-link="wavve"' not in html  # not one of the user's services
    # Each search link goes out through the click-out redirect, which records it.
    out = f"/recommendations/{rec_set.pk}/search/{first.pk}"
    for slug, target in [
        ("netflix", "https://www.netflix.com/search?q=The%20Usual%20Suspects"),
        ("tving", "https://www.tving.com/search?keyword=The%20Usual%20Suspects"),
        ("justwatch", "https://www.justwatch.com/kr/search?q=The%20Usual%20Suspects"),
    ]:
        assert f'href="{out}/{slug}/"' in html
        response = owner_client.get(f"{out}/{slug}/")
        assert response.status_code == 302 and response["Location"] == target


def test_a_checked_card_says_when_and_still_offers_searches(owner, owner_client):
    rec_set = _kr_user_set(owner, movies=1)
    movie = rec_set.items.get().movie
    AvailabilityCheck.objects.create(
        movie=movie, source="tmdb", status="ok", checked_at=timezone.now()
    )
    with_offer = _kr_user_set(owner, movies=1)
    other = with_offer.items.get().movie
    Availability.objects.create(
        movie=other,
        platform=Platform.objects.get(region="KR", slug="netflix"),
        region="KR",
        offer_type="subscription",
        source="tmdb",
        last_checked=timezone.now(),
    )
    owner_client.cookies["django_language"] = "en"
    html = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert 'data-availability="none"' in html
    assert "Not on any service we know (checked" in html
    assert 'data-search-link="netflix"' in html
    html = owner_client.get(f"/recommendations/{with_offer.pk}/").content.decode()
    assert 'data-availability="available"' in html
    assert "Source: JustWatch via TMDB, checked" in html
    assert "data-search-link" not in html


def test_the_api_gives_status_and_search_links(owner, owner_client):
    rec_set = _kr_user_set(owner, movies=1, slugs=("wavve",))
    body = owner_client.get("/api/recommendations/latest/").json()
    item = body["items"][0]
    assert item["availability_status"] == {
        "state": "unknown",
        "checked_at": None,
        "source": "",
    }
    assert [link["platform_slug"] for link in item["search_links"]] == [
        "wavve",
        "justwatch",
    ]
    assert body["id"] == rec_set.pk


def test_outbound_urls_are_built_in_one_place():
    assert (
        outbound_url(
            kind="search",
            movie_id=1,
            title="타이타닉",
            region="KR",
            template="https://watcha.com/search?query={query}",
        )
        == "https://watcha.com/search?query=%ED%83%80%EC%9D%B4%ED%83%80%EB%8B%89"
    )
    assert outbound_url(kind="search", movie_id=1, title="x", region="KR") == ""
    assert outbound_url(
        kind="offer", movie_id=1, title="x", region="KR", target="https://t/x"
    ) == ("https://t/x")
    with pytest.raises(ValueError):
        outbound_url(kind="other", movie_id=1, title="x", region="KR")


def test_korean_ui_shows_korean_title_original_beside_and_poster(
    settings, owner, owner_client
):
    rec_set = _kr_user_set(owner, movies=1)
    movie = rec_set.items.get().movie
    Movie.objects.filter(pk=movie.pk).update(
        title="Titanic", title_ko="타이타닉", poster_path="/p597.jpg"
    )
    settings.TMDB_API_KEY = ""
    html = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert '<span lang="ko">타이타닉</span>' in html
    assert '<span class="original-title" lang="en">Titanic</span>' in html
    assert "image.tmdb.org" not in html  # without a key, text only
    settings.TMDB_API_KEY = KEY
    html = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert 'src="https://image.tmdb.org/t/p/w185/p597.jpg"' in html
    assert "not endorsed, certified, or otherwise approved by TMDB" not in html
    assert "TMDB와 TMDB API를 사용하지만" in html
    owner_client.cookies["django_language"] = "en"
    html = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert "타이타닉" not in html
    assert "uses TMDB and the TMDB APIs but is not endorsed, certified" in html


def test_kr_platforms_carry_dated_prices_ad_tiers_and_coupang_wow(owner, owner_client):
    kr = {p.slug: p for p in Platform.objects.filter(region="KR")}
    assert kr["netflix"].ad_tier_name == "광고형 스탠다드"
    assert kr["netflix"].ad_tier_price == Decimal("5500")
    assert kr["tving"].ad_tier_price == Decimal("5500")
    assert kr["tving"].monthly_price == Decimal("13500")
    assert kr["coupang-play"].bundled_with == "Coupang WOW"
    assert kr["coupang-play"].monthly_price == Decimal("7890")
    assert not kr["coupang-play"].is_tmdb_id_verified
    assert kr["netflix"].is_tmdb_id_verified
    assert str(kr["netflix"].price_checked_on) == "2026-11-27"
    assert all(p.search_url for p in kr.values())
    rec_set = _kr_user_set(owner, movies=1)
    owner_client.cookies["django_language"] = "en"
    html = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert "with ads (광고형 스탠다드) 5,500 KRW" in html
    assert "included in the Coupang WOW membership" in html
    assert "Source: etnews.com/20231225000102, Dec. 25, 2023." in html


def test_facts_keep_a_price_and_search_url_the_admin_changed():
    netflix = Platform.objects.get(region="KR", slug="netflix")
    tving = Platform.objects.get(region="KR", slug="tving")
    netflix.monthly_price = Decimal("14000")
    netflix.search_url = "https://example.com/?q={query}"
    netflix.save()
    tving.monthly_price = next(Decimal(p[3]) for p in PLATFORMS if p[1] == "tving")
    tving.save()
    platforms_facts_apply(Platform)
    netflix.refresh_from_db()
    tving.refresh_from_db()
    assert netflix.monthly_price == Decimal("14000")
    assert netflix.search_url == "https://example.com/?q={query}"
    assert tving.monthly_price == Decimal("13500")


def test_google_cse_fills_in_for_kr_when_tmdb_has_nothing(settings, fake_server):
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    settings.GOOGLE_CSE_ENABLED = True
    settings.GOOGLE_CSE_KEY = "key-1"
    settings.GOOGLE_CSE_CX = "engine-1"
    settings.GOOGLE_CSE_URL = fake_server.url + "/customsearch/v1"
    fake = FakeTmdb(fake_server)
    movie = MovieFactory(title="Titanic", year=1997, tmdb_id=597)
    fake.providers[597] = kr_providers(597, [])
    fake.details[597] = tmdb_details(597, "타이타닉", "Titanic")
    fake_server.add(
        "/customsearch/v1",
        fake_server_canned(
            cse_body(
                "Titanic 1997",
                [("Titanic | Watcha", "https://watcha.com/contents/m5ZlKR")],
            )
        ),
    )
    result = movie_lookup(movie_id=movie.pk, region="KR")
    assert result.sources == ["tmdb", "cse"]
    offer = Availability.objects.get(movie=movie)
    assert (offer.platform.slug, offer.source) == ("watcha", "cse")
    # With a TMDB answer for KR the search is not asked.
    fake.providers[597] = kr_providers(597, [(8, "Netflix")])
    searches = len(fake_server.hits("/customsearch/v1"))
    movie_lookup(movie_id=movie.pk, region="KR")
    assert len(fake_server.hits("/customsearch/v1")) == searches


def test_google_cse_stays_off_by_default(settings, fake_server):
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    fake = FakeTmdb(fake_server)
    movie = MovieFactory(tmdb_id=42)
    fake.providers[42] = kr_providers(42, [])
    assert settings.GOOGLE_CSE_ENABLED is False
    assert movie_lookup(movie_id=movie.pk, region="KR").sources == ["tmdb"]


def test_the_admin_checks_a_selection_now(admin_client, settings, fake_server):
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    fake = FakeTmdb(fake_server)
    movie = MovieFactory(tmdb_id=42)
    fake.providers[42] = kr_providers(42, [(97, "Watcha")])
    response = admin_client.post(
        "/admin/catalog/movie/",
        {"action": "check_availability_now", "_selected_action": [movie.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Looked up 1 movies" in response.content.decode()
    assert Availability.objects.get(movie=movie).platform.slug == "watcha"


def fake_server_canned(body):
    from ottsite.testing import Canned

    return Canned(200, body)
