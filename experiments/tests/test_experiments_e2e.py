"""In a real browser: answer the satisfaction question, click out to a service, and
read the experiment's report page with its charts in the admin.

Debian's headless Chromium via Playwright against Django's live server. The
service's site is answered by the browser itself (Playwright route), so the test
needs no network; the click still goes through our redirect endpoint.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from catalog.models import Platform
from catalog.platform_seed import platforms_seed
from catalog.tests.factories import AvailabilityFactory
from experiments.models import Assignment, Event
from experiments.services import founding_experiment_ensure
from recommender.tests.factories import ready_set

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
OFFER = "https://www.netflix.com/kr/title/60000001"


def _session_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


@pytest.mark.django_db(transaction=True)
def test_it_records_satisfaction_and_a_click_out_and_reports_them(
    live_server, django_user_model
):
    from playwright.sync_api import expect, sync_playwright

    # A transactional test's flush elsewhere may have removed the seeded rows.
    platforms_seed(Platform)
    founding = founding_experiment_ensure()
    owner = django_user_model.objects.create_user(username="e2e-ab", password="x")
    admin = django_user_model.objects.create_superuser(
        username="e2e-admin", password="x", email="admin@example.com"
    )
    variant = founding.variants.get(name="control")
    Assignment.objects.create(experiment=founding, variant=variant, user=owner)
    rec_set = ready_set(owner, movies=3)
    rec_set.experiment, rec_set.variant = founding, variant
    rec_set.save()
    movie = rec_set.items.get(rank=1).movie
    AvailabilityFactory(movie=movie, link=OFFER)
    ARTIFACTS.mkdir(exist_ok=True)
    # Django refuses database calls while Playwright's event loop runs: log in first.
    owner_cookie = _session_cookie(owner, live_server)
    admin_cookie = _session_cookie(admin, live_server)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            locale="en-US", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(30_000)
        context.add_cookies([owner_cookie])
        context.route(
            "https://www.netflix.com/**",
            lambda route: route.fulfill(
                status=200, content_type="text/html", body="<h1>Fake Netflix</h1>"
            ),
        )
        page = context.new_page()
        page.goto(live_server.url + "/recommendations/")
        page.wait_for_selector("#results [data-ready]")

        # The satisfaction question: a plain form, no JavaScript needed.
        page.check("#satisfaction-form input[name=score][value='4']")
        page.click("#satisfaction-form button[type=submit]")
        expect(page).to_have_url(re.compile(rf"/recommendations/{rec_set.pk}/$"))
        expect(page.locator("[data-satisfaction='4']")).to_be_visible()
        page.screenshot(path=ARTIFACTS / "ab-01-satisfaction.png", full_page=True)

        # The card's service badge goes out through the redirect.
        page.click(f'[data-movie-id="{movie.pk}"] a[data-clickout]')
        expect(page).to_have_url(OFFER)
        expect(page.locator("h1")).to_have_text("Fake Netflix")

        # The admin report page shows the experiment with its charts.
        admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
        admin_context.add_cookies([admin_cookie])
        admin_page = admin_context.new_page()
        admin_page.goto(live_server.url + "/admin/experiments/experiment/")
        admin_page.click(f"a[href$='/experiment/{founding.pk}/report/']")
        expect(admin_page.locator("#experiment-report")).to_contain_text(founding.name)
        expect(admin_page.locator("[data-decision]")).to_contain_text("Keep running")
        expect(admin_page.locator("svg[data-chart='ci']")).to_be_visible()
        expect(admin_page.locator(".chart-exposures svg")).to_be_visible()
        admin_page.screenshot(path=ARTIFACTS / "ab-02-admin-report.png", full_page=True)
        browser.close()

    satisfaction = Event.objects.get(kind="satisfaction")
    click = Event.objects.get(kind="click_out")
    assert satisfaction.value == 4 and satisfaction.variant == variant
    assert click.movie_id == movie.pk and click.variant == variant
    assert Event.objects.filter(kind="impression").count() == 1
