"""Which streaming services are worth paying for, given a user's top-k movies.

Value of a movie = its predicted rating (clipped at 0), so a movie the model puts at
4.8 weighs more than one at 3.1; the rank order breaks ties in movie listings only.
A movie counts as *covered* by a platform when it has a subscription, free or ads
offer there (rent and buy cost extra, so they do not count).

- best addition: the unsubscribed platform with the largest marginal covered value
  over the platforms the user already pays for.
- best bundle: the set of platforms (subscribed or not) with the largest covered
  value whose total monthly price fits the budget (weighted maximum coverage).
  Exact enumeration up to EXACT_LIMIT useful platforms, the greedy value-per-price
  heuristic (best of greedy and best single platform) above it. Budget None means
  no limit, budget 0 means no bundle. Platforms without a price only join a bundle
  when there is no budget.
- cancel candidate: the subscribed platform whose *unique* value (movies no other
  subscription covers) is smallest, offered only when it uniquely covers at most
  CANCEL_MAX_UNIQUE movies.

Known coverage rule: a movie is *known* when at least one offer of any kind
(subscription, free, ads, rent or buy) is recorded for it in the region, or a live
source checked it and found none there. Absence of offers alone is not evidence
that a movie does not stream, so the advice names a best
addition, a best bundle or a cancel candidate only when at least MIN_KNOWN_SHARE of
the list is known; below that it only reports what it knows.

Budget: an addition is offered only if what the user pays now plus its price fits the
budget; when the current services already cost more, the advice says so and offers
no addition. Dismissed movies ("not interested") are left out of the list.

Ties never single out one service: two additions (or bundles) with the same value and
price, or two subscriptions that uniquely cover the same value, give no single
answer; the tied services are named together. Otherwise the order is higher value,
then lower price, then fewer platforms (a cancel candidate prefers the higher price).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from math import ceil
from typing import Any

from django.utils.translation import gettext, ngettext

from catalog.models import Availability
from catalog.selectors import (
    availability_for_movies,
    availability_status_for_movies,
    platforms_for_region,
)
from ottsite.lib.korean import particles_resolve
from recommender.models import Dismissal

EXACT_LIMIT = 12
CANCEL_MAX_UNIQUE = 1
MIN_KNOWN_SHARE = 0.5
# A movie with offers, or one a live source checked and found nowhere, is known;
# "checking" and "unknown" are not evidence either way.
KNOWN_STATES = {"available", "none"}
_CURRENCY_SYMBOLS = {"KRW": "₩", "USD": "$"}
_ZERO_DECIMAL_CURRENCIES = {"KRW", "JPY"}


@dataclass(frozen=True)
class PlatformInfo:
    slug: str
    name: str
    monthly_price: Decimal | None
    currency: str


@dataclass(frozen=True)
class PlatformCoverage:
    slug: str
    name: str
    monthly_price: Decimal | None
    currency: str
    covered_count: int
    covered_value: float
    movie_ids: list[int]
    is_subscribed: bool


@dataclass(frozen=True)
class Addition:
    slug: str
    name: str
    monthly_price: Decimal | None
    currency: str
    added_count: int
    added_value: float
    movie_ids: list[int]


@dataclass(frozen=True)
class Bundle:
    slugs: list[str]
    total_price: Decimal
    covered_count: int
    covered_value: float
    movie_ids: list[int]


@dataclass(frozen=True)
class CancelCandidate:
    slug: str
    name: str
    unique_count: int
    monthly_price: Decimal | None
    currency: str


@dataclass(frozen=True)
class PlatformAdvice:
    region: str
    currency: str
    k: int
    subscribed: list[str]
    watchable_now: list[int]
    per_platform: list[PlatformCoverage]
    best_addition: Addition | None
    best_bundle: Bundle | None
    budget: Decimal | None
    cancel_candidate: CancelCandidate | None
    known_count: int = 0
    min_known: int = 0
    current_price: Decimal = Decimal(0)
    addition_tie: list[str] = field(default_factory=list)
    cancel_tie: list[str] = field(default_factory=list)
    sentence: str = field(default="")

    @property
    def has_verdict(self) -> bool:
        """Enough of the list is known to advise paying, switching or cancelling."""
        return self.k > 0 and self.known_count >= self.min_known

    @property
    def is_over_budget(self) -> bool:
        return self.budget is not None and self.current_price > self.budget

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form: prices as decimal strings plus a formatted display."""
        return {
            "region": self.region,
            "currency": self.currency,
            "k": self.k,
            "subscribed": list(self.subscribed),
            "watchable_now": {
                "count": len(self.watchable_now),
                "movie_ids": list(self.watchable_now),
            },
            "per_platform": [
                {
                    "slug": p.slug,
                    "name": p.name,
                    "monthly_price": _price_str(p.monthly_price),
                    "price_display": format_price(p.monthly_price, p.currency),
                    "covered_count": p.covered_count,
                    "covered_value": round(p.covered_value, 3),
                    "movie_ids": list(p.movie_ids),
                    "is_subscribed": p.is_subscribed,
                }
                for p in self.per_platform
            ],
            "best_addition": None
            if self.best_addition is None
            else {
                "slug": self.best_addition.slug,
                "name": self.best_addition.name,
                "monthly_price": _price_str(self.best_addition.monthly_price),
                "price_display": format_price(
                    self.best_addition.monthly_price, self.best_addition.currency
                ),
                "added_count": self.best_addition.added_count,
                "added_value": round(self.best_addition.added_value, 3),
                "movie_ids": list(self.best_addition.movie_ids),
            },
            "best_bundle": None
            if self.best_bundle is None
            else {
                "slugs": list(self.best_bundle.slugs),
                "total_price": _price_str(self.best_bundle.total_price),
                "price_display": format_price(
                    self.best_bundle.total_price, self.currency
                ),
                "covered_count": self.best_bundle.covered_count,
                "covered_value": round(self.best_bundle.covered_value, 3),
                "movie_ids": list(self.best_bundle.movie_ids),
            },
            "budget": _price_str(self.budget),
            "cancel_candidate": None
            if self.cancel_candidate is None
            else {
                "slug": self.cancel_candidate.slug,
                "name": self.cancel_candidate.name,
                "unique_count": self.cancel_candidate.unique_count,
                "monthly_price": _price_str(self.cancel_candidate.monthly_price),
                "price_display": format_price(
                    self.cancel_candidate.monthly_price, self.cancel_candidate.currency
                ),
            },
            "known_count": self.known_count,
            "min_known": self.min_known,
            "has_verdict": self.has_verdict,
            "current_price": _price_str(self.current_price),
            "current_price_display": format_price(self.current_price, self.currency),
            "budget_display": None
            if self.budget is None
            else format_price(self.budget, self.currency),
            "is_over_budget": self.is_over_budget,
            "addition_tie": list(self.addition_tie),
            "cancel_tie": list(self.cancel_tie),
            "sentence": self.sentence,
        }


