"""Generation counters in the cache: bumping one makes every cached payload built
under the old value unreachable (no key scans, no stale reads after a change)."""

from __future__ import annotations

import contextlib

from django.core.cache import cache
from django.db import transaction

CATALOG = "gen:catalog"


def _user_key(user_id: int) -> str:
    return f"gen:user:{user_id}"


def _bump(key: str) -> None:
    # On commit: a reader between the write and the commit must not cache old data
    # under the new generation.
    def bump() -> None:
        cache.add(key, 0, None)
        with contextlib.suppress(ValueError):
            cache.incr(key)

    transaction.on_commit(bump)


def catalog_changed() -> None:
    """Availability or platforms changed: cached recommendation payloads are stale."""
    _bump(CATALOG)


def user_changed(*, user_id: int) -> None:
    """The user's feedback or profile changed: their cached payloads are stale."""
    _bump(_user_key(user_id))


def generations(*, user_id: int) -> tuple[int, int]:
    """(catalogue generation, user generation) for a cache key."""
    values = cache.get_many([CATALOG, _user_key(user_id)])
    return values.get(CATALOG, 0), values.get(_user_key(user_id), 0)
