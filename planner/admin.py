"""Admin: users' plan settings and the reminders sent (read-only history)."""

from __future__ import annotations

from django.contrib import admin

from planner.models import PlanReminder, PlanSettings


@admin.register(PlanSettings)
class PlanSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "pace", "has_own_anchors", "has_reminders", "started_on")
    list_filter = ("has_reminders", "email_reminders")
    search_fields = ("user__username",)
    filter_horizontal = ("anchors",)
    raw_id_fields = ("user",)


@admin.register(PlanReminder)
class PlanReminderAdmin(admin.ModelAdmin):
    list_display = ("user", "switch_on", "start", "stop", "read_at", "emailed_at")
    list_filter = ("switch_on",)
    search_fields = ("user__username",)
    readonly_fields = [f.name for f in PlanReminder._meta.fields]
