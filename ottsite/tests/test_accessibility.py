"""axe-core (vendored by axe-playwright-python, no CDN) over the main pages in Chromium.

Every page is checked in Korean and English, the recommendations page also on a
390 px phone; serious and critical violations fail the test, with axe's report.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from catalog.models import Availability, Platform
from catalog.platform_seed import platforms_seed
from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS
from recommender.models import Dismissal
from recommender.tests.factories import ready_set

pytestmark = [pytest.mark.browser]

PAGES = [
    "/",
    "/accounts/profile/",
    "/survey/",
    "/survey/services/",
    "/survey/movies/?q=zzzzqqq",
    "/recommendations/",
    "/watchlist/",
]
ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/"]
BLOCKING = {"serious", "critical"}


def _blocking(results) -> list[dict]:
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_have_no_serious_accessibility_violations(
    live_server, django_user_model
):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    platforms_seed(Platform)
    user = django_user_model.objects.create_user(
        username="axe-user", password="pw-axe-12345"
    )
    rec_set = ready_set(user, movies=6, region="KR")
    netflix = Platform.objects.get(region="KR", slug="netflix")
    rec_set.survey.platforms.set([netflix])
    items = list(rec_set.items.select_related("movie"))
    for item in items[:4]:
        Availability.objects.create(
            movie=item.movie,
            platform=netflix,
            region="KR",
            offer_type="subscription",
            source="admin",
            last_checked=timezone.now(),
        )
    Dismissal.objects.create(user=user, movie=items[5].movie)
    pages = [
        *PAGES,
        f"/movies/{items[0].movie_id}/",
        f"/survey/movies/?q={items[1].movie.title}",
    ]
    axe = Axe()
    failures: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for locale, width in (("ko-KR", 1280), ("en-US", 1280), ("ko-KR", 390)):
            context = browser.new_context(
                locale=locale, viewport={"width": width, "height": 900}
            )
            page = context.new_page()
            for path in ANONYMOUS_PAGES if width > 400 else []:
                page.goto(live_server.url + path)
                failures += _check(axe, page, f"{locale} {width}px {path}")
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", "axe-user")
            page.fill("#id_password", "pw-axe-12345")
            page.click("form button.primary")
            page.wait_for_url("**/recommendations/")
            for path in pages if width > 400 else ["/recommendations/"]:
                page.goto(live_server.url + path)
                failures += _check(axe, page, f"{locale} {width}px {path}")
            context.close()
        browser.close()
    assert not failures, "\n\n".join(failures)


def _check(axe, page, label: str) -> list[str]:
    results = axe.run(page)
    blocking = _blocking(results)
    if not blocking:
        return []
    return [
        f"{label}: {v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in blocking
    ]
