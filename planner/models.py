"""What a person told the planner once (pace, anchors, reminders) and the reminders
it sent before a planned switch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Platform

DEFAULT_PACE = 4
MAX_PACE = 30


class PlanSettings(models.Model):
    """Asked once on the plan page; absent fields fall back to the profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_settings"
    )
    pace = models.PositiveSmallIntegerField(
        _("titles a month"),
        default=DEFAULT_PACE,
        help_text=_("How many films or series you watch in a month."),
    )
    # False: the anchors are the profile's subscriptions (the default).
    has_own_anchors = models.BooleanField(
        _("own choice of kept services"), default=False
    )
    anchors = models.ManyToManyField(
        Platform,
        blank=True,
        related_name="+",
        verbose_name=_("services kept all year"),
    )
    has_reminders = models.BooleanField(_("remind me before a switch"), default=False)
    email_reminders = models.BooleanField(_("also by e-mail"), default=False)
    # Plan months run from this day's date each month (the renewal day).
    started_on = models.DateField(_("plan started on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan settings")
        verbose_name_plural = _("plan settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pace__gte=1) & models.Q(pace__lte=MAX_PACE),
                name="plansettings_pace_range",
            )
        ]

    def __str__(self) -> str:
        return f"plan settings of {self.user_id}"


class PlanReminder(models.Model):
    """An in-app notice (and maybe an e-mail) a few days before a planned switch."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    switch_on = models.DateField(_("switch on"))
    # Service names, so the text survives a service being renamed or removed.
    start = models.JSONField(_("start"), default=list, blank=True)
    stop = models.JSONField(_("stop"), default=list, blank=True)
    # The date and the change: a re-run of the task adds no copy.
    change_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["switch_on", "pk"]
        verbose_name = _("plan reminder")
        verbose_name_plural = _("plan reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "change_key"], name="planreminder_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="planreminder_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: switch on {self.switch_on}"
