"""An experiment's report: per-variant metrics from the events, compared to control.

Units: exposed users (an Assignment row) for conversion, save and dismissal rates;
impressed sets for click-through; per-user means for ratings and satisfaction, so
every test compares independent units. The CSV rows and terminal text of a report
are in `report_formats`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from experiments.models import (
    Assignment,
    Event,
    Experiment,
    SyntheticUser,
    Variant,
)
from experiments.report_display import (
    difference_label,
    metric_name,
    p_label,
)
from experiments.stats import (
    Comparison,
    SampleRatio,
    compare_means,
    compare_rates,
    holm_adjust,
    sample_ratio_check,
    sample_size_mean,
    sample_size_rate,
)
from ottsite.lib.errors import NotFound

Kind = Event.Kind
Metric = Experiment.Metric
RATE_METRICS = [Metric.CTR, Metric.CONVERSION, Metric.SAVE_RATE, Metric.DISMISSAL_RATE]
MEAN_METRICS = [Metric.MEAN_RATING, Metric.SATISFACTION]
LOWER_IS_BETTER = {Metric.DISMISSAL_RATE}


@dataclass
class VariantData:
    """Raw per-unit data of one variant."""

    variant: Variant
    users: set[int] = field(default_factory=set)
    impressed_sets: set[int] = field(default_factory=set)
    clicked_sets: set[int] = field(default_factory=set)
    converted: set[int] = field(default_factory=set)
    saved: set[int] = field(default_factory=set)
    dismissed: set[int] = field(default_factory=set)
    ratings: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    satisfaction: dict[int, list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def rate(self, metric: str) -> tuple[int, int]:
        """(successes, trials) of a rate metric."""
        if metric == Metric.CTR:
            return len(self.clicked_sets & self.impressed_sets), len(
                self.impressed_sets
            )
        chosen = {
            Metric.CONVERSION: self.converted,
            Metric.SAVE_RATE: self.saved,
            Metric.DISMISSAL_RATE: self.dismissed,
        }[metric]
        return len(chosen & self.users), len(self.users)

    def means(self, metric: str) -> list[float]:
        """Per-user means of a mean metric."""
        source = self.ratings if metric == Metric.MEAN_RATING else self.satisfaction
        return [float(np.mean(v)) for u, v in source.items() if u in self.users and v]

    def summary(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "variant": self.variant.name,
            "is_control": self.variant.is_control,
            "weight": self.variant.weight,
            "config": self.variant.config,
            "exposed_users": len(self.users),
            "impressed_sets": len(self.impressed_sets),
        }
        for metric in RATE_METRICS:
            hits, n = self.rate(metric)
            row[metric] = hits / n if n else None
        for metric in MEAN_METRICS:
            values = self.means(metric)
            row[metric] = float(np.mean(values)) if values else None
            row[f"{metric}_n"] = len(values)
        return row


@dataclass
class Report:
    experiment: Experiment
    include_simulated: bool
    variants: list[dict[str, Any]]
    comparisons: dict[str, list[Comparison]]  # variant name -> one per metric
    sample_ratio: SampleRatio
    required_sample_size: dict[str, int | None]
    exposures_per_day: list[tuple[date, dict[str, int]]]
    decision: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (NaN becomes null)."""
        e = self.experiment
        return _json_safe(
            {
                "experiment": e.name,
                "hypothesis": e.hypothesis,
                "status": e.status,
                "primary_metric": e.primary_metric,
                "minimum_detectable_effect": e.minimum_detectable_effect,
                "planned_sample_size": e.planned_sample_size,
                "include_simulated": self.include_simulated,
                "variants": self.variants,
                "comparisons": {
                    name: [c.to_dict() for c in rows]
                    for name, rows in self.comparisons.items()
                },
                "sample_ratio": {
                    "observed": self.sample_ratio.observed,
                    "expected": self.sample_ratio.expected,
                    "chi2": self.sample_ratio.chi2,
                    "p_value": self.sample_ratio.p_value,
                    "is_mismatch": self.sample_ratio.is_mismatch,
                },
                "required_sample_size": self.required_sample_size,
                "exposures_per_day": [
                    {"day": day.isoformat(), **counts}
                    for day, counts in self.exposures_per_day
                ],
                "decision": self.decision,
            }
        )


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _collect(experiment: Experiment, include_simulated: bool) -> list[VariantData]:
    variants = list(experiment.variants.order_by("pk"))
    data = {v.pk: VariantData(v) for v in variants}
    synthetic: set[int] = set()
    if not include_simulated:
        synthetic = set(SyntheticUser.objects.values_list("user_id", flat=True))
    for user_id, variant_id in Assignment.objects.filter(
        experiment=experiment
    ).values_list("user_id", "variant_id"):
        if user_id not in synthetic:
            data[variant_id].users.add(user_id)
    events = Event.objects.filter(
        experiment=experiment, variant__isnull=False
    ).values_list(
        "user_id", "variant_id", "kind", "recommendation_set_id", "value", "data"
    )
    for user_id, variant_id, kind, set_id, value, extra in events.iterator():
        if user_id in synthetic:
            continue
        row = data[variant_id]
        if kind == Kind.IMPRESSION:
            row.impressed_sets.add(set_id)
        elif kind == Kind.CLICK_OUT:
            row.clicked_sets.add(set_id)
            extra = extra or {}
            is_service = extra.get("kind") != "justwatch"
            if is_service and not extra.get("is_subscribed", True):
                row.converted.add(user_id)
        elif kind == Kind.WATCHLIST_ADD:
            row.saved.add(user_id)
        elif kind == Kind.DISMISSAL:
            row.dismissed.add(user_id)
        elif kind == Kind.RATING and value is not None:
            row.ratings[user_id].append(value)
        elif kind == Kind.SATISFACTION and value is not None:
            row.satisfaction[user_id].append(value)
    return [data[v.pk] for v in variants]


