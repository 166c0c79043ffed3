"""In a real browser, as a Korean user on a phone (390 px) and a desktop (1280 px):
series are found by their Korean title as you type, picked as favourites and shown
like films on the movie page, the recommendation cards and the watchlist, without
any page growing wider than the screen.

Real pieces: the live server, its REST API for the search box, headless Chromium.
Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Profile
from catalog.models import Platform
from catalog.platform_seed import platforms_seed
from catalog.selectors import search_index_clear
from catalog.tests.factories import AvailabilityFactory, SeriesFactory
from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS
from recommender.models import WatchlistItem
from recommender.tests.factories import RecommendationItemFactory, ready_set

pytestmark = [pytest.mark.browser]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
NO_OVERFLOW = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


def _catalogue(user) -> dict[str, object]:
    platforms_seed(Platform)  # a transactional test's flush removed them
    search_index_clear()
    Profile.objects.update_or_create(user=user, defaults={"region": "KR"})
    squid = SeriesFactory(
        title="Squid Game",
        title_ko="오징어 게임",
        year=2021,
        seasons=2,
        tmdb_genres=["Drama", "Action & Adventure", "Mystery"],
        vote_count=15_000,
    )
    # The longest names a card and a chip must wrap.
    korea = SeriesFactory(
        title="Money Heist: Korea - Joint Economic Area",
        title_ko="종이의 집: 공동경제구역",
        year=2022,
        seasons=1,
        tmdb_genres=["Crime", "Sci-Fi & Fantasy", "War & Politics"],
    )
    AvailabilityFactory(movie=squid)
    rec_set = ready_set(user, movies=3)
    for rank, series in ((4, squid), (5, korea)):
        RecommendationItemFactory(recommendation_set=rec_set, rank=rank, movie=series)
    WatchlistItem.objects.create(user=user, movie=squid)
    WatchlistItem.objects.create(user=user, movie=korea)
    return {"squid": squid, "korea": korea}


@pytest.mark.django_db(transaction=True)
def test_a_korean_user_finds_picks_and_sees_series_on_a_phone_and_a_desktop(
    live_server, django_user_model
):
    from playwright.sync_api import expect, sync_playwright

    user = django_user_model.objects.create_user(username="series-fan", password="x")
    titles = _catalogue(user)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            for width in (390, 1280):
                context = browser.new_context(
                    locale="ko-KR", viewport={"width": width, "height": 900}
                )
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": session,
                            "url": live_server.url,
                        }
                    ]
                )
                context.set_default_timeout(30_000)
                page = context.new_page()

                page.goto(live_server.url + "/survey/movies/")
                page.wait_for_selector("#movie-search[data-ready]")
                page.fill("#movie-search", "종이의")
                option = page.locator("#search-results [role=option]").first
                expect(option).to_contain_text("종이의 집: 공동경제구역")
                expect(option).to_contain_text("시리즈 · 시즌 1개")
                assert page.evaluate(NO_OVERFLOW), f"search results at {width} px"
                page.screenshot(path=ARTIFACTS / f"series-{width}-01-search.png")
                option.click()
                chip = page.locator("#chips .chip").last
                expect(chip).to_contain_text("종이의 집: 공동경제구역")
                expect(chip).to_contain_text("시리즈 · 시즌 1개")
                # The picks survive a reload (the page's draft), facts included.
                page.reload()
                chip = page.locator("#chips .chip").last
                expect(chip).to_contain_text("시리즈 · 시즌 1개")
                assert page.evaluate(NO_OVERFLOW), f"chips at {width} px"
                page.screenshot(path=ARTIFACTS / f"series-{width}-02-picked.png")
                page.evaluate("sessionStorage.clear()")

                pages = [
                    ("03-movie", f"/movies/{titles['squid'].pk}/"),
                    ("04-recommendations", "/recommendations/"),
                    ("05-watchlist", "/watchlist/"),
                ]
                for name, url in pages:
                    page.goto(live_server.url + url)
                    text = page.inner_text("main")
                    assert "시리즈 · 시즌 2개" in text, (name, width)
                    assert "오징어 게임" in text, (name, width)
                    assert page.evaluate(NO_OVERFLOW), f"{name} at {width} px"
                    page.screenshot(
                        path=ARTIFACTS / f"series-{width}-{name}.png", full_page=True
                    )
                context.close()
            browser.close()
    finally:
        search_index_clear()
