"""Korean release titles from KOBIS (the Korean Film Council), the second source
after Wikidata, for films no source names in Korean yet.

Asked only when KOBIS_API_KEY is set, by `manage.py fetch_content`, for films with
no Korean title from TMDB and no Korean label from Wikidata: one search per film
by its English title, taken only when KOBIS's English title is the film's (or its
part before a colon) and the production year is within a year (a film without
one: released in Korea within five years). Stored in KobisTitle, one more name
search reads; TMDB's Korean title and Wikidata's label are never replaced.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from catalog.content import content_refresh
from catalog.hangul import has_hangul
from catalog.lookup import RateLimitedClient, RateLimiter
from catalog.models import KobisTitle, Movie
from catalog.providers import kobis
from catalog.providers.http import JsonClient, ProviderBadResponse, ProviderError
from catalog.providers.wikidata import title_key
from catalog.search import search_index_clear
from catalog.titles import title_variants

logger = logging.getLogger(__name__)

REQUESTS_PER_SECOND = 5.0
# A film KOBIS gives no production year may have come to Korea years later.
OPENED_WITHIN_YEARS = 5


class KobisNotConfigured(Exception):
    """KOBIS_API_KEY is empty: KOBIS is not asked."""


@dataclass
class KobisSummary:
    found: int = 0
    not_found: int = 0
    errors: int = 0
    requests: int = 0
    seconds: float = 0.0
    error_messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"Korean titles from KOBIS: {self.found:,} found, {self.not_found:,} not "
            f"found, {self.errors:,} errors; {self.requests:,} requests in "
            f"{self.seconds:.1f} s"
        )


def kobis_due(*, movie_ids: Iterable[int]) -> list[tuple[int, str, int]]:
    """(id, title, year) of the films among `movie_ids` with no Korean name from
    any source whose KOBIS look-up is missing, failed or older than
    CONTENT_REFRESH_DAYS."""
    stale = timezone.now() - content_refresh()
    return list(
        Movie.objects.filter(
            pk__in=list(movie_ids),
            kind=Movie.Kind.FILM,
            title_ko="",
            year__isnull=False,
        )
        .filter(Q(content__isnull=True) | Q(content__label_ko=""))
        .filter(
            Q(kobis__isnull=True)
            | Q(kobis__status=KobisTitle.Status.ERROR)
            | Q(kobis__fetched_at__lt=stale)
        )
        .order_by("pk")
        .values_list("pk", "title", "year")
    )


def kobis_titles_fetch(
    *,
    movie_ids: Iterable[int],
    limit: int | None = None,
    client: JsonClient | None = None,
) -> KobisSummary:
    """Ask KOBIS for the Korean titles of the due films (kobis_due, at most
    `limit`); a refused key or an outage stops the run and marks that film as an
    error (the next run retries it and the rest). Never raises a provider error."""
    started = time.perf_counter()
    if client is None:
        if not kobis.kobis_is_enabled():
            raise KobisNotConfigured("KOBIS_API_KEY is empty: KOBIS not asked.")
        client = kobis.kobis_client()
    limited = RateLimitedClient(client, RateLimiter(REQUESTS_PER_SECOND))
    summary = KobisSummary()
    try:
        for pk, title, year in kobis_due(movie_ids=movie_ids)[:limit]:
            name = title_variants(title)[0]
            summary.requests += 1
            try:
                rows = kobis.search_movies(limited, name=name)
            except ProviderError as exc:
                logger.warning("KOBIS search failed: %s", exc)
                _store(pk, status=KobisTitle.Status.ERROR, message=str(exc))
                summary.errors += 1
                summary.error_messages.append(str(exc)[:300])
                if isinstance(exc, ProviderBadResponse):
                    continue  # an answer we could not read: the next may do
                break
            match = kobis_match(rows, title=title, year=year)
            if match is None:
                _store(
                    pk,
                    status=KobisTitle.Status.NOT_FOUND,
                    message=f"KOBIS has no film '{name}' from {year}",
                )
                summary.not_found += 1
                continue
            _store(
                pk,
                status=KobisTitle.Status.FOUND,
                movie_cd=match.movie_cd[:16],
                title_ko=match.title_ko[:300],
                title_en=match.title_en[:300],
            )
            summary.found += 1
    finally:
        if summary.found:
            search_index_clear()  # the search reads the Korean titles
        summary.seconds = time.perf_counter() - started
    return summary


def kobis_match(
    rows: list[kobis.KobisMovie], *, title: str, year: int
) -> kobis.KobisMovie | None:
    """The film among KOBIS's answers that is this one: the same English title
    (or its part before a colon), a Korean title, a year that fits; the exact
    production year first, then a feature, then KOBIS's oldest code."""
    names = {title_key(name) for name in title_variants(title)}
    fits = [
        row
        for row in rows
        if has_hangul(row.title_ko)
        and {title_key(row.title_en), title_key(row.title_en.split(":")[0])} & names
        and _year_fits(row, year)
    ]
    fits.sort(
        key=lambda r: (r.production_year != year, r.type_name != "장편", r.movie_cd)
    )
    return fits[0] if fits else None


def _year_fits(row: kobis.KobisMovie, year: int) -> bool:
    if row.production_year is not None:
        return abs(row.production_year - year) <= 1
    opened = row.open_year
    return opened is not None and year - 1 <= opened <= year + OPENED_WITHIN_YEARS


def _store(pk: int, **values: str) -> None:
    values["message"] = values.get("message", "")[:300]
    KobisTitle.objects.update_or_create(
        movie_id=pk, defaults={**values, "fetched_at": timezone.now()}
    )
