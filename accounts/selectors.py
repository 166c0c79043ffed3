"""Read-only queries for the account pages."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from accounts.models import Profile, Region
from catalog.models import Platform


def platforms_by_region() -> list[tuple[str, str, list[Platform]]]:
    """(region code, translated region name, active platforms) for every region."""
    platforms = list(Platform.objects.filter(is_active=True).order_by("name"))
    return [
        (code, str(label), [p for p in platforms if p.region == code])
        for code, label in Region.choices
    ]


def viewer_region(*, user: AbstractBaseUser | AnonymousUser) -> tuple[str, list[str]]:
    """The user's region (Korea by default) and the slugs of their services."""
    profile = None
    if user.is_authenticated:
        profile = (
            Profile.objects.filter(user=user).prefetch_related("subscriptions").first()
        )
    if profile is None:
        return Region.KOREA, []
    return profile.region, [p.slug for p in profile.subscriptions.all()]


def profile_budget(*, user_id: int) -> Decimal | None:
    """The user's monthly budget for streaming services, if they gave one."""
    return (
        Profile.objects.filter(user_id=user_id)
        .values_list("monthly_budget", flat=True)
        .first()
    )
