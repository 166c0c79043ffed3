"""The plan as a month-by-month timeline: one row per service, a filled cell for
each month it is on (with how many titles to watch on it), the month's cost and
saving below. Server-side SVG, scaled to the phone's width."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

ANCHOR_COLOUR = "#64748b"
ON_COLOUR = "#4338ca"
WIDTH = 340
ROW_H = 30
LEFT = 96


def _short_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.month}/{day.day}"


def compact_money(amount: str, currency: str) -> str:
    """A short amount for a chart cell: 1.35만 / ₩13.5k for KRW 13,500, $18 for USD."""
    value = float(amount)
    if value == 0:
        return "0"
    if currency == "KRW":
        if (get_language() or "").startswith("ko"):
            return f"{value / 10000:.3g}만"
        return f"₩{value / 1000:.3g}k"
    symbol = "$" if currency == "USD" else ""
    return f"{symbol}{value:.0f}" if value >= 10 else f"{symbol}{value:.2f}"


def timeline_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per service in the plan: anchors first, then by first month on."""
    seen: dict[str, dict[str, Any]] = {}
    for month in payload["months"]:
        for service in month["services"]:
            seen.setdefault(service["slug"], {**service, "first": month["index"]})
    rows = sorted(
        seen.values(), key=lambda s: (not s["is_anchor"], s["first"], s["name"])
    )
    for row in rows:
        row["cells"] = [_cell(month, row["slug"]) for month in payload["months"]]
    return rows


def _cell(month: dict[str, Any], slug: str) -> dict[str, Any] | None:
    if slug not in {s["slug"] for s in month["services"]}:
        return None
    return {"titles": sum(1 for t in month["titles"] if t["via"] == slug)}


def timeline_svg(payload: dict[str, Any], *, chart_id: str = "plan-chart") -> str:
    """The plan's timeline chart (empty string when there is no plan)."""
    months = payload["months"]
    if not months:
        return ""
    rows = timeline_rows(payload)
    currency = payload["currency"]
    n = len(months)
    col_w = (WIDTH - LEFT - 4) / n
    top = 22
    height = top + ROW_H * len(rows) + 44
    title = _("Your plan month by month")
    desc = "; ".join(
        f"{m['label']}: "
        + (", ".join(s["name"] for s in m["services"]) or _("no service"))
        + f" ({m['cost_display']}, "
        + _("%(count)d to watch") % {"count": len(m["titles"])}
        + ")"
        for m in months
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart plan-chart" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for i, month in enumerate(months):
        x = LEFT + col_w * i + col_w / 2
        parts.append(
            f'<text x="{x:.1f}" y="14" text-anchor="middle" class="chart-label">'
            f"{escape(_short_date(month['starts_on']))}</text>"
        )
    for r, row in enumerate(rows):
        y = top + ROW_H * r
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + ROW_H / 2 + 4:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(row["name"])}</text>'
        )
        colour = ANCHOR_COLOUR if row["is_anchor"] else ON_COLOUR
        for i, cell in enumerate(row["cells"]):
            if cell is None:
                continue
            x = LEFT + col_w * i + 2
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{col_w - 4:.1f}" '
                f'height="{ROW_H - 6}" rx="5" fill="{colour}" '
                f'data-service="{escape(row["slug"])}" data-month="{i}"/>'
            )
            if cell["titles"]:
                parts.append(
                    f'<text x="{x + (col_w - 4) / 2:.1f}" y="{y + ROW_H / 2 + 4:.1f}" '
                    f'text-anchor="middle" class="plan-cell-value">'
                    f"{cell['titles']}</text>"
                )
    y_cost = top + ROW_H * len(rows) + 16
    parts.append(
        f'<text x="{LEFT - 6}" y="{y_cost}" text-anchor="end" class="chart-label">'
        f"{escape(_('Cost'))}</text>"
        f'<text x="{LEFT - 6}" y="{y_cost + 18}" text-anchor="end" '
        f'class="chart-label plan-saved-value">{escape(_("Saved"))}</text>'
    )
    for i, month in enumerate(months):
        x = LEFT + col_w * i + col_w / 2
        cost = escape(compact_money(month["cost"], currency))
        saved = escape(compact_money(month["saved"], currency))
        parts.append(
            f'<text x="{x:.1f}" y="{y_cost}" text-anchor="middle" '
            f'class="chart-value">{cost}</text>'
            f'<text x="{x:.1f}" y="{y_cost + 18}" text-anchor="middle" '
            f'class="chart-value plan-saved-value">{saved}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
