"""A user's plan for the coming months, from their titles, offers and prices.

Titles: the watchlist and the newest ready recommendation set's items, minus what
the user dismissed or rated (a rated title has been watched). Offers:
catalog.selectors.availability_for_movies, subscription/free/ads only (rent and
buy cost extra). Prices: Platform.monthly_price; a service without a price is
never planned (an anchor without one counts as free: it is paid for anyway).

Known coverage rule (as recommender.advice): a title is *known* when some offer
is recorded for it in the region or a live source checked and found none. Titles
we know nothing about are counted and reported, never planned, and below
MIN_KNOWN_SHARE known there is no plan at all.

The plan is cached per user and query until the user (feedback, profile, plan
settings), the catalogue (prices, platforms) or one of the titles (its offers,
e.g. a title leaving a service at the next sync) changes: it is recomputed then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import profile_budget, viewer_region
from catalog.models import Availability, Movie, Platform
from catalog.selectors import (
    availability_for_movies,
    availability_status_for_movies,
    platforms_for_region,
)
from ottsite.lib.errors import ValidationFailed
from ottsite.lib.generations import user_cached
from planner.models import DEFAULT_PACE, MAX_PACE, PlanSettings
from planner.optimiser import (
    PlanProblem,
    Service,
    Title,
    constant_carriers,
    plan_optimal,
)
from planner.payload import PlanContext, plan_payload
from planner.periods import period_starts
from recommender.advice import KNOWN_STATES, min_known_for
from recommender.models import (
    Dismissal,
    MovieRating,
    RecommendationItem,
    RecommendationSet,
    WatchlistItem,
)

MONTHS_MIN, MONTHS_MAX, DEFAULT_MONTHS = 3, 6, 3
PLAN_CACHE_SECONDS = 600
INCLUDED = {str(t) for t in Availability.INCLUDED_OFFER_TYPES}


@dataclass(frozen=True)
class PlanChoices:
    """What the plan is computed for: the query, or else what the user saved."""

    region: str
    months: int
    pace: int
    anchors: tuple[str, ...]
    subscribed: tuple[str, ...]
    budget: Decimal | None
    started_on: date


def plan_settings_get(*, user: AbstractBaseUser) -> PlanSettings | None:
    """The user's saved plan settings, with their anchors, if they saved any."""
    return PlanSettings.objects.filter(user=user).prefetch_related("anchors").first()


def plan_choices(
    *,
    user: AbstractBaseUser,
    months: int | None = None,
    pace: int | None = None,
    anchors: list[str] | None = None,
    today: date | None = None,
) -> PlanChoices:
    """Validate a plan query and fill what it leaves out from the saved settings.

    anchors None: the saved choice, else the profile's subscriptions.
    """
    today = today or timezone.localdate()
    region, subscribed = viewer_region(user=user)
    saved = plan_settings_get(user=user)
    errors: dict[str, list[str]] = {}
    months = DEFAULT_MONTHS if months is None else months
    if not MONTHS_MIN <= months <= MONTHS_MAX:
        errors["months"] = [
            _("Plan from %(min)d to %(max)d months.")
            % {"min": MONTHS_MIN, "max": MONTHS_MAX}
        ]
    if pace is None:
        pace = saved.pace if saved else DEFAULT_PACE
    if not 1 <= pace <= MAX_PACE:
        errors["pace"] = [
            _("Choose from 1 to %(max)d titles a month.") % {"max": MAX_PACE}
        ]
    if anchors is None:
        if saved and saved.has_own_anchors:
            anchors = [p.slug for p in saved.anchors.all() if p.region == region]
        else:
            anchors = list(subscribed)
    region_slugs = {p.slug for p in platforms_for_region(region=region)}
    unknown = sorted(set(anchors) - region_slugs)
    if unknown:
        errors["anchors"] = [
            _("Not a service in your region: %(slugs)s.")
            % {"slugs": ", ".join(unknown)}
        ]
    if errors:
        raise ValidationFailed(errors)
    return PlanChoices(
        region=region,
        months=months,
        pace=pace,
        anchors=tuple(sorted(set(anchors))),
        subscribed=tuple(sorted(subscribed)),
        budget=profile_budget(user_id=user.pk),
        started_on=(saved.started_on if saved and saved.started_on else today),
    )


