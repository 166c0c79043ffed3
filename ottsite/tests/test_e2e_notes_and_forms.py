"""In a real browser, in Korean and English at 390 and 1280 px: the price notes and an
undated snapshot's offer say what is known, a phone jumps from the top of the results
to the satisfaction question, the survey offers everyday occupations, the history
upload asks for a CSV file and GET /accounts/logout/ asks before logging out; no page
grows wider than the screen.

Real pieces: the live server, headless Chromium. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from catalog.availability import COMBINED_EDITION
from catalog.models import Platform
from catalog.platform_seed import platforms_seed
from catalog.tests.factories import AvailabilityFactory
from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS
from recommender.tests.factories import ready_set

pytestmark = [pytest.mark.browser]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
NO_OVERFLOW = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)
EXPECTED = {
    "ko": {
        "price": "출처: Herald, 2020년. "
        "2026년 11월 27일에 찾아본 자료 중 가장 최근 것입니다.",
        "snapshot": "2020년 카탈로그 스냅숏에 있음(정확한 날짜 모름).",
        "occupation": "회사원",
        "logout": "로그아웃할까요?",
    },
    "en": {
        "price": "Source: Herald, 2020. When we looked on Nov. 27, 2026, it was the "
        "newest figure we found.",
        "snapshot": "Listed in a 2020 catalogue snapshot (date unknown).",
        "occupation": "Office worker",
        "logout": "Log out?",
    },
}


def _data(user) -> dict[str, str]:
    platforms_seed(Platform)  # a transactional test's flush removed them
    Profile.objects.update_or_create(user=user, defaults={"region": "KR"})
    rec_set = ready_set(user, movies=20, region="KR")
    first = rec_set.items.get(rank=1).movie
    AvailabilityFactory(
        movie=first,
        platform=Platform.objects.get(region="KR", slug="watcha"),
        source="snapshot",
        link="",
        last_checked=COMBINED_EDITION,
    )
    return {
        "01-results": f"/recommendations/{rec_set.pk}/",
        "02-movie": f"/movies/{first.pk}/",
        "03-about": reverse("survey:about"),
        "04-history": reverse("survey:history"),
        "05-logout": reverse("accounts:logout"),
    }


@pytest.mark.django_db(transaction=True)
def test_notes_jump_link_and_forms_in_both_languages_and_widths(
    live_server, django_user_model
):
    from playwright.sync_api import expect, sync_playwright

    user = django_user_model.objects.create_user(username="viewer", password="x")
    pages = _data(user)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for locale, language in (("ko-KR", "ko"), ("en-US", "en")):
            expected = EXPECTED[language]
            for width in (390, 1280):
                context = browser.new_context(
                    locale=locale, viewport={"width": width, "height": 844}
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

                def shot(name: str, page=page, tag=f"{language}-{width}") -> None:
                    assert page.evaluate(NO_OVERFLOW), f"{name} {tag}"
                    page.screenshot(
                        path=ARTIFACTS / f"notes-{tag}-{name}.png", full_page=True
                    )

                page.goto(live_server.url + pages["01-results"])
                page.wait_for_selector("#results [data-ready]")
                page.locator("[data-price-fine-print] summary").click()
                note = page.locator('[data-price-note="watcha"]')
                expect(note).to_contain_text(expected["price"])
                first_card = page.locator("#results .movie-card").first
                expect(first_card).to_contain_text(expected["snapshot"])
                shot("01-results")
                if width == 390:
                    # Near the top on a phone, and it takes you to the question.
                    jump = page.locator("[data-jump-satisfaction]")
                    page.evaluate("window.scrollTo(0, 0)")
                    assert jump.bounding_box()["y"] < 844 * 1.5
                    jump.click()
                    expect(page.locator("#satisfaction-title")).to_be_in_viewport()
                    page.screenshot(
                        path=ARTIFACTS / f"notes-{language}-390-01-jumped.png"
                    )

                page.goto(live_server.url + pages["02-movie"])
                expect(page.locator("#where")).to_contain_text(
                    expected["snapshot"].rstrip(".")[1:]
                )
                shot("02-movie")

                page.goto(live_server.url + pages["03-about"])
                options = page.locator("#id_occupation option")
                expect(options.nth(1)).to_have_text(expected["occupation"])
                shot("03-about")

                page.goto(live_server.url + pages["04-history"])
                accept = page.locator('input[type="file"]').get_attribute("accept")
                assert accept.startswith(".csv")
                shot("04-history")

                page.goto(live_server.url + pages["05-logout"])
                expect(page.locator("h1")).to_have_text(expected["logout"])
                shot("05-logout")
                context.close()
        browser.close()
