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
from decimal import Decimal
from itertools import combinations
from math import ceil

from recommender.advice.prices import price_key
from recommender.advice.result import (
    Addition,
    Bundle,
    CancelCandidate,
    PlatformAdvice,
    PlatformCoverage,
    PlatformInfo,
)
from recommender.advice.wording import advice_sentence

EXACT_LIMIT = 12
CANCEL_MAX_UNIQUE = 1
MIN_KNOWN_SHARE = 0.5


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
    scope: str = "shown",
) -> PlatformAdvice:
    """Pure advice over plain data: movies = (movie id, predicted rating) by rank.

    known_ids: movies with any recorded offer in the region (rent and buy too);
    by default the movies some platform covers. scope: "pool" when the movies are
    the whole catalogue's best matches, "shown" for the shown items (the wording).
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
        key=lambda c: (-c.covered_value, price_key(c.monthly_price), c.slug),
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
        scope=scope,
    )
    return PlatformAdvice(**{**advice.__dict__, "sentence": advice_sentence(advice)})


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
        scored.append(((-total(gained), price_key(p.monthly_price)), p, gained))
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
