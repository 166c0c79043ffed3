"""Content documents from offline sources: MovieLens and the streaming snapshots.

A document is `{field: [values]}` per external item id. Fields from different
sources keep their own names (MovieLens `genre`, the snapshots' `listed_in`), so one
vocabulary never has to be mapped onto another; a later source (Wikidata) adds its
own fields and `merge_documents` joins them. No TMDB content is used anywhere: its
terms forbid training a machine-learning application on it.

The snapshot files describe US catalogues of 2020-2021; a film is matched to them by
title and year with `catalog.matching.TitleMatcher` (plain Python, no Django), the
same rules the availability import uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from catalog.matching import MatchStatus, TitleMatcher, franchise_prefixes

Document = dict[str, list[str]]
Documents = dict[int, Document]

# Per-service Kaggle files (show_id,type,title,director,cast,...,description) and
# the service each lists (the slugs of catalog.availability).
SERVICE_FILES = {
    "netflix_titles.csv": "netflix",
    "amazon_prime_titles.csv": "prime-video",
    "disney_plus_titles.csv": "disney-plus",
    "hulu_titles.csv": "hulu",
}
# The combined Kaggle file with Directors, Genres, Country and Language columns.
COMBINED_FILE = "MoviesOnStreamingPlatforms_updated.csv"
COMBINED_SERVICES = {
    "Netflix": "netflix",
    "Hulu": "hulu",
    "Prime Video": "prime-video",
    "Disney+": "disney-plus",
}
MAX_CAST = 8  # the first-billed names; the tail of a cast list is mostly noise


def year_tokens(year: float | int | None) -> list[str]:
    """Decade and half-decade of a release year ('1990s', '1995-1999')."""
    if year is None or (isinstance(year, float) and np.isnan(year)):
        return []
    year = int(year)
    half = year - year % 5
    return [f"{year - year % 10}s", f"{half}-{half + 4}"]


def movielens_documents(
    movies: pd.DataFrame, tags: pd.DataFrame | None = None
) -> Documents:
    """Genres, year buckets and (lower-cased) tags per MovieLens movie."""
    docs: Documents = {}
    for row in movies.itertuples(index=False):
        doc: Document = {
            "genre": [str(g) for g in (row.genres or []) if str(g) != "unknown"],
            "year": year_tokens(getattr(row, "year", None)),
        }
        docs[int(row.movie_id)] = {k: v for k, v in doc.items() if v}
    if tags is not None and len(tags):
        clean = tags.assign(tag=tags["tag"].astype(str).str.strip().str.lower())
        clean = clean[clean["tag"] != ""].drop_duplicates(["movie_id", "tag"])
        for movie_id, group in clean.groupby("movie_id"):
            doc = docs.setdefault(int(movie_id), {})
            doc["tag"] = sorted(group["tag"])
    return docs


def read_tags(directory: Path | str) -> pd.DataFrame | None:
    """tags.csv of an ml-latest directory as user_id, movie_id, tag, timestamp."""
    path = Path(directory) / "tags.csv"
    if not path.exists():
        return None
    frame = pd.read_csv(path, dtype={"tag": str}, keep_default_na=False)
    return frame.rename(columns={"userId": "user_id", "movieId": "movie_id"})


def _split(value: object, limit: int | None = None) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return []
    parts = [p.strip() for p in value.split(",") if p.strip()]
    return parts[:limit] if limit else parts


def _year(value: object) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


@dataclass
class SnapshotRow:
    """One film row of a snapshot file."""

    title: str
    year: int | None
    doc: Document
    services: list[str]
    imdb: float | None = None


@dataclass
class SnapshotContent:
    """What the snapshots say about the matched movies."""

    documents: Documents = field(default_factory=dict)
    services: dict[int, set[str]] = field(default_factory=dict)
    imdb: dict[int, float] = field(default_factory=dict)
    matched_rows: int = 0
    rows: int = 0


def _service_rows(path: Path, service: str) -> list[SnapshotRow]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame[frame["type"].str.strip() == "Movie"]
    rows = []
    for row in frame.to_dict("records"):
        doc = {
            "director": _split(row.get("director")),
            "cast": _split(row.get("cast"), MAX_CAST),
            "country": _split(row.get("country")),
            "listed_in": _split(row.get("listed_in")),
            "description": [row["description"]] if row.get("description") else [],
        }
        doc = {k: v for k, v in doc.items() if v}
        rows.append(
            SnapshotRow(row["title"], _year(row["release_year"]), doc, [service])
        )
    return rows


def _combined_rows(path: Path) -> list[SnapshotRow]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "Type" in frame.columns:  # 0 = movie
        frame = frame[frame["Type"].isin(["0", ""])]
    rows = []
    for row in frame.to_dict("records"):
        doc = {
            "director": _split(row.get("Directors")),
            "listed_in": _split(row.get("Genres")),
            "country": _split(row.get("Country")),
            "language": _split(row.get("Language")),
        }
        doc = {k: v for k, v in doc.items() if v}
        services = [
            slug
            for column, slug in COMBINED_SERVICES.items()
            if str(row.get(column, "")).strip() == "1"
        ]
        imdb = pd.to_numeric(str(row.get("IMDb", "")).split("/")[0], errors="coerce")
        rows.append(
            SnapshotRow(
                row["Title"],
                _year(row["Year"]),
                doc,
                services,
                None if np.isnan(imdb) else float(imdb),
            )
        )
    return rows


def snapshot_rows(directory: Path | str) -> list[SnapshotRow]:
    """Every film row of the snapshot files found in `directory`."""
    folder = Path(directory)
    rows: list[SnapshotRow] = []
    for name, service in SERVICE_FILES.items():
        if (folder / name).exists():
            rows += _service_rows(folder / name, service)
    if (folder / COMBINED_FILE).exists():
        rows += _combined_rows(folder / COMBINED_FILE)
    return rows


def snapshot_content(movies: pd.DataFrame, directory: Path | str) -> SnapshotContent:
    """Snapshot fields, listing services and IMDb rating per matched movie.

    `movies` has movie_id, title (without year) and year. Ambiguous and unmatched
    snapshot titles are skipped (never guessed).
    """
    rows = snapshot_rows(directory)
    matcher = TitleMatcher(
        zip(
            movies["movie_id"].astype(int),
            movies["title"].astype(str),
            [None if pd.isna(y) else int(y) for y in movies["year"]],
            strict=True,
        ),
        franchises=franchise_prefixes(row.title for row in rows),
    )
    out = SnapshotContent(rows=len(rows))
    for row in rows:
        result = matcher.match(row.title, row.year)
        if result.status is not MatchStatus.MATCHED or result.movie_id is None:
            continue
        movie_id = int(result.movie_id)
        out.matched_rows += 1
        out.documents[movie_id] = merge_document(
            out.documents.get(movie_id, {}), row.doc
        )
        out.services.setdefault(movie_id, set()).update(row.services)
        if row.imdb is not None:
            out.imdb[movie_id] = row.imdb
    return out


def merge_document(*docs: Mapping[str, Iterable[str]]) -> Document:
    """Union of the fields of several documents (values de-duplicated, order kept)."""
    merged: Document = {}
    for doc in docs:
        for name, values in doc.items():
            have = merged.setdefault(name, [])
            have += [v for v in values if v not in have]
    return merged


def merge_documents(*sources: Mapping[int, Mapping[str, Iterable[str]]]) -> Documents:
    """Merge id -> document maps from several sources."""
    out: Documents = {}
    for docs in sources:
        for item, doc in docs.items():
            out[int(item)] = merge_document(out.get(int(item), {}), doc)
    return out
