"""Reminders a few days before a planned switch: in-app, by e-mail when asked,
once; the beat task; the plan page shows and dismisses them."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from planner.models import PlanReminder, PlanSettings
from planner.reminders import plan_reminder_emails_send, plan_reminders_create
from planner.tasks import plan_reminders_task
from planner.tests.support import kr_prices, profile_make, recommended, title_on

pytestmark = pytest.mark.django_db
STARTED = date(2026, 1, 10)
# Three days before the period that starts on 10 February.
BEFORE_SWITCH = date(2026, 2, 7)


@pytest.fixture
def planned(owner):
    """Budget 12,000: one service a month (tving, wavve, prime), so the plan
    switches on every renewal day (the 10th, counted from STARTED)."""
    kr_prices()
    profile_make(owner, budget=12000)
    movies = [
        title_on(slug, title=f"R{i}")
        for i, slug in enumerate(["tving", "wavve", "prime-video"], start=1)
    ]
    recommended(owner, [(m, 4.0 + i / 10) for i, m in enumerate(movies)])
    return PlanSettings.objects.create(
        user=owner, pace=4, has_reminders=True, started_on=STARTED
    )


def test_it_reminds_three_days_before_a_switch(owner, planned):
    assert plan_reminders_create(today=BEFORE_SWITCH) == 1
    reminder = PlanReminder.objects.get(user=owner)
    assert reminder.switch_on == date(2026, 2, 10)
    assert len(reminder.start) == 1 and len(reminder.stop) == 1
    assert reminder.start != reminder.stop


def test_it_does_not_remind_twice_of_one_switch(owner, planned):
    plan_reminders_create(today=BEFORE_SWITCH)
    assert plan_reminders_create(today=date(2026, 2, 8)) == 0
    assert PlanReminder.objects.count() == 1


def test_it_says_nothing_while_no_switch_is_near(owner, planned):
    assert plan_reminders_create(today=date(2026, 1, 20)) == 0


def test_it_reminds_only_who_asked(owner, planned):
    PlanSettings.objects.filter(pk=planned.pk).update(has_reminders=False)
    assert plan_reminders_create(today=BEFORE_SWITCH) == 0


def test_it_mails_once_to_who_opted_in(owner, planned):
    PlanSettings.objects.filter(pk=planned.pk).update(email_reminders=True)
    plan_reminders_create(today=BEFORE_SWITCH)
    assert plan_reminder_emails_send() == 1
    assert plan_reminder_emails_send() == 0
    (message,) = mail.outbox
    assert message.to == ["owner@example.com"]
    # In the site's language (Korean), with the right particle after the name.
    assert "갱신 전에 해지" in message.body
    assert "은(는)" not in message.body


def test_it_does_not_mail_without_the_opt_in(owner, planned):
    plan_reminders_create(today=BEFORE_SWITCH)
    assert plan_reminder_emails_send() == 0
    assert mail.outbox == []


def test_the_beat_task_creates_and_mails(owner, planned, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: BEFORE_SWITCH)
    PlanSettings.objects.filter(pk=planned.pk).update(email_reminders=True)
    assert plan_reminders_task.delay().get() == {"created": 1, "emailed": 1}
    schedule = django_settings.CELERY_BEAT_SCHEDULE["plan-reminders"]
    assert schedule["task"] == "planner.reminders"


def test_the_plan_page_shows_and_dismisses_my_reminders(
    owner_client, owner, other_user, planned
):
    plan_reminders_create(today=BEFORE_SWITCH)
    PlanReminder.objects.create(
        user=other_user, switch_on=BEFORE_SWITCH, start=["Theirs+"], change_key="x"
    )
    html = owner_client.get(reverse("planner:plan")).content.decode()
    assert html.count("data-plan-reminder>") == 1
    assert "Theirs+" not in html
    response = owner_client.post(reverse("planner:reminders_read"))
    assert response.status_code == 302
    html = owner_client.get(reverse("planner:plan")).content.decode()
    assert "data-plan-reminder>" not in html
    assert PlanReminder.objects.get(user=other_user).read_at is None


def test_dismissing_needs_a_login_and_a_post(owner_client):
    url = reverse("planner:reminders_read")
    assert Client().post(url).status_code == 302
    assert owner_client.get(url).status_code == 405