def _price_str(price: Decimal | None) -> str | None:
    return None if price is None else f"{price:.2f}"


def format_price(price: Decimal | None, currency: str) -> str:
    """₩13,900 for KRW, $9.99 for USD, '12.00 EUR' otherwise; '?' when unknown."""
    if price is None:
        return "?"
    if currency in _ZERO_DECIMAL_CURRENCIES:
        amount = f"{price.quantize(Decimal(1)):,}"
    else:
        amount = f"{price.quantize(Decimal('0.01')):,}"
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def min_known_for(k: int) -> int:
    """How many of k movies must have known offers before the advice gives a verdict."""
    return max(1, ceil(k * MIN_KNOWN_SHARE))


def advise(
    *,
    region: str,
    currency: str,
    movies: Sequence[tuple[int, float]],
    platforms: Sequence[PlatformInfo],
    coverage: Mapping[str, Iterable[int]],
    subscribed: Iterable[str],
    budget: Decimal | None = None,
    known_ids: Iterable[int] | None = None,
) -> PlatformAdvice:
    """Pure advice over plain data: movies = (movie id, predicted rating) by rank.

    known_ids: movies with any recorded offer in the region (rent and buy too);
    by default the movies some platform covers.
    """
    order = {movie_id: i for i, (movie_id, _) in enumerate(movies)}
    value = {movie_id: max(float(v), 0.0) for movie_id, v in movies}
    by_slug = {p.slug: p for p in platforms}
    covers: dict[str, frozenset[int]] = {
        p.slug: frozenset(m for m in coverage.get(p.slug, ()) if m in order)
        for p in platforms
    }
    subs = sorted(s for s in set(subscribed) if s in by_slug)
    known = frozenset().union(*covers.values()) if covers else frozenset()
    if known_ids is not None:
        known |= frozenset(m for m in known_ids if m in order)
    k = len(movies)
    min_known = min_known_for(k)
    verdict = k > 0 and len(known) >= min_known
    current_price = sum(
        (by_slug[s].monthly_price or Decimal(0) for s in subs), Decimal(0)
    )

    def total(ids: Iterable[int]) -> float:
        return sum(value[m] for m in ids)

    def ranked(ids: Iterable[int]) -> list[int]:
        return sorted(ids, key=order.__getitem__)

    watchable = frozenset().union(*(covers[s] for s in subs)) if subs else frozenset()
    per_platform = sorted(
        (
            PlatformCoverage(
                slug=p.slug,
                name=p.name,
                monthly_price=p.monthly_price,
                currency=p.currency,
                covered_count=len(covers[p.slug]),
                covered_value=total(covers[p.slug]),
                movie_ids=ranked(covers[p.slug]),
                is_subscribed=p.slug in subs,
            )
            for p in platforms
        ),
        key=lambda c: (-c.covered_value, _price_key(c.monthly_price), c.slug),
    )
    addition, addition_tie, bundle, cancel, cancel_tie = None, [], None, None, []
    if verdict:
        room = None if budget is None else budget - current_price
        addition, addition_tie = _best_addition(
            platforms, covers, subs, watchable, total, ranked, room
        )
        bundle = _best_bundle(platforms, covers, budget, total, ranked)
        cancel, cancel_tie = _cancel_candidate(by_slug, covers, subs, total)
    advice = PlatformAdvice(
        region=region,
        currency=currency,
        k=k,
        subscribed=subs,
        watchable_now=ranked(watchable),
        per_platform=per_platform,
        best_addition=addition,
        best_bundle=bundle,
        budget=budget,
        cancel_candidate=cancel,
        known_count=len(known),
        min_known=min_known,
        current_price=current_price,
        addition_tie=addition_tie,
        cancel_tie=cancel_tie,
    )
    return PlatformAdvice(**{**advice.__dict__, "sentence": advice_sentence(advice)})


