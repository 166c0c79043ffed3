"""The plan optimiser on small cases worked out by hand, and against brute force."""

from __future__ import annotations

import itertools
import random

import pytest

from planner.optimiser import (
    ANCHORS_OVER_BUDGET,
    OK,
    WATCHLIST_BONUS,
    PlanError,
    PlanProblem,
    Service,
    Title,
    constant_carriers,
    keep_all_services,
    plan_greedy,
    plan_keep_all,
    plan_optimal,
)


def title(id: int, value: float, *months: set[str], watchlist: bool = False) -> Title:
    return Title(
        id=id,
        value=value,
        carriers=tuple(frozenset(m) for m in months),
        is_watchlist=watchlist,
    )


def always(id: int, value: float, slugs: set[str], months: int, **kw) -> Title:
    return Title(id=id, value=value, carriers=constant_carriers(slugs, months), **kw)


def problem(services, titles, *, months=1, pace=3, budget=None) -> PlanProblem:
    return PlanProblem(
        months=months,
        pace=pace,
        budget=budget,
        services=tuple(services),
        titles=tuple(titles),
    )


def test_it_plans_nothing_when_the_budget_is_below_every_price():
    # A costs 10 and B 8, the budget is 5: no service fits, nothing is watched,
    # and everything keeping A and B would cost (18 a month) is saved.
    p = problem(
        [Service("a", 10), Service("b", 8)],
        [always(1, 5.0, {"a"}, 2), always(2, 4.0, {"b"}, 2)],
        months=2,
        budget=5,
    )
    plan = plan_optimal(p)
    assert plan.status == OK
    assert [m.services for m in plan.months] == [(), ()]
    assert plan.titles_watched == 0
    assert plan.value == 0
    assert plan.keep_all == ("a", "b")
    assert plan.keep_all_cost == 36
    assert plan.saved == 36
    assert plan.switches == ()


def test_it_keeps_anchors_that_cost_more_than_the_budget_and_adds_nothing():
    # Anchor A (10) alone is over the budget (5): A stays, B (3) cannot be added,
    # and what A carries is still scheduled.
    p = problem(
        [Service("a", 10, is_anchor=True), Service("b", 3)],
        [always(1, 4.0, {"a"}, 1), always(2, 5.0, {"b"}, 1)],
        budget=5,
    )
    plan = plan_optimal(p)
    assert plan.status == ANCHORS_OVER_BUDGET
    assert plan.months[0].services == ("a",)
    assert plan.months[0].watch == ((1, "a"),)
    assert plan.months[0].cost == 10
    assert plan_greedy(p).months[0].services == ("a",)


def test_it_fills_the_room_an_anchor_leaves_with_what_fits():
    # Netflix (13,500) is kept all year; the budget is 20,000, so 6,500 is left:
    # Prime (5,900) fits, Wavve (10,900) does not, though its title is worth more.
    p = problem(
        [
            Service("netflix", 13500, is_anchor=True),
            Service("prime", 5900),
            Service("wavve", 10900),
        ],
        [
            always(1, 4.0, {"netflix"}, 1),
            always(2, 4.5, {"prime"}, 1),
            always(3, 5.0, {"wavve"}, 1),
        ],
        budget=20000,
    )
    plan = plan_optimal(p)
    month = plan.months[0]
    assert month.services == ("netflix", "prime")
    assert month.cost == 19400
    assert month.watch == ((2, "prime"), (1, "netflix"))
    assert plan.value == pytest.approx(8.5)
    assert plan.keep_all_cost == 30300
    assert plan.saved == 10900


