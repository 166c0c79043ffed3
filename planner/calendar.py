"""The plan's switches as an iCalendar file (RFC 5545), written by hand: one
all-day event per switch, with an alarm REMINDER_DAYS before it so the old
service can be cancelled before it renews."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ottsite.lib.korean import particles_resolve

REMINDER_DAYS = 3
LINE_OCTETS = 75


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (RFC 5545 3.1), never
    inside a UTF-8 character; continuation lines start with one space."""
    chunks: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            chunks.append(current)
            current, size = "", 0
            limit = LINE_OCTETS - 1  # the leading space counts
        current += char
        size += octets
    chunks.append(current)
    return "\r\n ".join(chunks)


def _names(services: list[dict[str, Any]]) -> str:
    return ", ".join(s["name"] for s in services)


def switch_summary(switch: dict[str, Any]) -> str:
    """'Start TVING; cancel Wavve before it renews', translated."""
    parts = []
    if switch["start"]:
        parts.append(_("Start %(names)s") % {"names": _names(switch["start"])})
    if switch["stop"]:
        parts.append(
            _("cancel %(names)s before it renews") % {"names": _names(switch["stop"])}
            if parts
            else _("Cancel %(names)s before it renews")
            % {"names": _names(switch["stop"])}
        )
    return particles_resolve("; ".join(parts))


def plan_calendar(*, payload: dict[str, Any], user_id: int, host: str) -> str:
    """The VCALENDAR text (CRLF line ends) of the plan's switches."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    months = {m["index"]: m for m in payload["months"]}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ottsite//subscription plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(_('Streaming plan'))}",
    ]
    for switch in payload["switches"]:
        day = date.fromisoformat(switch["on"])
        month = months[switch["index"]]
        summary = switch_summary(switch)
        titles = ", ".join(t["title"] for t in month["titles"])
        description = "\n".join(
            [
                _("This month: %(services)s (%(cost)s).")
                % {
                    "services": _names(month["services"]) or _("no service"),
                    "cost": month["cost_display"],
                },
                _("To watch: %(titles)s") % {"titles": titles or "-"},
            ]
        )
        lines += [
            "BEGIN:VEVENT",
            # One event per user and day: a re-import updates it, never doubles it.
            f"UID:plan-{user_id}-{day:%Y%m%d}@{host.split(':')[0] or 'ottsite'}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(description)}",
            "TRANSP:TRANSPARENT",
        ]
        if not switch["is_now"]:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{ics_escape(summary)}",
                f"TRIGGER:-P{REMINDER_DAYS}D",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
