"""Read-only queries for the account pages."""

from __future__ import annotations

from accounts.models import Region
from catalog.models import Platform


def platforms_by_region() -> list[tuple[str, str, list[Platform]]]:
    """(region code, translated region name, active platforms) for every region."""
    platforms = list(Platform.objects.filter(is_active=True).order_by("name"))
    return [
        (code, str(label), [p for p in platforms if p.region == code])
        for code, label in Region.choices
    ]
