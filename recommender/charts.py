"""Small server-side SVG charts (no JavaScript library needed)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.translation import gettext


def line_chart_svg(
    series: dict[str, Sequence[float]],
    *,
    width: int = 480,
    height: int = 220,
    title: str = "",
    x_label: str = "",
) -> str:
    """An SVG line chart of one or more equally long series (x = 1..n)."""
    colours = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700"]
    values = [v for s in series.values() for v in s if v == v]
    if not values:
        nothing = gettext("No data to chart.")
        return f"<p>{escape(nothing)}</p>"
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    n = max(len(s) for s in series.values())
    # The legend sits in its own rows above the plot so it never covers a curve.
    left, right, top, bottom = 48, 12, 28 + 14 * len(series), 32
    plot_w, plot_h = width - left - right, height - top - bottom

    def xy(i: int, v: float) -> str:
        x = left + (plot_w * i / max(n - 1, 1))
        y = top + plot_h * (1 - (v - low) / span)
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'style="font:11px sans-serif;max-width:100%;height:auto">',
        f'<text x="{left}" y="14">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
        f'y2="{top + plot_h}" stroke="#888"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#888"/>',
        f'<text x="4" y="{top + 8}">{high:.3f}</text>',
        f'<text x="4" y="{top + plot_h}">{low:.3f}</text>',
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}">{escape(x_label)}</text>',
    ]
    for idx, (name, s) in enumerate(series.items()):
        colour = colours[idx % len(colours)]
        points = " ".join(xy(i, v) for i, v in enumerate(s) if v == v)
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{points}"/>'
        )
        parts.append(
            f'<line x1="{left}" y1="{24 + 14 * idx}" x2="{left + 16}" '
            f'y2="{24 + 14 * idx}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{left + 22}" y="{28 + 14 * idx}" '
            f'fill="{colour}" class="chart-legend">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def loss_chart_svg(history: Sequence[dict[str, float]]) -> str:
    """Training and validation loss per epoch from a model version's history."""
    series = {
        gettext("training loss"): [row.get("loss", float("nan")) for row in history],
        gettext("validation loss"): [
            row.get("val_loss", float("nan")) for row in history
        ],
    }
    return line_chart_svg(
        series, title=gettext("MSE loss per epoch"), x_label=gettext("epoch")
    )


def bar_chart_svg(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str = "",
    unit: str = "",
    width: int = 560,
    chart_id: str = "bar-chart",
) -> str:
    """A horizontal grouped bar chart (one group per label), scaled to its width.

    Accessible: role="img" with a <title> and a <desc> listing every value, so a
    screen reader gets the numbers, not just "image".
    """
    colours = ["#4338ca", "#e0527a", "#0f766e", "#b45309"]
    if not labels or not series:
        return f"<p>{escape(title)}</p>"
    names = list(series)
    high = max((v for s in series.values() for v in s), default=0) or 1
    left = min(130, 12 + max(_text_width(label) for label in labels))
    right, bar_h, gap = 40, 12, 14
    # Legend entries flow left to right from the edge and wrap to a new row rather
    # than run past the chart's width (a long translation would be clipped).
    legend: list[tuple[int, int, str]] = []
    x, row = 4, 0
    for name in names:
        entry = 30 + _text_width(name)
        if x > 4 and x + entry > width:
            x, row = 4, row + 1
        legend.append((x, row, name))
        x += entry
    top = 34 + 18 * row
    group_h = bar_h * len(names) + gap
    height = top + group_h * len(labels) + 8
    plot_w = width - left - right
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{name} {series[name][i]:g}{unit}" for name in names)
        for i, label in enumerate(labels)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for idx, (x, row, name) in enumerate(legend):
        colour = colours[idx % len(colours)]
        y = 8 + 18 * row
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" rx="2" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{y + 10}" class="chart-legend">'
            f"{escape(name)}</text>"
        )
    for i, label in enumerate(labels):
        y0 = top + i * group_h
        parts.append(
            f'<text x="{left - 8}" y="{y0 + group_h / 2 - gap / 2 + 4:.1f}" '
            f'text-anchor="end" class="chart-label">{escape(label)}</text>'
        )
        for j, name in enumerate(names):
            value = float(series[name][i])
            w = plot_w * value / high
            y = y0 + j * bar_h
            colour = colours[j % len(colours)]
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'rx="2" fill="{colour}"/>'
                f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 3}" '
                f'class="chart-value">{value:g}{escape(unit)}</text>'
            )
    parts.append(
        f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height - 4}" '
        'stroke="#9ca3af"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _text_width(text: str) -> int:
    """Rough width in px of 12px text (CJK glyphs are about twice as wide)."""
    return sum(12 if ord(ch) > 0x2E80 else 7.5 for ch in text).__ceil__()
