"""In a real browser: upload a Netflix export -> confirm -> survey filled -> results.

Django's live server, the real ml-100k with a small trained model, a real Celery
worker and Debian's headless Chromium (Playwright). Screenshots in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest

from catalog.selectors import search_index_clear
from ottsite.tests.test_e2e_journey import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.worker]

NETFLIX_EXPORT = "\ufeffTitle,Date\n" + "".join(
    f'"{title}","1/{day}/24"\n'
    for day, title in enumerate(
        [
            "기생충",
            "Stranger Things: Season 1: Chapter One: The Vanishing of Will Byers",
            "Fargo",
            "Toy Story",
            "Star Wars",
            "The Godfather",
            "Casablanca",
            "Pulp Fiction",
            "Braveheart",
            "Forrest Gump",
            "The Silence of the Lambs",
            "Heat",
            "Jaws",
            "Alien",
        ],
        start=1,
    )
)


@pytest.mark.django_db(transaction=True)
def test_it_fills_the_survey_from_a_netflix_export(
    live_server, celery_worker, trained_model, django_user_model, tmp_path
):
    from playwright.sync_api import expect, sync_playwright

    search_index_clear()
    django_user_model.objects.create_user(username="viewer", password="a-Long-pass-123")
    export = tmp_path / "NetflixViewingHistory.csv"
    export.write_text(NETFLIX_EXPORT, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            locale="ko-KR", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/?next=/survey/")
        page.fill("#id_username", "viewer")
        page.fill("#id_password", "a-Long-pass-123")
        page.click("form button.primary")
        expect(page).to_have_url(re.compile(r"/survey/$"))
        page.fill("#id_age", "31")
        page.select_option("#id_occupation", "writer")
        page.check("input[name=gender][value=F]")
        page.check("input[name=region][value=KR]")
        page.click("button.primary")
        page.click("button[value=next]")

        page.click("#import-history")
        expect(page).to_have_url(re.compile(r"/survey/history/$"))
        page.set_input_files("#id_export", str(export))
        page.screenshot(path=ARTIFACTS / "history-01-upload.png", full_page=True)
        page.click("#upload-history")

        # The upload's answer is the confirmation (it names the titles not found,
        # which are not kept for a later page).
        expect(page).to_have_url(re.compile(r"/survey/history/$"))
        expect(page.locator("#history-unplaced")).to_contain_text("기생충")
        checked = page.locator("#history-matches input[type=checkbox]:checked")
        expect(checked).to_have_count(10)
        page.screenshot(path=ARTIFACTS / "history-02-confirm.png", full_page=True)
        page.click("#use-favourites")

        expect(page).to_have_url(re.compile(r"/survey/movies/$"))
        expect(page.locator("#chips .chip")).to_have_count(10)
        page.screenshot(path=ARTIFACTS / "history-03-survey.png", full_page=True)
        page.click("#submit-survey")

        expect(page).to_have_url(re.compile(r"/recommendations/$"))
        page.wait_for_selector("#results [data-ready]", timeout=120_000)
        expect(page.locator("#results .movie-card")).to_have_count(20)
        page.screenshot(
            path=ARTIFACTS / "history-04-recommendations.png", full_page=True
        )
        browser.close()
    search_index_clear()
