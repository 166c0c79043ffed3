"""Match outside titles ("The Usual Suspects", 1995) to catalogue movies (no Django).

Rules, in order, never guessing between equal candidates:
1. exact normalised name (any variant on either side) with the same year;
2. exact name with the year off by one, only when exactly one movie qualifies;
3. exact name when the outside title has no year, only when exactly one movie has it;
4. fuzzy name (rapidfuzz ratio >= cutoff) among movies of the same year only, when
   the best score belongs to a single movie and the numbers in both names agree
   ("Scream 2" never matches "Scream 3"). Fuzzy with year +-1 was tried on the real
   snapshots and only produced wrong pairs ("Santa Claus" 1993 -> "Santa Clause"
   1994, "I Still Know What You Did Last Summer" -> the first film).
Two or more movies tied at the deciding step make the title *ambiguous*. A name in
another script than Latin ("오징어 게임") is compared as written, lower-cased and
without punctuation.

Alternate names of the outside title are tried after rules 1-3 and before fuzzy,
with the *same year only* and never when two movies qualify:
- "Episode N" forms dropped: "Star Wars: Episode VI - Return of the Jedi" and
  "Star Wars: A New Hope (Episode IV)" -> "Star Wars: Return of the Jedi" /
  "Star Wars: A New Hope";
- the subtitle of "Franchise: Subtitle": "Star Wars: The Empire Strikes Back" ->
  "The Empire Strikes Back";
- the franchise half ("Star Wars: A New Hope" -> "Star Wars") only when that prefix
  is a franchise of the outside catalogue, i.e. starts two or more of its titles
  (see franchise_prefixes). "Volcano: Fire on the Mountain" (a 1997 TV film) must
  not become "Volcano" (1997), and a lone prefix cannot tell the two apart.
A number marker alone ("Episode IV") is never a name, and a title naming a later
part ("Kill Bill: Vol. 2", "Part II") gets no alternates at all. The catalogue side
already has MovieLens' parenthesised alternates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from catalog.titles import is_latin, normalise, normalise_unicode, title_variants

FUZZY_CUTOFF = 90.0
_TRAILING_YEAR = re.compile(r"\s*\((?P<year>\d{4})\)\s*$")
_NUMBER_WORDS = re.compile(r"^(?:\d+|i{1,3}|iv|v|vi{1,3}|ix|x)$")
_EPISODE = re.compile(
    r"\s*\b(?:episode|part|chapter|vol\.?|volume)\s+(?:\d+|[ivx]+)\b\s*[-–—:]?\s*",
    re.IGNORECASE,
)
_LATER_PART = re.compile(
    r"\b(?:part|chapter|vol\.?|volume)\s+(?!1\b|i\b|one\b)(?:\d+|[ivx]+|two|three)\b",
    re.IGNORECASE,
)
_PARENS_ALL = re.compile(r"\s*\([^()]*\)")
_SUBTITLE = re.compile(r"\s*(?::|\s[-–—]\s)\s*")


class MatchStatus(StrEnum):
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class MatchResult:
    status: MatchStatus
    movie_id: int | None = None
    how: str = ""


def split_year(title: str) -> tuple[str, int | None]:
    """'Usual Suspects, The (1995)' -> ('Usual Suspects, The', 1995)."""
    match = _TRAILING_YEAR.search(title)
    if not match:
        return title.strip(), None
    return title[: match.start()].strip(), int(match.group("year"))


def _names(title: str) -> set[str]:
    """Normalised names; a name in another script as written ("오징어 게임")."""
    names = set()
    for variant in title_variants(title):
        words = normalise_unicode(variant)
        names.add(normalise(variant) if is_latin(words) else words)
    return names - {""}


def _split_subtitle(name: str) -> tuple[str, str] | None:
    parts = [p.strip() for p in _SUBTITLE.split(name) if p.strip()]
    return (parts[0], parts[1]) if len(parts) == 2 else None


def franchise_prefixes(titles: Iterable[str]) -> frozenset[str]:
    """Normalised 'Franchise' halves that start two or more distinct titles."""
    seen: dict[str, set[str]] = defaultdict(set)
    for title in titles:
        bare, _year = split_year(title)
        plain = _EPISODE.sub(" ", _PARENS_ALL.sub("", bare)).strip(" -–—:")
        halves = _split_subtitle(plain)
        if halves is not None:
            seen[normalise(halves[0])].add(normalise(plain))
    return frozenset(p for p, full in seen.items() if p and len(full) >= 2)


def alternate_names(title: str, franchises: frozenset[str] = frozenset()) -> set[str]:
    """Normalised alternate names of an outside title (see the module docstring)."""
    names: set[str] = set()
    if _LATER_PART.search(title):
        # "Kill Bill: Vol. 2" must never fall back to "Kill Bill".
        return names
    for variant in title_variants(title):
        if _is_marker(variant):
            continue
        plain = _EPISODE.sub(" ", variant).strip(" -–—:")
        forms = {normalise(plain)}
        halves = _split_subtitle(plain)
        if halves is not None:
            forms.add(normalise(halves[1]))
            if normalise(halves[0]) in franchises:
                forms.add(normalise(halves[0]))
        names |= {f for f in forms if not _is_marker(f)}
    names.discard("")
    return names - _names(title)


def _is_marker(name: str) -> bool:
    """'Episode IV', 'Part 2': a number marker, not a film's name."""
    return not _EPISODE.sub(" ", name).strip(" -–—:")


