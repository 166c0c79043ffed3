"""What the recommender does when the catalogue announces an event.

Connected in RecommenderConfig.ready(): the catalogue sends availability_changed
(catalog.signals) and imports nothing of this app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from catalog.signals import SNAPSHOT, availability_changed
from ottsite.lib.generations import catalog_changed, movies_changed
from recommender.services import watchlist_alerts_send


def on_availability_changed_alert(
    sender: Any,
    *,
    movie_ids: Sequence[int],
    before: Mapping[int, Mapping[int, str]],
    **kwargs: Any,
) -> None:
    """Saved titles that arrived on or left a user's services: watchlist alerts."""
    watchlist_alerts_send(movie_ids=movie_ids, before=before)


def on_availability_changed_expire(
    sender: Any, *, movie_ids: Sequence[int], source: str, **kwargs: Any
) -> None:
    """Cached result fragments, pages and payloads (with their advice) that show
    these titles are stale; a snapshot import may change any list, so all are."""
    if source == SNAPSHOT:
        catalog_changed()
    else:
        movies_changed(movie_ids=movie_ids)


def receivers_connect() -> None:
    availability_changed.connect(
        on_availability_changed_expire, dispatch_uid="recommender.caches_expire"
    )
    availability_changed.connect(
        on_availability_changed_alert, dispatch_uid="recommender.watchlist_alerts"
    )
