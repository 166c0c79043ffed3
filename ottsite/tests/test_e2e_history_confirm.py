"""In a real browser, in Korean and English at 390 and 1280 px (issue #25 items 4, 5
and 12h): a Letterboxd export naming Star Wars by its alternate titles is matched,
the confirmation list keeps every word whole, the titles not found are named once
and only counted on a reload, and the movie page lists co-liked similar titles; no
page grows wider than the screen.

Real pieces: the live server, headless Chromium. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from catalog.models import SIMILAR_VECTOR_DIM, DatasetUser, Movie, Rating
from catalog.tests.factories import MovieFactory
from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
NO_OVERFLOW = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)
# Every word of the list on one line: a word whose boxes sit on two lines was
# broken mid-word ("Cont/act", "(199/7)").
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set(
          [...range.getClientRects()].map((rect) => Math.round(rect.top))
        );
        if (tops.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""
EXPORT = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-01-03,Star Wars: A New Hope,1977,https://boxd.it/1,5\n"
    "2024-01-04,Star Wars: Episode IV - A New Hope,1977,https://boxd.it/2,5\n"
    "2024-01-05,Contact,1997,https://boxd.it/3,4.5\n"
    "2024-01-06,Close Encounters of the Third Kind,1977,https://boxd.it/4,4\n"
    "2024-01-07,Eternal Sunshine of the Spotless Mind,2004,https://boxd.it/5,4\n"
    "2024-01-08,Heat,1995,https://boxd.it/6,3.5\n"
    "2024-01-09,The Unfindable Picture Show,2019,https://boxd.it/7,3\n"
)
EXPECTED = {
    "ko": {"similar": "비슷한", "count": "1개"},
    "en": {"similar": "Similar", "count": "1 title from your file"},
}


def _catalogue() -> dict[str, Movie]:
    movies = {
        "wars": MovieFactory(title="Star Wars", title_ko="스타워즈", year=1977),
        "jedi": MovieFactory(
            title="Star Wars: The Last Jedi",
            title_ko="스타워즈: 라스트 제다이",
            year=2017,
        ),
        "empire": MovieFactory(
            title="Empire Strikes Back, The",
            title_ko="스타워즈 에피소드 5: 제국의 역습",
            year=1980,
        ),
        "contact": MovieFactory(title="Contact", title_ko="콘택트", year=1997),
        "encounters": MovieFactory(
            title="Close Encounters of the Third Kind",
            title_ko="미지와의 조우",
            year=1977,
        ),
        "sunshine": MovieFactory(
            title="Eternal Sunshine of the Spotless Mind",
            title_ko="이터널 선샤인",
            year=2004,
        ),
        "heat": MovieFactory(title="Heat", title_ko="히트", year=1995),
    }
    # Co-liked vectors: the sequel closest to Star Wars, Heat far.
    pad = [0.0] * (SIMILAR_VECTOR_DIM - 2)
    for name, vector in (
        ("wars", [1.0, 0.0]),
        ("empire", [0.95, 0.05]),
        ("jedi", [0.7, 0.3]),
        ("heat", [0.0, 1.0]),
    ):
        Movie.objects.filter(pk=movies[name].pk).update(similar_vector=vector + pad)
    for n in range(20):  # the page leaves out rarely rated titles
        rater = DatasetUser.objects.create(source="t", source_id=n)
        for name in ("empire", "jedi", "heat"):
            Rating.objects.create(
                user=rater, movie=movies[name], rating=4, rated_at=timezone.now()
            )
    return movies


@pytest.mark.django_db(transaction=True)
def test_it_confirms_a_history_and_shows_similar_titles_in_both_languages(
    live_server, django_user_model, tmp_path
):
    from playwright.sync_api import expect, sync_playwright

    user = django_user_model.objects.create_user(username="viewer", password="x")
    movies = _catalogue()
    export = tmp_path / "ratings.csv"
    export.write_text(EXPORT, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    # One session per page run (each holds its own upload), made before Playwright's
    # event loop starts: Django refuses database calls inside it.
    sessions = []
    for _ in range(4):
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
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
                            "value": sessions.pop(),
                            "url": live_server.url,
                        }
                    ]
                )
                context.set_default_timeout(30_000)
                page = context.new_page()
                tag = f"{language}-{width}"

                def shot(name: str, page=page, tag=tag) -> None:
                    assert page.evaluate(NO_OVERFLOW), f"{name} {tag}"
                    page.screenshot(
                        path=ARTIFACTS / f"history-confirm-{tag}-{name}.png",
                        full_page=True,
                    )

                page.goto(live_server.url + "/survey/history/")
                page.set_input_files("#id_export", str(export))
                page.click("#upload-history")
                matches = page.locator("#history-matches input[type=checkbox]")
                expect(matches).to_have_count(5)  # both Star Wars rows: one film
                ids = {int(v) for v in matches.evaluate_all("l => l.map(i => i.value)")}
                assert movies["wars"].pk in ids
                expect(page.locator("#history-unplaced")).to_have_text(
                    "The Unfindable Picture Show (2019)"
                )
                assert page.evaluate(BROKEN_WORDS, "#history-matches") == [], tag
                shot("01-confirm")

                # A reload names nothing of the file, it only counts.
                page.goto(live_server.url + "/survey/history/confirm/")
                expect(page.locator("#history-matches input")).to_have_count(5)
                expect(page.locator("#history-unplaced")).to_have_count(0)
                expect(page.locator("#history-unplaced-count")).to_contain_text(
                    expected["count"]
                )
                assert "Unfindable" not in page.content()
                assert page.evaluate(BROKEN_WORDS, "#history-matches") == [], tag
                shot("02-confirm-again")

                page.goto(live_server.url + f"/movies/{movies['wars'].pk}/")
                similar = page.locator("ul.similar li")
                expect(similar).to_have_count(3)
                expect(page.locator("#similar-title")).to_contain_text(
                    expected["similar"]
                )
                first = movies["empire"]
                title = first.title_ko if language == "ko" else "The Empire"
                expect(similar.first).to_contain_text(title)
                shot("03-movie-similar")
                context.close()
        browser.close()