def _price_key(price: Decimal | None) -> Decimal:
    # Unknown prices sort after every known one.
    return Decimal("Infinity") if price is None else price


def _best_addition(
    platforms, covers, subs, watchable, total, ranked, room: Decimal | None
) -> tuple[Addition | None, list[str]]:
    """The best platform to add (within the budget room), or the names that tie."""
    scored = []
    for p in platforms:
        if p.slug in subs:
            continue
        if room is not None and (p.monthly_price is None or p.monthly_price > room):
            continue
        gained = covers[p.slug] - watchable
        if not gained:
            continue
        scored.append(((-total(gained), _price_key(p.monthly_price)), p, gained))
    if not scored:
        return None, []
    scored.sort(key=lambda row: (row[0], row[1].slug))
    best_key = scored[0][0]
    tied = [p for key, p, _ in scored if key == best_key]
    if len(tied) > 1:
        return None, sorted(p.name for p in tied)
    _, p, gained = scored[0]
    return (
        Addition(
            slug=p.slug,
            name=p.name,
            monthly_price=p.monthly_price,
            currency=p.currency,
            added_count=len(gained),
            added_value=total(gained),
            movie_ids=ranked(gained),
        ),
        [],
    )


def _best_bundle(platforms, covers, budget, total, ranked) -> Bundle | None:
    if budget is not None and budget <= 0:
        return None
    useful = sorted(
        (
            p
            for p in platforms
            if covers[p.slug]
            and (budget is None or (p.monthly_price is not None))
            and (budget is None or p.monthly_price <= budget)
        ),
        key=lambda p: p.slug,
    )
    if not useful:
        return None

    def price(group: Sequence[PlatformInfo]) -> Decimal:
        return sum((p.monthly_price or Decimal(0) for p in group), Decimal(0))

    def key(group: Sequence[PlatformInfo]) -> tuple:
        ids = frozenset().union(*(covers[p.slug] for p in group))
        return (-total(ids), price(group), len(group))

    def fits(group: Sequence[PlatformInfo]) -> bool:
        return budget is None or price(group) <= budget

    if len(useful) <= EXACT_LIMIT:
        candidates = [
            group
            for size in range(1, len(useful) + 1)
            for group in combinations(useful, size)
            if fits(group)
        ]
    else:
        candidates = [_greedy(useful, covers, budget, total), *([p] for p in useful)]
    if not candidates:
        return None
    scored = sorted(
        ((key(g), tuple(sorted(p.slug for p in g)), g) for g in candidates),
        key=lambda row: (row[0], row[1]),
    )
    if (
        len(scored) > 1
        and scored[1][0] == scored[0][0]
        and scored[1][1] != scored[0][1]
    ):
        # Two different combinations are exactly as good and as cheap: name neither.
        return None
    best = scored[0][2]
    ids = frozenset().union(*(covers[p.slug] for p in best))
    return Bundle(
        slugs=sorted(p.slug for p in best),
        total_price=price(best),
        covered_count=len(ids),
        covered_value=total(ids),
        movie_ids=ranked(ids),
    )