def test_it_picks_the_one_service_that_carries_more_of_the_titles():
    # Title 1 (5.0) is on A and B, title 2 (4.0) only on B, title 3 (3.0) only on
    # A. One service fits: A gives 1+3 = 8.0 for 10, B gives 1+2 = 9.0 for 8.
    p = problem(
        [Service("a", 10), Service("b", 8)],
        [
            always(1, 5.0, {"a", "b"}, 1),
            always(2, 4.0, {"b"}, 1),
            always(3, 3.0, {"a"}, 1),
        ],
        pace=2,
        budget=10,
    )
    plan = plan_optimal(p)
    assert plan.months[0].services == ("b",)
    assert plan.months[0].watch == ((1, "b"), (2, "b"))
    assert plan.value == pytest.approx(9.0)


def test_it_watches_a_title_on_two_services_on_the_cheaper_when_value_ties():
    # Both carry the one title: same value, so the lower cost (B, 8) wins.
    p = problem(
        [Service("a", 10), Service("b", 8)],
        [always(1, 4.0, {"a", "b"}, 1)],
        budget=20,
    )
    plan = plan_optimal(p)
    assert plan.months[0].services == ("b",)
    assert plan.months[0].watch == ((1, "b"),)
    assert plan.total_cost == 8


def test_it_watches_a_title_before_it_leaves_mid_plan():
    # W carries H (5.0) in both months and L (3.0) only in month 0 (L leaves).
    # Pace 1: L in month 0 then H in month 1 is worth 8.0; the greedy baseline
    # watches H first and loses L (5.0).
    p = problem(
        [Service("w", 10)],
        [title(1, 5.0, {"w"}, {"w"}), title(2, 3.0, {"w"}, set())],
        months=2,
        pace=1,
        budget=10,
    )
    plan = plan_optimal(p)
    assert [m.watch for m in plan.months] == [((2, "w"),), ((1, "w"),)]
    assert plan.value == pytest.approx(8.0)
    greedy = plan_greedy(p)
    assert [m.watch for m in greedy.months] == [((1, "w"),), ()]
    assert greedy.value == pytest.approx(5.0)


def test_it_rotates_two_services_when_one_fits_the_budget():
    # A carries 1 and 2, B carries 3 and 4, all 4.0; one service fits a month and
    # the pace is 2: one month each watches all four for 20 instead of 40.
    p = problem(
        [Service("a", 10), Service("b", 10)],
        [always(i, 4.0, {"a" if i < 3 else "b"}, 2) for i in (1, 2, 3, 4)],
        months=2,
        pace=2,
        budget=10,
    )
    plan = plan_optimal(p)
    assert {m.services for m in plan.months} == {("a",), ("b",)}
    assert plan.titles_watched == 4
    assert plan.total_cost == 20
    assert plan.keep_all_cost == 40
    assert plan.saved == 20
    (switch,) = plan.switches
    assert switch.index == 1
    assert switch.start == plan.months[1].services
    assert switch.stop == plan.months[0].services


def test_it_puts_a_watchlist_title_before_any_predicted_one():
    # A's title is predicted 5.0, B's is on the watchlist with 1.0: B wins.
    p = problem(
        [Service("a", 10), Service("b", 10)],
        [always(1, 5.0, {"a"}, 1), always(2, 1.0, {"b"}, 1, is_watchlist=True)],
        pace=1,
        budget=10,
    )
    plan = plan_optimal(p)
    assert plan.months[0].watch == ((2, "b"),)
    assert plan.value == pytest.approx(1.0 + WATCHLIST_BONUS)


def test_it_watches_no_more_than_the_pace_and_drops_unused_services():
    # Five titles on A, pace 2 over 2 months: the four heaviest; B carries only
    # a title worth 0 and is never paid for.
    p = problem(
        [Service("a", 10), Service("b", 0)],
        [always(i, float(i), {"a"}, 2) for i in (1, 2, 3, 4, 5)]
        + [always(6, 0.0, {"b"}, 2)],
        months=2,
        pace=2,
    )
    plan = plan_optimal(p)
    assert all(len(m.watch) == 2 for m in plan.months)
    watched = {i for m in plan.months for i, _ in m.watch}
    assert watched == {2, 3, 4, 5}
    assert all(m.services == ("a",) for m in plan.months)


