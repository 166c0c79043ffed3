"""Per-movie generations: a change of some movies makes stale only the cached values
that recorded one of them, in a few Redis round trips however many movies."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from redis.connection import AbstractConnection

from ottsite.lib.cache import counter_bump
from ottsite.lib.generations import (
    CATALOG,
    catalog_changed,
    movie_generations,
    movies_changed,
    user_cached,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_cached_before():
    # Redis outlives each test database, whose ids repeat: older entries are stale.
    counter_bump(caches["default"], CATALOG)


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the writes to Redis sockets: a pipeline is one, a command one."""

    @contextlib.contextmanager
    def count() -> Iterator[list[int]]:
        sent = [0]
        send = AbstractConnection.send_packed_command

        def counting(self, command, check_health=True):  # noqa: ANN001
            sent[0] += 1
            return send(self, command, check_health)

        with monkeypatch.context() as patch:
            patch.setattr(AbstractConnection, "send_packed_command", counting)
            yield sent

    return count


class Builds:
    """A builder that counts its calls and shows the movies it is given."""

    def __init__(self, movie_ids: list[int], during=None) -> None:  # noqa: ANN001
        self.movie_ids = movie_ids
        self.during = during
        self.count = 0

    def __call__(self) -> tuple[tuple[int, ...], int]:
        self.count += 1
        if self.during is not None:
            self.during()
        return tuple(self.movie_ids), 60

    def cached(self, user_id: int, key: str) -> tuple:
        return user_cached(user_id=user_id, key=key, build=self, deps=list)


def test_it_rebuilds_only_the_values_that_show_a_changed_movie(
    django_capture_on_commit_callbacks,
):
    a, b = Builds([101, 102]), Builds([201, 202])
    for _ in range(2):
        a.cached(1, "test:a")
        b.cached(2, "test:b")
    assert (a.count, b.count) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        movies_changed(movie_ids=[102, 999])
    assert a.cached(1, "test:a") == ((101, 102), True)
    assert b.cached(2, "test:b") == ((201, 202), False)
    assert (a.count, b.count) == (2, 1)
    with django_capture_on_commit_callbacks(execute=True):
        catalog_changed()  # still stales everything
    a.cached(1, "test:a")
    b.cached(2, "test:b")
    assert (a.count, b.count) == (3, 2)


def test_it_bumps_only_on_commit_unless_now(django_capture_on_commit_callbacks):
    before = movie_generations(movie_ids=[301])[301]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        movies_changed(movie_ids=[301])
    assert movie_generations(movie_ids=[301])[301] == before
    callbacks[0]()
    assert movie_generations(movie_ids=[301])[301] == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        movies_changed(movie_ids=[301, 301], now=True)  # before and at the commit
    assert movie_generations(movie_ids=[301])[301] == before + 3


def test_it_serves_a_hit_in_two_round_trips(round_trips):
    builds = Builds(list(range(400, 430)))
    builds.cached(3, "test:hit")
    with round_trips() as trips:
        assert builds.cached(3, "test:hit") == (tuple(range(400, 430)), False)
    # One for both generations and the value, one for its 30 movies' generations.
    assert trips[0] == 2


def test_it_bumps_5000_movies_in_a_few_round_trips(
    round_trips, django_capture_on_commit_callbacks
):
    ids = list(range(100_000, 105_000))
    before = movie_generations(movie_ids=ids)
    with round_trips() as trips, django_capture_on_commit_callbacks(execute=True):
        movies_changed(movie_ids=ids)
    # 5,001 INCRs (the movies and MOVIES), pipelined 1,000 to a round trip.
    assert trips[0] == 6
    after = movie_generations(movie_ids=ids)
    assert all(after[m] == before[m] + 1 for m in ids)


def test_it_never_stores_a_value_built_while_one_of_its_movies_changed(
    django_capture_on_commit_callbacks,
):
    # Another process commits a change of movie 501 while the value is built from
    # the database: the value may show the old offers and must not be kept.
    builds = Builds(
        [501, 502], during=lambda: movies_changed(movie_ids=[501], now=True)
    )
    builds.cached(4, "test:race")
    builds.during = None
    builds.cached(4, "test:race")  # not stored above: built again, now stored
    assert builds.cached(4, "test:race")[1] is False
    assert builds.count == 2

    # A rebuild of an entry that showed the same movies stamps the generations
    # read before the build: the change during the build still stales it.
    movies_changed(movie_ids=[502], now=True)
    builds.during = lambda: movies_changed(movie_ids=[501], now=True)
    assert builds.cached(4, "test:race")[1] is True
    builds.during = None
    assert builds.cached(4, "test:race")[1] is True
    assert builds.cached(4, "test:race")[1] is False
    assert builds.count == 4


def test_it_serves_nothing_while_redis_is_down_even_after_a_movie_change(
    monkeypatch, django_capture_on_commit_callbacks
):
    builds = Builds([601])
    builds.cached(5, "test:down")
    # As after a failed call: the per-process fallback answers for a while.
    monkeypatch.setattr(caches["default"], "_down_until", time.monotonic() + 60)
    assert caches["default"].is_degraded
    # The bump lands in this process's fallback only; other processes cannot see
    # it, so nothing is served from (or stored in) the cache meanwhile.
    with django_capture_on_commit_callbacks(execute=True):
        movies_changed(movie_ids=[601])
    builds.movie_ids = [601, 602]
    assert builds.cached(5, "test:down") == ((601, 602), True)
    assert builds.cached(5, "test:down") == ((601, 602), True)
    assert builds.count == 3
