"""Read-only queries over the catalogue."""

from __future__ import annotations

from catalog.models import DatasetUser, Movie, Rating


def catalog_counts() -> dict[str, int]:
    """Row counts of the catalogue tables."""
    return {
        "movies": Movie.objects.count(),
        "users": DatasetUser.objects.count(),
        "ratings": Rating.objects.count(),
    }


def catalog_is_empty() -> bool:
    """True when no movie has been imported yet."""
    return not Movie.objects.exists()
