"""Which services to have each month, and what to watch then: a 0/1 programme.

Plain Python + NumPy/SciPy, no Django: the Django service (planner.services) turns
a user's titles, offers and prices into a `PlanProblem` and calls `plan_optimal`.

Variables: x[s, m] = service s is on in month m; y[t, m] = title t is watched in
month m. Constraints:

- y[t, m] <= sum of x[s, m] over the services carrying t in month m (a title can
  be watched only on a service that is on and carries it then; availability may
  change by month, e.g. a title leaving mid-plan);
- sum over m of y[t, m] <= 1 (a title is watched once);
- sum over t of y[t, m] <= pace (the watching pace, titles a month);
- sum over s of price[s] x[s, m] <= budget (every month);
- x[a, m] = 1 for every anchor a (services the household keeps all year).

Objective, lexicographic: first the most value watched (weight of a title = its
predicted rating clipped to 0..5, plus WATCHLIST_BONUS for a watchlist title, so
any watchlist title outweighs any predicted one), then the lowest cost, then the
soonest (sum of the months titles are watched in). Solved exactly with
`scipy.optimize.milp` (HiGHS) in planner.programme.

When the anchors alone cost more than the budget, nothing can be added: the plan
keeps the anchors and schedules what they carry (status ANCHORS_OVER_BUDGET).
Savings are measured against keeping every service that carries one of the
titles (and the anchors) on every month ("keep everything").
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from planner.programme import programme_solve

WATCHLIST_BONUS = 6.0
MAX_RATING = 5.0

OK = "ok"
ANCHORS_OVER_BUDGET = "anchors_over_budget"


class PlanError(ValueError):
    """A problem the optimiser cannot be asked (wrong shapes, no months)."""


@dataclass(frozen=True)
class Service:
    slug: str
    price: float
    is_anchor: bool = False


@dataclass(frozen=True)
class Title:
    """A title and, for each month of the plan, the services that include it then."""

    id: int
    value: float
    carriers: tuple[frozenset[str], ...]
    is_watchlist: bool = False

    @property
    def weight(self) -> float:
        # Whole thousandths: planner.programme relies on that step.
        base = round(min(max(float(self.value), 0.0), MAX_RATING), 3)
        return base + (WATCHLIST_BONUS if self.is_watchlist else 0.0)


@dataclass(frozen=True)
class PlanProblem:
    months: int
    pace: int
    budget: float | None
    services: tuple[Service, ...]
    titles: tuple[Title, ...]

    def __post_init__(self) -> None:
        if self.months < 1:
            raise PlanError("a plan needs at least one month")
        if self.pace < 1:
            raise PlanError("the pace must be at least one title a month")
        slugs = [s.slug for s in self.services]
        if len(set(slugs)) != len(slugs):
            raise PlanError("a service is listed twice")
        for title in self.titles:
            if len(title.carriers) != self.months:
                raise PlanError(f"title {title.id}: one carrier set per month needed")

    @property
    def anchors(self) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.is_anchor)

    @property
    def anchor_cost(self) -> float:
        return sum(s.price for s in self.anchors)

    @property
    def is_anchors_over_budget(self) -> bool:
        return self.budget is not None and self.anchor_cost > self.budget


@dataclass(frozen=True)
class PlanMonth:
    index: int
    services: tuple[str, ...]
    cost: float
    # (title id, the service to watch it on), heaviest first.
    watch: tuple[tuple[int, str], ...]
    keep_all_cost: float

    @property
    def saved(self) -> float:
        return self.keep_all_cost - self.cost


@dataclass(frozen=True)
class Switch:
    """Before month `index`: services to start and to stop (index >= 1)."""

    index: int
    start: tuple[str, ...]
    stop: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    method: str
    status: str
    months: tuple[PlanMonth, ...]
    keep_all: tuple[str, ...]
    value: float
    seconds: float = 0.0
    switches: tuple[Switch, ...] = field(default=())
    # False when a solver phase stopped at its time limit (best found, unproven).
    is_proven: bool = True

    @property
    def total_cost(self) -> float:
        return sum(m.cost for m in self.months)

    @property
    def keep_all_cost(self) -> float:
        return sum(m.keep_all_cost for m in self.months)

    @property
    def saved(self) -> float:
        return self.keep_all_cost - self.total_cost

    @property
    def titles_watched(self) -> int:
        return sum(len(m.watch) for m in self.months)


def constant_carriers(slugs: Iterable[str], months: int) -> tuple[frozenset[str], ...]:
    """The same services every month (all we know when no end date is announced)."""
    carriers = frozenset(slugs)
    return tuple(carriers for _ in range(months))


def keep_all_services(problem: PlanProblem) -> tuple[str, ...]:
    """The anchors and every service carrying one of the titles in some month."""
    carrying = {s for t in problem.titles for month in t.carriers for s in month}
    return tuple(
        sorted(s.slug for s in problem.services if s.is_anchor or s.slug in carrying)
    )


def plan_optimal(problem: PlanProblem) -> Plan:
    """The plan of most value within the budget, then of least cost (exact MILP)."""
    started = time.perf_counter()
    usable = _usable_services(problem)
    on, watched, value, is_proven = programme_solve(problem, usable, fixed_on=False)
    plan = _plan("milp", problem, on, watched, value, started)
    return plan if is_proven else replace(plan, is_proven=False)


def plan_keep_all(problem: PlanProblem) -> Plan:
    """Every carrying service on all along (budget ignored), the best titles at pace."""
    started = time.perf_counter()
    keep = set(keep_all_services(problem))
    usable = [s for s in problem.services if s.slug in keep]
    on, watched, value, _proven = programme_solve(problem, usable, fixed_on=True)
    return _plan(
        "keep_all", problem, on, watched, value, started, status=OK, drop_unused=False
    )


def plan_greedy(problem: PlanProblem) -> Plan:
    """Month by month, add the service with the best value per price while it fits.

    The baseline the optimiser is compared with: it sees one month at a time, so
    it watches the heaviest titles first even when a lighter one leaves soon.
    """
    started = time.perf_counter()
    usable = _usable_services(problem)
    anchors = {s.slug for s in usable if s.is_anchor}
    price = {s.slug: s.price for s in usable}
    left = {t.id: t for t in problem.titles}
    on: list[set[str]] = []
    watched: list[list[int]] = []
    for m in range(problem.months):
        chosen = set(anchors)
        spent = sum(price[s] for s in chosen)
        current = _best_titles(left.values(), chosen, m, problem.pace)
        while True:
            best: tuple | None = None
            for slug in sorted(price):
                if slug in chosen:
                    continue
                if problem.budget is not None and spent + price[slug] > problem.budget:
                    continue
                picks = _best_titles(left.values(), chosen | {slug}, m, problem.pace)
                gain = _weight(picks) - _weight(current)
                if gain <= 1e-12:
                    continue
                ratio = gain / price[slug] if price[slug] > 0 else float("inf")
                key = (-ratio, price[slug], slug)
                if best is None or key < best[0]:
                    best = (key, slug, picks)
            if best is None:
                break
            _, slug, current = best
            chosen.add(slug)
            spent += price[slug]
        on.append(chosen)
        watched.append([t.id for t in current])
        for t in current:
            del left[t.id]
    value = sum(t.weight for t in problem.titles if any(t.id in w for w in watched))
    return _plan("greedy", problem, on, watched, value, started)


def _usable_services(problem: PlanProblem) -> list[Service]:
    # Over budget with the anchors alone: only they can be on.
    if problem.is_anchors_over_budget:
        return list(problem.anchors)
    return list(problem.services)


def _best_titles(
    titles: Iterable[Title], on: set[str], month: int, pace: int
) -> list[Title]:
    reachable = [t for t in titles if t.carriers[month] & on]
    reachable.sort(key=lambda t: (-t.weight, t.id))
    return reachable[:pace]


def _weight(titles: Sequence[Title]) -> float:
    return sum(t.weight for t in titles)


def _plan(
    method: str,
    problem: PlanProblem,
    on: list[set[str]],
    watched: list[list[int]],
    value: float,
    started: float,
    status: str | None = None,
    drop_unused: bool = True,
) -> Plan:
    titles = {t.id: t for t in problem.titles}
    services = {s.slug: s for s in problem.services}
    keep = keep_all_services(problem)
    keep_cost = sum(services[s].price for s in keep)
    months = []
    for m in range(problem.months):
        ids = sorted(watched[m], key=lambda i: (-titles[i].weight, i))
        watch = tuple((i, _via(titles[i], m, on[m], services)) for i in ids)
        used = {via for _, via in watch}
        # A service kept on for nothing (a free one the cost did not push out) goes.
        kept = tuple(
            sorted(
                s
                for s in on[m]
                if s in used or services[s].is_anchor or not drop_unused
            )
        )
        months.append(
            PlanMonth(
                index=m,
                services=kept,
                cost=sum(services[s].price for s in kept),
                watch=watch,
                keep_all_cost=keep_cost,
            )
        )
    if status is None:
        status = ANCHORS_OVER_BUDGET if problem.is_anchors_over_budget else OK
    return Plan(
        method=method,
        status=status,
        months=tuple(months),
        keep_all=keep,
        value=value,
        seconds=time.perf_counter() - started,
        switches=switches_of(months),
    )


def _via(title: Title, month: int, on: set[str], services: dict[str, Service]) -> str:
    # The household's anchors first (already paid for), then the cheapest.
    carriers = sorted(
        title.carriers[month] & on,
        key=lambda s: (not services[s].is_anchor, services[s].price, s),
    )
    return carriers[0]


def switches_of(months: Sequence[PlanMonth]) -> tuple[Switch, ...]:
    """The changes between consecutive months (none when a month repeats the last)."""
    result = []
    for before, after in zip(months, months[1:], strict=False):
        start = tuple(sorted(set(after.services) - set(before.services)))
        stop = tuple(sorted(set(before.services) - set(after.services)))
        if start or stop:
            result.append(Switch(index=after.index, start=start, stop=stop))
    return tuple(result)
