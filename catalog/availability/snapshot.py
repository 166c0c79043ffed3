"""Snapshot import: streaming availability from the Kaggle files, in bulk.

A snapshot replaces the rows of its own source only; rows an admin wrote
(source=admin) are never overwritten.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from django.db import connection, transaction

from catalog.matching import MatchStatus, title_matcher
from catalog.models import Availability, Movie, Platform
from catalog.signals import (
    SNAPSHOT,
    availability_changed_record,
    movies_included_offers,
)

logger = logging.getLogger(__name__)


# Column of the combined Kaggle file -> Platform.slug.
COMBINED_COLUMNS = {
    "Netflix": "netflix",
    "Hulu": "hulu",
    "Prime Video": "prime-video",
    "Disney+": "disney-plus",
}
# File name prefix of the per-service Kaggle files -> Platform.slug.
# The Kaggle "Movies on Netflix, Prime Video, Hulu and Disney+" files carry no dates;
# their edition is of 2020 (see shared/data/PROVENANCE.md), so that is the date of
# their claims. The per-service files date themselves: the newest date_added.
COMBINED_EDITION = datetime(2020, 1, 1, tzinfo=UTC)
SERVICE_FILES = {
    "netflix_titles": "netflix",
    "amazon_prime_titles": "prime-video",
    "disney_plus_titles": "disney-plus",
    "hulu_titles": "hulu",
}

Progress = Callable[[Iterable], Iterator]


class AvailabilityImportError(Exception):
    """A snapshot path is missing or a file is not in a known format."""


@dataclass
class FileReport:
    name: str
    rows: int = 0
    matched: int = 0
    unmatched: int = 0
    ambiguous: int = 0
    offers: int = 0

    def line(self) -> str:
        return (
            f"{self.name}: {self.rows:,} movies, {self.matched:,} matched, "
            f"{self.unmatched:,} unmatched, {self.ambiguous:,} ambiguous, "
            f"{self.offers:,} offers"
        )


@dataclass
class SnapshotSummary:
    region: str
    files: list[FileReport] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0
    skipped_platforms: list[str] = field(default_factory=list)


def snapshot_import(
    *,
    path: Path | str,
    region: str = "US",
    checked_at: datetime | None = None,
    progress: Progress | None = None,
    replace: bool = False,
) -> SnapshotSummary:
    """Import Kaggle streaming catalogues (a file or a directory) as subscriptions.

    The Kaggle files describe the US catalogues of 2020-2021, hence region US.
    last_checked is the snapshot's own date (the newest date_added of a per-service
    file, the edition of the combined files), not the import day: it is the date of
    the claim. checked_at overrides it.
    Idempotent: a re-run refreshes last_checked of snapshot rows and adds nothing.
    With replace, snapshot rows of the region that this import no longer yields are
    deleted (use it with the complete set of files).
    """
    files = _snapshot_files(Path(path))
    platforms = {
        p.slug: p.pk for p in Platform.objects.filter(region=region).only("id", "slug")
    }
    file_rows = {file: _snapshot_rows(file) for file in files}
    matcher = title_matcher(
        Movie.objects.values_list("id", "title", "year"),
        outside=[title for rows in file_rows.values() for title, _year, _slugs in rows],
    )
    cache: dict[tuple[str, int | None], tuple[MatchStatus, int | None]] = {}
    summary = SnapshotSummary(region=region)
    pairs: dict[tuple[int, int], datetime] = {}
    for file in files:
        report = FileReport(name=file.name)
        rows = file_rows[file]
        as_of = checked_at or _snapshot_as_of(file)
        iterator = progress(rows) if progress else rows
        file_pairs: set[tuple[int, int]] = set()
        for title, year, slugs in iterator:
            report.rows += 1
            key = (title, year)
            if key not in cache:
                result = matcher.match(title, year)
                cache[key] = (result.status, result.movie_id)
            status, movie_id = cache[key]
            if status is MatchStatus.AMBIGUOUS:
                report.ambiguous += 1
                continue
            if status is MatchStatus.UNMATCHED:
                report.unmatched += 1
                continue
            report.matched += 1
            for slug in slugs:
                if slug not in platforms:
                    if slug not in summary.skipped_platforms:
                        summary.skipped_platforms.append(slug)
                    continue
                file_pairs.add((movie_id, platforms[slug]))
        report.offers = len(file_pairs)
        for pair in file_pairs:
            pairs[pair] = max(pairs.get(pair, as_of), as_of)
        summary.files.append(report)
    with transaction.atomic():
        candidates = {movie_id for movie_id, _platform in pairs}
        if replace:
            candidates |= set(
                Availability.objects.filter(
                    region=region, source=Availability.Source.SNAPSHOT
                ).values_list("movie_id", flat=True)
            )
        before = movies_included_offers(movie_ids=candidates)
        summary.created, summary.updated, touched = _snapshot_upsert(
            pairs, region=region
        )
        if replace:
            summary.deleted, pruned = _snapshot_prune(set(pairs), region=region)
            touched |= pruned
        availability_changed_record(
            movie_ids=touched, before=before, source=SNAPSHOT, region=region
        )
    return summary


def _snapshot_prune(
    pairs: set[tuple[int, int]], *, region: str
) -> tuple[int, set[int]]:
    """Delete the region's snapshot rows that are not in `pairs`; (count, movie ids)."""
    rows = Availability.objects.filter(
        region=region, source=Availability.Source.SNAPSHOT
    ).values_list("pk", "movie_id", "platform_id")
    gone = {
        pk: movie_id
        for pk, movie_id, platform_id in rows
        if (movie_id, platform_id) not in pairs
    }
    deleted, _ = Availability.objects.filter(pk__in=list(gone)).delete()
    return deleted, set(gone.values())


