"""Onboarding from history: match an export to the catalogue, propose favourites."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from catalog.matching import MatchResult, MatchStatus, TitleMatcher, title_matcher
from catalog.models import Movie
from survey.history import SERIES, HistoryEntry, favourites_propose, history_read
from survey.models import MIN_FAVORITES


@dataclass
class HistoryMatch:
    movie_id: int
    rating: float | None
    watched_on: str  # ISO date or ""


@dataclass
class HistoryProposal:
    """What the user confirms: matches, unplaced titles and proposed favourites."""

    format: str
    matched: list[HistoryMatch] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # as in the export
    proposed_ids: list[int] = field(default_factory=list)
    skipped_episodes: int = 0
    unplaced_count: int = 0

    def to_session(self) -> dict:
        """JSON-serialisable form for the session: catalogue ids, ratings and dates,
        never a title from the file (unplaced ones are counted, not named)."""
        data = asdict(self)
        data["unplaced_count"] = len(self.unplaced) or self.unplaced_count
        data["unplaced"] = []
        return data

    @classmethod
    def from_session(cls, data: dict) -> HistoryProposal:
        matched = [
            HistoryMatch(m["movie_id"], m.get("rating"), m.get("watched_on", ""))
            for m in data.get("matched", [])
        ]
        known = {f for f in cls.__dataclass_fields__ if f != "matched"}
        return cls(matched=matched, **{k: v for k, v in data.items() if k in known})


def _strength(entry: HistoryEntry) -> tuple[float, int]:
    watched = entry.watched_on.toordinal() if entry.watched_on else 0
    return (entry.rating or 0.0, watched)


def _matchers(outside: list[str]) -> dict[str, TitleMatcher]:
    """A title matcher per kind, knowing each title by its English, Korean and
    original names; alternate titles as in the availability import
    (catalog.matching.title_matcher), with the franchises of the export and of the
    catalogue ("Star Wars: A New Hope" is Star Wars, 1977)."""
    rows: dict[str, list[tuple[int, str, int | None]]] = {
        kind: [] for kind in Movie.Kind.values
    }
    titles = (
        Movie.objects.exclude(Movie.PLACEHOLDER)
        .values_list("id", "kind", "year", "title", "title_ko", "original_title")
        .order_by()
    )
    for movie_id, kind, year, *names in titles:
        rows[kind] += [(movie_id, name, year) for name in dict.fromkeys(names) if name]
    return {kind: title_matcher(found, outside=outside) for kind, found in rows.items()}


def _match(matchers: dict[str, TitleMatcher], entry: HistoryEntry) -> int | None:
    # The kind the export says first (an episode means a series), then the other:
    # exports call some series films and some films series.
    first = Movie.Kind.SERIES if entry.kind == SERIES else Movie.Kind.FILM
    result = MatchResult(MatchStatus.UNMATCHED)
    for kind in dict.fromkeys([first, *Movie.Kind.values]):
        result = matchers[kind].match(entry.title, entry.year)
        if result.status is not MatchStatus.UNMATCHED:
            break
    return result.movie_id if result.status is MatchStatus.MATCHED else None


def history_import(
    *, data: bytes, n_favourites: int = MIN_FAVORITES
) -> HistoryProposal:
    """Read an export (HistoryFileError if bad) and match each film or series to
    the catalogue.

    IMDb ids match directly; other titles go through catalog.matching.TitleMatcher
    (exact name and year first, never guessing between equal candidates), among
    titles of the entry's kind first; a series matches by its English or Korean
    title.
    """
    history = history_read(data)
    by_imdb = dict(
        Movie.objects.exclude(imdb_id="").values_list("imdb_id", "id").order_by()
    )
    matchers = _matchers([entry.title for entry in history.entries])
    matched_entries: list[tuple[HistoryEntry, int]] = []
    unplaced: list[str] = []
    for entry in history.entries:
        movie_id = by_imdb.get(entry.imdb_id) if entry.imdb_id else None
        if movie_id is None:
            movie_id = _match(matchers, entry)
        if movie_id is None:
            label = f"{entry.title} ({entry.year})" if entry.year else entry.title
            if label not in unplaced:
                unplaced.append(label)
        else:
            matched_entries.append((entry, movie_id))
    # One row per movie: its best rating and latest watch.
    best: dict[int, HistoryEntry] = {}
    for entry, movie_id in matched_entries:
        old = best.get(movie_id)
        if old is None or _strength(entry) > _strength(old):
            best[movie_id] = entry
    ids_by_entry = {id(entry): movie_id for movie_id, entry in best.items()}
    proposed = favourites_propose(list(best.values()), n_favourites)
    return HistoryProposal(
        format=history.format,
        matched=[
            HistoryMatch(
                movie_id=movie_id,
                rating=entry.rating,
                watched_on=entry.watched_on.isoformat() if entry.watched_on else "",
            )
            for movie_id, entry in best.items()
        ],
        unplaced=unplaced,
        proposed_ids=[ids_by_entry[id(e)] for e in proposed],
        skipped_episodes=history.skipped_episodes,
    )
