"""The catalogue's one event for other apps: a title's availability changed.

Every writer of Availability (snapshot import, live look-ups and refreshes, the TMDB
sync and its prune, admin edits) announces its writes with `availability_changed`,
once per batch and only after the transaction commits. Apps that react (watchlist
alerts, cached pages and payloads) connect a receiver in their AppConfig.ready(),
so the catalogue imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal

from catalog.models import Availability

# Who wrote a batch (the `source` of the signal); a refresh outside a look-up
# names its provider (Availability.Source.TMDB or CSE).
SNAPSHOT = "snapshot"
LOOKUP = "lookup"
SYNC = "sync"
ADMIN = "admin"

availability_changed = Signal()
"""Sent with sender=Availability once per committed batch of Availability writes.

Keyword arguments:
- movie_ids: list[int], sorted: the titles whose offers were added, changed or removed.
- region: str | None: the one region the batch wrote, None for several.
- source: str: the writer (SNAPSHOT, LOOKUP, SYNC, ADMIN, or a provider).
- before: dict[int, dict[int, str]]: per title in movie_ids, the platforms it was
  included on before the batch (platform id -> region, as `movies_included_offers`
  says); receivers read the state after with `movies_included_offers` themselves.

Sent by transaction.on_commit: receivers see committed rows only, and a rolled-back
write announces nothing.
"""

Offers = dict[int, str]


def movies_included_offers(*, movie_ids: Iterable[int]) -> dict[int, Offers]:
    """Per movie, platform id -> region of the active platforms that include it now."""
    ids = list(dict.fromkeys(int(m) for m in movie_ids))
    offers: dict[int, Offers] = {m: {} for m in ids}
    rows = Availability.objects.filter(
        movie_id__in=ids,
        offer_type__in=Availability.INCLUDED_OFFER_TYPES,
        platform__is_active=True,
    ).values_list("movie_id", "platform_id", "region")
    for movie_id, platform_id, region in rows:
        offers[movie_id][platform_id] = region
    return offers


@dataclass
class _Batch:
    source: str
    region: str | None = None
    movie_ids: set[int] = field(default_factory=set)
    regions: set[str | None] = field(default_factory=set)
    before: dict[int, Offers] = field(default_factory=dict)

    def add(
        self, movie_ids: Iterable[int], before: Mapping[int, Offers], region: str | None
    ) -> None:
        for movie_id in movie_ids:
            self.movie_ids.add(movie_id)
            # The first write's "before" is the batch's: later writes start from it.
            self.before.setdefault(movie_id, dict(before.get(movie_id, {})))
        self.regions.add(region)

    def send(self) -> None:
        if not self.movie_ids:
            return
        region = self.region
        if region is None and len(self.regions) == 1:
            region = next(iter(self.regions))
        ids = sorted(self.movie_ids)
        availability_changed.send(
            sender=Availability,
            movie_ids=ids,
            region=region,
            source=self.source,
            before={m: self.before[m] for m in ids},
        )


_current: ContextVar[_Batch | None] = ContextVar("availability_batch", default=None)


@contextmanager
def availability_batch(*, source: str, region: str | None = None) -> Iterator[None]:
    """The writes inside announce themselves as one signal (an outer batch wins)."""
    if _current.get() is not None:
        yield
        return
    batch = _Batch(source=source, region=region)
    token = _current.set(batch)
    try:
        yield
    finally:
        _current.reset(token)
        # After the writes' own on_commit records (callbacks run in order); at once
        # outside a transaction, with what did commit even if the batch then failed.
        transaction.on_commit(batch.send)


def availability_changed_record(
    *,
    movie_ids: Iterable[int],
    before: Mapping[int, Offers],
    source: str,
    region: str | None = None,
) -> None:
    """Announce a write to these titles' offers: with the current batch, else alone."""
    ids = sorted({int(m) for m in movie_ids})
    if not ids:
        return
    batch = _current.get()
    alone = batch is None
    if batch is None:
        batch = _Batch(source=source)
    before = {m: dict(before.get(m, {})) for m in ids}
    # Recorded on commit: a write rolled back never reaches the batch.
    transaction.on_commit(lambda: batch.add(ids, before, region))
    if alone:
        transaction.on_commit(batch.send)
