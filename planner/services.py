"""Writes of the planner: what the user told it once (reminders live in
planner.reminders)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import viewer_region
from catalog.models import Platform
from ottsite.lib.errors import ValidationFailed
from ottsite.lib.generations import user_changed
from planner.models import MAX_PACE, PlanSettings


def plan_settings_save(
    *,
    user: AbstractBaseUser,
    pace: int,
    anchors: Sequence[str],
    has_reminders: bool,
    email_reminders: bool,
) -> PlanSettings:
    """Save the pace, the services kept all year and the reminder choices.

    The first save fixes the plan's renewal day (its months run from that date).
    """
    if not isinstance(pace, int) or isinstance(pace, bool) or not 1 <= pace <= MAX_PACE:
        raise ValidationFailed(
            {
                "pace": [
                    _("Choose from 1 to %(max)d titles a month.") % {"max": MAX_PACE}
                ]
            }
        )
    region, _mine = viewer_region(user=user)
    platforms = list(
        Platform.objects.filter(region=region, slug__in=set(anchors), is_active=True)
    )
    if len(platforms) != len(set(anchors)):
        raise ValidationFailed(
            {"anchors": [_("Choose only services offered in your region.")]}
        )
    with transaction.atomic():
        settings, _created = PlanSettings.objects.select_for_update().get_or_create(
            user=user
        )
        settings.pace = pace
        settings.has_own_anchors = True
        settings.has_reminders = has_reminders
        settings.email_reminders = has_reminders and email_reminders
        if settings.started_on is None:
            settings.started_on = timezone.localdate()
        settings.save()
        settings.anchors.set(platforms)
        user_changed(user_id=user.pk)  # the cached plan was built on the old choice
    return settings
