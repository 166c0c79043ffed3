"""Advice for a recommendation set, read from its items and the region's offers."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from catalog.models import Availability, Movie
from catalog.selectors import (
    availability_for_movies,
    availability_status_for_movies,
    platforms_for_region,
)
from recommender.advice.choice import advise
from recommender.advice.prices import region_currency
from recommender.advice.result import PlatformAdvice, PlatformInfo
from recommender.models import Dismissal
from recommender.pool import pool_rows

# A movie with offers, or one a live source checked and found nowhere, is known;
# "checking" and "unknown" are not evidence either way.
KNOWN_STATES = {"available", "none"}
# Titles named as examples beside each service's count.
EXAMPLE_COUNT = 3


def platform_advice_for_set(
    *,
    rec_set,
    budget: Decimal | None = None,
    offers: dict[int, list] | None = None,
    statuses: dict[int, Any] | None = None,
    platforms: list | None = None,
    subscribed: list[str] | None = None,
) -> PlatformAdvice:
    """Advice for a set over its pool, the whole catalogue's best matches (a set
    without one: its shown items), minus dismissed movies, from availability.

    A caller that already read the offers and availability statuses (for every
    title the advice counts: statuses name them all), the region's platforms or
    the slugs of the survey's services in the region (`subscribed`) passes them in
    rather than reading them again.
    """
    survey = rec_set.survey
    region = survey.region
    dismissed = set(
        Dismissal.objects.filter(user_id=survey.user_id).values_list(
            "movie_id", flat=True
        )
    )
    movies, scope = _pool_movies(rec_set, dismissed), "pool"
    if not movies:
        movies, scope = _shown_movies(rec_set, dismissed), "shown"
    ids = list(movies)
    if platforms is None:
        platforms = platforms_for_region(region=region)
    infos = [
        PlatformInfo(
            slug=p.slug, name=p.name, monthly_price=p.monthly_price, currency=p.currency
        )
        for p in platforms
    ]
    if offers is None or statuses is None or not set(ids) <= set(statuses):
        offers = availability_for_movies(movie_ids=ids, region=region)
        statuses = availability_status_for_movies(
            movie_ids=ids, region=region, offers=offers
        )
    offers = {m: offers[m] for m in ids if m in offers}
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
    advice = advise(
        region=region,
        currency=currency,
        movies=[(m, rating) for m, (rating, _) in movies.items()],
        platforms=infos,
        coverage=coverage,
        subscribed=subscribed,
        budget=budget,
        known_ids=[m for m in ids if statuses[m].state in KNOWN_STATES],
        scope=scope,
    )
    examples = {
        p.slug: [
            {
                "movie_id": m,
                "title": movies[m][1].display_title,
                "title_ko": movies[m][1].title_ko,
            }
            for m in p.movie_ids[:EXAMPLE_COUNT]
        ]
        for p in advice.per_platform
        if p.movie_ids
    }
    return replace(advice, examples=examples)


def _pool_movies(rec_set, dismissed: set[int]) -> dict[int, tuple[float, Movie]]:
    """Pool titles still in the catalogue, best first: id -> (rating, movie)."""
    rows = pool_rows(rec_set=rec_set, exclude=dismissed)
    found = _movies([r["movie_id"] for r in rows])
    return {
        r["movie_id"]: (float(r.get("predicted_rating") or 0), found[r["movie_id"]])
        for r in rows
        if r["movie_id"] in found
    }


def _shown_movies(rec_set, dismissed: set[int]) -> dict[int, tuple[float, Movie]]:
    items = list(
        rec_set.items.exclude(movie_id__in=dismissed)
        .order_by("rank")
        .values_list("movie_id", "predicted_rating")
    )
    found = _movies([m for m, _ in items])
    return {m: (rating, found[m]) for m, rating in items if m in found}


def _movies(ids: list[int]) -> dict[int, Movie]:
    # Only what a title in an example needs.
    rows = (
        Movie.objects.filter(pk__in=ids)
        .exclude(Movie.PLACEHOLDER)
        .only("pk", "title", "title_ko", "source", "year")
    )
    return {m.pk: m for m in rows}
