"""The 0/1 programme behind planner.optimiser.plan_optimal, solved with HiGHS.

Variables x[s, m] (service s on in month m, binary) and z[t, s, m] (title t
watched in month m on service s, one per carrier; y[t, m] of planner.optimiser is
the sum over s). Besides z <= x, a service carries at most `pace` titles a month
and only when on: sum over t of z[t, s, m] <= pace * x[s, m], which keeps the LP
relaxation tight. z may be continuous: for fixed binary x its constraints are a
network flow (title -> service-month -> month, integral capacities), whose
optimum is whole, so branching on x alone finds the same optimum. The chosen x
then gets its z by one more LP without the rows that break that property.

Phases, each exact (mip_rel_gap 0): the most value; the least cost at that value;
the soonest plan (least sum of months watched in) at that value and cost. Months
whose carriers are all alike are interchangeable; ordering them by the number of
titles watched (more first, which the soonest plan prefers anyway) breaks that
symmetry for the solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

if TYPE_CHECKING:
    from planner.optimiser import PlanProblem, Service

# Value lost to numerical tolerance when the cost is minimised at the best value.
VALUE_TOLERANCE = 1e-6
# Per phase: past it the best plan found so far is kept and marked unproven.
TIME_LIMIT_SECONDS = 5.0
# Weights are multiples of 0.001 (Title.weight), so a schedule that is earlier by
# at most months * pace * months steps costs less than one such step of value.
WEIGHT_STEP = 1e-3


class ProgrammeError(RuntimeError):
    """HiGHS found no plan (a well-formed problem always has one: all off)."""


def programme_solve(
    problem: PlanProblem, usable: Sequence[Service], *, fixed_on: bool
) -> tuple[list[set[str]], list[list[int]], float, bool]:
    """The services on and the titles watched per month, the value watched and
    whether every phase was proven optimal (False after a time limit).

    fixed_on keeps every usable service on every month (the keep-all baseline).
    """
    months = problem.months
    slugs = [s.slug for s in usable]
    on_slugs = set(slugs)
    x_index = {
        (s, m): i
        for i, (s, m) in enumerate((s, m) for s in slugs for m in range(months))
    }
    # z[t, s, m]: title t watched in month m on service s (one per carrier).
    z_keys = [
        (t, s, m)
        for t in problem.titles
        if t.weight > 0
        for m in range(months)
        for s in sorted(t.carriers[m] & on_slugs)
    ]
    n_x = len(x_index)
    n = n_x + len(z_keys)
    if not z_keys and not fixed_on and not any(s.is_anchor for s in usable):
        return [set() for _ in range(months)], [[] for _ in range(months)], 0.0, True
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def add_row(entries: Iterable[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(lower)
        for col, coef in entries:
            rows.append(r)
            cols.append(col)
            data.append(coef)
        lower.append(lo)
        upper.append(hi)

    by_title: dict[int, list[int]] = {}
    by_month: dict[int, list[int]] = {}
    by_service: dict[tuple[str, int], list[int]] = {}
    for j, (t, s, m) in enumerate(z_keys):
        col = n_x + j
        add_row([(col, 1.0), (x_index[(s, m)], -1.0)], -np.inf, 0.0)
        by_title.setdefault(t.id, []).append(col)
        by_month.setdefault(m, []).append(col)
        by_service.setdefault((s, m), []).append(col)
    for cols_t in by_title.values():
        if len(cols_t) > 1:
            add_row(((c, 1.0) for c in cols_t), -np.inf, 1.0)
    pace = float(problem.pace)
    for cols_m in by_month.values():
        if len(cols_m) > problem.pace:
            add_row(((c, 1.0) for c in cols_m), -np.inf, pace)
    for (s, m), cols_s in by_service.items():
        # A service half on carries half the pace: this is what makes the
        # relaxation tight enough to solve in milliseconds.
        if len(cols_s) > 1:
            add_row(
                [*((c, 1.0) for c in cols_s), (x_index[(s, m)], -pace)], -np.inf, 0.0
            )
    price = np.zeros(n)
    for s in usable:
        for m in range(months):
            price[x_index[(s.slug, m)]] = s.price
    has_budget = problem.budget is not None and not problem.is_anchors_over_budget
    if has_budget and not fixed_on:
        for m in range(months):
            add_row(
                ((x_index[(s, m)], price[x_index[(s, m)]]) for s in slugs),
                -np.inf,
                float(problem.budget),
            )
    matching_rows = len(lower)
    for m in range(months - 1):
        if _alike(problem, m, m + 1):
            add_row(
                [
                    *((c, 1.0) for c in by_month.get(m, [])),
                    *((c, -1.0) for c in by_month.get(m + 1, [])),
                ],
                0.0,
                np.inf,
            )
    weight = np.zeros(n)
    lateness = np.zeros(n)
    for j, (t, _s, m) in enumerate(z_keys):
        weight[n_x + j] = t.weight
        lateness[n_x + j] = m
    lb = np.zeros(n)
    ub = np.ones(n)
    for s in usable:
        if s.is_anchor or fixed_on:
            for m in range(months):
                lb[x_index[(s.slug, m)]] = 1.0
    integrality = np.zeros(n)
    integrality[:n_x] = 1
    unproven: list[str] = []
    a_full = coo_array((data, (rows, cols)), shape=(len(lower), n)).tocsr()

    def run(
        c: np.ndarray,
        extra: list[tuple[np.ndarray, float]],
        *,
        n_rows: int | None = None,
        bounds: tuple[np.ndarray, np.ndarray] = (lb, ub),
        kinds: np.ndarray = integrality,
    ) -> np.ndarray:
        keep = len(lower) if n_rows is None else n_rows
        constraints = (
            [LinearConstraint(a_full[:keep], lower[:keep], upper[:keep])]
            if keep
            else []
        )
        for coefs, lo in extra:
            constraints.append(LinearConstraint(coefs.reshape(1, -1), lo, np.inf))
        result = milp(
            c,
            integrality=kinds,
            bounds=Bounds(*bounds),
            constraints=constraints,
            options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT_SECONDS},
        )
        if result.x is None:
            raise ProgrammeError(f"the optimiser found no plan: {result.message}")
        if result.status != 0:
            unproven.append(result.message)
        return result.x

    best = float(weight @ run(-weight, []))
    at_best = (weight, best - VALUE_TOLERANCE * max(1.0, best))
    cheapest = float(price @ run(price, [at_best]))
    at_cheapest = (-price, -(cheapest + VALUE_TOLERANCE * max(1.0, cheapest)))
    chosen = run(lateness, [at_best, at_cheapest]) if z_keys else run(price, [at_best])
    x = np.round(chosen[:n_x])
    # The chosen services' titles: the most value, then the soonest, as one LP
    # over z alone (a network flow: whole numbers, see the module docstring).
    fixed_lb, fixed_ub = lb.copy(), ub.copy()
    fixed_lb[:n_x] = x
    fixed_ub[:n_x] = x
    step = WEIGHT_STEP / (2 * (months * problem.pace * months + 1))
    objective = -(weight - step * lateness)
    flows = run(
        objective,
        [],
        n_rows=matching_rows,
        bounds=(fixed_lb, fixed_ub),
        kinds=np.zeros(n),
    )
    if np.any(np.abs(flows[n_x:] - np.round(flows[n_x:])) > 1e-6):
        flows = run(
            objective,
            [],
            n_rows=matching_rows,
            bounds=(fixed_lb, fixed_ub),
            kinds=np.ones(n),
        )
    solution = np.concatenate([x, np.round(flows[n_x:])])
    on = [{s for s in slugs if solution[x_index[(s, m)]] > 0.5} for m in range(months)]
    watched: list[list[int]] = [[] for _ in range(months)]
    for j, (t, _s, m) in enumerate(z_keys):
        if solution[n_x + j] > 0.5:
            watched[m].append(t.id)
    return on, watched, float(weight @ solution), not unproven


def _alike(problem: PlanProblem, a: int, b: int) -> bool:
    """Months a and b offer every title on the same services (interchangeable)."""
    return all(t.carriers[a] == t.carriers[b] for t in problem.titles)