def _greedy(useful, covers, budget, total) -> list[PlatformInfo]:
    chosen: list[PlatformInfo] = []
    got: frozenset[int] = frozenset()
    spent = Decimal(0)
    left = list(useful)
    while left:
        scored = []
        for p in left:
            cost = p.monthly_price or Decimal(0)
            if budget is not None and spent + cost > budget:
                continue
            gain = total(covers[p.slug] - got)
            if gain <= 0:
                continue
            ratio = gain / float(cost) if cost > 0 else float("inf")
            scored.append(((-ratio, -gain, cost, p.slug), p))
        if not scored:
            break
        _, pick = min(scored, key=lambda row: row[0])
        chosen.append(pick)
        got |= covers[pick.slug]
        spent += pick.monthly_price or Decimal(0)
        left.remove(pick)
    return chosen or [useful[0]]


def _cancel_candidate(
    by_slug, covers, subs, total
) -> tuple[CancelCandidate | None, list[str]]:
    """The subscription adding least beyond the others, or the names that tie."""
    scored = []
    for slug in subs:
        others = frozenset().union(*(covers[s] for s in subs if s != slug))
        unique = covers[slug] - others
        if len(unique) > CANCEL_MAX_UNIQUE:
            continue
        scored.append((total(unique), by_slug[slug], unique))
    if not scored:
        return None, []
    scored.sort(key=lambda row: (row[0], row[1].slug))
    tied = [p for v, p, _ in scored if v == scored[0][0]]
    if len(tied) > 1:
        return None, sorted(p.name for p in tied)
    _, p, unique = scored[0]
    return (
        CancelCandidate(
            slug=p.slug,
            name=p.name,
            unique_count=len(unique),
            monthly_price=p.monthly_price,
            currency=p.currency,
        ),
        [],
    )


def _names(names: Sequence[str]) -> str:
    return gettext(", ").join(names[:-1]) + gettext(" and ") + names[-1]


