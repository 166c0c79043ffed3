"""Plan months as billing periods: a subscription started on the 5th renews on the
5th, so a plan's months run from one renewal day to the next."""

from __future__ import annotations

import calendar
from datetime import date


def months_add(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_starts(*, anchor: date, today: date, count: int) -> list[date]:
    """Start days of `count` periods from the one containing today.

    Periods are counted from `anchor` (the day the plan was first saved), always
    from the anchor itself so that a short month never shifts the renewal day.
    """
    if today < anchor:
        anchor = today
    elapsed = (today.year - anchor.year) * 12 + today.month - anchor.month
    if months_add(anchor, elapsed) > today:
        elapsed -= 1
    return [months_add(anchor, elapsed + i) for i in range(count)]
