"""An experiment's report as CSV rows and as plain text for the terminal."""

from __future__ import annotations

import math
from typing import Any

from experiments.report import Report

CSV_HEADER = [
    "variant",
    "metric",
    "kind",
    "control",
    "treatment",
    "n_control",
    "n_treatment",
    "difference",
    "ci_low",
    "ci_high",
    "p_value",
    "p_holm",
    "is_significant",
    "required_sample_size",
]


def report_csv_rows(report: Report) -> list[list[Any]]:
    """One row per treatment variant and metric."""
    rows = []
    for name, comparisons in report.comparisons.items():
        for c in comparisons:
            rows.append(
                [
                    name,
                    c.metric,
                    c.kind,
                    c.control,
                    c.treatment,
                    c.n_control,
                    c.n_treatment,
                    c.difference,
                    c.ci_low,
                    c.ci_high,
                    c.p_value,
                    c.p_holm,
                    c.is_significant,
                    report.required_sample_size.get(c.metric),
                ]
            )
    return rows


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def report_text(report: Report) -> str:
    """The report as plain text for the terminal."""
    e = report.experiment
    lines = [
        f"Experiment: {e.name} ({e.status})",
        f"Hypothesis: {e.hypothesis}",
        f"Primary metric: {e.primary_metric}; minimum detectable effect "
        f"{e.minimum_detectable_effect:+.1%}; planned {e.planned_sample_size} users "
        "per variant"
        + ("; simulated users INCLUDED" if report.include_simulated else ""),
        "",
        "variant            exposed  sets   ctr     conv    save    dismiss "
        "rating (n)      satisfaction (n)",
    ]
    for v in report.variants:
        lines.append(
            f"{v['variant'][:18]:<18} {v['exposed_users']:>7} {v['impressed_sets']:>5}"
            f"  {_fmt(v['ctr']):>6}  {_fmt(v['conversion']):>6}  "
            f"{_fmt(v['save_rate']):>6}  {_fmt(v['dismissal_rate']):>6}  "
            f"{_fmt(v['mean_rating'], 3):>5} ({v['mean_rating_n']:>4})  "
            f"{_fmt(v['satisfaction'], 3):>5} ({v['satisfaction_n']:>4})"
        )
    for name, comparisons in report.comparisons.items():
        lines += ["", f"{name} vs control (95% CI; Holm over {len(comparisons)})"]
        lines.append(
            "metric           diff       ci_low     ci_high    p        p_holm   "
            "need/variant"
        )
        for c in comparisons:
            star = " *" if c.is_significant else ""
            need = report.required_sample_size.get(c.metric)
            lines.append(
                f"{c.metric:<16} {_fmt(c.difference):>9}  {_fmt(c.ci_low):>9}  "
                f"{_fmt(c.ci_high):>9}  {_fmt(c.p_value):>7}  {_fmt(c.p_holm):>7}"
                f"{star:<2} {need if need is not None else '-':>8}"
            )
    sr = report.sample_ratio
    lines += [
        "",
        f"Sample ratio check: observed {sr.observed}, expected "
        f"{[round(x, 1) for x in sr.expected]}, chi2 = {sr.chi2:.3f}, "
        f"p = {sr.p_value:.4f}" + (" MISMATCH" if sr.is_mismatch else " ok"),
        "",
        f"Decision: {report.decision}",
    ]
    return "\n".join(lines)