def test_it_keeps_everything_in_the_baseline_whatever_the_budget():
    p = problem(
        [Service("a", 10), Service("b", 8), Service("c", 5)],
        [always(1, 5.0, {"a"}, 2), always(2, 4.0, {"b"}, 2)],
        months=2,
        pace=1,
        budget=5,
    )
    assert keep_all_services(p) == ("a", "b")
    plan = plan_keep_all(p)
    assert [m.services for m in plan.months] == [("a", "b"), ("a", "b")]
    assert plan.saved == 0
    assert plan.titles_watched == 2


@pytest.mark.parametrize(
    "kwargs",
    [{"months": 0}, {"pace": 0}],
)
def test_it_refuses_a_problem_without_months_or_pace(kwargs):
    with pytest.raises(PlanError):
        problem([Service("a", 1)], [], **{"months": 1, "pace": 1, **kwargs})


def test_it_refuses_titles_whose_months_do_not_match_the_plan():
    with pytest.raises(PlanError):
        problem([Service("a", 1)], [title(1, 3.0, {"a"})], months=2)


def _brute_force(p: PlanProblem) -> tuple[float, float]:
    """Best (value, -cost) over every choice of services and titles: tiny cases."""
    slugs = [s.slug for s in p.services]
    price = {s.slug: s.price for s in p.services}
    best = (-1.0, 0.0)
    for bits in itertools.product([0, 1], repeat=len(slugs) * p.months):
        on = [
            {s for i, s in enumerate(slugs) if bits[m * len(slugs) + i]}
            for m in range(p.months)
        ]
        if any(
            s.is_anchor and s.slug not in on[m]
            for s in p.services
            for m in range(p.months)
        ):
            continue
        costs = [sum(price[s] for s in month) for month in on]
        if p.budget is not None and any(c > p.budget for c in costs):
            continue
        for when in itertools.product([None, *range(p.months)], repeat=len(p.titles)):
            counts = [when.count(m) for m in range(p.months)]
            if any(c > p.pace for c in counts):
                continue
            if any(
                m is not None and not (t.carriers[m] & on[m])
                for t, m in zip(p.titles, when, strict=True)
            ):
                continue
            value = sum(
                t.weight for t, m in zip(p.titles, when, strict=True) if m is not None
            )
            best = max(best, (round(value, 9), -sum(costs)))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_it_matches_brute_force_on_random_tiny_cases(seed):
    rng = random.Random(seed)
    months = rng.choice([1, 2])
    services = [
        Service(s, float(rng.choice([3, 5, 8])), is_anchor=(s == "a" and seed % 4 == 0))
        for s in ("a", "b", "c")
    ]
    titles = [
        Title(
            id=i,
            value=round(rng.uniform(0, 5), 1),
            carriers=tuple(
                frozenset(s for s in "abc" if rng.random() < 0.4) for _ in range(months)
            ),
            is_watchlist=rng.random() < 0.2,
        )
        for i in range(4)
    ]
    p = problem(
        services,
        titles,
        months=months,
        pace=rng.choice([1, 2]),
        budget=rng.choice([8, 11, 16]),
    )
    plan = plan_optimal(p)
    value, neg_cost = _brute_force(p)
    assert plan.value == pytest.approx(value, abs=1e-6)
    assert plan.total_cost == -neg_cost
    greedy = plan_greedy(p)
    assert greedy.value <= plan.value + 1e-9


def test_it_watches_as_soon_as_it_can_when_later_is_no_better():
    # Two titles on A, pace 1, three months: months 0 and 1, never 0 and 2 or 1
    # and 2 (same value, same cost), and the heavier one first.
    p = problem(
        [Service("a", 10)],
        [always(1, 3.0, {"a"}, 3), always(2, 4.0, {"a"}, 3)],
        months=3,
        pace=1,
    )
    plan = plan_optimal(p)
    assert [len(m.watch) for m in plan.months] == [1, 1, 0]
    assert [m.services for m in plan.months] == [("a",), ("a",), ()]
