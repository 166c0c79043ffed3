"""Reading title content: which titles are due, and each title's stored content."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models import Movie, TitleContent, WikidataLabel

SYNCED_SOURCES = (Movie.SOURCE_TMDB_MOVIE, Movie.SOURCE_TMDB_TV)
NO_CONTENT = "No content yet for this title"


def content_is_enabled() -> bool:
    return bool(settings.WIKIDATA_ENABLED)


def content_refresh() -> timedelta:
    return timedelta(days=settings.CONTENT_REFRESH_DAYS)


def content_due(
    *, movie_ids: Iterable[int] | None = None, stale_only: bool = False
) -> QuerySet:
    """Titles whose content is missing, failed or older than CONTENT_REFRESH_DAYS
    (with `stale_only`, not the ones never fetched), as a queryset of ids."""
    stale = Q(content__fetched_at__lt=timezone.now() - content_refresh()) | Q(
        content__status=TitleContent.Status.ERROR
    )
    due = stale if stale_only else stale | Q(content__isnull=True)
    movies = Movie.objects.filter(due)
    if movie_ids is not None:
        movies = movies.filter(pk__in=list(movie_ids))
    return movies.order_by("pk").values_list("pk", flat=True)


def content_candidates(*, include_movielens: bool) -> Q:
    """Which titles a fetch covers: synced ones, or every title (MovieLens films
    without ids are looked up by title and year)."""
    if include_movielens:
        return Q()
    return Q(source__in=SYNCED_SOURCES)


def _label(labels: tuple[str, str] | None, language: str) -> str:
    if labels is None:
        return ""
    ko, en = labels
    return (en or ko) if language == "en" else (ko or en)


def content_for(movie_ids: Iterable[int], *, language: str = "en") -> dict[int, dict]:
    """Each title's content: status (found / not_found / error / none), ids, labels
    and fields, with the items' labels in `language` ("ko" or "en") where known."""
    ids = list(dict.fromkeys(movie_ids))
    rows = {row.movie_id: row for row in TitleContent.objects.filter(movie_id__in=ids)}
    relabel: dict[str, tuple[str, str]] = {}
    if language != "en":
        qids = {
            qid
            for row in rows.values()
            for qids in row.item_ids.values()
            for qid in qids
        }
        relabel = {
            qid: (ko, en)
            for qid, ko, en in WikidataLabel.objects.filter(qid__in=qids).values_list(
                "qid", "label_ko", "label_en"
            )
        }
    out: dict[int, dict] = {}
    for movie_id in ids:
        row = rows.get(movie_id)
        if row is None:
            out[movie_id] = {"status": "none", "message": NO_CONTENT, "fields": {}}
            continue
        fields = dict(row.fields)
        if relabel:
            for key, qids in row.item_ids.items():
                names = [_label(relabel.get(q), language) for q in qids]
                fields[key] = [name for name in names if name]
        out[movie_id] = {
            "status": row.status,
            "message": row.message,
            "source": row.source,
            "wikidata_id": row.wikidata_id,
            "label_ko": row.label_ko,
            "label_en": row.label_en,
            "fields": fields,
            "item_ids": row.item_ids,
            "fetched_at": row.fetched_at,
        }
    return out