def _snapshot_as_of(path: Path) -> datetime:
    """The date a snapshot file describes (see COMBINED_EDITION)."""
    if _file_kind(path) != "service":
        return COMBINED_EDITION
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["date_added"])
    dates = pd.to_datetime(
        frame["date_added"].str.strip(), errors="coerce", format="mixed"
    )
    newest = dates.max()
    if pd.isna(newest):
        return COMBINED_EDITION
    return datetime(newest.year, newest.month, newest.day, tzinfo=UTC)


def _snapshot_files(path: Path) -> list[Path]:
    if not path.exists():
        raise AvailabilityImportError(f"{path} does not exist")
    candidates = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    files = [f for f in candidates if _file_kind(f)]
    if not files:
        raise AvailabilityImportError(f"no known streaming snapshot in {path}")
    return files


def _file_kind(path: Path) -> str | None:
    if path.name.startswith("MoviesOnStreamingPlatforms"):
        return "combined"
    if any(path.name.startswith(prefix) for prefix in SERVICE_FILES):
        return "service"
    return None


def _snapshot_rows(path: Path) -> list[tuple[str, int | None, list[str]]]:
    """(title, year, platform slugs) per movie row of one snapshot file."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise AvailabilityImportError(f"cannot read {path}: {exc}") from exc
    if _file_kind(path) == "combined":
        missing = {"Title", "Year"} - set(frame.columns)
        if missing:
            raise AvailabilityImportError(f"{path.name}: missing {sorted(missing)}")
        if "Type" in frame.columns:  # 0 = movie, 1 = TV show
            frame = frame[frame["Type"].isin(["0", ""])]
        columns = [c for c in COMBINED_COLUMNS if c in frame.columns]
        return [
            (
                row["Title"],
                _year(row["Year"]),
                [COMBINED_COLUMNS[c] for c in columns if row[c].strip() == "1"],
            )
            for row in frame.to_dict("records")
        ]
    missing = {"type", "title", "release_year"} - set(frame.columns)
    if missing:
        raise AvailabilityImportError(f"{path.name}: missing {sorted(missing)}")
    slug = next(s for p, s in SERVICE_FILES.items() if path.name.startswith(p))
    movies = frame[frame["type"].str.strip() == "Movie"]
    return [
        (title, _year(year), [slug])
        for title, year in zip(movies["title"], movies["release_year"], strict=True)
    ]


def _year(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) == 4 else None


def _snapshot_upsert(
    pairs: dict[tuple[int, int], datetime], *, region: str
) -> tuple[int, int, set[int]]:
    """Insert missing subscription rows; refresh only rows the snapshot owns.
    Returns (rows created, rows refreshed, their movie ids)."""
    if not pairs:
        return 0, 0, set()
    keys = sorted(pairs)
    movie_ids, platform_ids = zip(*keys, strict=True)
    dates = [pairs[k] for k in keys]
    table = Availability._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table}
                (movie_id, platform_id, region, offer_type, link, source, last_checked)
            SELECT m, p, %s, 'subscription', '', 'snapshot', d
            FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[]) AS t(m, p, d)
            ON CONFLICT (movie_id, platform_id, offer_type) DO UPDATE
                SET last_checked = EXCLUDED.last_checked
                WHERE {table}.source = 'snapshot'
            RETURNING movie_id, (xmax = 0) AS inserted
            """,
            [region, list(movie_ids), list(platform_ids), dates],
        )
        rows = cursor.fetchall()
    created = sum(inserted for _movie_id, inserted in rows)
    return created, len(rows) - created, {movie_id for movie_id, _ in rows}
