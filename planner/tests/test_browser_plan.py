"""In a real browser, in Korean on a phone (390 px) and in English on a laptop
(1280 px): the advice links to the plan, the plan page shows its timeline chart
and months, a new pace and kept service change the plan, and it can be saved
with reminders. Screenshots in test-artifacts/plan-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS
from planner.models import PlanSettings
from planner.tests.support import kr_prices, profile_make, recommended, saved, title_on

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_platforms")]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def _world(user) -> None:
    """Budget 15,000; four titles on four services, one of them on the watchlist."""
    kr_prices()
    profile_make(user, budget=15000)
    w1 = title_on("wavve", title="Watchlist One")
    w1.title_ko = "보관함 작품"
    w1.save(update_fields=["title_ko"])
    saved(user, w1)
    recommended(
        user,
        [
            (title_on("tving", title="Tving Drama"), 4.6),
            (title_on("wavve", title="Wavve Thriller"), 4.1),
            (title_on("prime-video", title="Prime Comedy"), 3.9),
            (title_on("netflix", title="Netflix Series"), 3.2),
        ],
    )


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db(transaction=True)
def test_a_korean_phone_user_plans_and_saves_and_an_english_laptop_user_reads_it(
    live_server, django_user_model
):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    user = django_user_model.objects.create_user(username="planner", password="x")
    _world(user)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": _session(user),
        "url": live_server.url,
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        phone = browser.new_context(
            locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True
        )
        phone.add_cookies([cookie])
        phone.set_default_timeout(30_000)
        page = phone.new_page()
        page.goto(live_server.url + "/recommendations/")
        link = page.locator("[data-plan-link] a")
        expect(link).to_be_visible()
        link.click()
        page.wait_for_url("**/plan/")
        expect(page.locator("h1")).to_have_text("앞으로 몇 달의 계획")
        chart = page.locator("svg.plan-chart")
        expect(chart).to_be_visible()
        # The chart fits the phone's width (no sideways scrolling).
        assert chart.bounding_box()["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page.locator("[data-plan-month]")).to_have_count(3)
        assert "보관함 작품" in page.inner_text(".plan-months")
        assert "절약" in page.inner_text(".plan-summary")
        page.screenshot(path=ARTIFACTS / "plan-01-ko-390.png", full_page=True)

        # Two titles a month, Netflix kept all year: only it fits beside nothing.
        page.fill("input[name=pace]", "2")
        page.check("input[name=anchors][value=netflix]")
        page.click("form.plan-form button[type=submit]")
        page.wait_for_url("**/plan/?*")
        expect(page.locator(".plan-service.is-anchor")).to_have_count(3)
        page.screenshot(path=ARTIFACTS / "plan-02-ko-390-anchor.png", full_page=True)
        page.check("input[name=has_reminders]")
        page.click("form.plan-save button[type=submit]")
        expect(page.locator(".message.success")).to_be_visible()

        laptop = browser.new_context(
            locale="en-US", viewport={"width": 1280, "height": 900}
        )
        laptop.add_cookies([cookie])
        page = laptop.new_page()
        page.goto(live_server.url + "/plan/?months=6&pace=2&anchors_set=1")
        expect(page.locator("h1")).to_have_text("Your plan for the coming months")
        expect(page.locator("[data-plan-month]")).to_have_count(6)
        expect(page.locator("svg.plan-chart rect")).not_to_have_count(0)
        page.locator(".plan-timeline summary").click()
        expect(page.locator(".plan-table tbody tr")).to_have_count(6)
        href = page.locator("[data-plan-calendar]").get_attribute("href")
        assert href.startswith("/plan/calendar.ics?")
        page.screenshot(path=ARTIFACTS / "plan-03-en-1280.png", full_page=True)
        browser.close()
    # Outside Playwright's event loop (the ORM refuses to run inside it).
    saved_settings = PlanSettings.objects.get(user=user)
    assert saved_settings.pace == 2 and saved_settings.has_reminders
    assert [p.slug for p in saved_settings.anchors.all()] == ["netflix"]
