"""Generation counters in the cache: bumping one makes every cached payload built
under the old value unreachable (no key scans, no stale reads after a change).

- `catalog_changed()`: something every page may show changed (platforms, prices,
  admin edits, a snapshot import): every cached payload is stale.
- `movies_changed(movie_ids=...)`: the offers or checks of these movies changed:
  only payloads that recorded one of them as a dependency are stale.
- `user_changed(user_id=...)`: the user's feedback, profile or sets changed.
- `user_cached(...)`: a value cached for one user, valid while the catalogue's, the
  user's and each of its movies' generations are those it was built under.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction

from ottsite.lib.cache import counter_bump, counter_bump_many

CATALOG = "gen:catalog"
# Bumped by every movies_changed (first in its pipeline): a build that sees it
# unchanged knows no movie generation moved while it ran.
MOVIES = "gen:movies"


def _user_key(user_id: int) -> str:
    return f"gen:user:{user_id}"


def _movie_key(movie_id: int) -> str:
    return f"gen:movie:{movie_id}"


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


def movies_changed(*, movie_ids: Iterable[int], now: bool = False) -> None:
    """These movies' offers or checks changed: payloads that show them are stale."""
    ids = dict.fromkeys(int(m) for m in movie_ids)
    if not ids:
        return
    # MOVIES first: whoever reads a movie's new generation also reads a new MOVIES.
    keys = [MOVIES, *(_movie_key(m) for m in ids)]

    def bump() -> None:
        counter_bump_many(cache, keys)

    if now:
        bump()
    transaction.on_commit(bump)


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


def movie_generations(*, movie_ids: Sequence[int]) -> dict[int, int]:
    """Each movie's generation (0 before its first change), in one round trip."""
    values = cache.get_many([_movie_key(m) for m in movie_ids])
    return {m: values.get(_movie_key(m), 0) for m in movie_ids}


def user_cached(
    *,
    user_id: int,
    key: str,
    build: Callable[[], tuple[Any, int | None]],
    deps: Callable[[Any], Iterable[int]] | None = None,
) -> tuple[Any, bool]:
    """A value cached for one user until the catalogue, the user or a movie changes.

    `build()` returns (value, seconds to keep it, or None not to cache it);
    `deps(value)` the ids of the movies it shows. The value is stored stamped with
    the catalogue's and the user's generations and each movie's, all read *before*
    it was built, so a change committed meanwhile makes it unreachable. A movie
    the entry it replaces did not show has its generation read after the build,
    together with MOVIES: if MOVIES moved meanwhile (some movie changed, maybe
    this one) the value is not stored. A hit is one cache round trip, two with
    deps. While Redis is down (a per-process fallback cache, whose generations
    other processes cannot bump) nothing is served from or stored in the cache.
    Returns (value, built now).
    """
    use_cache = not getattr(cache, "is_degraded", False)
    values = cache.get_many([CATALOG, _user_key(user_id), MOVIES, key])
    stamp = (values.get(CATALOG, 0), values.get(_user_key(user_id), 0))
    movies_gen = values.get(MOVIES, 0)
    cached = values.get(key)
    known: dict[int, int] = {}  # movie generations read before the build
    if use_cache and isinstance(cached, tuple) and len(cached) == 5:
        ids, gens = cached[2], cached[3]
        known = movie_generations(movie_ids=ids) if ids else {}
        if cached[:2] == stamp and tuple(known[m] for m in ids) == gens:
            return cached[4], False
    value, timeout = build()
    if not (use_cache and timeout):
        return value, True
    ids = tuple(dict.fromkeys(int(m) for m in deps(value))) if deps else ()
    missing = [m for m in ids if m not in known]
    if missing:
        after = cache.get_many([MOVIES, *(_movie_key(m) for m in missing)])
        if after.get(MOVIES, 0) != movies_gen:
            return value, True  # a movie changed during the build: maybe one of these
        known.update({m: after.get(_movie_key(m), 0) for m in missing})
    cache.set(key, (*stamp, ids, tuple(known[m] for m in ids), value), timeout)
    return value, True
