"""In a real browser, in Korean and English on a phone (390 px) and a desktop
(1280 px): "only series" and "from 2015" pick from the whole list behind the 20
shown titles, every card says why, and the service advice counts over that list
with examples, prices and how many titles have unknown availability, without any
page growing wider than the screen (issue #24 items 4 and 5).

Real pieces: the live server, headless Chromium. Screenshots land in
test-artifacts/pool-*.png.
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
from catalog.tests.factories import AvailabilityFactory, MovieFactory, SeriesFactory
from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS
from recommender.tests.factories import pool_entry, pool_set

pytestmark = [pytest.mark.browser]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
NO_OVERFLOW = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)
TEXT = {
    "ko": {
        "series": "시리즈만",
        "apply": "적용",
        "count": "가장 잘 맞는 7편 중 이 조건에 맞는 3편",
        "resembles": "내용이 닮았어요",
        "scope": "전체 카탈로그에서 가장 잘 맞는 7편을 기준으로",
        "unknown": "어디서 볼 수 있는지 아직 모릅니다",
        "example": "예: 기생충, 오징어 게임",
    },
    "en": {
        "series": "Only series",
        "apply": "Apply",
        "count": "Showing 3 of the 3 titles that fit these filters among your 7",
        "resembles": "one of your favourites",
        "scope": "Counted over your 7 best matches across the whole catalogue",
        "unknown": "we do not know yet",
        "example": "e.g. Parasite, Squid Game",
    },
}


def _catalogue(user) -> None:
    platforms_seed(Platform)  # a transactional test's flush removed them
    search_index_clear()
    Profile.objects.update_or_create(user=user, defaults={"region": "KR"})
    squid = SeriesFactory(
        title="Squid Game", title_ko="오징어 게임", year=2021, seasons=2
    )
    korea = SeriesFactory(
        title="Money Heist: Korea - Joint Economic Area",
        title_ko="종이의 집: 공동경제구역",
        year=2022,
        seasons=1,
    )
    old = SeriesFactory(title="Twin Peaks", year=1990, seasons=3)
    films = [
        MovieFactory(title="Parasite", title_ko="기생충", year=2019),
        MovieFactory(title="Oldboy", title_ko="올드보이", year=2003),
    ]
    rec_set = pool_set(user, shown=2, pool=[films[0], squid, films[1]])
    favourite = rec_set.survey.favorites.first().movie
    rec_set.pool += [
        pool_entry(korea, reason_data={"kind": "resembles", "item_id": favourite.pk}),
        pool_entry(old, reason_data={"kind": "popular"}),
    ]
    rec_set.save()
    rec_set.survey.platforms.set([Platform.objects.get(region="KR", slug="netflix")])
    for movie in (squid, korea, films[0]):
        AvailabilityFactory(movie=movie)


@pytest.mark.django_db(transaction=True)
def test_filters_pick_from_the_whole_list_and_the_advice_counts_over_it(
    live_server, django_user_model
):
    from playwright.sync_api import expect, sync_playwright

    user = django_user_model.objects.create_user(username="pool-viewer", password="x")
    _catalogue(user)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            for language, width in (
                ("ko", 390),
                ("ko", 1280),
                ("en", 390),
                ("en", 1280),
            ):
                text = TEXT[language]
                context = browser.new_context(
                    locale="ko-KR" if language == "ko" else "en-US",
                    extra_http_headers={"Accept-Language": language},
                    viewport={"width": width, "height": 900},
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
                page.wait_for_selector("#results [data-ready]")
                expect(page.locator("#results .movie-card")).to_have_count(2)
                advice = page.locator(".advice")
                expect(advice.locator("[data-advice-scope]")).to_contain_text(
                    text["scope"]
                )
                expect(advice.locator("[data-advice-sentence]")).to_contain_text(
                    text["unknown"]
                )
                expect(advice.locator("[data-advice-examples]").first).to_contain_text(
                    text["example"]
                )
                assert page.evaluate(NO_OVERFLOW), f"{language} {width} px"
                page.screenshot(
                    path=ARTIFACTS / f"pool-{language}-{width}-01-list.png",
                    full_page=True,
                )

                page.select_option("#id_kind", label=text["series"])
                page.click(f"form.filters button:has-text('{text['apply']}')")
                page.wait_for_selector("[data-pool-count]")
                cards = page.locator("#results .movie-card")
                expect(cards).to_have_count(3)
                expect(page.locator("[data-pool-count]")).to_contain_text(text["count"])
                for i in range(3):
                    assert cards.nth(i).locator(".reason").inner_text().strip()
                expect(cards.nth(1).locator(".reason")).to_contain_text(
                    text["resembles"]
                )
                assert page.evaluate(NO_OVERFLOW), f"{language} {width} px filtered"
                page.screenshot(
                    path=ARTIFACTS / f"pool-{language}-{width}-02-series.png",
                    full_page=True,
                )

                page.fill("#id_year_from", "2015")
                page.click(f"form.filters button:has-text('{text['apply']}')")
                expect(cards).to_have_count(2)
                assert "Twin Peaks" not in page.inner_text("#results .cards")
                page.screenshot(
                    path=ARTIFACTS / f"pool-{language}-{width}-03-recent.png",
                    full_page=True,
                )
                context.close()
            browser.close()
    finally:
        search_index_clear()
