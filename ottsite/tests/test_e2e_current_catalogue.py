"""In a real browser, in Korean, on a phone and a desktop: a series and a 2025 film
from the TMDB catalogue sync are found by their Korean titles, picked in the survey,
and shown with the services that carry them.

The catalogue is synced for real (catalog_sync against the loopback fake TMDB
catalogue); the set is built by the session's real Celery worker.
"""

from __future__ import annotations

import re
import uuid

import pytest

from catalog.models import Movie, Platform
from catalog.platform_seed import platforms_seed
from catalog.selectors import search_index_clear
from catalog.sync import catalog_sync
from catalog.tests.test_sync_catalog import KEY
from ottsite.testing import FakeTitle, FakeTmdbCatalogue, kr_catalogue
from ottsite.tests.test_e2e_journey import (
    ARTIFACTS,
    BUILD_TIMEOUT_MS,
    CHROMIUM,
    CHROMIUM_ARGS,
    _outside_playwright_loop,
)

pytestmark = [pytest.mark.browser, pytest.mark.worker]

SERIES = FakeTitle(
    media="tv",
    id=93405,
    title_en="Squid Game",
    title_ko="오징어 게임",
    original_title="오징어 게임",
    original_language="ko",
    origin_country=["KR"],
    date="2021-09-17",
    overview_ko="456억 원의 상금이 걸린 의문의 서바이벌에 참가한 사람들.",
    overview_en="Hundreds of cash-strapped players accept a strange invitation.",
    genre_ids=[10759, 9648, 18],
    popularity=900.0,
    vote_average=7.8,
    vote_count=15000,
    runtime=55,
    seasons=3,
    offers={8: {"flatrate"}},
)
FILM = FakeTitle(
    media="movie",
    id=639988,
    title_en="No Other Choice",
    title_ko="어쩔수가없다",
    original_title="어쩔수가없다",
    original_language="ko",
    origin_country=["KR"],
    date="2025-09-24",
    overview_ko="25년 다닌 회사에서 해고된 만수의 재취업 분투기.",
    overview_en="A paper-industry veteran fights to get his job back.",
    genre_ids=[80, 18, 35],
    popularity=400.0,
    vote_average=7.2,
    vote_count=900,
    runtime=139,
    offers={1883: {"flatrate"}, 356: {"flatrate"}},
)
OLDER_FAVOURITES = [
    "star wars",
    "toy story",
    "fargo",
    "godfather",
    "casablanca",
    "pulp fiction",
    "titanic",
    "braveheart",
]


@pytest.mark.django_db(transaction=True)
def test_a_series_and_a_2025_film_are_found_in_korean_picked_and_shown_with_services(
    live_server,
    celery_worker,
    trained_model,
    settings,
    fake_server,
):
    from playwright.sync_api import expect, sync_playwright

    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    settings.TMDB_REQUESTS_PER_SECOND = 10_000
    mine = {SERIES.key, FILM.key}
    filler = [t for t in kr_catalogue(40, seed=7) if t.key not in mine]
    FakeTmdbCatalogue(fake_server, titles=[SERIES, FILM, *filler])
    ids: dict[str, int] = {}

    def sync() -> None:
        platforms_seed(Platform)  # a transactional test's flush removed them
        catalog_sync(region="KR")
        search_index_clear()
        ids["series"] = Movie.objects.get(kind="series", tmdb_id=SERIES.id).pk
        ids["film"] = Movie.objects.get(kind="film", tmdb_id=FILM.id).pk

    _outside_playwright_loop(sync)
    assert set(ids) == {"series", "film"}
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for width, height in ((390, 844), (1280, 900)):
            context = browser.new_context(
                locale="ko-KR", viewport={"width": width, "height": height}
            )
            context.set_default_timeout(30_000)
            page = context.new_page()

            def shot(name: str, page=page, width=width) -> None:
                page.screenshot(
                    path=ARTIFACTS / f"e2e-current-{width}-{name}.png", full_page=True
                )

            page.goto(live_server.url + "/accounts/signup/")
            page.fill("#id_username", f"cur-{uuid.uuid4().hex[:8]}")
            page.fill("#id_password1", "a-Long-pass-123")
            page.fill("#id_password2", "a-Long-pass-123")
            page.click("form button.primary")
            expect(page).to_have_url(re.compile(r"/survey/$"))
            page.fill("#id_age", "31")
            page.select_option("#id_occupation", "programmer")
            page.check("input[name=gender][value=M]")
            page.check("input[name=region][value=KR]")
            page.click("button.primary")
            page.check("input[name=platforms][value=netflix]")
            page.click("button[value=next]")

            search = page.locator("#movie-search[data-ready]")
            # Found by the Korean title: the series by a part of it, the film whole.
            for query, title_ko in (
                ("오징어", SERIES.title_ko),
                ("어쩔수가", FILM.title_ko),
            ):
                search.fill(query)
                option = page.locator("#search-results .option", has_text=title_ko)
                expect(option.first).to_be_visible()
                if query == "오징어":
                    expect(option.first).to_contain_text("시리즈")
                    shot("search-series")
                option.first.click()
            expect(page.locator("#chips .chip")).to_have_count(2)
            expect(page.locator("#chips")).to_contain_text(SERIES.title_ko)
            expect(page.locator("#chips")).to_contain_text(FILM.title_ko)
            for title in OLDER_FAVOURITES:
                search.fill(title)
                page.wait_for_selector("#search-results .option")
                search.press("Enter")
            expect(page.locator("#chips .chip")).to_have_count(10)
            shot("picked")
            page.click("#submit-survey")
            expect(page).to_have_url(re.compile(r"/recommendations/$"))
            page.wait_for_selector("#results [data-ready]", timeout=BUILD_TIMEOUT_MS)
            expect(page.locator("#results .movie-card")).to_have_count(20)

            # Each pick's page says where it streams now, with the sync's source.
            for key, services in (
                ("series", ["Netflix"]),
                ("film", ["TVING", "Wavve"]),
            ):
                page.goto(f"{live_server.url}/movies/{ids[key]}/")
                offers = page.locator(".platform-offers")
                for service in services:
                    expect(offers).to_contain_text(service)
                if key == "series":
                    expect(page.locator("main")).to_contain_text("시즌 3개")
                else:
                    expect(page.locator("main")).to_contain_text("2025")
                shot(f"movie-{key}")
            context.close()
        browser.close()
    search_index_clear()
