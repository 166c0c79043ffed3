"""Streaming platforms by region."""

from __future__ import annotations

from django.db.models import QuerySet

from catalog.models import Platform
from ottsite.lib.errors import NotFound


def platforms_for_region(*, region: str) -> list[Platform]:
    """Active platforms of a region, by name."""
    return list(Platform.objects.filter(region=region, is_active=True).order_by("name"))


def platform_list(*, region: str = "") -> QuerySet[Platform]:
    """Active platforms, all or one region's."""
    platforms = Platform.objects.filter(is_active=True).order_by("region", "name", "id")
    return platforms.filter(region=region) if region else platforms


def platform_get(*, platform_id: int) -> Platform:
    """One platform, or NotFound."""
    platform = Platform.objects.filter(pk=platform_id).first()
    if platform is None:
        raise NotFound("No such platform.")
    return platform
