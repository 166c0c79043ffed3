"""Inline SVG charts of an experiment report: intervals per metric, exposures/day."""

from __future__ import annotations

import math
from html import escape

from django.utils.translation import gettext as _

from experiments.report import Report
from experiments.report_display import metric_name
from recommender.charts import bar_chart_svg


def ci_chart_svg(report: Report, *, width: int = 640, chart_id: str = "ci") -> str:
    """Each metric's difference to control as % of control, with its 95% interval."""
    rows = []
    for name, comparisons in report.comparisons.items():
        for c in comparisons:
            base = c.control
            if not base or any(math.isnan(v) for v in (c.difference, c.ci_low, base)):
                rows.append(
                    (f"{name}: {metric_name(c.metric)}", None, None, None, False)
                )
                continue
            rows.append(
                (
                    f"{name}: {metric_name(c.metric)}",
                    100 * c.difference / abs(base),
                    100 * c.ci_low / abs(base),
                    100 * c.ci_high / abs(base),
                    c.is_significant,
                )
            )
    if not rows:
        nothing = _("No comparison to chart.")
        return f"<p>{escape(nothing)}</p>"
    finite = [v for r in rows for v in r[1:4] if v is not None and math.isfinite(v)]
    span = max([abs(v) for v in finite] + [5.0]) * 1.1
    left, right, top, row_h = 230, 20, 30, 22
    height = top + row_h * len(rows) + 24
    plot_w = width - left - right

    def x(value: float) -> float:
        return left + plot_w * (value + span) / (2 * span)

    desc = "; ".join(
        _("%(label)s: no data") % {"label": label}
        if mid is None
        else _("%(label)s: %(mid)s%% (95%% CI %(low)s%% to %(high)s%%)")
        % {
            "label": label,
            "mid": f"{mid:+.1f}",
            "low": f"{low:+.1f}",
            "high": f"{high:+.1f}",
        }
        for label, mid, low, high, _sig in rows
    )
    no_data = _("no data")
    title = (
        _("Difference to control in %% of control, with 95%% confidence intervals") % {}
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'style="font:12px sans-serif;max-width:{width}px" data-chart="ci">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        f'<text x="{left}" y="16">{escape(title)}</text>',
        f'<line x1="{x(0):.1f}" y1="{top - 6}" x2="{x(0):.1f}" '
        f'y2="{height - 20}" stroke="#6b7280" stroke-dasharray="3 3"/>',
        f'<text x="{left}" y="{height - 6}">{-span:.0f}%</text>',
        f'<text x="{x(0) - 4:.1f}" y="{height - 6}">0</text>',
        f'<text x="{left + plot_w - 30}" y="{height - 6}">+{span:.0f}%</text>',
    ]
    for i, (label, mid, low, high, significant) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        if mid is None:
            parts.append(
                f'<text x="{x(0) + 6:.1f}" y="{y + 4:.1f}">{escape(no_data)}</text>'
            )
            continue
        colour = "#1a7f37" if significant else "#4338ca"
        parts.append(
            f'<line x1="{x(max(low, -span)):.1f}" y1="{y:.1f}" '
            f'x2="{x(min(high, span)):.1f}" y2="{y:.1f}" stroke="{colour}" '
            'stroke-width="2"/>'
            f'<circle cx="{x(mid):.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def exposures_chart_svg(report: Report, *, chart_id: str = "exposures") -> str:
    """Users exposed per day, one bar per variant."""
    names = [v["variant"] for v in report.variants]
    days = report.exposures_per_day
    if not days:
        nothing = _("No exposures yet.")
        return f"<p>{escape(nothing)}</p>"
    return bar_chart_svg(
        [day.strftime("%m-%d") for day, _counts in days],
        {name: [counts.get(name, 0) for _day, counts in days] for name in names},
        title=_("Users exposed per day (month-day)"),
        chart_id=chart_id,
    )
