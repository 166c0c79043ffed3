"""What the movie page shows: availability by platform, with its credits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from catalog.labels import offer_type_label
from catalog.links import outbound_url
from catalog.selectors import availability_for_movies, snapshot_is_undated


@dataclass
class PlatformOffers:
    slug: str
    name: str
    is_mine: bool
    offers: list[dict] = field(default_factory=list)


def source_credit(source: str) -> str:
    """Who the availability data comes from, for the credit line."""
    if source == "tmdb":
        return "JustWatch via TMDB"
    labels = {
        "snapshot": _("public catalogue snapshot"),
        "cse": _("web search"),
        "admin": _("ottsite editors"),
    }
    return str(labels.get(source, source))


def availability_by_platform(
    *, movie_id: int, region: str, my_platforms: Iterable[str]
) -> list[PlatformOffers]:
    """Offers of one movie grouped by platform (mine first), each with its source."""
    mine = set(my_platforms)
    grouped: dict[str, PlatformOffers] = {}
    for offer in availability_for_movies(movie_ids=[movie_id], region=region).get(
        movie_id, []
    ):
        group = grouped.setdefault(
            offer.platform_slug,
            PlatformOffers(
                slug=offer.platform_slug,
                name=offer.platform_name,
                is_mine=offer.platform_slug in mine,
            ),
        )
        checked: datetime = offer.last_checked
        group.offers.append(
            {
                "type": offer.offer_type,
                "label": offer_type_label(offer.offer_type),
                "link": outbound_url(
                    kind="offer",
                    movie_id=movie_id,
                    title="",
                    region=region,
                    platform_slug=offer.platform_slug,
                    target=offer.link,
                ),
                "source": source_credit(offer.source),
                # A snapshot's date is its edition, not when it was imported.
                "is_snapshot": offer.source == "snapshot",
                "is_undated": snapshot_is_undated(checked),
                "checked": checked,
            }
        )
    return sorted(grouped.values(), key=lambda g: (not g.is_mine, g.name))
