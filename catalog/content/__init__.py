"""Title content from Wikidata (CC0): what a title is, its genres, languages,
countries, date, people, series and source work, and its Korean and English labels.

TMDB stays the source of availability and display facts; its terms forbid feeding
its data to a model, so the recommender's content comes from here. Items are found
by the ids they record (TMDB film/series id, else IMDb id), a MovieLens film no id
finds by its English title and year (ml-100k has no ids), read 50 at a time, and
the labels of the items they refer to are cached in WikidataLabel. The Korean
label is one of the names search finds a title by. Content is kept
CONTENT_REFRESH_DAYS, fetched for the titles a catalogue sync changed (and synced
titles that are due), and by `manage.py fetch_content`.

`fetch` asks Wikidata and stores the rows, `selectors` reads them; the names are
re-exported here.
"""

from __future__ import annotations

from .fetch import (
    ContentNotConfigured,
    ContentSummary,
    content_fetch,
    content_fetch_after_sync,
)
from .selectors import (
    NO_CONTENT,
    SYNCED_SOURCES,
    content_candidates,
    content_due,
    content_for,
    content_is_enabled,
    content_refresh,
)

__all__ = [
    "NO_CONTENT",
    "SYNCED_SOURCES",
    "ContentNotConfigured",
    "ContentSummary",
    "content_candidates",
    "content_due",
    "content_fetch",
    "content_fetch_after_sync",
    "content_for",
    "content_is_enabled",
    "content_refresh",
]
