"""Read-only queries over the catalogue, one module per sub-domain.

`movies` finds titles (search, the paged list), `detail` reads one title (and the
titles like it), `availability` where titles stream and which look-ups are due,
`platforms` the services of a region and `dataset` the catalogue's size and the
frames the recommender trains on. The names are re-exported here, so callers
import `catalog.selectors.<name>`.
"""

from __future__ import annotations

from catalog.search import search_index_clear

from .availability import (
    OFFER_ORDER,
    AvailabilityOffer,
    AvailabilityStatus,
    CoverageRow,
    _pending_key,
    availability_coverage,
    availability_for_movies,
    availability_status_for_movies,
    movies_due_for_refresh,
    movies_pending,
    pending_lookups_forget,
    snapshot_is_undated,
)
from .dataset import SYNCED_SOURCES, catalog_counts, catalog_is_empty, training_frames
from .detail import MovieDetail, movie_detail, movie_get, movie_similar
from .movies import (
    SEARCH_LIMIT,
    SEARCH_MAX_LENGTH,
    RankedMovies,
    movie_list,
    movie_search,
)
from .platforms import platform_get, platform_list, platforms_for_region

__all__ = [
    "OFFER_ORDER",
    "SEARCH_LIMIT",
    "SEARCH_MAX_LENGTH",
    "SYNCED_SOURCES",
    "AvailabilityOffer",
    "AvailabilityStatus",
    "CoverageRow",
    "MovieDetail",
    "RankedMovies",
    "_pending_key",
    "availability_coverage",
    "availability_for_movies",
    "availability_status_for_movies",
    "catalog_counts",
    "catalog_is_empty",
    "movie_detail",
    "movie_get",
    "movie_list",
    "movie_search",
    "movie_similar",
    "movies_due_for_refresh",
    "movies_pending",
    "pending_lookups_forget",
    "platform_get",
    "platform_list",
    "platforms_for_region",
    "search_index_clear",
    "snapshot_is_undated",
    "training_frames",
]