def _numbers(name: str) -> frozenset[str]:
    return frozenset(w for w in name.split() if _NUMBER_WORDS.match(w))


def title_matcher(
    movies: Iterable[tuple[int, str, int | None]], *, outside: Iterable[str]
) -> TitleMatcher:
    """The matcher of every import (availability snapshots, viewing histories).

    Its franchises are the prefixes that start two or more of the outside titles or
    of the catalogue's: one user's export rarely names two films of a franchise,
    the catalogue does once it holds synced titles ("Star Wars: The Last Jedi").
    """
    movies = list(movies)
    named = [*outside, *(title for _id, title, _year in movies)]
    return TitleMatcher(movies, franchises=franchise_prefixes(named))


class TitleMatcher:
    """An index of catalogue titles; build once, match many outside titles."""

    def __init__(
        self,
        movies: Iterable[tuple[int, str, int | None]],
        *,
        fuzzy_cutoff: float = FUZZY_CUTOFF,
        franchises: Iterable[str] = (),
    ) -> None:
        self.fuzzy_cutoff = fuzzy_cutoff
        self.franchises = frozenset(franchises)
        self._by_name: dict[str, set[tuple[int, int | None]]] = defaultdict(set)
        self._by_year: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for movie_id, title, year in movies:
            bare, title_year = split_year(title)
            year = year if year is not None else title_year
            for name in _names(bare):
                self._by_name[name].add((movie_id, year))
                if year is not None:
                    self._by_year[year].append((name, movie_id))

    def match(self, title: str, year: int | None) -> MatchResult:
        """Match one outside title and release year against the catalogue."""
        bare, title_year = split_year(title)
        year = year if year is not None else title_year
        names = _names(bare)
        if not names:
            return MatchResult(MatchStatus.UNMATCHED)
        exact: set[tuple[int, int | None]] = set()
        for name in names:
            exact |= self._by_name.get(name, set())
        if exact:
            result = self._pick_exact(exact, year)
            if result is not None:
                return result
        if year is None:
            return MatchResult(MatchStatus.UNMATCHED)
        result = self._alternate(bare, year)
        if result is not None:
            return result
        result = self._fuzzy(names, year)
        return result or MatchResult(MatchStatus.UNMATCHED)

    def _pick_exact(
        self, candidates: set[tuple[int, int | None]], year: int | None
    ) -> MatchResult | None:
        if year is None:
            ids = {m for m, _ in candidates}
            return _decide(ids, "exact-no-year")
        same = {m for m, y in candidates if y == year}
        if same:
            return _decide(same, "exact")
        near = {m for m, y in candidates if y is not None and abs(y - year) == 1}
        if near:
            return _decide(near, "exact-year-1")
        return None

    def _alternate(self, bare: str, year: int) -> MatchResult | None:
        same: set[int] = set()
        for name in alternate_names(bare, self.franchises):
            same |= {m for m, y in self._by_name.get(name, set()) if y == year}
        return _decide(same, "alternate") if same else None

    def _fuzzy(self, names: set[str], year: int) -> MatchResult | None:
        pool = self._by_year.get(year, [])
        if not pool:
            return None
        choices = [name for name, _ in pool]
        best: dict[int, float] = {}
        for name in names:
            wanted = _numbers(name)
            for _, score, index in process.extract(
                name,
                choices,
                scorer=fuzz.ratio,
                score_cutoff=self.fuzzy_cutoff,
                limit=10,
            ):
                if _numbers(choices[index]) != wanted:
                    continue
                movie_id = pool[index][1]
                best[movie_id] = max(best.get(movie_id, 0.0), score)
        if not best:
            return None
        top = max(best.values())
        return _decide({m for m, s in best.items() if s == top}, "fuzzy")


def _decide(ids: set[int], how: str) -> MatchResult:
    if len(ids) == 1:
        return MatchResult(MatchStatus.MATCHED, next(iter(ids)), how)
    return MatchResult(MatchStatus.AMBIGUOUS, None, how)
