"""The .ics file of the plan's switches: RFC 5545 text, the owner's plan only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from planner.calendar import ics_escape, ics_fold
from planner.tests.support import kr_prices, profile_make, recommended, title_on

URL = reverse("planner:calendar")


def test_it_escapes_text_values():
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_it_folds_long_lines_without_splitting_a_korean_character():
    line = "SUMMARY:" + "넷플릭스 시작" * 20
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_it_leaves_short_lines_alone():
    assert ics_fold("VERSION:2.0") == "VERSION:2.0"


@pytest.fixture
def titles(owner):
    kr_prices()
    profile_make(owner, budget=12000)
    movies = [
        title_on(slug, title=f"R{i}")
        for i, slug in enumerate(["tving", "wavve", "prime-video"], start=1)
    ]
    recommended(owner, [(m, 4.0) for m in movies])
    return movies


@pytest.mark.django_db
def test_it_gives_one_event_per_switch_with_an_alarm_before_it(owner_client, titles):
    response = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "ottsite-plan.ics" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    # One service a month, a different one each month: start now, then two swaps.
    assert text.count("BEGIN:VEVENT") == 3
    assert text.count("BEGIN:VALARM") == 2
    assert text.count("TRIGGER:-P3D") == 2
    assert "SUMMARY:Start " in text and "before it renews" in text
    assert "DTSTART;VALUE=DATE:" in text


@pytest.mark.django_db
def test_it_speaks_korean_with_the_right_particle(owner_client, titles):
    text = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    unfolded = text.replace("\r\n ", "")
    assert "갱신 전에 해지" in unfolded
    assert "은(는)" not in unfolded


@pytest.mark.django_db
def test_it_needs_a_login():
    response = Client().get(URL)
    assert response.status_code == 302


@pytest.mark.django_db
def test_it_answers_bad_parameters_with_400(owner_client, titles):
    assert owner_client.get(URL, {"months": 12}).status_code == 400
    assert (
        owner_client.get(URL, {"anchors_set": 1, "anchors": "hulu"}).status_code == 400
    )


@pytest.mark.django_db
def test_it_holds_only_the_owners_plan(owner_client, other_user, titles):
    theirs = title_on("netflix", title="Their Secret Film")
    recommended(other_user, [(theirs, 5.0)])
    text = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Their Secret Film" not in text.replace("\r\n ", "")


@pytest.mark.django_db
def test_it_refuses_a_post(owner_client):
    assert owner_client.post(URL).status_code == 405
