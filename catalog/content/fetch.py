"""Fetching title content from Wikidata and storing it (TitleContent, WikidataLabel).

Items are found by the ids they record (TMDB film/series id, else IMDb id), a
MovieLens film no id finds by its English title and year (ml-100k has no ids), read
50 at a time, and the labels of the items they refer to are cached in WikidataLabel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.lookup import RateLimitedClient, RateLimiter
from catalog.models import Movie, TitleContent, WikidataLabel
from catalog.providers import wikidata
from catalog.providers.http import JsonClient, ProviderBadResponse, ProviderError
from catalog.search import search_index_clear
from catalog.titles import title_variants

from .selectors import (
    SYNCED_SOURCES,
    _label,
    content_due,
    content_is_enabled,
)

logger = logging.getLogger(__name__)

# Titles looked up together: enough for full 50-id reads, little lost to an outage.
CHUNK = 200
# Labels of genres, people and countries change seldom.
LABEL_REFRESH = timedelta(days=180)
CAST_LIMIT = 10
# fields key -> the property it lists.
ITEM_PROPERTIES = {
    "instance_of": "P31",
    "genres": "P136",
    "original_language": "P364",
    "countries": "P495",
    "directors": "P57",
    "cast": "P161",
    "screenwriters": "P58",
    "series": "P179",
    "based_on": "P144",
}
PUBLICATION_DATE, START_TIME, DURATION = "P577", "P580", "P2047"


Progress = Callable[..., Iterator]


class ContentNotConfigured(Exception):
    """WIKIDATA_ENABLED is off: nothing is fetched."""


@dataclass
class ContentSummary:
    found: int = 0
    not_found: int = 0
    errors: int = 0
    fresh: int = 0  # asked for, but their content is recent enough
    requests: int = 0
    seconds: float = 0.0
    error_messages: list[str] = field(default_factory=list)

    def error(self, message: str, titles: int) -> None:
        self.errors += titles
        if len(self.error_messages) < 10:
            self.error_messages.append(message)

    def counts(self) -> str:
        return (
            f"{self.found:,} found, {self.not_found:,} not found, "
            f"{self.errors:,} errors ({self.requests:,} requests)"
        )

    def line(self) -> str:
        return (
            f"Content from Wikidata: {self.found:,} found, {self.not_found:,} not "
            f"found, {self.errors:,} errors, {self.fresh:,} already fresh; "
            f"{self.requests:,} requests in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class _Title:
    pk: int
    kind: str
    tmdb_id: int | None
    imdb_id: str
    source: str = ""
    title: str = ""
    year: int | None = None

    @property
    def by_name(self) -> list[tuple[str, int]]:
        """(name, year) to search a MovieLens film by when no id finds it: the main
        title, then its last alternate (a foreign film's English title)."""
        if self.source in SYNCED_SOURCES or not self.year:
            return []
        names = title_variants(self.title)
        return [(name, self.year) for name in dict.fromkeys([names[0], names[-1]])]

    @property
    def tmdb_key(self) -> tuple[str, str] | None:
        if self.tmdb_id is None:
            return None
        prop = (
            wikidata.PROP_TMDB_TV
            if self.kind == Movie.Kind.SERIES
            else wikidata.PROP_TMDB_MOVIE
        )
        return (prop, str(self.tmdb_id))

    @property
    def imdb_key(self) -> tuple[str, str] | None:
        return (wikidata.PROP_IMDB, self.imdb_id) if self.imdb_id else None


class _CountingClient(RateLimitedClient):
    def __init__(self, client: JsonClient, limiter: RateLimiter) -> None:
        super().__init__(client, limiter)
        self.requests = 0

    def get_json(self, path: str, *, params=None):  # type: ignore[override]
        self.requests += 1
        return super().get_json(path, params=params)


def content_fetch(
    *,
    movie_ids: Iterable[int],
    client: JsonClient | None = None,
    progress: Progress | None = None,
) -> ContentSummary:
    """Fetch Wikidata content for those of the titles that are due (none yet, an
    error, or older than CONTENT_REFRESH_DAYS); an outage stops the run and marks
    the titles in hand as errors (the next run retries them). Never raises a
    provider error."""
    started = time.perf_counter()
    if client is None:
        if not content_is_enabled():
            raise ContentNotConfigured("WIKIDATA_ENABLED is off: no content fetched.")
        client = wikidata.wikidata_client()
    asked = set(movie_ids)
    due = list(content_due(movie_ids=asked)) if asked else []
    summary = ContentSummary(fresh=len(asked) - len(due))
    if not due:
        return summary
    counted = _CountingClient(
        client, RateLimiter(settings.WIKIDATA_REQUESTS_PER_SECOND)
    )
    titles = [
        _Title(*row[:3], row[3] or "", *row[4:])
        for row in Movie.objects.filter(pk__in=due)
        .order_by("pk")
        .values_list("pk", "kind", "tmdb_id", "imdb_id", "source", "title", "year")
    ]
    bar = (
        progress(total=len(titles), unit="title", desc="content") if progress else None
    )
    try:
        for start in range(0, len(titles), CHUNK):
            chunk = titles[start : start + CHUNK]
            try:
                rows = _chunk_fetch(counted, chunk)
            except ProviderError as exc:
                logger.warning("Wikidata content fetch failed: %s", exc)
                _errors_store(chunk, str(exc))
                summary.error(f"Wikidata: {exc}"[:300], len(chunk))
                if isinstance(exc, ProviderBadResponse):
                    continue  # an answer we could not read: the next chunk may do
                break  # an outage: the next run retries these and the rest
            _rows_store(rows)
            for row in rows:
                if row.status == TitleContent.Status.FOUND:
                    summary.found += 1
                else:
                    summary.not_found += 1
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if summary.found:
            search_index_clear()  # the search reads the Korean labels
        if bar is not None:
            bar.close()
        summary.requests = counted.requests
        summary.seconds = time.perf_counter() - started
    return summary


def content_fetch_after_sync(*, movie_ids: Iterable[int]) -> ContentSummary | None:
    """Content for the titles a catalogue sync changed and the synced titles that
    are due; None when Wikidata is off. An outage only counts as errors."""
    if not content_is_enabled():
        return None
    synced_due = content_due().filter(source__in=SYNCED_SOURCES)
    return content_fetch(movie_ids={*movie_ids, *synced_due})


def _chunk_fetch(client: JsonClient, titles: list[_Title]) -> list[TitleContent]:
    """TitleContent rows (unsaved) for a chunk of titles."""
    by_tmdb = wikidata.items_by_ids(
        client,
        tmdb_movie_ids=[t.tmdb_id for t in titles if t.tmdb_key and t.kind == "film"],
        tmdb_tv_ids=[t.tmdb_id for t in titles if t.tmdb_key and t.kind == "series"],
    )
    # IMDb ids only for the titles their TMDB id did not find: one search less.
    by_imdb = wikidata.items_by_ids(
        client,
        imdb_ids=[
            t.imdb_id for t in titles if t.imdb_key and t.tmdb_key not in by_tmdb
        ],
    )
    found = {**by_tmdb, **by_imdb}
    entity_of = {
        t.pk: found.get(t.tmdb_key) or found.get(t.imdb_key)  # type: ignore[arg-type]
        for t in titles
    }
    entity_of |= _by_name(client, [t for t in titles if entity_of[t.pk] is None])
    refs = {
        qid
        for entity in entity_of.values()
        if entity is not None
        for prop in ITEM_PROPERTIES.values()
        for qid in entity.items(prop)
    }
    labels = _labels(client, refs)
    now = timezone.now()
    return [
        _row(title, entity_of[title.pk], labels, now)
        if entity_of[title.pk] is not None
        else _not_found(title, now)
        for title in titles
    ]


def _by_name(client: JsonClient, titles: list[_Title]) -> dict[int, wikidata.Entity]:
    """MovieLens films no id found, by their main title and year, then the others
    by their last alternate title."""
    out: dict[int, wikidata.Entity] = {}
    for attempt in (0, 1):
        asked = {
            t.pk: t.by_name[attempt]
            for t in titles
            if t.pk not in out and len(t.by_name) > attempt
        }
        found = wikidata.items_by_title(client, titles=asked.values())
        out |= {pk: found[key] for pk, key in asked.items() if key in found}
    return out


def _row(
    title: _Title,
    entity: wikidata.Entity,
    labels: dict[str, tuple[str, str]],
    now: datetime,
) -> TitleContent:
    fields: dict = {}
    item_ids: dict = {}
    for key, prop in ITEM_PROPERTIES.items():
        qids = list(dict.fromkeys(entity.items(prop)))
        if key == "cast":
            qids = qids[:CAST_LIMIT]
        item_ids[key] = qids
        names = [_label(labels.get(q), "en") for q in qids]
        fields[key] = [name for name in names if name]
    fields["date"] = _date(entity, series=title.kind == Movie.Kind.SERIES)
    minutes = [
        round(q.amount)
        for q in entity.quantities(DURATION)
        if q.unit == wikidata.MINUTE
    ]
    fields["duration"] = minutes[0] if minutes else None
    return TitleContent(
        movie_id=title.pk,
        source=TitleContent.SOURCE_WIKIDATA,
        wikidata_id=entity.id,
        label_ko=entity.label("ko")[:300],
        label_en=entity.label("en")[:300],
        fields=fields,
        item_ids=item_ids,
        status=TitleContent.Status.FOUND,
        message="",
        fetched_at=now,
    )


def _date(entity: wikidata.Entity, *, series: bool) -> str:
    """The earliest publication date (a series: its start time first)."""
    order = (START_TIME, PUBLICATION_DATE) if series else (PUBLICATION_DATE, START_TIME)
    for prop in order:
        dates = sorted(d for d in (t.iso() for t in entity.times(prop)) if d)
        if dates:
            return dates[0]
    return ""


def _not_found(title: _Title, now: datetime) -> TitleContent:
    ids = []
    if title.tmdb_id is not None:
        kind = "series" if title.kind == Movie.Kind.SERIES else "film"
        ids.append(f"TMDB {kind} {title.tmdb_id}")
    if title.imdb_id:
        ids.append(f"IMDb {title.imdb_id}")
    missing = [f"no item recording {' or '.join(ids)}"] if ids else []
    if title.by_name:
        names = " or ".join(f"'{name}'" for name, _year in title.by_name)
        missing.append(f"no film titled {names} from {title.year}")
    message = (
        f"Wikidata has {' and '.join(missing)}"
        if missing
        else "No TMDB or IMDb id or year to look it up by"
    )
    return TitleContent(
        movie_id=title.pk,
        source=TitleContent.SOURCE_WIKIDATA,
        status=TitleContent.Status.NOT_FOUND,
        message=message[:300],
        fetched_at=now,
    )


def _labels(client: JsonClient, qids: set[str]) -> dict[str, tuple[str, str]]:
    """qid -> (Korean, English) label, from the cache or one wbgetentities per 50."""
    fresh_since = timezone.now() - LABEL_REFRESH
    known = {
        qid: (ko, en)
        for qid, ko, en in WikidataLabel.objects.filter(
            qid__in=qids, fetched_at__gte=fresh_since
        ).values_list("qid", "label_ko", "label_en")
    }
    missing = sorted(qids - set(known))
    if not missing:
        return known
    fetched = wikidata.entities(client, missing, props=("labels",))
    now = timezone.now()
    rows = []
    for qid in missing:
        entity = fetched.get(qid)
        # A deleted item is cached with no labels, so it is not asked for again.
        ko = entity.label("ko")[:300] if entity else ""
        en = entity.label("en")[:300] if entity else ""
        known[qid] = (ko, en)
        rows.append(WikidataLabel(qid=qid, label_ko=ko, label_en=en, fetched_at=now))
    WikidataLabel.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["qid"],
        update_fields=["label_ko", "label_en", "fetched_at"],
    )
    return known


def _rows_store(rows: list[TitleContent]) -> None:
    with transaction.atomic():
        TitleContent.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["movie"],
            update_fields=[
                "source", "wikidata_id", "label_ko", "label_en", "fields",
                "item_ids", "status", "message", "fetched_at",
            ],
        )  # fmt: skip


def _errors_store(titles: list[_Title], message: str) -> None:
    """Mark the titles as failed; content they already had is kept."""
    now = timezone.now()
    with transaction.atomic():
        TitleContent.objects.filter(movie_id__in=[t.pk for t in titles]).update(
            status=TitleContent.Status.ERROR, message=message[:300], fetched_at=now
        )
        TitleContent.objects.bulk_create(
            [
                TitleContent(
                    movie_id=t.pk,
                    status=TitleContent.Status.ERROR,
                    message=message[:300],
                    fetched_at=now,
                )
                for t in titles
            ],
            ignore_conflicts=True,
        )
