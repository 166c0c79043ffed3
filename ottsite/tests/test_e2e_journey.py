"""End to end in a real browser: sign up -> survey -> recommendations -> feedback.

Real pieces throughout: Django's live server, the real ml-100k import, a small model
trained for real, a real Celery worker process building the sets, and Debian's
headless Chromium driven by Playwright. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from catalog.models import Availability, AvailabilityCheck, Movie, Platform
from catalog.platform_seed import platforms_seed
from catalog.selectors import search_index_clear
from ottsite.lib.generations import catalog_changed

pytestmark = [pytest.mark.browser, pytest.mark.worker]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
FAVOURITES = [
    "star wars",
    "toy story",
    "fargo",
    "godfather",
    "casablanca",
    "pulp fiction",
    "titanic",
    "braveheart",
    "forrest gump",
    "silence of the lambs",
]
BUILD_TIMEOUT_MS = 120_000


def _catalogue_with_availability() -> None:
    """Korean offers for most movies of ml-100k (for badges).

    There is no Korean snapshot and no TMDB key here, so the offers stand for rows an
    admin curated (source "admin"), spread over three services by movie id.
    """
    # The search index is cached in Redis, which outlives the test database.
    search_index_clear()
    # An earlier transactional test's flush removes the migration-seeded platforms.
    platforms_seed(Platform)
    platforms = {p.slug: p for p in Platform.objects.filter(region="KR")}
    now = timezone.now()
    offers = []
    for movie_id in Movie.objects.values_list("id", flat=True):
        for slug, every in (("netflix", 2), ("watcha", 3), ("wavve", 5)):
            if movie_id % every == 0:
                offers.append(
                    Availability(
                        movie_id=movie_id,
                        platform=platforms[slug],
                        region="KR",
                        offer_type="subscription",
                        source="admin",
                        last_checked=now,
                    )
                )
    Availability.objects.bulk_create(offers)


def _outside_playwright_loop(work: Callable[[], object]) -> None:
    """Run ORM work in a thread: Playwright's sync API runs an event loop here."""
    from django.db import connection

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def _card_ids(page) -> list[int]:
    return [
        int(i)
        for i in page.eval_on_selector_all(
            "#results .movie-card", "cards => cards.map(c => c.dataset.movieId)"
        )
    ]


