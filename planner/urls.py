"""The plan for the coming months: page, saved settings, calendar file."""

from __future__ import annotations

from django.urls import path

from planner import views

app_name = "planner"

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/settings/", views.settings_save, name="settings"),
    path("plan/calendar.ics", views.calendar, name="calendar"),
    path("plan/reminders/read/", views.reminders_read, name="reminders_read"),
    path("plan/out/<int:movie_id>/<slug:platform>/", views.clickout, name="clickout"),
]
