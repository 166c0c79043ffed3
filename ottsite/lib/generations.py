"""Generation counters in the cache: bumping one makes every cached payload built
under the old value unreachable (no key scans, no stale reads after a change)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from ottsite.lib.cache import counter_bump

CATALOG = "gen:catalog"


def _user_key(user_id: int) -> str:
    return f"gen:user:{user_id}"


def _bump(key: str, *, now: bool = False) -> None:
    # On commit: a reader between the write and the commit must not cache old data
    # under the new generation. `now` bumps before the commit as well, for a change
    # a reader must see at once (the commit's bump then covers that window).
    def bump() -> None:
        counter_bump(cache, key)

    if now:
        bump()
    transaction.on_commit(bump)


def catalog_changed() -> None:
    """Availability or platforms changed: cached recommendation payloads are stale."""
    _bump(CATALOG)


def user_changed(*, user_id: int, now: bool = False) -> None:
    """The user's feedback, profile or sets changed: their cached payloads are stale."""
    _bump(_user_key(user_id), now=now)


def generations(*, user_id: int) -> tuple[int, int]:
    """(catalogue generation, user generation) for a cache key."""
    return generations_with(user_id=user_id, key=None)[:2]


def generations_with(*, user_id: int, key: str | None) -> tuple[int, int, Any]:
    """The two generations and the value cached under `key`, in one round trip."""
    keys = [CATALOG, _user_key(user_id)] + ([key] if key else [])
    values = cache.get_many(keys)
    return (
        values.get(CATALOG, 0),
        values.get(_user_key(user_id), 0),
        values.get(key) if key else None,
    )


def user_cached(
    *, user_id: int, key: str, build: Callable[[], tuple[Any, int | None]]
) -> tuple[Any, bool]:
    """A value cached for one user until the catalogue or the user changes.

    `build()` returns (value, seconds to keep it, or None not to cache it). The
    value is stored stamped with both generations read *before* it was built, so
    a change committed meanwhile makes it unreachable. A hit is one cache round
    trip. While Redis is down (a per-process fallback cache, whose generations
    other processes cannot bump) nothing is served from or stored in the cache.
    Returns (value, built now).
    """
    use_cache = not getattr(cache, "is_degraded", False)
    catalog_gen, user_gen, cached = generations_with(user_id=user_id, key=key)
    if use_cache and cached is not None and cached[:2] == (catalog_gen, user_gen):
        return cached[2], False
    value, timeout = build()
    if use_cache and timeout:
        cache.set(key, (catalog_gen, user_gen, value), timeout)
    return value, True
