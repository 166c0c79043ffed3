"""In a real browser, in Korean and English at 1280 and 390 px: the model version
admin and an experiment's report read as words and rounded numbers, and their tables
keep within a 1280 px screen (on a phone a wide table scrolls inside its box).

Real pieces: the live server, headless Chromium. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from catalog.models import Platform
from catalog.platform_seed import platforms_seed
from experiments.models import Assignment, Event
from experiments.services import VariantSpec, experiment_create
from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS
from recommender.models import ModelVersion
from recommender.tests.factories import UserFactory, ready_set
from recommender.tests.test_admin import METRICS

pytestmark = [pytest.mark.browser]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
NO_OVERFLOW = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)
# What the admin used to show instead of words and rounded numbers.
RAW = ("0.8680388331413269", "{'", "0.3333", "use_demographics")
# A table wider than its box, which then scrolls sideways (the admin's list, the
# report's tables); at 1280 px none may.
TABLE_SCROLLS = (
    "Array.from(document.querySelectorAll('#content .results, #content .table-scroll'))"
    ".some(box => box.scrollWidth > box.clientWidth + 1)"
)


def _data() -> dict[str, str]:
    platforms_seed(Platform)  # a transactional test's flush removed them
    version = ModelVersion.objects.create(
        version="20261203-101010-abcdef",
        path="/tmp/x",
        metrics=METRICS,
        training_seconds=346.0,
        gate_decision=ModelVersion.Gate.ACCEPTED,
        gate_reason="cold-start NDCG@10 0.3303 vs active 0.3100 (tolerance 0.0100)",
        data_counts={
            "dataset": {"users": 875, "ratings": 75116},
            "product": {"users": 12, "ratings": 240},
        },
    )
    experiment = experiment_create(
        name="demographics-off",
        hypothesis="Leaving demographics out makes lists no worse.",
        variants=[
            VariantSpec("control", 1, {}, is_control=True),
            VariantSpec(
                "no-demographics-diverse",
                1,
                {"use_demographics": False, "diversity": 0.3, "method": "ranker"},
            ),
        ],
        planned_sample_size=2,
    )
    for name, score in [("control", 3), ("control", 4), ("no-demographics-diverse", 5)]:
        user = UserFactory()
        variant = experiment.variants.get(name=name)
        Assignment.objects.create(experiment=experiment, variant=variant, user=user)
        rec_set = ready_set(user, movies=1)
        common = {"user": user, "experiment": experiment, "variant": variant}
        Event.objects.create(
            kind=Event.Kind.IMPRESSION,
            surface="page",
            recommendation_set=rec_set,
            **common,
        )
        Event.objects.create(
            kind=Event.Kind.SATISFACTION,
            surface="page",
            recommendation_set=rec_set,
            value=score,
            **common,
        )
    return {
        "01-versions": "/admin/recommender/modelversion/",
        "02-version": f"/admin/recommender/modelversion/{version.pk}/change/",
        "03-experiments": "/admin/experiments/experiment/",
        "04-report": f"/admin/experiments/experiment/{experiment.pk}/report/",
    }


@pytest.mark.django_db(transaction=True)
def test_the_admin_reads_for_people_and_fits_the_screen(live_server, django_user_model):
    from playwright.sync_api import sync_playwright

    admin = django_user_model.objects.create_superuser(
        username="boss", password="x", email="boss@example.com"
    )
    pages = _data()
    client = Client()
    client.force_login(admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[tuple[str, tuple]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for locale, language in (("ko-KR", "ko"), ("en-US", "en")):
            for width in (1280, 390):
                context = browser.new_context(
                    locale=locale, viewport={"width": width, "height": 900}
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
                page = context.new_page()
                for name, url in pages.items():
                    page.goto(live_server.url + url)
                    page.screenshot(
                        path=ARTIFACTS / f"admin-{language}-{width}-{name}.png",
                        full_page=True,
                    )
                    text = page.inner_text("#content")
                    where = (name, language, width)
                    for raw in RAW:
                        if raw in text:
                            problems.append((raw, where))
                    if language == "ko":
                        for english in ("Decision", "Variants", "Report", "epochs"):
                            if english in text:
                                problems.append((english, where))
                    if not page.evaluate(NO_OVERFLOW):
                        problems.append(("page wider than the screen", where))
                    if width == 1280 and page.evaluate(TABLE_SCROLLS):
                        problems.append(("a table scrolls sideways", where))
                context.close()
        browser.close()
    assert problems == [], problems
