"""Details in Korean and English for titles new, changed at TMDB or grown old."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from catalog.models import Availability, CatalogSync, Movie
from catalog.providers import tmdb
from catalog.providers.http import ProviderBadResponse, ProviderNotFound
from catalog.sync.base import (
    CHANGES_WINDOW,
    DETAILS_BATCH,
    DETAILS_REFRESH,
    KIND_OF_MEDIA,
    OVERVIEW_CHARS,
    SOURCE_OF_MEDIA,
    SyncRunBase,
)


class DetailsMixin(SyncRunBase):
    def details_all(self) -> None:
        due = self._details_due()
        bar = self._bar(total=len(due), unit="title", desc="details")
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for start in range(0, len(due), DETAILS_BATCH):
                batch = due[start : start + DETAILS_BATCH]
                answers = list(pool.map(self._details_fetch, batch))
                self._details_store(batch, answers)
                self._save_progress()
                if bar is not None:
                    bar.update(len(batch))
        if bar is not None:
            bar.close()

    def _details_due(self) -> list[tuple[int, str, int, bool]]:
        """(movie id, media, TMDB id, is a MovieLens entry) of the titles to fetch."""
        due: list[tuple[int, str, int, bool]] = []
        for media in self.media:
            changed = self._changed_at_tmdb(media)
            movies = (
                Movie.objects.filter(
                    kind=KIND_OF_MEDIA[media],
                    tmdb_id__isnull=False,
                    availabilities__region=self.run.region,
                    availabilities__source=Availability.Source.TMDB,
                    availabilities__last_checked__gte=self.run.started_at,
                )
                .distinct()
                .values_list("pk", "tmdb_id", "source", "details_fetched_at")
            )
            stale = self.run.started_at - DETAILS_REFRESH
            for pk, tmdb_id, source, fetched in movies:
                if fetched is not None and fetched >= self.run.started_at:
                    continue  # done earlier in this (resumed) run
                if fetched is None or fetched < stale or tmdb_id in changed:
                    due.append(
                        (pk, media, tmdb_id, source not in SOURCE_OF_MEDIA.values())
                    )
        return sorted(due)

    def _changed_at_tmdb(self, media: str) -> set[int]:
        """TMDB ids whose details changed since the last finished run (cached in
        the cursor so a resumed run does not ask again)."""
        key = f"changes:{media}"
        if key in self.run.cursor:
            return set(self.run.cursor[key])
        last = (
            CatalogSync.objects.filter(
                region=self.run.region, status=CatalogSync.Status.DONE
            )
            .order_by("-started_at")
            .first()
        )
        ids: set[int] = set()
        if last is not None:
            today = self.run.started_at.date()
            start = max(last.started_at.date(), today - CHANGES_WINDOW)
            ids = tmdb.changed_ids(
                self.client,
                media=media,
                start_date=start.isoformat(),
                end_date=today.isoformat(),
            )
        self.run.cursor[key] = sorted(ids)
        self._save_progress()
        return ids

    def _details_fetch(
        self, entry: tuple[int, str, int, bool]
    ) -> tuple[tmdb.TitleDetails, tmdb.TitleDetails] | str:
        """Korean and English details of one title, or the error's text."""
        _, media, tmdb_id, _ = entry
        try:
            ko = tmdb.title_details(
                self.client, media=media, tmdb_id=tmdb_id, language="ko-KR"
            )
            en = tmdb.title_details(
                self.client,
                media=media,
                tmdb_id=tmdb_id,
                language="en-US",
                extras=False,
            )
        except (ProviderNotFound, ProviderBadResponse) as exc:
            return f"{media} {tmdb_id}: {exc}"
        return ko, en

    def _details_store(
        self,
        batch: list[tuple[int, str, int, bool]],
        answers: list[tuple[tmdb.TitleDetails, tmdb.TitleDetails] | str],
    ) -> None:
        movies = Movie.objects.in_bulk([pk for pk, *_ in batch])
        now = timezone.now()
        fields = {
            "title_ko", "overview_ko", "overview_en", "original_title",
            "original_language", "origin_countries", "tmdb_genres", "keywords",
            "runtime", "seasons", "poster_path", "details_fetched_at",
        }  # fmt: skip
        updated: list[Movie] = []
        for (pk, _media, _tmdb_id, is_movielens), answer in zip(
            batch, answers, strict=True
        ):
            movie = movies.get(pk)
            if movie is None:
                continue
            if isinstance(answer, str):
                self.summary.error(answer)
                continue
            ko, en = answer
            _details_apply(movie, ko=ko, en=en, is_movielens=is_movielens)
            movie.details_fetched_at = now
            if not is_movielens:
                fields |= {"title", "year", "release_date"}
            if movie.imdb_id:
                fields.add("imdb_id")
            updated.append(movie)
            self.changed.add(pk)
        if updated:
            with transaction.atomic():
                Movie.objects.bulk_update(updated, sorted(fields))
            self.summary.updated += sum(
                1 for m in updated if m.pk not in self._new_this_run()
            )
            self.titles_changed = True

    def _new_this_run(self) -> set[int]:
        if self._new_ids is None:
            self._new_ids = set(
                Movie.objects.filter(
                    source__in=SOURCE_OF_MEDIA.values(),
                    created_at__gte=self.run.started_at,
                ).values_list("pk", flat=True)
            )
        return self._new_ids


def _details_apply(
    movie: Movie, *, ko: tmdb.TitleDetails, en: tmdb.TitleDetails, is_movielens: bool
) -> None:
    """Copy details onto the entry; a MovieLens film keeps its own title and year."""
    title_ko = ko.title if _has_hangul(ko.title) else ""
    if title_ko or not is_movielens:
        movie.title_ko = title_ko[:300]
    overview_ko = ko.overview if _has_hangul(ko.overview) else ""
    movie.overview_ko = _clip(overview_ko)
    movie.overview_en = _clip(en.overview)
    movie.original_title = (en.original_title or ko.original_title)[:300]
    movie.original_language = en.original_language or ko.original_language
    movie.origin_countries = en.origin_countries or ko.origin_countries
    movie.tmdb_genres = en.genres
    movie.keywords = ko.keywords[:30]
    movie.runtime = en.runtime or ko.runtime
    movie.seasons = en.seasons if en.seasons is not None else ko.seasons
    movie.poster_path = (ko.poster_path or en.poster_path)[:200]
    if not movie.imdb_id and ko.imdb_id:
        movie.imdb_id = ko.imdb_id[:16]
    if not is_movielens:
        movie.title = (en.title or en.original_title or movie.title)[:300]
        movie.year = en.year or ko.year or movie.year
        movie.release_date = date_or_none(en.date or ko.date) or movie.release_date


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _clip(text: str) -> str:
    if len(text) <= OVERVIEW_CHARS:
        return text
    return text[: OVERVIEW_CHARS - 1].rstrip() + "…"


def date_or_none(value: str) -> date | None:
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