def _compare(control: VariantData, other: VariantData) -> list[Comparison]:
    rows = []
    for metric in RATE_METRICS:
        rows.append(compare_rates(metric, *control.rate(metric), *other.rate(metric)))
    for metric in MEAN_METRICS:
        rows.append(compare_means(metric, control.means(metric), other.means(metric)))
    return rows


def _required(experiment: Experiment, control: VariantData) -> dict[str, int | None]:
    mde = experiment.minimum_detectable_effect
    sizes: dict[str, int | None] = {}
    for metric in RATE_METRICS:
        hits, n = control.rate(metric)
        sizes[metric] = sample_size_rate(hits / n, mde) if n else None
    for metric in MEAN_METRICS:
        values = control.means(metric)
        sizes[metric] = (
            sample_size_mean(float(np.mean(values)), float(np.std(values, ddof=1)), mde)
            if len(values) > 1
            else None
        )
    return sizes


def _per_day(experiment: Experiment, synthetic: set[int]) -> list:
    rows = (
        Assignment.objects.filter(experiment=experiment)
        .exclude(user_id__in=synthetic)
        .annotate(day=TruncDate("created_at"))
        .values("day", "variant__name")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    days: dict[date, dict[str, int]] = {}
    for row in rows:
        days.setdefault(row["day"], {})[row["variant__name"]] = row["n"]
    return sorted(days.items())


def decision_sentence(
    experiment: Experiment,
    exposed: dict[str, int],
    comparisons: dict[str, list[Comparison]],
    sample_ratio: SampleRatio,
) -> str:
    """What the numbers allow us to say, and no more (in the active language)."""
    primary = experiment.primary_metric
    label = metric_name(primary)
    if sample_ratio.is_mismatch:
        return _(
            "Sample ratio mismatch (chi-square p = %(p)s): the split does not match "
            "the weights, so no result can be trusted until assignment is fixed."
        ) % {"p": f"{sample_ratio.p_value:.2g}"}
    smallest = min(exposed.values()) if exposed else 0
    if smallest < experiment.planned_sample_size:
        return _(
            "Keep running: %(smallest)s of the planned %(planned)s users per variant "
            "are exposed. No winner is called before the planned sample size "
            "(primary metric: %(metric)s)."
        ) % {
            "smallest": smallest,
            "planned": experiment.planned_sample_size,
            "metric": label,
        }
    verdicts = []
    for name, rows in comparisons.items():
        row = next(c for c in rows if c.metric == primary)
        if math.isnan(row.p_value):
            verdicts.append(
                _("%(name)s: no %(metric)s data to compare.")
                % {"name": name, "metric": label}
            )
            continue
        better = (
            row.difference < 0 if primary in LOWER_IS_BETTER else row.difference > 0
        )
        detail = _(
            "%(difference)s (95%% CI %(low)s to %(high)s), Holm-adjusted p = %(p)s "
            "over %(count)s metrics"
        ) % {
            "difference": difference_label(primary, row.difference),
            "low": difference_label(primary, row.ci_low),
            "high": difference_label(primary, row.ci_high),
            "p": p_label(row.p_holm),
            "count": len(rows),
        }
        params = {"name": name, "metric": label, "detail": detail}
        if row.is_significant and better:
            verdicts.append(
                _("%(name)s beats control on %(metric)s: %(detail)s. Ship %(name)s.")
                % params
            )
        elif row.is_significant:
            verdicts.append(
                _("%(name)s is worse than control on %(metric)s: %(detail)s.") % params
            )
        else:
            verdicts.append(
                _(
                    "%(name)s shows no significant difference on %(metric)s: "
                    "%(detail)s. Keep control."
                )
                % params
            )
    return " ".join(verdicts)


def experiment_report(
    *, experiment: Experiment, include_simulated: bool = False
) -> Report:
    """The full report of one experiment (simulated users left out by default)."""
    data = _collect(experiment, include_simulated)
    control = next((d for d in data if d.variant.is_control), None)
    if control is None:
        raise NotFound(f"experiment {experiment.name!r} has no control variant")
    comparisons: dict[str, list[Comparison]] = {}
    for other in data:
        if other is not control:
            comparisons[other.variant.name] = _compare(control, other)
    # One family per treatment: every metric looked at counts.
    for rows in comparisons.values():
        holm_adjust(rows)
    exposed = {d.variant.name: len(d.users) for d in data}
    sample_ratio = sample_ratio_check(
        [len(d.users) for d in data], [d.variant.weight for d in data]
    )
    synthetic = (
        set()
        if include_simulated
        else set(SyntheticUser.objects.values_list("user_id", flat=True))
    )
    return Report(
        experiment=experiment,
        include_simulated=include_simulated,
        variants=[d.summary() for d in data],
        comparisons=comparisons,
        sample_ratio=sample_ratio,
        required_sample_size=_required(experiment, control),
        exposures_per_day=_per_day(experiment, synthetic),
        decision=decision_sentence(experiment, exposed, comparisons, sample_ratio),
    )


def experiment_get(*, name: str) -> Experiment:
    """An experiment by name."""
    experiment = Experiment.objects.filter(name=name).first()
    if experiment is None:
        raise NotFound(f"No experiment named {name!r}.")
    return experiment
