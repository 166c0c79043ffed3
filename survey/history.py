"""Reading viewing / rating exports: Netflix, Letterboxd and IMDb CSV files.

Bytes in, validated entries out. The file itself is never kept; a bad file raises
HistoryFileError with a translated message naming the line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000

NETFLIX = "netflix"
LETTERBOXD_RATINGS = "letterboxd-ratings"
LETTERBOXD_WATCHED = "letterboxd-watched"
IMDB = "imdb"

FORMAT_NAMES = {
    NETFLIX: gettext_lazy("Netflix viewing activity"),
    LETTERBOXD_RATINGS: gettext_lazy("Letterboxd ratings"),
    LETTERBOXD_WATCHED: gettext_lazy("Letterboxd watched films"),
    IMDB: gettext_lazy("IMDb ratings"),
}

# Columns that identify each export (compared case-insensitively).
_SIGNATURES: list[tuple[str, set[str]]] = [
    (IMDB, {"const", "your rating", "title"}),
    (LETTERBOXD_RATINGS, {"date", "name", "year", "rating"}),
    (LETTERBOXD_WATCHED, {"date", "name", "year"}),
    (NETFLIX, {"title", "date"}),
]

# Netflix episodes: "Show: Season 1: Title", "쇼: 시즌 1: 3화", "Show: Limited Series:
# Title" (a marker between the show and the episode), or "Show: Episode 5" / "쇼: 3화".
# Films such as "Kill Bill: Volume 1" or "Star Wars: Episode IV" have two parts and
# no episode number, so they stay.
_SEASON_PART = re.compile(
    r"^(season|series|part|volume|chapter|book|collection|limited series|miniseries"
    r"|시즌|파트|리미티드 시리즈)\b",
    re.IGNORECASE,
)
_EPISODE_NUMBER = re.compile(
    r"^(episode|ep\.?|에피소드)\s*\d+$|^제?\s*\d+\s*(화|회)$", re.IGNORECASE
)
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y", "%d/%m/%Y", "%y. %m. %d.")
# IMDb title types, as in the web export ("TV Series") and the datasets ("tvSeries").
_IMDB_MOVIE_TYPES = {"movie", "tv movie", "tvmovie", "video"}
_IMDB_SERIES_TYPES = {"tv series", "tvseries", "tv mini series", "tvminiseries"}
FILM, SERIES = "film", "series"


class HistoryFileError(ValueError):
    """The upload is not a supported export; the message names the line."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class HistoryEntry:
    """One watched or rated film, or a series (from one of its episodes)."""

    line: int
    title: str
    year: int | None = None
    rating: float | None = None  # on a 1-5 scale
    watched_on: date | None = None
    imdb_id: str = ""
    kind: str = FILM


@dataclass(frozen=True)
class HistoryFile:
    format: str
    entries: list[HistoryEntry]
    # Rows that name neither a film nor a series (IMDb episodes, shorts, games).
    skipped_episodes: int = 0


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise HistoryFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
        )
    if not data.strip():
        raise HistoryFileError(_("The file is empty."))
    try:
        return data.decode("utf-8-sig")  # a BOM (Excel, Netflix) is fine
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise HistoryFileError(
            _("Line %(line)d: the file is not UTF-8 text (save it as CSV UTF-8).")
            % {"line": line},
            line=line,
        ) from None


def _detect(header: list[str]) -> str:
    columns = {h.strip().lower() for h in header}
    for name, required in _SIGNATURES:
        if required <= columns:
            return name
    raise HistoryFileError(
        _(
            "Line 1: unknown columns (%(columns)s). Expected a Netflix viewing "
            "activity file (Title, Date), a Letterboxd ratings.csv or watched.csv, "
            "or an IMDb ratings export."
        )
        % {"columns": ", ".join(h.strip() for h in header[:8])},
        line=1,
    )


def _date(value: str, line: int) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise HistoryFileError(
        _("Line %(line)d: “%(value)s” is not a date.") % {"line": line, "value": value},
        line=line,
    )


