"""Reminders a few days before a planned switch: an in-app notice for everyone who
asked for them, and one e-mail for those who also opted in to e-mail.

Run daily by the beat task planner.reminders. Idempotent: one reminder per user
and change (its date and the services started and stopped), one e-mail per
reminder, claimed row by row so two workers never mail twice.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ottsite.lib.errors import DomainError
from planner.calendar import REMINDER_DAYS
from planner.models import PlanReminder, PlanSettings
from planner.selectors import plan_choices, plan_get


def _change_key(switch: dict) -> str:
    start = ",".join(s["slug"] for s in switch["start"])
    stop = ",".join(s["slug"] for s in switch["stop"])
    return f"{switch['on']}:+{start}-{stop}"[:200]


def plan_reminders_create(*, today: date | None = None) -> int:
    """Remind every user who asked of the switches due within REMINDER_DAYS."""
    today = today or timezone.localdate()
    created = 0
    users = PlanSettings.objects.filter(has_reminders=True).select_related("user")
    for row in users:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                choices = plan_choices(user=row.user, today=today)
                payload = plan_get(user=row.user, choices=choices, today=today)
        except DomainError:
            continue  # a plan that cannot be computed now has nothing to remind of
        for switch in payload["switches"]:
            days = (date.fromisoformat(switch["on"]) - today).days
            if switch["is_now"] or not 0 < days <= REMINDER_DAYS:
                continue
            _reminder, is_new = PlanReminder.objects.get_or_create(
                user=row.user,
                change_key=_change_key(switch),
                defaults={
                    "switch_on": switch["on"],
                    "start": [s["name"] for s in switch["start"]],
                    "stop": [s["name"] for s in switch["stop"]],
                },
            )
            created += is_new
    return created


def plan_reminder_emails_send() -> int:
    """Mail each opted-in user their reminders not mailed yet (one e-mail each)."""
    pending = PlanReminder.objects.filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        user__plan_settings__email_reminders=True,
    ).exclude(user__email="")
    sent = 0
    for user_id in set(pending.values_list("user_id", flat=True)):
        with transaction.atomic():
            # Claim the rows first: two workers running the task together mail once.
            rows = list(
                pending.filter(user_id=user_id).select_for_update(skip_locked=True)
            )
            if not rows:
                continue
            user = get_user_model().objects.get(pk=user_id)
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string(
                    "planner/reminder_email.txt", {"user": user, "reminders": rows}
                )
                subject = _("Time to switch streaming services")
            send_mail(subject, body, None, [user.email])
            PlanReminder.objects.filter(pk__in=[r.pk for r in rows]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent


def plan_reminders_unread(*, user: AbstractBaseUser) -> list[PlanReminder]:
    """The user's reminders not yet dismissed, soonest switch first."""
    return list(PlanReminder.objects.filter(user=user, read_at__isnull=True))


def plan_reminders_mark_read(*, user: AbstractBaseUser) -> int:
    """Dismiss all of the user's reminders."""
    return PlanReminder.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
