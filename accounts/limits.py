"""One login limiter for the page and the API, counted in fixed windows in the cache.

Failures are counted per client (its address, ottsite.lib.clientip, with the
username) and per address, so a client that keeps guessing is stopped whatever it
sends next, while the owner logging in from elsewhere is not: five guesses at
someone's username from one address must not lock the real user out. A much higher
ceiling per username slows guessing spread over many addresses; past it only a
client the user logged in from before (a signed device cookie on the page, a known
address for the API) may still try the password.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from ottsite.lib.clientip import client_ip

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEVICE_COOKIE = "ott_login_device"
_DEVICE_SALT = "accounts.limits.device"
# How long a browser or an address stays one the user logs in from.
KNOWN_CLIENT_SECONDS = 90 * 86400


def _parse(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1]]


def _digest(username: str) -> str:
    name = str(username or "").strip().lower()[:150]
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def _client_keys(request: HttpRequest, username: str) -> list[tuple[str, str]]:
    address = client_ip(request)
    return [
        (f"login-fail:pair:{_digest(username)}:{address}", settings.LOGIN_RATE_LIMIT),
        (f"login-fail:addr:{address}", settings.LOGIN_RATE_LIMIT_ADDRESS),
    ]


def _username_key(username: str) -> tuple[str, str]:
    return f"login-fail:user:{_digest(username)}", settings.LOGIN_RATE_LIMIT_USERNAME


def _known_address_key(request: HttpRequest, username: str) -> str:
    return f"login-ok:{_digest(username)}:{client_ip(request)}"


def _window_key(key: str, period: int) -> str:
    return f"{key}:{int(time.time() // period)}"


def _wait(key: str, rate: str) -> int | None:
    limit, period = _parse(rate)
    if (cache.get(_window_key(key, period)) or 0) >= limit:
        return period - int(time.time() % period)
    return None


def _is_known_client(request: HttpRequest, username: str) -> bool:
    device = request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=_DEVICE_SALT, max_age=KNOWN_CLIENT_SECONDS
    )
    if device == _digest(username):
        return True
    return bool(cache.get(_known_address_key(request, username)))


def login_retry_after(*, request: HttpRequest, username: str) -> int | None:
    """Seconds this client must wait before trying the username again, or None."""
    waits = [_wait(key, rate) for key, rate in _client_keys(request, username)]
    wait = max((w for w in waits if w), default=None)
    if wait is None and not _is_known_client(request, username):
        wait = _wait(*_username_key(username))
    return wait


def login_failure_record(*, request: HttpRequest, username: str) -> None:
    """Count one failed login against the client and against the username."""
    for key, rate in [*_client_keys(request, username), _username_key(username)]:
        _limit, period = _parse(rate)
        window = _window_key(key, period)
        cache.add(window, 0, period + 1)
        try:
            cache.incr(window)
        except ValueError:  # expired between add and incr
            cache.set(window, 1, period + 1)


def login_success_record(
    *, request: HttpRequest, username: str, response: HttpResponse | None = None
) -> None:
    """Remember the client as one the user logs in from (a device cookie on the
    response, if given, and the address); its own failed guesses are forgotten."""
    cache.set(_known_address_key(request, username), 1, KNOWN_CLIENT_SECONDS)
    key, rate = _client_keys(request, username)[0]
    cache.delete(_window_key(key, _parse(rate)[1]))
    if response is not None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            _digest(username),
            salt=_DEVICE_SALT,
            max_age=KNOWN_CLIENT_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
