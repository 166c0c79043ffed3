"""The plan as the page, the API, the calendar and the reminders read it: a
JSON-friendly dict with prices as decimal strings, dates as ISO strings and one
translated sentence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Movie, Platform
from ottsite.lib.korean import particles_resolve
from planner.optimiser import ANCHORS_OVER_BUDGET, OK, Plan
from recommender.advice import format_price, min_known_for

NO_TITLES = "no_titles"
NOT_ENOUGH_KNOWN = "not_enough_known"
# What a plan's `status` can be (the API schema's enum).
PLAN_STATUSES = [(s, s) for s in (OK, ANCHORS_OVER_BUDGET, NOT_ENOUGH_KNOWN, NO_TITLES)]


@dataclass(frozen=True)
class PlanContext:
    region: str
    currency: str
    months: int
    pace: int
    budget: Decimal | None
    anchors: tuple[str, ...]
    subscribed: tuple[str, ...]
    platforms: dict[str, Platform]
    titles: list[tuple[Movie, float, bool]]
    known: list[int]
    plannable: list[int]
    # The start day of each month of the plan and of the month after it.
    starts: list[date]
    today: date


def _price(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def plan_payload(*, plan: Plan | None, context: PlanContext) -> dict[str, Any]:
    """The plan (None: too little known, or no titles) with everything it counted."""
    c = context
    ids = [movie.pk for movie, _v, _w in c.titles]
    known = set(c.known)
    counts = {
        "titles": len(ids),
        "known": len(known),
        "unknown": len(ids) - len(known),
        "no_service": len(known) - len(c.plannable),
        "plannable": len(c.plannable),
        "planned": plan.titles_watched if plan else 0,
        "min_known": min_known_for(len(ids)) if ids else 0,
    }
    status = plan.status if plan else (NOT_ENOUGH_KNOWN if ids else NO_TITLES)
    months = _months(plan, c) if plan else []
    total = sum((Decimal(m["cost"]) for m in months), Decimal(0))
    keep = sum((Decimal(m["keep_all_cost"]) for m in months), Decimal(0))
    payload = {
        "region": c.region,
        "currency": c.currency,
        "months_count": c.months,
        "pace": c.pace,
        "budget": _price(c.budget),
        "budget_display": None
        if c.budget is None
        else format_price(c.budget, c.currency),
        "anchors": [_service(c, s) for s in c.anchors if s in c.platforms],
        "status": status,
        "has_plan": plan is not None,
        "counts": counts,
        "unknown_movie_ids": [m for m in ids if m not in known],
        "months": months,
        "switches": _switches(months, c) if plan else [],
        "keep_all": [_service(c, s) for s in plan.keep_all] if plan else [],
        "total_cost": _price(total),
        "total_cost_display": format_price(total, c.currency),
        "keep_all_cost": _price(keep),
        "keep_all_cost_display": format_price(keep, c.currency),
        "saved": _price(keep - total),
        "saved_display": format_price(keep - total, c.currency),
        "solve_ms": round(plan.seconds * 1000, 1) if plan else 0.0,
    }
    payload["sentence"] = plan_sentence(payload)
    return payload


def _service(c: PlanContext, slug: str) -> dict[str, Any]:
    p = c.platforms[slug]
    return {
        "slug": slug,
        "name": p.name,
        "monthly_price": _price(p.monthly_price),
        "price_display": format_price(p.monthly_price, p.currency),
        "is_anchor": slug in c.anchors,
    }


def _cost(c: PlanContext, slugs: Iterable[str]) -> Decimal:
    return sum((c.platforms[s].monthly_price or Decimal(0) for s in slugs), Decimal(0))


def _months(plan: Plan, c: PlanContext) -> list[dict[str, Any]]:
    movies = {movie.pk: (movie, value, w) for movie, value, w in c.titles}
    keep_cost = _cost(c, plan.keep_all)
    result = []
    for month in plan.months:
        start = c.starts[month.index]
        end = c.starts[month.index + 1] - timedelta(days=1)
        cost = _cost(c, month.services)
        result.append(
            {
                "index": month.index,
                "starts_on": start.isoformat(),
                "ends_on": end.isoformat(),
                "label": f"{date_format(start, 'MONTH_DAY_FORMAT')} – "
                f"{date_format(end, 'MONTH_DAY_FORMAT')}",
                "services": [_service(c, s) for s in month.services],
                "cost": _price(cost),
                "cost_display": format_price(cost, c.currency),
                "keep_all_cost": _price(keep_cost),
                "saved": _price(keep_cost - cost),
                "saved_display": format_price(keep_cost - cost, c.currency),
                "titles": [
                    _title(movies[movie_id], via, c) for movie_id, via in month.watch
                ],
            }
        )
    return result


def _title(row: tuple[Movie, float, bool], via: str, c: PlanContext) -> dict[str, Any]:
    movie, value, is_watchlist = row
    return {
        "movie_id": movie.pk,
        "title": movie.display_title,
        "title_ko": movie.title_ko,
        "kind": movie.kind,
        "year": movie.year,
        "is_watchlist": is_watchlist,
        "predicted_rating": round(value, 2) if value else None,
        "via": via,
        "via_name": c.platforms[via].name,
    }


def _switches(months: list[dict[str, Any]], c: PlanContext) -> list[dict[str, Any]]:
    """This period against what the user pays for now, then each renewal day."""
    result = []
    before = [s for s in c.subscribed if s in c.platforms]
    for month in months:
        after = [s["slug"] for s in month["services"]]
        start = sorted(set(after) - set(before))
        stop = sorted(set(before) - set(after))
        if start or stop:
            is_now = month["index"] == 0
            result.append(
                {
                    "index": month["index"],
                    "on": (
                        c.today if is_now else date.fromisoformat(month["starts_on"])
                    ).isoformat(),
                    "is_now": is_now,
                    "start": [_service(c, s) for s in start],
                    "stop": [_service(c, s) for s in stop],
                }
            )
        before = after
    return result


def plan_sentence(payload: dict[str, Any]) -> str:
    """One or more translated sentences with the plan's numbers."""
    counts = payload["counts"]
    status = payload["status"]
    if status == NO_TITLES:
        return _(
            "Save films or series to your watchlist, or get recommendations, and "
            "the plan will say what to watch when."
        )
    parts: list[str] = []
    if status == NOT_ENOUGH_KNOWN:
        parts.append(
            _(
                "We know where only %(known)d of your %(total)d titles can be "
                "watched; that is too little to plan (we need at least %(min)d)."
            )
            % {
                "known": counts["known"],
                "total": counts["titles"],
                "min": counts["min_known"],
            }
        )
    else:
        parts.append(
            ngettext(
                "Over the next %(months)d months this plan lets you watch %(count)d "
                "of your titles for %(cost)s, %(saved)s less than keeping every "
                "service that carries them (%(keep)s).",
                "Over the next %(months)d months this plan lets you watch %(count)d "
                "of your titles for %(cost)s, %(saved)s less than keeping every "
                "service that carries them (%(keep)s).",
                counts["planned"],
            )
            % {
                "months": payload["months_count"],
                "count": counts["planned"],
                "cost": payload["total_cost_display"],
                "saved": payload["saved_display"],
                "keep": payload["keep_all_cost_display"],
            }
        )
        if status == ANCHORS_OVER_BUDGET:
            anchors = payload["anchors"]
            cost = sum((Decimal(a["monthly_price"] or 0) for a in anchors), Decimal(0))
            parts.append(
                _(
                    "The services you keep all year already cost %(cost)s a month, "
                    "more than your budget of %(budget)s, so the plan adds no other."
                )
                % {
                    "cost": format_price(cost, payload["currency"]),
                    "budget": payload["budget_display"],
                }
            )
        elif payload["budget_display"]:
            parts.append(
                _("Every month stays within your budget of %(budget)s.")
                % {"budget": payload["budget_display"]}
            )
    if counts["unknown"]:
        parts.append(
            ngettext(
                "We know nothing yet about where %(count)d of your titles can be "
                "watched; it is left out.",
                "We know nothing yet about where %(count)d of your titles can be "
                "watched; they are left out.",
                counts["unknown"],
            )
            % {"count": counts["unknown"]}
        )
    if status != NOT_ENOUGH_KNOWN and counts["no_service"]:
        parts.append(
            ngettext(
                "%(count)d is in no subscription with a known price here.",
                "%(count)d are in no subscription with a known price here.",
                counts["no_service"],
            )
            % {"count": counts["no_service"]}
        )
    return particles_resolve(" ".join(parts))