def _year(value: str, line: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1870 <= int(value) <= 2100:
        raise HistoryFileError(
            _("Line %(line)d: “%(value)s” is not a year.")
            % {"line": line, "value": value},
            line=line,
        )
    return int(value)


def _rating(value: str, line: int, *, scale: float) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise HistoryFileError(
            _("Line %(line)d: the rating “%(value)s” is not a number.")
            % {"line": line, "value": value},
            line=line,
        ) from None
    if not 0 < number <= scale:
        raise HistoryFileError(
            _("Line %(line)d: the rating %(value)s is outside 0-%(scale)g.")
            % {"line": line, "value": value, "scale": scale},
            line=line,
        )
    return round(number * 5.0 / scale, 2)


def is_episode(title: str) -> bool:
    """True for a Netflix series episode ('Show: Season 1: Pilot')."""
    return episode_show(title) is not None


def episode_show(title: str) -> str | None:
    """The series of a Netflix episode ('Show: Season 1: Pilot' -> 'Show'), or None."""
    parts = [p.strip() for p in title.split(":")]
    if len(parts) >= 3:
        for i, part in enumerate(parts[1:-1], start=1):
            if _SEASON_PART.search(part):
                return ": ".join(parts[:i])
    if len(parts) >= 2 and _EPISODE_NUMBER.search(parts[-1]):
        return ": ".join(parts[:-1])
    return None


def history_read(data: bytes) -> HistoryFile:
    """Parse an export; raise HistoryFileError naming the first bad line."""
    text = _text(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise HistoryFileError(_("Line 1: no header row."), line=1) from None
    fmt = _detect(header)
    index = {h.strip().lower(): i for i, h in enumerate(header)}
    entries: list[HistoryEntry] = []
    episodes = 0
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise HistoryFileError(
                    _("Line %(line)d: %(got)d columns, expected %(want)d.")
                    % {"line": line, "got": len(row), "want": len(header)},
                    line=line,
                )
            if len(entries) >= MAX_ROWS:
                raise HistoryFileError(
                    _("Line %(line)d: more than %(max)d rows.")
                    % {"line": line, "max": MAX_ROWS},
                    line=line,
                )
            cell = lambda name, row=row: row[index[name]].strip()  # noqa: E731
            if fmt == NETFLIX:
                title = cell("title")
                # An episode counts as watching its series.
                show = episode_show(title)
                entry = HistoryEntry(
                    line,
                    show or title,
                    watched_on=_date(cell("date"), line),
                    kind=SERIES if show else FILM,
                )
            elif fmt in (LETTERBOXD_RATINGS, LETTERBOXD_WATCHED):
                rating = None
                if fmt == LETTERBOXD_RATINGS:
                    rating = _rating(cell("rating"), line, scale=5.0)
                entry = HistoryEntry(
                    line,
                    cell("name"),
                    year=_year(cell("year"), line),
                    rating=rating,
                    watched_on=_date(cell("date"), line),
                )
            else:
                kind = cell("title type").lower() if "title type" in index else ""
                if kind and kind not in _IMDB_MOVIE_TYPES | _IMDB_SERIES_TYPES:
                    episodes += 1
                    continue
                year = _year(cell("year"), line) if "year" in index else None
                rated = cell("date rated") if "date rated" in index else ""
                entry = HistoryEntry(
                    line,
                    cell("title"),
                    year=year,
                    rating=_rating(cell("your rating"), line, scale=10.0),
                    watched_on=_date(rated, line),
                    imdb_id=cell("const"),
                    kind=SERIES if kind in _IMDB_SERIES_TYPES else FILM,
                )
            if not entry.title:
                raise HistoryFileError(
                    _("Line %(line)d: the title is empty.") % {"line": line},
                    line=line,
                )
            entries.append(entry)
    except csv.Error as exc:
        line = reader.line_num
        raise HistoryFileError(
            _("Line %(line)d: the CSV is malformed (%(error)s).")
            % {"line": line, "error": exc},
            line=line,
        ) from None
    if not entries:
        raise HistoryFileError(_("The file has no films in it (only a header?)."))
    return HistoryFile(fmt, entries, episodes)


def favourites_propose(entries: list[HistoryEntry], n: int) -> list[HistoryEntry]:
    """The n entries to propose: highest rated first, then the most recent."""
    far_past = date(1900, 1, 1)
    ranked = sorted(
        enumerate(entries),
        key=lambda pair: (
            -(pair[1].rating or 0.0),
            -(pair[1].watched_on or far_past).toordinal(),
            pair[0],
        ),
    )
    return [entry for _, entry in ranked[:n]]
