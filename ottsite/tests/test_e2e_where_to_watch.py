"""In a real browser, as a Korean user: cards say "checking where it streams…" while
the real worker looks the set up on the fake TMDB, then show badges and the updated
advice; a card TMDB knows no service for offers searches on the user's services.

Real pieces: the live server, ml-100k, a small trained model, the Celery worker
process (which talks to the session's loopback fake TMDB), headless Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F
from django.test import Client

from catalog.models import Movie, Platform
from catalog.platform_seed import platforms_seed
from catalog.selectors import search_index_clear
from ottsite.testing import kr_providers, tmdb_details
from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS
from survey.services import survey_submit

pytestmark = [pytest.mark.browser, pytest.mark.worker]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
TIMEOUT_MS = 120_000
TMDB_OFFSET = 100_000


def _catalogue(worker_tmdb) -> None:
    """ml-100k with TMDB ids; the fake TMDB puts even movie ids on Netflix KR and
    knows no KR service for the odd ones."""
    search_index_clear()
    platforms_seed(Platform)
    Movie.objects.update(tmdb_id=F("id") + TMDB_OFFSET)
    for movie_id, title in Movie.objects.values_list("id", "title"):
        tmdb_id = movie_id + TMDB_OFFSET
        offers = [(8, "Netflix")] if movie_id % 2 == 0 else []
        worker_tmdb.providers[tmdb_id] = kr_providers(tmdb_id, offers)
        worker_tmdb.details[tmdb_id] = tmdb_details(
            tmdb_id, f"한국 제목 {movie_id}", title
        )
    # Slow enough that the cards are seen "checking" before the answers arrive.
    worker_tmdb.delay = 0.5


@pytest.mark.django_db(transaction=True)
def test_a_korean_user_sees_checking_then_badges_and_search_links(
    live_server, celery_worker, worker_tmdb, trained_model, django_user_model
):
    from playwright.sync_api import expect, sync_playwright

    _catalogue(worker_tmdb)
    ARTIFACTS.mkdir(exist_ok=True)
    user = django_user_model.objects.create_user(username="kr-viewer", password="x")
    favourites = list(
        Movie.objects.filter(
            source_id__in=[1, 50, 100, 127, 172, 174, 181, 204, 210, 258]
        )
        .order_by("source_id")
        .values_list("id", flat=True)
    )
    survey_submit(
        user=user,
        age=31,
        gender="F",
        occupation="programmer",
        region="KR",
        platform_slugs=["netflix", "wavve"],
        favorite_movie_ids=favourites,
    )
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            context = browser.new_context(
                locale="ko-KR", viewport={"width": 1280, "height": 900}
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
            page.goto(live_server.url + "/recommendations/")
            page.wait_for_selector("#results [data-ready]", timeout=TIMEOUT_MS)
            checking = page.locator('#results [data-availability="checking"]')
            expect(checking.first).to_be_visible()
            assert "어디서 볼 수 있는지 확인하는 중" in page.inner_text("#results")
            advice_before = page.inner_text(".advice-sentence")
            page.screenshot(path=ARTIFACTS / "kr-01-checking.png", full_page=True)

            expect(checking).to_have_count(0, timeout=TIMEOUT_MS)
            page.screenshot(path=ARTIFACTS / "kr-02-answered.png", full_page=True)
            expect(page.locator("#results .movie-card")).to_have_count(20)
            assert page.locator("#results .badge.mine").count() > 0
            none = page.locator('#results [data-availability="none"]')
            assert none.count() > 0
            first_none = none.first
            netflix = first_none.locator('[data-search-link="netflix"]')
            # Through the click-out redirect, which records the click.
            assert re.search(
                r"/recommendations/\d+/search/\d+/netflix/$",
                netflix.get_attribute("href"),
            )
            assert first_none.locator('[data-search-link="wavve"]').count() == 1
            assert first_none.locator('[data-search-link="justwatch"]').count() == 1
            assert first_none.locator('[data-search-link="tving"]').count() == 0
            assert page.inner_text(".advice-sentence") != advice_before

            # A reload shows the Korean titles stored from TMDB's ko-KR details.
            page.reload()
            page.wait_for_selector("#results [data-ready]")
            assert page.locator("#results .original-title").count() == 20
            assert "한국 제목" in page.inner_text("#results")
            page.screenshot(path=ARTIFACTS / "kr-03-korean-titles.png", full_page=True)
            browser.close()
    finally:
        worker_tmdb.delay = 0.0
        worker_tmdb.providers.clear()
        worker_tmdb.details.clear()
        search_index_clear()
