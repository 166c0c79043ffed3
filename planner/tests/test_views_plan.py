"""The plan page and its settings form: owner only, bad input a clear 400."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from planner.models import PlanSettings
from planner.tests.support import kr_prices, profile_make, recommended, title_on

pytestmark = pytest.mark.django_db
URL = reverse("planner:plan")
SETTINGS = reverse("planner:settings")


@pytest.fixture
def titles(owner):
    """Budget 12,000. R1 (tving 12,000), R2 (wavve 10,000), R3 (prime 5,000)."""
    kr_prices()
    profile_make(owner, budget=12000)
    movies = [
        title_on(slug, title=f"R{i}")
        for i, slug in enumerate(["tving", "wavve", "prime-video"], start=1)
    ]
    recommended(owner, [(m, 4.0) for m in movies])
    return movies


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_shows_the_plan_with_its_timeline_chart(owner_client, titles):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="chart plan-chart"' in html and 'role="img"' in html
    assert html.count("data-plan-month=") == 3
    for name in ("R1", "R2", "R3"):
        assert name in html
    # One service a month (12,000 fits one): keeping all three costs 27,000.
    assert "data-plan-saved>₩" in html
    assert reverse("planner:calendar") in html
    assert 'data-service="tving"' in html


def test_it_speaks_korean(owner_client, titles):
    html = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "앞으로 몇 달의 계획" in html
    assert "만" in html  # the chart's compact amounts


def test_it_shows_the_other_users_plan_to_nobody_else(owner_client, other_user, titles):
    theirs = title_on("netflix", title="Theirs Only")
    recommended(other_user, [(theirs, 5.0)])
    assert "Theirs Only" not in owner_client.get(URL).content.decode()


@pytest.mark.parametrize(
    "query",
    [{"months": 9}, {"pace": 0}, {"pace": "many"}, {"anchors_set": 1, "anchors": "x"}],
)
def test_it_answers_bad_parameters_with_400_and_says_why(owner_client, titles, query):
    response = owner_client.get(URL, query)
    assert response.status_code == 400
    assert "data-plan-errors" in response.content.decode()


def test_it_shows_another_number_of_months_and_pace(owner_client, titles):
    html = owner_client.get(URL, {"months": 5, "pace": 1}).content.decode()
    assert html.count("data-plan-month=") == 5


def test_it_refuses_to_post_to_the_page(owner_client):
    assert owner_client.post(URL).status_code == 405


def test_it_saves_the_pace_anchors_and_reminders(owner_client, owner, titles):
    response = owner_client.post(
        SETTINGS,
        {
            "pace": 2,
            "anchors": ["wavve"],
            "has_reminders": "on",
            "email_reminders": "on",
        },
    )
    assert response.status_code == 302
    saved = PlanSettings.objects.get(user=owner)
    assert (saved.pace, saved.has_reminders, saved.email_reminders) == (2, True, True)
    assert [p.slug for p in saved.anchors.all()] == ["wavve"]
    assert saved.started_on is not None
    html = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Wavve (10,000) is kept every month now: nothing else fits 12,000.
    assert html.count('<span class="tag">kept all year') == 3


def test_it_saves_nothing_from_a_bad_form(owner_client, owner, titles):
    for data in ({"pace": 0}, {"pace": 2, "anchors": ["hulu"]}, {}):
        response = owner_client.post(SETTINGS, data)
        assert response.status_code == 302
    assert not PlanSettings.objects.filter(user=owner).exists()


def test_it_needs_a_login_and_a_post_to_save(owner_client):
    response = Client().post(SETTINGS, {"pace": 2})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert owner_client.get(SETTINGS).status_code == 405


def test_it_explains_there_is_nothing_to_plan_yet(owner_client, owner):
    profile_make(owner, budget=None)
    html = owner_client.get(URL).content.decode()
    assert 'data-plan-status="no_titles"' in html
    assert "data-plan-month=" not in html


def test_it_is_linked_from_the_advice(owner_client, owner, titles):
    html = owner_client.get(reverse("recommender:latest")).content.decode()
    assert "data-plan-link" in html
    assert f'href="{URL}"' in html
