"""An experiment report as people read it in the admin: short translated metric
names, rates as percentages, differences of rates in percentage points, rounded
means and p-values, a variant's configuration in words."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

METRIC_NAMES: dict[str, Promise] = {
    "ctr": gettext_lazy("click-through"),
    "conversion": gettext_lazy("conversion"),
    "save_rate": gettext_lazy("save rate"),
    "dismissal_rate": gettext_lazy("dismissal rate"),
    "mean_rating": gettext_lazy("mean rating"),
    "satisfaction": gettext_lazy("satisfaction"),
}
RATE_METRICS = ("ctr", "conversion", "save_rate", "dismissal_rate")
METHOD_NAMES: dict[str, Promise] = {
    "seed": gettext_lazy("seed similarity"),
    "foldin": gettext_lazy("fold-in"),
    "ranker": gettext_lazy("learned ranker"),
}


def metric_name(metric: str) -> str:
    return str(METRIC_NAMES.get(metric, metric))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent_label(rate: Any) -> str:
    """0.3333 -> "33.3%"."""
    return "-" if _missing(rate) else f"{100 * rate:.1f}%"


def mean_label(value: Any) -> str:
    """A mean on the 1-5 scale -> "4.67"."""
    return "-" if _missing(value) else f"{value:.2f}"


def value_label(metric: str, value: Any) -> str:
    """A metric's value: a percentage for a rate, two decimals for a mean."""
    return percent_label(value) if metric in RATE_METRICS else mean_label(value)


def difference_label(metric: str, value: Any) -> str:
    """Treatment minus control: percentage points for a rate ("+33.3%p")."""
    if _missing(value):
        return "-"
    if metric in RATE_METRICS:
        return _("%(points)s pp") % {"points": f"{100 * value:+.1f}"}
    return f"{value:+.2f}"


def interval_label(metric: str, low: Any, high: Any) -> str:
    """A 95% interval of a difference ("-12.0 pp to +45.3 pp"); "-" when unknown."""
    if _missing(low) or _missing(high):
        return "-"
    return _("%(low)s to %(high)s") % {
        "low": difference_label(metric, low),
        "high": difference_label(metric, high),
    }


def p_label(p: Any) -> str:
    """A p-value to three decimals, "< 0.001" below that."""
    if _missing(p):
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def count_label(value: Any) -> str:
    if _missing(value):
        return "-"
    return number_format(int(value), force_grouping=True)


def config_label(config: Mapping[str, Any]) -> str:
    """A variant's recommender configuration in words ("without demographics")."""
    parts = []
    if config.get("method"):
        method = METHOD_NAMES.get(config["method"], config["method"])
        parts.append(_("method: %(method)s") % {"method": method})
    if config.get("use_demographics") is False:
        parts.append(_("without demographics"))
    elif config.get("use_demographics") is True:
        parts.append(_("with demographics"))
    if config.get("diversity") is not None:
        parts.append(
            _("diversity %(value)s") % {"value": f"{float(config['diversity']):.2f}"}
        )
    if config.get("k") is not None:
        parts.append(_("%(k)s titles") % {"k": config["k"]})
    if config.get("show_plan") is False:
        parts.append(_("plan hidden"))
    elif config.get("show_plan") is True:
        parts.append(_("plan shown"))
    return ", ".join(parts) or _("defaults")


def variant_rows(variants: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    """One row of display strings per variant."""
    return [
        {
            "name": v["variant"],
            "is_control": v["is_control"],
            "weight": count_label(v["weight"]),
            "config": config_label(v["config"] or {}),
            "exposed": count_label(v["exposed_users"]),
            "sets": count_label(v["impressed_sets"]),
            **{m: percent_label(v[m]) for m in RATE_METRICS},
            "mean_rating": mean_label(v["mean_rating"]),
            "mean_rating_n": count_label(v["mean_rating_n"]),
            "satisfaction": mean_label(v["satisfaction"]),
            "satisfaction_n": count_label(v["satisfaction_n"]),
        }
        for v in variants
    ]


def comparison_rows(
    rows: list[Mapping[str, Any]], required: Mapping[str, int | None]
) -> list[dict[str, Any]]:
    """One row of display strings per metric of a treatment against control."""
    return [
        {
            "metric": metric_name(c["metric"]),
            "test": _("two-proportion z") if c["kind"] == "rate" else _("Welch t"),
            "control": value_label(c["metric"], c["control"]),
            "n_control": count_label(c["n_control"]),
            "treatment": value_label(c["metric"], c["treatment"]),
            "n_treatment": count_label(c["n_treatment"]),
            "difference": difference_label(c["metric"], c["difference"]),
            "ci": interval_label(c["metric"], c["ci_low"], c["ci_high"]),
            "p": p_label(c["p_value"]),
            "p_holm": p_label(c["p_holm"]),
            "needed": count_label(required.get(c["metric"])),
            "is_significant": c["is_significant"],
        }
        for c in rows
    ]
