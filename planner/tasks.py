"""Celery tasks of the planner."""

from __future__ import annotations

from celery import shared_task

from planner.reminders import plan_reminder_emails_send, plan_reminders_create


@shared_task(name="planner.reminders")
def plan_reminders_task() -> dict:
    """Daily (beat): reminders of the switches due soon, then their e-mails."""
    return {
        "created": plan_reminders_create(),
        "emailed": plan_reminder_emails_send(),
    }
