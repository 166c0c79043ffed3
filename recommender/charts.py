"""Small server-side SVG charts (no JavaScript library needed)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


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
        return "<p>No data to chart.</p>"
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    n = max(len(s) for s in series.values())
    left, right, top, bottom = 48, 12, 24, 32
    plot_w, plot_h = width - left - right, height - top - bottom

    def xy(i: int, v: float) -> str:
        x = left + (plot_w * i / max(n - 1, 1))
        y = top + plot_h * (1 - (v - low) / span)
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" style="font:11px sans-serif">',
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
            f'<text x="{left + plot_w - 90}" y="{top + 12 + 14 * idx}" '
            f'fill="{colour}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def loss_chart_svg(history: Sequence[dict[str, float]]) -> str:
    """Training and validation loss per epoch from a model version's history."""
    series = {
        "train loss": [row.get("loss", float("nan")) for row in history],
        "validation loss": [row.get("val_loss", float("nan")) for row in history],
    }
    return line_chart_svg(series, title="MSE loss per epoch", x_label="epoch")
