"""Advice for a recommendation set, read from its items and the region's offers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalog.models import Availability
from catalog.selectors import (
    availability_for_movies,
    availability_status_for_movies,
    platforms_for_region,
)
from recommender.advice.choice import advise
from recommender.advice.prices import region_currency
from recommender.advice.result import PlatformAdvice, PlatformInfo
from recommender.models import Dismissal

# A movie with offers, or one a live source checked and found nowhere, is known;
# "checking" and "unknown" are not evidence either way.
KNOWN_STATES = {"available", "none"}


def platform_advice_for_set(
    *,
    rec_set,
    budget: Decimal | None = None,
    offers: dict[int, list] | None = None,
    statuses: dict[int, Any] | None = None,
    platforms: list | None = None,
    subscribed: list[str] | None = None,
) -> PlatformAdvice:
    """Advice for a set from its items (minus dismissed movies) and availability.

    A caller that already read the set's offers, availability statuses (for all its
    items), the region's platforms or the slugs of the survey's services in the
    region (`subscribed`) passes them in rather than reading them again.
    """
    survey = rec_set.survey
    region = survey.region
    dismissed = Dismissal.objects.filter(user_id=survey.user_id).values("movie_id")
    items = list(
        rec_set.items.exclude(movie_id__in=dismissed)
        .order_by("rank")
        .values_list("movie_id", "predicted_rating")
    )
    ids = [m for m, _ in items]
    if platforms is None:
        platforms = platforms_for_region(region=region)
    infos = [
        PlatformInfo(
            slug=p.slug, name=p.name, monthly_price=p.monthly_price, currency=p.currency
        )
        for p in platforms
    ]
    if offers is None:
        offers = availability_for_movies(movie_ids=ids, region=region)
    offers = {m: offers[m] for m in ids if m in offers}
    if statuses is None or not set(ids) <= set(statuses):
        statuses = availability_status_for_movies(
            movie_ids=ids, region=region, offers=offers
        )
    coverage: dict[str, set[int]] = {}
    included = set(Availability.INCLUDED_OFFER_TYPES)
    for movie_id, movie_offers in offers.items():
        for offer in movie_offers:
            if offer.offer_type in included:
                coverage.setdefault(offer.platform_slug, set()).add(movie_id)
    if subscribed is None:
        subscribed = list(
            survey.platforms.filter(region=region).values_list("slug", flat=True)
        )
    currency = platforms[0].currency if platforms else region_currency(region)
    return advise(
        region=region,
        currency=currency,
        movies=items,
        platforms=infos,
        coverage=coverage,
        subscribed=subscribed,
        budget=budget,
        known_ids=[m for m in ids if statuses[m].state in KNOWN_STATES],
    )
