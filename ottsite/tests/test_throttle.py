"""The API's rate limits: a sliding window from two counters, one Redis round trip."""

from __future__ import annotations

import secrets

import pytest
from django.core.cache import caches
from rest_framework.test import APIRequestFactory

from ottsite.lib.api_guards import UserThrottle, _retry_after
from ottsite.lib.cache import FallbackRedisCache


class _View:
    pass


class _Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _throttle(clock: _Clock, rate: str = "4/min") -> UserThrottle:
    throttle = UserThrottle()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = clock
    return throttle


def _request(address: str = "10.9.8.7"):
    from django.contrib.auth.models import AnonymousUser

    request = APIRequestFactory().get("/api/me/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def _hits(clock: _Clock, n: int, address: str = "10.9.8.7") -> list[bool]:
    return [
        _throttle(clock).allow_request(_request(address), _View()) for _ in range(n)
    ]


@pytest.fixture
def clock():
    # The start of a window far from real time and from other tests' windows, so
    # the counters (in the session's real Redis) start at zero.
    return _Clock(60.0 * secrets.randbelow(10**9))


def test_it_allows_the_rate_and_refuses_the_next_in_real_redis(clock):
    assert isinstance(caches["default"], FallbackRedisCache)
    assert not caches["default"].is_degraded
    assert _hits(clock, 5) == [True, True, True, True, False]
    # Another address has its own count.
    assert _hits(clock, 1, address="10.9.8.6") == [True]


def test_it_carries_the_previous_window_over_by_its_remaining_weight(clock):
    assert _hits(clock, 4) == [True] * 4
    # A quarter into the next window, 3/4 of the previous 4 hits still count: 3.
    clock.now += 75.0
    assert _hits(clock, 2) == [True, False]
    # Half-way: 4 * 0.5 + 1 = 3 counted, so one more fits.
    clock.now += 15.0
    assert _hits(clock, 2) == [True, False]


def test_a_refused_request_does_not_count(clock):
    assert _hits(clock, 4) == [True] * 4
    assert _hits(clock, 50) == [False] * 50
    # Had the 50 refusals counted, the next window would refuse everything too.
    clock.now += 60.0 + 45.0
    assert _hits(clock, 3) == [True, True, True]


def test_retry_after_is_when_the_next_request_fits(clock):
    assert _hits(clock, 4) == [True] * 4
    throttle = _throttle(clock)
    clock.now += 30.0
    assert not throttle.allow_request(_request(), _View())
    wait = throttle.wait()
    # 4 hits this window: the next fits once 4 * (1 - f) <= 3 in the next one,
    # i.e. a quarter into it: 30 s left here + 15 s.
    assert wait == pytest.approx(45.0)
    clock.now += wait - 0.5
    assert not _throttle(clock).allow_request(_request(), _View())
    clock.now += 1.0
    assert _throttle(clock).allow_request(_request(), _View())


@pytest.mark.parametrize(
    ("hits", "before", "into", "allowed", "expected"),
    [
        # Within this window: 2 hits, 4 before, need 4*(1-f) <= 1 -> f = 0.75.
        (2, 4, 15.0, 3, 30.0),
        # Next window: 4 hits, need 4*(1-f) <= 3 -> f = 0.25 -> 45 + 15.
        (4, 0, 15.0, 3, 60.0),
        # Never less than a second.
        (3, 1, 59.9, 3, 1.0),
    ],
)
def test_retry_after_arithmetic(hits, before, into, allowed, expected):
    assert _retry_after(hits, before, into, 60.0, allowed) == pytest.approx(expected)


def _dead_redis_cache() -> FallbackRedisCache:
    # A real client against a loopback port nobody listens on: Redis is down.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return FallbackRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )


def test_the_window_counts_in_process_memory_while_redis_is_down(caplog):
    cache = _dead_redis_cache()
    assert not cache.is_degraded
    with caplog.at_level("WARNING", logger="ottsite.lib.cache"):
        assert cache.incr_window("w:2", "w:1", 60) == (1, 0)
    assert cache.is_degraded
    assert "Redis cache unavailable" in caplog.text
    assert cache.incr_window("w:2", "w:1", 60) == (2, 0)
    assert cache.incr_window("w:2", "w:1", 60) == (3, 0)
    # The previous window's count is read from the same local memory.
    assert cache.incr_window("w:1", "w:0", 60) == (1, 0)
    assert cache.incr_window("w:3", "w:2", 60) == (1, 3)
    # Only one warning while degraded.
    assert caplog.text.count("Redis cache unavailable") == 1


def test_the_throttle_still_limits_while_redis_is_down(clock, monkeypatch):
    cache = _dead_redis_cache()
    monkeypatch.setattr(UserThrottle, "cache", cache)
    assert _hits(clock, 5, address="10.1.1.1") == [True, True, True, True, False]
    assert cache.is_degraded
