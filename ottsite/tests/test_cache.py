"""The default cache: one redis client per pool, and it survives a Redis restart."""

from __future__ import annotations

import shutil

import pytest

from ottsite.lib import cache as cache_module
from ottsite.lib.cache import FallbackRedisCache, ReusedClientRedisCacheClient
from ottsite.tests.test_faults_redis import RedisServer


@pytest.fixture
def server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


def test_it_reuses_one_client_and_reconnects_after_a_restart(server, monkeypatch):
    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 0.0)
    cache = FallbackRedisCache(
        f"unix://{server.socket}", {"OPTIONS": {"socket_timeout": 1}}
    )
    assert isinstance(cache._cache, ReusedClientRedisCacheClient)
    client = cache._cache.get_client("k", write=True)
    assert cache._cache.get_client("other") is client

    cache.set("k", "before", 60)
    assert cache.get("k") == "before"
    server.stop()
    assert cache.get("k") is None  # Redis is gone: the local fallback answers
    assert cache.is_degraded is False  # RETRY_SECONDS=0: the next call tries Redis
    server.start()  # a new, empty redis-server on the same socket
    cache.set("k", "after", 60)
    assert cache.get("k") == "after"
    assert cache._cache.get_client("k") is client
    assert server._client().get(cache.make_and_validate_key("k")) is not None
