"""Services that write streaming availability: snapshot import and live refreshes.

`snapshot` imports the Kaggle files in bulk; `refresh` asks TMDB or CSE for one
movie and owns the write rule (a failed outside call never changes rows; rows an
admin wrote are never overwritten). The names are re-exported here.
"""

from __future__ import annotations

from .refresh import (
    RefreshResult,
    availability_replace,
    movie_availability_refresh_cse,
    movie_availability_refresh_tmdb,
    movie_tmdb_id_resolve,
)
from .snapshot import (
    COMBINED_COLUMNS,
    COMBINED_EDITION,
    SERVICE_FILES,
    AvailabilityImportError,
    FileReport,
    SnapshotSummary,
    _snapshot_files,
    _snapshot_rows,
    snapshot_import,
)

__all__ = [
    "COMBINED_COLUMNS",
    "COMBINED_EDITION",
    "SERVICE_FILES",
    "AvailabilityImportError",
    "FileReport",
    "RefreshResult",
    "SnapshotSummary",
    "_snapshot_files",
    "_snapshot_rows",
    "availability_replace",
    "movie_availability_refresh_cse",
    "movie_availability_refresh_tmdb",
    "movie_tmdb_id_resolve",
    "snapshot_import",
]
