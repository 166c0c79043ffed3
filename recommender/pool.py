"""The longer list behind the shown items (RecommendationSet.pool).

Filters pick from it, so "only series" or "only on my services" finds twenty titles
among the whole catalogue's best rather than narrowing the twenty on screen, and the
service advice counts over it. A set built before the pool existed has an empty one:
callers then fall back to the shown items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.models import Availability, Movie
from catalog.selectors import AvailabilityOffer
from recommender.models import RecommendationItem, RecommendationSet

INCLUDED = {str(t) for t in Availability.INCLUDED_OFFER_TYPES}


@dataclass(frozen=True)
class ItemFilters:
    only_mine: bool = False
    genre: str = ""
    kind: str = ""  # "" for films and series, else a Movie.Kind value
    year_from: int | None = None
    year_to: int | None = None

    @property
    def is_active(self) -> bool:
        return bool(
            self.only_mine or self.genre or self.kind or self.year_from or self.year_to
        )

    def matches(
        self, movie: Movie, *, genre_names: Iterable[str], is_mine_now: bool
    ) -> bool:
        """Whether a title passes every chosen filter (no year fails a year filter)."""
        year = movie.year
        return not (
            (self.only_mine and not is_mine_now)
            or (self.genre and self.genre not in set(genre_names))
            or (self.kind and movie.kind != self.kind)
            or (self.year_from and (year is None or year < self.year_from))
            or (self.year_to and (year is None or year > self.year_to))
        )


def pool_rows(
    *, rec_set: RecommendationSet, exclude: Iterable[int] = ()
) -> list[dict[str, Any]]:
    """The set's pool, best first, without the excluded (dismissed) movies."""
    left_out = set(exclude)
    rows, seen = [], set()
    for row in rec_set.pool or []:
        movie_id = row.get("movie_id") if isinstance(row, dict) else None
        if not isinstance(movie_id, int) or movie_id in left_out or movie_id in seen:
            continue
        seen.add(movie_id)
        rows.append(row)
    return rows


def pool_items(
    *, rec_set: RecommendationSet, exclude: Iterable[int] = ()
) -> list[RecommendationItem]:
    """The pool as unsaved items with their movies and genres, ranked by position
    in the pool (so a card's reason and layout work as for a shown item)."""
    rows = pool_rows(rec_set=rec_set, exclude=exclude)
    movies = Movie.objects.filter(pk__in=[r["movie_id"] for r in rows]).exclude(
        Movie.PLACEHOLDER
    )
    by_id = {m.pk: m for m in movies.prefetch_related("genres")}
    return [
        RecommendationItem(
            recommendation_set=rec_set,
            rank=position,
            movie=by_id[row["movie_id"]],
            score=float(row.get("score") or 0),
            predicted_rating=float(row.get("predicted_rating") or 0),
            reason="",
            reason_data=row.get("reason_data") or {},
        )
        for position, row in enumerate(rows, start=1)
        if row["movie_id"] in by_id
    ]


def is_mine_now(offers: Sequence[AvailabilityOffer], mine: set[str]) -> bool:
    """Whether one of the user's services includes the title (no rent or buy)."""
    return any(o.platform_slug in mine and o.offer_type in INCLUDED for o in offers)


def items_filter(
    items: Sequence[RecommendationItem],
    *,
    filters: ItemFilters,
    offers: Mapping[int, Sequence[AvailabilityOffer]],
    mine: set[str],
) -> list[RecommendationItem]:
    """The items that pass the filters, in their order."""
    return [
        item
        for item in items
        if filters.matches(
            item.movie,
            genre_names=[g.name for g in item.movie.genres.all()],
            is_mine_now=is_mine_now(offers.get(item.movie_id, []), mine),
        )
    ]
