"""A Redis cache that degrades to a per-process memory cache while Redis is down.

Throttles (DRF), the login limiter (accounts.limits) and the search index all keep
their counters in the default cache. When Redis goes away they must not turn every
request into a 500: each process falls back to its own in-memory cache (so limits
still hold, per process) and tries Redis again after a short pause.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0
# INCRs sent in one pipelined round trip by counter_bump_many.
BUMP_BATCH = 1000


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one redis.Redis per connection pool.

    Django builds a new redis.Redis for every operation, and each one copies its
    ~170 response callbacks (about 0.3 ms here; three or four per API request). A
    redis.Redis is thread-safe and only wraps the pool, so one per pool serves all.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FallbackRedisCache(RedisCache):
    """RedisCache whose operations use a local memory cache while Redis is down."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._local = LocMemCache("ottsite-fallback", {"OPTIONS": {}})
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self.is_degraded:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNAVAILABLE as exc:
                with self._lock:
                    if not self.is_degraded:
                        logger.warning(
                            "Redis cache unavailable (%s); using a per-process "
                            "memory cache for %.0f s",
                            exc,
                            RETRY_SECONDS,
                        )
                    self._down_until = time.monotonic() + RETRY_SECONDS
        return getattr(self._local, name)(*args, **kwargs)

    def incr_window(self, key: str, previous: str, timeout: int) -> tuple[int, int]:
        """Count one more hit on `key` (kept `timeout` seconds) and read `previous`.

        One round trip (SET NX EX, INCR and GET, pipelined) for a rate limit.
        """
        if not self.is_degraded:
            try:
                full_key = self.make_and_validate_key(key)
                client = self._cache.get_client(full_key, write=True)
                pipe = client.pipeline(transaction=False)
                pipe.set(full_key, 0, ex=max(1, int(timeout)), nx=True)
                pipe.incr(full_key)
                pipe.get(self.make_and_validate_key(previous))
                _, hits, before = pipe.execute()
                return int(hits), int(before or 0)
            except UNAVAILABLE:
                self._call("get", key)  # marks Redis down, logged once
        return counter_incr(self._local, key, previous, timeout)

    def counter_bump(self, key: str) -> int:
        """Add one to a counter kept forever, creating it at 0: one INCR.

        Django's add + incr would be three round trips (incr checks EXISTS first).
        """
        if not self.is_degraded:
            try:
                full_key = self.make_and_validate_key(key)
                return int(self._cache.get_client(full_key, write=True).incr(full_key))
            except UNAVAILABLE:
                self._call("get", key)  # marks Redis down, logged once
        return counter_bump(self._local, key)

    def counter_bump_many(self, keys: Sequence[str]) -> None:
        """Add one to each counter, in order: INCRs pipelined, BUMP_BATCH a trip."""
        if not keys:
            return
        if not self.is_degraded:
            try:
                client = self._cache.get_client(None, write=True)
                for start in range(0, len(keys), BUMP_BATCH):
                    pipe = client.pipeline(transaction=False)
                    for key in keys[start : start + BUMP_BATCH]:
                        pipe.incr(self.make_and_validate_key(key))
                    pipe.execute()
                return
            except UNAVAILABLE:
                self._call("get", keys[0])  # marks Redis down, logged once
        for key in keys:
            counter_bump(self._local, key)


def counter_bump(cache: Any, key: str) -> int:
    """Add one to a counter kept forever (created at 0), on any Django cache."""
    bump = getattr(cache, "counter_bump", None)
    if bump is not None:
        return bump(key)
    return _add_incr(cache, key, None)


def counter_bump_many(cache: Any, keys: Sequence[str]) -> None:
    """Add one to each of many counters kept forever, in few round trips if it can."""
    bump_many = getattr(cache, "counter_bump_many", None)
    if bump_many is not None:
        bump_many(keys)
        return
    for key in keys:
        counter_bump(cache, key)


def _add_incr(cache: Any, key: str, timeout: int | None) -> int:
    """Create the counter at 0 if missing, then add one (any Django cache)."""
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired or evicted between add and incr
        cache.add(key, 1, timeout)
        return 1


def counter_incr(cache: Any, key: str, previous: str, timeout: int) -> tuple[int, int]:
    """Increment a counter kept `timeout` seconds; also read the counter `previous`."""
    incr_window = getattr(cache, "incr_window", None)
    if incr_window is not None:
        return incr_window(key, previous, timeout)
    hits = _add_incr(cache, key, timeout)
    return hits, int(cache.get(previous) or 0)


def _delegate(name: str) -> Callable[..., Any]:
    def method(self: FallbackRedisCache, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FallbackRedisCache, _name, _delegate(_name))
