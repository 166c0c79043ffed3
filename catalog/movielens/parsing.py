"""Parsing helpers shared by the MovieLens readers: lines, tables, titles, dates.

Every helper raises ``MovieLensFormatError`` naming the file and the 1-based line
of the first bad row.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

_TITLE_YEAR = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})(?:[-–]\d{0,4})?\)\s*$")


class MovieLensFormatError(ValueError):
    """A MovieLens file is missing, truncated or malformed."""


@dataclass
class MovieLensDataset:
    """Movies, users (None where the format has no demographics) and ratings."""

    format: str
    movies: (
        pd.DataFrame
    )  # movie_id, title, year, release_date, imdb_id, tmdb_id, genres
    users: pd.DataFrame | None  # user_id, age, gender, occupation, zip_code
    ratings: pd.DataFrame  # user_id, movie_id, rating (float32), timestamp (int64)


def split_title(raw: str) -> tuple[str, int | None]:
    """'Toy Story (1995)' -> ('Toy Story', 1995); titles without a year keep None."""
    raw = raw.strip()
    match = _TITLE_YEAR.match(raw)
    if not match:
        return raw, None
    return match.group("title").strip(), int(match.group("year"))


def _read_lines(path: Path, encoding: str) -> list[str]:
    if not path.exists():
        raise MovieLensFormatError(f"{path}: missing")
    raw = path.read_bytes()
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MovieLensFormatError(f"{path}, line {line}: not {encoding} text") from exc
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _fail(path: Path, line: int, message: str) -> MovieLensFormatError:
    return MovieLensFormatError(f"{path}, line {line}: {message}")


def _numeric_table(
    path: Path,
    sep: str,
    columns: list[str],
    *,
    header: bool = False,
    encoding: str = "utf-8",
) -> pd.DataFrame:
    """Read a delimited all-numeric file, refusing short, long or non-numeric rows."""
    if not path.exists():
        raise MovieLensFormatError(f"{path}: missing")
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as exc:
        raise MovieLensFormatError(f"{path}: not {encoding} text") from exc
    if sep == "::":
        text = text.replace("::", "\t")
        sep = "\t"
    first = 2 if header else 1
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=0 if header else None,
            names=None if header else [*columns, "__extra"],
            dtype=str,
            keep_default_na=False,
        )
    except pd.errors.ParserError as exc:
        raise MovieLensFormatError(f"{path}: {exc}") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise _fail(path, 1, f"header lacks column(s) {', '.join(missing)}")
    if "__extra" in frame.columns:
        extra = (frame["__extra"] != "").to_numpy()
        if extra.any():
            raise _fail(path, int(np.argmax(extra)) + first, "too many fields")
    if frame.empty:
        raise MovieLensFormatError(f"{path}: no data rows")
    out = {}
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna().to_numpy()
        if bad.any():
            row = int(np.argmax(bad))
            shown = frame[column].iloc[row]
            reason = f"missing {column}" if shown == "" else f"bad {column} {shown!r}"
            raise _fail(path, row + first, f"{reason} (file truncated or corrupt?)")
        out[column] = values.to_numpy()
    return pd.DataFrame(out)


def _ratings_frame(table: pd.DataFrame, path: Path, first_line: int) -> pd.DataFrame:
    rating = table["rating"].astype(np.float32)
    bad = ((rating < 0.5) | (rating > 5)).to_numpy()
    if bad.any():
        row = int(np.argmax(bad))
        raise _fail(path, row + first_line, f"rating {rating.iloc[row]} outside 0.5-5")
    frame = pd.DataFrame(
        {
            "user_id": table["user_id"].astype(np.int64),
            "movie_id": table["movie_id"].astype(np.int64),
            "rating": rating,
            "timestamp": table["timestamp"].astype(np.int64),
        }
    )
    dupes = frame.duplicated(["user_id", "movie_id"]).to_numpy()
    if dupes.any():
        row = int(np.argmax(dupes))
        raise _fail(
            path, row + first_line, "duplicate rating for the same user and movie"
        )
    return frame


def _split_genres(field: str) -> list[str]:
    return [g for g in field.split("|") if g and g != "(no genres listed)"]


def original_release_date(released: date | None, year: int | None) -> date | None:
    """ml-100k's date when it can be the original release, else None.

    The field holds a year stored as January 1 for most films ("01-Jan-1981" for
    Raiders: not a date) and the video or re-release date for others ("14-Mar-1997"
    for Return of the Jedi, 1983): only a date in the film's own year that is not
    January 1 is kept.
    """
    if released is None or year is None or released.year != year:
        return None
    if (released.month, released.day) == (1, 1):
        return None
    return released


def _parse_date(field: str) -> date | None:
    if not field:
        return None
    try:
        return datetime.strptime(field, "%d-%b-%Y").date()
    except ValueError:
        return None


def _movies_frame(rows: list[dict], path: Path) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise MovieLensFormatError(f"{path}: no movies")
    dupes = frame["movie_id"].duplicated().to_numpy()
    if dupes.any():
        raise _fail(path, int(np.argmax(dupes)) + 1, "duplicate movie id")
    return frame


def _users_frame(rows: list[dict], path: Path) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise MovieLensFormatError(f"{path}: no users")
    dupes = frame["user_id"].duplicated().to_numpy()
    if dupes.any():
        raise _fail(path, int(np.argmax(dupes)) + 1, "duplicate user id")
    return frame