def advice_sentence(advice: PlatformAdvice) -> str:
    """One or more translated sentences summarising the advice with its numbers."""
    parts: list[str] = []
    k = advice.k
    parts.append(
        ngettext(
            "We know where %(known)d of your top %(k)d can be watched in this region.",
            "We know where %(known)d of your top %(k)d can be watched in this region.",
            k,
        )
        % {"known": advice.known_count, "k": k}
    )
    # Right after the count it is about: after the budget sentence it read as if
    # the budget were too small.
    if not advice.has_verdict:
        parts.append(
            gettext(
                "Too few of them are known to say which service to pay for or "
                "cancel (we need at least %(min)d of %(k)d)."
            )
            % {"min": advice.min_known, "k": k}
        )
    if advice.subscribed:
        now = len(advice.watchable_now)
        parts.append(
            ngettext(
                "%(count)d of your top %(k)d is included in what you pay for.",
                "%(count)d of your top %(k)d are included in what you pay for.",
                now,
            )
            % {"count": now, "k": k}
        )
    if advice.is_over_budget:
        parts.append(
            gettext(
                "Your services already cost %(current)s a month, more than your "
                "budget of %(budget)s, so we suggest nothing to add."
            )
            % {
                "current": format_price(advice.current_price, advice.currency),
                "budget": format_price(advice.budget, advice.currency),
            }
        )
    if not advice.has_verdict:
        return particles_resolve(" ".join(parts))
    add = advice.best_addition
    if add is not None:
        params = {
            "count": add.added_count,
            "k": k,
            "name": add.name,
            "price": format_price(add.monthly_price, add.currency),
        }
        if advice.subscribed:
            parts.append(
                ngettext(
                    "Adding %(name)s (%(price)s a month) would unlock %(count)d more.",
                    "Adding %(name)s (%(price)s a month) would unlock %(count)d more.",
                    add.added_count,
                )
                % params
            )
        else:
            parts.append(
                ngettext(
                    "%(count)d of your top %(k)d streams on %(name)s "
                    "(%(price)s a month).",
                    "%(count)d of your top %(k)d stream on %(name)s "
                    "(%(price)s a month).",
                    add.added_count,
                )
                % params
            )
    elif advice.addition_tie:
        parts.append(
            gettext(
                "%(names)s would each add as much for the same price; "
                "none of them stands out."
            )
            % {"names": _names(advice.addition_tie)}
        )
    elif advice.is_over_budget:
        pass
    elif not advice.subscribed or not advice.watchable_now:
        if not any(p.covered_count for p in advice.per_platform):
            parts.append(
                gettext(
                    "None of the ones we know about is included in a subscription here."
                )
            )
        elif advice.budget is not None:
            parts.append(gettext("No service that fits your budget adds any of them."))
    elif len(advice.watchable_now) < k:
        if advice.budget is not None:
            parts.append(
                gettext("No other service that fits your budget adds any of the rest.")
            )
        else:
            parts.append(gettext("No other service adds any of the rest."))
    cancel = advice.cancel_candidate
    if cancel is not None:
        parts.append(
            ngettext(
                "You could cancel %(name)s (%(price)s a month): only %(count)d of "
                "your top %(k)d is there and nowhere else you pay for.",
                "You could cancel %(name)s (%(price)s a month): only %(count)d of "
                "your top %(k)d are there and nowhere else you pay for.",
                cancel.unique_count,
            )
            % {
                "name": cancel.name,
                "price": format_price(cancel.monthly_price, cancel.currency),
                "count": cancel.unique_count,
                "k": k,
            }
        )
    elif advice.cancel_tie:
        parts.append(
            gettext(
                "%(names)s each add equally little beyond your other services; "
                "we cannot say which one to drop."
            )
            % {"names": _names(advice.cancel_tie)}
        )
    return particles_resolve(" ".join(parts))


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
    currency = platforms[0].currency if platforms else _region_currency(region)
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


def _region_currency(region: str) -> str:
    return {"KR": "KRW", "US": "USD"}.get(region, "USD")
