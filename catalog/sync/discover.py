"""Discover lists: which titles each service carries, stored as entries and offers.

A listed title becomes the catalogue entry it already is (by kind and TMDB id), the
MovieLens film it is (title and year, TMDB id from MovieLens links when present) or
a new entry; its offers are upserted with source and date (admin rows untouched).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from catalog.matching import MatchStatus, TitleMatcher
from catalog.models import Availability, Movie, Platform
from catalog.providers import tmdb
from catalog.sync.base import (
    KIND_OF_MEDIA,
    MAX_PAGES,
    OFFER_OF_MONETIZATION,
    SOURCE_OF_MEDIA,
    SyncRunBase,
)
from catalog.sync.details import date_or_none


class DiscoverMixin(SyncRunBase):
    def discover_all(self) -> None:
        lists = self._lists()
        bar = self._bar(total=len(lists), unit="list", desc="discover")
        for media, platform, monetization in lists:
            key = self._key(media, platform, monetization)
            state = self.run.cursor.get(key) or {"page": 0, "done": False}
            page = int(state["page"]) + 1
            while not state["done"]:
                result = tmdb.discover(
                    self.client,
                    media=media,
                    region=self.run.region,
                    provider_id=platform.tmdb_provider_id,
                    monetization=monetization,
                    page=page,
                )
                self._page_store(media, platform, monetization, result.rows)
                last = page >= result.total_pages or not result.rows
                state = {
                    "page": page,
                    "done": last
                    or page >= MAX_PAGES
                    or (self.pages is not None and page >= self.pages),
                    "complete": last,
                }
                self.run.cursor[key] = state
                self._save_progress()
                page += 1
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()

    def lists_complete(self) -> bool:
        return all(
            (self.run.cursor.get(self._key(*entry)) or {}).get("complete")
            for entry in self._lists()
        )

    def _page_store(
        self,
        media: str,
        platform: Platform,
        monetization: str,
        rows: list[tmdb.DiscoverRow],
    ) -> None:
        if not rows:
            return
        with transaction.atomic():
            ids = self._titles_upsert(media, rows)
            self._offers_upsert(
                media, platform, OFFER_OF_MONETIZATION[monetization], rows, ids
            )

    def _titles_upsert(
        self, media: str, rows: list[tmdb.DiscoverRow]
    ) -> dict[int, int]:
        """TMDB id -> movie id for a page's titles, creating or matching new ones."""
        kind = KIND_OF_MEDIA[media]
        tmdb_ids = [row.id for row in rows]
        found: dict[int, Movie] = {}
        # Two MovieLens entries may share a TMDB id: the one with ratings (oldest) wins.
        for movie in Movie.objects.filter(kind=kind, tmdb_id__in=tmdb_ids).order_by(
            "-pk"
        ):
            found[movie.tmdb_id] = movie
        refreshed: list[Movie] = []
        for row in rows:
            movie = found.get(row.id)
            is_match = False
            if movie is None and media == "movie":
                movie = self._movielens_match(row)
                if movie is not None:
                    movie.tmdb_id = row.id
                    found[row.id] = movie
                    self.summary.matched += 1
                    self.changed.add(movie.pk)
                    is_match = True
            if movie is None:
                continue
            facts = (row.popularity, row.vote_average, row.vote_count)
            if is_match or facts != (
                movie.popularity,
                movie.vote_average,
                movie.vote_count,
            ):
                movie.popularity, movie.vote_average, movie.vote_count = facts
                refreshed.append(movie)
        if refreshed:
            Movie.objects.bulk_update(
                refreshed, ["tmdb_id", "popularity", "vote_average", "vote_count"]
            )
        new = [self._movie_new(media, row) for row in rows if row.id not in found]
        if new:
            created = Movie.objects.bulk_create(
                new,
                update_conflicts=True,
                unique_fields=["source", "source_id"],
                update_fields=["tmdb_id", "kind"],
            )
            for movie in created:
                found[movie.tmdb_id] = movie
                self.changed.add(movie.pk)
            self.summary.new += len(created)
            self.titles_changed = True
        return {tmdb_id: movie.pk for tmdb_id, movie in found.items()}

    @staticmethod
    def _movie_new(media: str, row: tmdb.DiscoverRow) -> Movie:
        return Movie(
            source=SOURCE_OF_MEDIA[media],
            source_id=row.id,
            kind=KIND_OF_MEDIA[media],
            tmdb_id=row.id,
            title=(row.title or row.original_title or f"TMDB {row.id}")[:300],
            year=row.year,
            release_date=date_or_none(row.date),
            original_title=row.original_title[:300],
            original_language=row.original_language,
            popularity=row.popularity,
            vote_average=row.vote_average,
            vote_count=row.vote_count,
            poster_path=row.poster_path[:200],
        )

    def _movielens_match(self, row: tmdb.DiscoverRow) -> Movie | None:
        """The MovieLens film a TMDB film is (title and year), if unambiguous."""
        if self._matcher is None:
            films = Movie.objects.filter(kind=Movie.Kind.FILM, tmdb_id=None).exclude(
                source__in=SOURCE_OF_MEDIA.values()
            )
            self._matcher = TitleMatcher(films.values_list("pk", "title", "year"))
        if row.year is None:
            return None
        for title in dict.fromkeys([row.title, row.original_title]):
            result = self._matcher.match(title, row.year)
            if result.status is MatchStatus.MATCHED:
                movie = Movie.objects.filter(pk=result.movie_id, tmdb_id=None).first()
                if movie is not None:
                    return movie
        return None

    def _offers_upsert(
        self,
        media: str,
        platform: Platform,
        offer_type: str,
        rows: list[tmdb.DiscoverRow],
        ids: dict[int, int],
    ) -> None:
        """Insert or re-date the page's offers (admin rows are left as they are)."""
        now = timezone.now()
        values = []
        params: list = []
        for row in rows:
            movie_id = ids.get(row.id)
            if movie_id is None:
                continue
            link = (
                f"https://www.themoviedb.org/{media}/{row.id}/watch"
                f"?locale={self.run.region}"
            )
            values.append("(%s, %s, %s, %s, %s, %s, %s)")
            params += [movie_id, platform.pk, platform.region, offer_type, link]
            params += [Availability.Source.TMDB, now]
        if not values:
            return
        sql = (
            "INSERT INTO catalog_availability "
            "(movie_id, platform_id, region, offer_type, link, source, last_checked) "
            f"VALUES {', '.join(values)} "
            "ON CONFLICT (movie_id, platform_id, offer_type) DO UPDATE SET "
            "last_checked = EXCLUDED.last_checked, source = EXCLUDED.source, "
            "link = EXCLUDED.link, region = EXCLUDED.region "
            "WHERE catalog_availability.source <> %s "
            "RETURNING movie_id, (xmax = 0) AS inserted"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, Availability.Source.ADMIN])
            for movie_id, inserted in cursor.fetchall():
                if inserted:
                    self.summary.offers_added += 1
                    self.changed.add(movie_id)
                    self.offer_changes[movie_id][0].add(platform.pk)
            # The sync is a fresh TMDB answer for these titles: pages that show them
            # need no look-up of their own until it grows stale.
            movie_ids = sorted({ids[row.id] for row in rows if row.id in ids})
            cursor.execute(
                "INSERT INTO catalog_availabilitycheck "
                "(movie_id, source, checked_at, status, message, offers) "
                f"VALUES {', '.join(['(%s, %s, %s, %s, %s, 0)'] * len(movie_ids))} "
                "ON CONFLICT (movie_id, source) DO UPDATE SET "
                "checked_at = EXCLUDED.checked_at, status = EXCLUDED.status, "
                "message = EXCLUDED.message",
                [
                    value
                    for movie_id in movie_ids
                    for value in (
                        movie_id,
                        Availability.Source.TMDB,
                        now,
                        "ok",
                        "catalogue sync",
                    )
                ],
            )