@pytest.mark.django_db(transaction=True)
def test_it_takes_a_new_user_from_sign_up_to_refreshed_recommendations(
    live_server, celery_worker, trained_model
):
    from playwright.sync_api import expect, sync_playwright

    _catalogue_with_availability()
    ARTIFACTS.mkdir(exist_ok=True)
    step = iter(range(1, 100))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            locale="ko-KR", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(30_000)
        page = context.new_page()

        def shot(name: str) -> None:
            page.screenshot(
                path=ARTIFACTS / f"e2e-{next(step):02d}-{name}.png", full_page=True
            )

        # Sign up; it logs in and sends the new user to the survey.
        page.goto(live_server.url + "/accounts/signup/")
        page.fill("#id_username", f"e2e-{uuid.uuid4().hex[:8]}")
        page.fill("#id_password1", "a-Long-pass-123")
        page.fill("#id_password2", "a-Long-pass-123")
        shot("signup")
        page.click("form button.primary")
        expect(page).to_have_url(re.compile(r"/survey/$"))

        # Step 1 and 2: about you, your services.
        page.fill("#id_age", "29")
        page.select_option("#id_occupation", "programmer")
        page.check("input[name=gender][value=F]")
        page.check("input[name=region][value=KR]")
        shot("survey-about")
        page.click("button.primary")
        page.check("input[name=platforms][value=netflix]")
        shot("survey-services")
        page.click("button[value=next]")

        # Step 3: ten favourites found by typing in the search box.
        search = page.locator("#movie-search[data-ready]")

        def pick(titles: list[str]) -> None:
            for title in titles:
                search.fill(title)
                page.wait_for_selector("#search-results .option")
                if title == FAVOURITES[0]:
                    shot("survey-search")
                search.press("Enter")

        pick(FAVOURITES[:5])
        expect(page.locator("#chips .chip")).to_have_count(5)
        # Back and Forward (and a reload) keep the picks made in the page.
        page.go_back()
        expect(page).to_have_url(re.compile(r"/survey/services/$"))
        page.go_forward()
        expect(page).to_have_url(re.compile(r"/survey/movies/$"))
        expect(page.locator("#chips .chip")).to_have_count(5)
        page.reload()
        expect(page.locator("#chips .chip")).to_have_count(5)
        pick(FAVOURITES[5:])
        expect(page.locator("#chips .chip")).to_have_count(10)
        shot("survey-movies")
        page.click("#submit-survey")

        # The progress state polls until the worker has built the set.
        expect(page).to_have_url(re.compile(r"/recommendations/$"))
        shot("progress")
        page.wait_for_selector("#results [data-ready]", timeout=BUILD_TIMEOUT_MS)
        expect(page.locator("#results .movie-card")).to_have_count(20)
        assert page.locator("#results .badge").count() > 0
        assert page.locator("#results .badge.mine").count() > 0
        # "We are picking your movies" does not stay above the finished results.
        expect(page.locator("[data-progress-message]")).to_have_count(0)
        shot("recommendations")

        # Rate the first movie, dismiss the second (fetch, no reload).
        first, second = _card_ids(page)[:2]
        page.click(f'[data-movie-id="{first}"] button.star[value="4"]')
        expect(page.locator(f'[data-movie-id="{first}"] button.star.on')).to_have_count(
            4
        )
        page.click(f'[data-movie-id="{second}"] form[action$="/dismiss/"] button')
        expect(page.locator(f'[data-movie-id="{second}"]')).to_have_class(
            re.compile("is-dismissed")
        )
        shot("feedback")

        # A refreshed list leaves out both.
        page.click("#refresh-button")
        expect(page).to_have_url(re.compile(r"/recommendations/\d+/$"))
        page.wait_for_selector("#results [data-ready]", timeout=BUILD_TIMEOUT_MS)
        expect(page.locator("#results .movie-card")).to_have_count(20)
        refreshed = _card_ids(page)
        assert first not in refreshed
        assert second not in refreshed
        shot("refreshed")

        # On a 390 px phone a short advice summary sits above the cards, linked to
        # the full panel below them.
        phone = browser.new_context(
            locale="ko-KR", viewport={"width": 390, "height": 844}
        )
        phone.add_cookies(context.cookies())
        mobile = phone.new_page()
        mobile.goto(page.url)
        summary = mobile.locator("[data-advice-summary]")
        expect(summary).to_be_visible()
        first_card = mobile.locator("#results .movie-card").first
        assert summary.bounding_box()["y"] < first_card.bounding_box()["y"]
        assert summary.bounding_box()["y"] < 900
        summary.locator('a[href="#advice-title"]').click()
        expect(mobile.locator("#advice-title")).to_be_in_viewport()
        mobile.screenshot(path=ARTIFACTS / f"e2e-{next(step):02d}-phone.png")
        phone.close()

        # Korea without known offers: the advice says how little it knows and
        # advises no cancelling, switching or bundle.
        # (No offers and no live check answers: nothing is known in KR.)
        def forget_kr() -> None:
            Availability.objects.filter(region="KR").delete()
            AvailabilityCheck.objects.all().delete()
            # Written behind the services' backs: announce it as they do, so
            # cached pages and payloads are not served from before the change.
            catalog_changed()

        _outside_playwright_loop(forget_kr)
        page.reload()
        page.wait_for_selector("#results [data-ready]")
        sentence = page.locator("[data-advice-sentence]").inner_text()
        # counted over the set's longer list ("of the N that fit best in the
        # whole catalogue"), of which none has a known offer here
        assert "전체 카탈로그에서 가장 잘 맞는" in sentence
        assert "아는 작품은 0편" in sentence
        assert "해지해도" not in sentence  # "you could cancel ..."
        expect(page.locator("[data-best-bundle]")).to_have_count(0)
        expect(page.locator(".advice .tag.best")).to_have_count(0)
        expect(page.locator("[data-advice-rule]")).to_be_visible()
        shot("advice-no-data")

        # Log out.
        page.click("header form[action$='/logout/'] button")
        expect(page.locator("header a[href$='/accounts/login/']")).to_be_visible()
        shot("logged-out")
        browser.close()
    search_index_clear()
