"""One login limiter for the page and the API: failed attempts per username and per
client address (ottsite.lib.clientip), counted in fixed windows in the cache."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from ottsite.lib.clientip import client_ip

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1]]


def _keys(request: HttpRequest, username: str) -> list[tuple[str, str]]:
    name = str(username or "").strip().lower()[:150]
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return [
        (f"login-fail:user:{digest}", settings.LOGIN_RATE_LIMIT),
        (f"login-fail:addr:{client_ip(request)}", settings.LOGIN_RATE_LIMIT_ADDRESS),
    ]


def _window_key(key: str, period: int) -> str:
    return f"{key}:{int(time.time() // period)}"


def login_retry_after(*, request: HttpRequest, username: str) -> int | None:
    """Seconds to wait when the username or the address used up its failures."""
    waits = []
    for key, rate in _keys(request, username):
        limit, period = _parse(rate)
        if (cache.get(_window_key(key, period)) or 0) >= limit:
            waits.append(period - int(time.time() % period))
    return max(waits) if waits else None


def login_failure_record(*, request: HttpRequest, username: str) -> None:
    """Count one failed login against the username and the client address."""
    for key, rate in _keys(request, username):
        _limit, period = _parse(rate)
        window = _window_key(key, period)
        cache.add(window, 0, period + 1)
        try:
            cache.incr(window)
        except ValueError:  # expired between add and incr
            cache.set(window, 1, period + 1)