def plan_get(
    *, user: AbstractBaseUser, choices: PlanChoices, today: date | None = None
) -> dict[str, Any]:
    """The plan as a JSON-friendly dict (planner.payload), cached until it changes."""
    today = today or timezone.localdate()
    starts = period_starts(
        anchor=choices.started_on, today=today, count=choices.months + 1
    )
    language = translation.get_language() or ""
    digest = hashlib.sha256(
        repr((choices, starts, today, language)).encode()
    ).hexdigest()[:24]
    built: list[list[int]] = []

    def build() -> tuple[dict[str, Any], int | None]:
        payload, ids, is_settled = _plan_build(
            user=user, choices=choices, starts=starts, today=today
        )
        built.append(ids)
        return payload, PLAN_CACHE_SECONDS if is_settled else None

    payload, _built = user_cached(
        user_id=user.pk,
        key=f"plan:{user.pk}:{digest}",
        build=build,
        deps=lambda _value: built[0] if built else [],
    )
    return payload


def plan_titles(*, user: AbstractBaseUser) -> list[tuple[Movie, float, bool]]:
    """(movie, predicted rating or 0, is on the watchlist): watchlist first."""
    dismissed = set(
        Dismissal.objects.filter(user=user).values_list("movie_id", flat=True)
    )
    rated = set(
        MovieRating.objects.filter(user=user).values_list("movie_id", flat=True)
    )
    left_out = dismissed | rated
    latest = (
        RecommendationSet.objects.filter(
            survey__user=user, status=RecommendationSet.Status.READY
        )
        .order_by("-created_at")
        .first()
    )
    items: list[RecommendationItem] = []
    if latest is not None:
        items = list(latest.items.select_related("movie").order_by("rank"))
    predicted = {i.movie_id: i.predicted_rating for i in items}
    result: list[tuple[Movie, float, bool]] = []
    seen: set[int] = set()
    for entry in WatchlistItem.objects.filter(user=user).select_related("movie"):
        if entry.movie_id not in left_out:
            result.append((entry.movie, predicted.get(entry.movie_id, 0.0), True))
            seen.add(entry.movie_id)
    for item in items:
        if item.movie_id not in left_out and item.movie_id not in seen:
            result.append((item.movie, item.predicted_rating, False))
            seen.add(item.movie_id)
    return result


def _plan_build(
    *, user: AbstractBaseUser, choices: PlanChoices, starts: list[date], today: date
) -> tuple[dict[str, Any], list[int], bool]:
    """(payload, the title ids it depends on, whether it may be cached)."""
    platforms = platforms_for_region(region=choices.region)
    titles = plan_titles(user=user)
    ids = [movie.pk for movie, _value, _w in titles]
    offers = availability_for_movies(movie_ids=ids, region=choices.region)
    statuses = availability_status_for_movies(
        movie_ids=ids, region=choices.region, offers=offers
    )
    priced = {
        p.slug
        for p in platforms
        if p.monthly_price is not None or p.slug in choices.anchors
    }
    carriers = {
        m: {
            o.platform_slug
            for o in offers.get(m, [])
            if o.offer_type in INCLUDED and o.platform_slug in priced
        }
        for m in ids
    }
    known = [m for m in ids if statuses[m].state in KNOWN_STATES]
    plannable = [m for m in known if carriers[m]]
    plannable_ids = set(plannable)
    has_verdict = bool(ids) and len(known) >= min_known_for(len(ids))
    plan = None
    if has_verdict:
        plan = plan_optimal(
            PlanProblem(
                months=choices.months,
                pace=choices.pace,
                budget=None if choices.budget is None else float(choices.budget),
                services=tuple(_services(platforms, priced, choices.anchors)),
                titles=tuple(
                    Title(
                        id=movie.pk,
                        value=value,
                        carriers=constant_carriers(carriers[movie.pk], choices.months),
                        is_watchlist=is_watchlist,
                    )
                    for movie, value, is_watchlist in titles
                    if movie.pk in plannable_ids
                ),
            )
        )
    context = PlanContext(
        region=choices.region,
        currency=_currency(platforms, choices.region),
        months=choices.months,
        pace=choices.pace,
        budget=choices.budget,
        anchors=choices.anchors,
        subscribed=choices.subscribed,
        platforms={p.slug: p for p in platforms},
        titles=titles,
        known=known,
        plannable=plannable,
        starts=starts,
        today=today,
    )
    is_settled = all(s.state != "checking" for s in statuses.values())
    return plan_payload(plan=plan, context=context), ids, is_settled


def _services(
    platforms: list[Platform], priced: set[str], anchors: tuple[str, ...]
) -> list[Service]:
    return [
        Service(
            slug=p.slug,
            price=float(p.monthly_price or 0),
            is_anchor=p.slug in anchors,
        )
        for p in platforms
        if p.slug in priced
    ]


def _currency(platforms: list[Platform], region: str) -> str:
    if platforms:
        return platforms[0].currency
    return {"KR": "KRW", "US": "USD"}.get(region, "USD")
