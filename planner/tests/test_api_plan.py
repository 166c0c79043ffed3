"""GET /api/plan/: the owner's plan, worked out by hand; bad input is a clear 400."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from catalog.models import Availability, Platform
from catalog.tests.factories import MovieFactory
from ottsite.lib.generations import catalog_changed, movies_changed
from ottsite.tests.api_support import api_test_settings, assert_error, token_client
from planner.tests.support import (
    kr_prices,
    profile_make,
    recommended,
    saved,
    title_on,
)
from recommender.services import dismissal_create, rating_create

pytestmark = pytest.mark.django_db
URL = "/api/plan/"


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


@pytest.fixture
def world(owner):
    """Budget 15,000, no subscriptions. Watchlist: W1 (wavve). Recommended:
    R1 4.5 (tving), R2 4.0 (wavve), R3 3.5 (prime), R4 3.0 (netflix), U1 5.0 (never
    checked: unknown), N1 4.8 (checked, streams nowhere)."""
    kr_prices()
    profile_make(owner, budget=15000)
    t = {
        "W1": title_on("wavve", title="W1"),
        "R1": title_on("tving", title="R1"),
        "R2": title_on("wavve", title="R2"),
        "R3": title_on("prime-video", title="R3"),
        "R4": title_on("netflix", title="R4"),
        "U1": MovieFactory(title="U1"),
        "N1": title_on(title="N1"),
    }
    saved(owner, t["W1"])
    recommended(
        owner,
        [
            (t["R1"], 4.5),
            (t["R2"], 4.0),
            (t["R3"], 3.5),
            (t["R4"], 3.0),
            (t["U1"], 5.0),
            (t["N1"], 4.8),
        ],
    )
    return t


def plan(user, language="en", **params):
    response = token_client(user).get(URL, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()


def month_services(body) -> list[tuple[str, ...]]:
    return sorted(tuple(s["slug"] for s in m["services"]) for m in body["months"])


def watched(body) -> set[str]:
    return {t["title"] for m in body["months"] for t in m["titles"]}


def test_it_plans_the_owners_titles_within_the_budget(owner, world):
    # Pace 2, 15,000 a month: a tving or netflix month can hold only its one title
    # (no other service fits beside it), so at most 4 of the 5 plannable titles
    # fit in 3 months.
    body = plan(owner, months=3, pace=2)
    assert body["status"] == "ok" and body["has_plan"] is True
    # W1 (6.0, watchlist) + R1 4.5 + R2 4.0 + R3 3.5 beats dropping R3 for R4 3.0,
    # and one month each of wavve, tving and prime is the cheapest way: 27,000.
    assert watched(body) == {"W1", "R1", "R2", "R3"}
    assert month_services(body) == [("prime-video",), ("tving",), ("wavve",)]
    assert body["total_cost"] == "27000.00"
    # Keeping wavve, tving, prime and netflix (the services carrying a title):
    # 40,000 a month, 120,000 over three months.
    assert body["keep_all_cost"] == "120000.00"
    assert body["saved"] == "93000.00"
    assert {s["slug"] for s in body["keep_all"]} == {
        "wavve",
        "tving",
        "prime-video",
        "netflix",
    }
    assert all(
        m["saved"] == str(Decimal(40000) - Decimal(m["cost"])) for m in body["months"]
    )
    assert body["counts"] == {
        "titles": 7,
        "known": 6,
        "unknown": 1,
        "no_service": 1,
        "plannable": 5,
        "planned": 4,
        "min_known": 4,
    }
    assert body["unknown_movie_ids"] == [world["U1"].pk]
    assert "U1" not in watched(body) and "N1" not in watched(body)
    assert "1 of your titles" in body["sentence"]
    korean = plan(owner, language="ko", months=3, pace=2)["sentence"]
    assert "작품 4편을 ₩27,000에 볼 수 있어요" in korean
    assert body["budget"] == "15000.00"
    assert body["budget_display"] == "₩15,000"
    wavve_month = next(m for m in body["months"] if m["services"][0]["slug"] == "wavve")
    # The watchlist title first, then the best predicted.
    assert [t["title"] for t in wavve_month["titles"]] == ["W1", "R2"]
    assert wavve_month["titles"][0]["is_watchlist"] is True
    # Three switches: start the first month's service now, then swap twice.
    assert [s["index"] for s in body["switches"]] == [0, 1, 2]
    assert body["switches"][0]["is_now"] is True
    assert body["switches"][1]["stop"] == body["months"][0]["services"]


def test_it_uses_the_profiles_subscriptions_as_anchors_unless_told(owner, world):
    profile_make(owner, budget=15000, subscriptions=("netflix",))
    body = plan(owner, pace=2)
    # Netflix (13,000) is kept: 2,000 left, too little for any other service.
    assert month_services(body) == [("netflix",)] * 3
    assert [a["slug"] for a in body["anchors"]] == ["netflix"]
    assert watched(body) == {"R4"}
    free = plan(owner, pace=2, anchors="")
    assert free["anchors"] == []
    assert watched(free) == {"W1", "R1", "R2", "R3"}


def test_it_keeps_anchors_over_the_budget_and_says_so(owner, world):
    profile_make(owner, budget=10000, subscriptions=("netflix",))
    body = plan(owner, pace=2)
    assert body["status"] == "anchors_over_budget"
    assert month_services(body) == [("netflix",)] * 3
    assert "more than your budget of ₩10,000" in body["sentence"]


def test_it_gives_no_plan_when_too_little_is_known(owner):
    kr_prices()
    profile_make(owner, budget=20000)
    known = title_on("wavve")
    recommended(owner, [(known, 4.0), (MovieFactory(), 4.5), (MovieFactory(), 3.0)])
    body = plan(owner)
    assert body["has_plan"] is False
    assert body["status"] == "not_enough_known"
    assert body["months"] == [] and body["switches"] == []
    assert body["counts"]["unknown"] == 2 and body["counts"]["min_known"] == 2
    assert "too little to plan" in body["sentence"]


def test_it_says_what_to_do_without_titles(owner):
    profile_make(owner, budget=None)
    body = plan(owner)
    assert body["status"] == "no_titles" and body["months"] == []


def test_it_never_shows_another_users_titles(owner, other_user, world):
    other_title = title_on("netflix", title="Theirs")
    saved(other_user, other_title)
    assert "Theirs" not in watched(plan(owner, pace=5))
    body = plan(other_user)
    assert body["status"] == "ok"
    assert watched(body) == {"Theirs"}


def test_it_refuses_anonymous_callers():
    assert_error(token_client().get(URL), 401)


def test_it_refuses_other_methods(owner):
    assert_error(token_client(owner).post(URL, {}, format="json"), 405)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"months": 2}, "months"),
        ({"months": 7}, "months"),
        ({"months": "three"}, "months"),
        ({"pace": 0}, "pace"),
        ({"pace": 31}, "pace"),
        ({"pace": "1.5"}, "pace"),
        ({"anchors": "no-such-service"}, "anchors"),
        ({"anchors": "netflix;drop"}, "anchors"),
        ({"anchors": " netflix"}, "anchors"),
        ({"anchors": "Netflix"}, "anchors"),
        ({"anchors": "a" * 201}, "anchors"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(owner, world, params, field):
    assert_error(token_client(owner).get(URL, params), 400, field)


def test_it_refuses_a_service_of_another_region(owner, world):
    body = assert_error(token_client(owner).get(URL, {"anchors": "hulu"}), 400)
    assert body["field"] == "anchors"


def test_it_recomputes_when_a_title_leaves_its_service(
    owner, world, django_capture_on_commit_callbacks
):
    assert "R1" in watched(plan(owner, pace=2))
    with django_capture_on_commit_callbacks(execute=True):
        Availability.objects.filter(movie=world["R1"]).delete()
        movies_changed(movie_ids=[world["R1"].pk])
    body = plan(owner, pace=2)
    # R1 no longer streams anywhere: the tving month goes, R4's netflix month comes.
    assert "R1" not in watched(body)
    assert month_services(body) == [("netflix",), ("prime-video",), ("wavve",)]
    assert body["counts"]["no_service"] == 1  # N1; R1 is now never checked: unknown
    assert body["counts"]["unknown"] == 2


def test_it_recomputes_when_a_price_changes(
    owner, world, django_capture_on_commit_callbacks
):
    assert plan(owner, pace=2)["total_cost"] == "27000.00"
    with django_capture_on_commit_callbacks(execute=True):
        Platform.objects.filter(region="KR", slug="tving").update(
            monthly_price=Decimal(11000)
        )
        catalog_changed()
    assert plan(owner, pace=2)["total_cost"] == "26000.00"


def test_it_recomputes_when_the_user_rates_or_dismisses(
    owner, world, django_capture_on_commit_callbacks
):
    assert plan(owner, pace=2)["counts"]["planned"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        rating_create(user=owner, movie_id=world["R1"].pk, rating=5)
        dismissal_create(user=owner, movie_id=world["R2"].pk)
    body = plan(owner, pace=2)
    # R1 is watched, R2 unwanted: W1 (wavve), R3 (prime), R4 (netflix) remain.
    assert watched(body) == {"W1", "R3", "R4"}
    assert body["counts"]["titles"] == 5


def test_the_schema_documents_the_plan_and_its_parameters(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    operation = schema["paths"]["/api/plan/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"months", "pace", "anchors"}
    assert "200" in operation["responses"] and "400" in operation["responses"]
