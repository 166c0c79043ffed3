"""Watchlist alerts: a saved movie arrived on, or left, a service the user pays for.

One notification per user, movie and change (whatever the number of services), and
emails go out as one digest per user of the notifications not yet mailed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, Profile
from catalog.models import Platform


def watchlist_alerts_create(
    *,
    movie_id: int,
    user_ids: Iterable[int],
    before: Mapping[int, str],
    after: Mapping[int, str],
) -> list[Notification]:
    """Notify the users who saved the movie and whose services gained or lost it."""
    arrived = set(after) - set(before)
    left = set(before) - set(after)
    changed = arrived | left
    if not changed:
        return []
    names = dict(Platform.objects.filter(pk__in=changed).values_list("pk", "name"))
    profiles = Profile.objects.filter(
        user_id__in=list(user_ids), subscriptions__in=changed
    ).distinct()
    day = timezone.now().date().isoformat()
    created = []
    for profile in profiles.prefetch_related("subscriptions"):
        mine = {p.pk for p in profile.subscriptions.all()}
        got, lost = sorted(arrived & mine), sorted(left & mine)
        if not got and not lost:
            continue
        key = "+{}-{}@{}".format(",".join(map(str, got)), ",".join(map(str, lost)), day)
        notification, is_new = Notification.objects.get_or_create(
            user_id=profile.user_id,
            movie_id=movie_id,
            change_key=key[:200],
            defaults={
                "region": profile.region,
                "arrived_on": [names[p] for p in got],
                "left": [names[p] for p in lost],
            },
        )
        if is_new:
            created.append(notification)
    if created:
        transaction.on_commit(notification_emails_send)
    return created


def notification_emails_send() -> int:
    """Mail each opted-in user one digest of their unmailed notifications."""
    pending = Notification.objects.filter(
        emailed_at__isnull=True,
        user__profile__email_alerts=True,
    ).exclude(user__email="")
    sent = 0
    for user_id in set(pending.values_list("user_id", flat=True)):
        with transaction.atomic():
            # Claim the rows first: two refreshes finishing together mail once.
            rows = list(
                pending.filter(user_id=user_id)
                .select_for_update(skip_locked=True)
                .select_related("movie")
            )
            if not rows:
                continue
            user = get_user_model().objects.get(pk=user_id)
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string(
                    "accounts/alerts_email.txt", {"user": user, "notifications": rows}
                )
                subject = _("Changes on your watchlist")
            send_mail(subject, body, None, [user.email])
            Notification.objects.filter(pk__in=[n.pk for n in rows]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent


def notifications_for(*, user) -> list[Notification]:
    """The user's notifications, newest first, with their movies."""
    return list(Notification.objects.filter(user=user).select_related("movie")[:100])


def notifications_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_mark_read(*, user) -> int:
    """Mark all of the user's notifications read."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
