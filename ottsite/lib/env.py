"""Typed readers for environment variables that fail loudly on bad values."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's value, or the default when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean variable: 1/true/yes/on or 0/false/no/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true/false (1/0, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """An integer variable, optionally bounded below."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: must be at least {minimum}")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    """A decimal number variable, optionally bounded below."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a number") from None
    if value != value or (minimum is not None and value < minimum):
        raise ImproperlyConfigured(f"{name}={raw!r}: must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_list(name: str, default: list[int], *, minimum: int = 1) -> list[int]:
    """A comma-separated list of integers, each at least `minimum`, not empty."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        values = [int(item) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected comma-separated integers"
        ) from None
    if not values or min(values) < minimum:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected integers of at least {minimum}"
        )
    return values


def env_url(name: str, schemes: tuple[str, ...]) -> str:
    """A URL variable whose scheme must be one of `schemes`; empty when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        allowed = ", ".join(schemes)
        raise ImproperlyConfigured(f"{name}={raw!r}: scheme must be one of {allowed}")
    return raw


def env_path(name: str, default: Path) -> Path:
    """A directory variable, created if missing."""
    raw = os.environ.get(name, "").strip()
    path = Path(raw).expanduser().resolve() if raw else default
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: cannot create directory ({exc})"
        ) from exc
    return path


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as '100/min'."""
    raw = os.environ.get(name, default).strip()
    count, _, period = raw.partition("/")
    if not count.isdigit() or period[:1] not in {"s", "m", "h", "d"}:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a rate like 100/min")
    return raw


def env_crontab(name: str, default: str) -> dict[str, str] | None:
    """A five-field crontab ('minute hour day month weekday'); empty = disabled."""
    raw = os.environ.get(name, default).strip()
    if not raw:
        return None
    fields = raw.split()
    allowed = set("0123456789*/,-")
    if len(fields) != 5 or any(not set(f) <= allowed for f in fields):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected five crontab fields like '0 3 * * *'"
        )
    keys = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
    return dict(zip(keys, fields, strict=True))


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or CIDR networks; empty when unset."""
    import ipaddress

    values = env_list(name, [])
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {value!r} is not an IP address or network"
            ) from None
    return values
