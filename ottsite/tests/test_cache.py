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


def test_a_counter_bump_is_one_incr_and_falls_back_while_redis_is_down(
    server, monkeypatch
):
    from django.core.cache.backends.locmem import LocMemCache

    from ottsite.lib.cache import counter_bump

    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 60.0)
    cache = FallbackRedisCache(
        f"unix://{server.socket}", {"OPTIONS": {"socket_timeout": 1}}
    )
    raw = server._client()
    full_key = cache.make_and_validate_key("gen")
    cache.get("warm")  # the pool's connection is made (its handshake commands)
    before = raw.info("stats")["total_commands_processed"]
    assert counter_bump(cache, "gen") == 1  # created at 0, then one added
    # One command (INCR); Django's add + incr would be SET NX, EXISTS and INCRBY.
    # (INFO itself counts as one.)
    assert raw.info("stats")["total_commands_processed"] - before == 2
    assert counter_bump(cache, "gen") == 2
    assert cache.get("gen") == 2  # readable through the cache, as an int
    assert raw.ttl(full_key) == -1  # kept forever, like add(key, 0, None)

    server.stop()
    assert counter_bump(cache, "gen") == 1  # the per-process fallback counts
    assert cache.is_degraded

    # Any other Django cache gets add + incr.
    local = LocMemCache("bump-test", {"OPTIONS": {}})
    assert [counter_bump(local, "g") for _ in range(3)] == [1, 2, 3]


def test_it_bumps_5000_counters_in_five_pipelined_round_trips(server, monkeypatch):
    from redis.connection import AbstractConnection

    from ottsite.lib.cache import counter_bump_many

    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 60.0)
    cache = FallbackRedisCache(
        f"unix://{server.socket}", {"OPTIONS": {"socket_timeout": 1}}
    )
    raw = server._client()
    keys = [f"gen:movie:{i}" for i in range(5000)]
    cache.get("warm")  # the pool's connection is made (its handshake commands)
    sent = [0]
    send = AbstractConnection.send_packed_command

    def counting(conn, *args, **kwargs):  # noqa: ANN001
        sent[0] += 1
        return send(conn, *args, **kwargs)

    before = raw.info("stats")["total_commands_processed"]
    with monkeypatch.context() as patch:
        patch.setattr(AbstractConnection, "send_packed_command", counting)
        counter_bump_many(cache, keys)
        counter_bump_many(cache, keys[:2])
    # 5,000 INCRs in five pipelines of 1,000, and two more in one (INFO counts as
    # one command).
    assert raw.info("stats")["total_commands_processed"] - before == 5002 + 1
    assert sent[0] == 6
    assert cache.get_many(keys[:3]) == {keys[0]: 2, keys[1]: 2, keys[2]: 1}
    assert raw.ttl(cache.make_and_validate_key(keys[4999])) == -1  # kept forever

    server.stop()
    counter_bump_many(cache, keys[:2])  # the per-process fallback counts
    assert cache.is_degraded
    assert cache.get_many(keys[:2]) == {keys[0]: 1, keys[1]: 1}
