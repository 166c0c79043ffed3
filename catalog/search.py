"""Title search as you type over the whole catalogue (films and series).

Every name of every title (each MovieLens variant, the TMDB original title and the
Korean title) is one line of a single normalised text, searched with str.find-speed
regular expressions rather than a Python loop over 20,000 titles. Ranking rule:

1. how the query matches, best of a title's names: the whole name (400), its start
   (300), the start of a later word (250), inside a word (200); when fewer titles
   than asked for match so and the query has 4+ characters, rapidfuzz near-misses
   of the main or Korean name follow (their ratio, 75-100: "shawshank redemtion");
2. within a tier, the audience: the best of the title's percentile among rated
   titles by number of MovieLens ratings, among TMDB titles by vote count, and by
   TMDB popularity. Percentiles make the three scales comparable, so a current hit
   series without ratings is not buried under rarely rated films;
3. then the oldest catalogue entry first.

A query in Hangul that finds fewer titles than asked for is also compared by sound
with the Latin names (catalog.hangul): most Korean release titles of English films
spell the English title in Hangul (타이타닉, Titanic), so a film nobody gave a
Korean title is still found. Those hits score their key ratio (80-100), like the
near-misses of rule 1.

The index is built from the database at most every INDEX_SECONDS (or after
search_index_clear), stored in the cache for every process, and kept in each
process's memory while a small token in the cache still names it: a query then
reads a few bytes from Redis instead of unpickling the index.
"""

from __future__ import annotations

import heapq
import math
import re
import uuid
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from rapidfuzz import fuzz, process

from catalog.hangul import (
    hangul_key,
    has_hangul,
    latin_key,
    latin_words,
    sound_join,
)
from catalog.models import Movie, Rating
from catalog.titles import is_latin, normalise, normalise_unicode, title_variants

INDEX_SECONDS = 300
EXACT, PREFIX, WORD, INFIX = 400.0, 300.0, 250.0, 200.0
FUZZY_CUTOFF = 75.0
FUZZY_MIN_LENGTH = 4
# Sound keys (catalog.hangul) this alike count: one sound in five may differ.
SOUND_CUTOFF = 80.0
SOUND_MIN_LENGTH = 2
_KEY = "catalog:search-index:v4"
_TOKEN_KEY = "catalog:search-index:v4:token"
_LATIN_WORD = re.compile(r"[0-9A-Za-z]")
_ARTICLES = {"the", "a", "an"}
_SUBTITLE = re.compile(r"\s*(?::|\s-\s|\s–\s)\s*")
_DIGITS = re.compile(r"(?<![^\s])[0-9]+(?![^\s])")


@dataclass(frozen=True)
class SearchIndex:
    """Names as lines of one text; arrays are indexed by a title's position."""

    token: str
    ids: array  # position -> movie id
    audience: array  # position -> 0..1 (rule 2)
    text: str  # "\n" + one normalised name per line + "\n"
    starts: array  # line -> offset of its first character in text
    owner: array  # line -> position
    fuzzy_names: list[str]  # main and Korean names, for the near-miss pass
    fuzzy_owner: array  # fuzzy name -> position
    sound_keys: list[str]  # sound keys of the Latin names, shortest first
    sound_owner: array  # sound key -> position
    sound_starts: array  # length n -> the first sound key at least n long


_memo: SearchIndex | None = None


def movie_search(*, query: str, limit: int = 20) -> list[Movie]:
    """Films and series whose names match the query, best first (module docstring)."""
    needles = query_needles(query)
    if not needles:
        return []
    index = search_index()
    best: dict[int, float] = {}
    for needle in needles:
        for position, tier in _substring_tiers(index, needle):
            if tier > best.get(position, 0.0):
                best[position] = tier
    if len(best) < limit and len(needles[0]) >= FUZZY_MIN_LENGTH:
        for _name, score, line in process.extract(
            needles[0],
            index.fuzzy_names,
            scorer=fuzz.ratio,
            limit=limit + len(best),
            score_cutoff=FUZZY_CUTOFF,
        ):
            position = index.fuzzy_owner[line]
            best.setdefault(position, score)
    if len(best) < limit and has_hangul(query):
        for position, score in _sound_matches(
            index, query, limit=limit + len(best)
        ).items():
            if score > best.get(position, 0.0):
                best[position] = score
    top = heapq.nsmallest(
        limit,
        best.items(),
        key=lambda row: (-row[1], -index.audience[row[0]], index.ids[row[0]]),
    )
    ids = [index.ids[position] for position, _tier in top]
    movies = Movie.objects.in_bulk(ids)
    return [movies[i] for i in ids if i in movies]


def query_needles(query: str) -> list[str]:
    """What to look for: the normalised query (Latin script), or its words in any
    script and the same without spaces ("오징어게임" finds "오징어 게임")."""
    words = normalise_unicode(query)
    if not words:
        return []
    if is_latin(words):
        needle = normalise(query)
        return [needle] if needle else []
    return list(dict.fromkeys([words, words.replace(" ", "")]))


def _substring_tiers(index: SearchIndex, needle: str) -> Iterable[tuple[int, float]]:
    text, starts = index.text, index.starts
    for match in re.finditer(re.escape(needle), text):
        at = match.start()
        line = bisect_right(starts, at) - 1
        if at == starts[line]:
            whole = text[match.end()] == "\n"
            yield index.owner[line], EXACT if whole else PREFIX
        else:
            yield index.owner[line], WORD if text[at - 1] == " " else INFIX


def _sound_matches(index: SearchIndex, query: str, *, limit: int) -> dict[int, float]:
    """Position -> the best ratio of the query's sound keys with a title's keys."""
    found: dict[int, float] = {}
    starts = index.sound_starts
    cut = SOUND_CUTOFF / 100
    for key in query_sound_keys(query):
        # Only keys of a length the cutoff allows: ratio = 2 * same / (m + n).
        shortest = math.ceil(len(key) * cut / (2 - cut))
        longest = math.floor(len(key) * (2 - cut) / cut)
        lo = starts[min(shortest, len(starts) - 1)]
        hi = starts[min(longest + 1, len(starts) - 1)]
        for _key, score, line in process.extract(
            key,
            index.sound_keys[lo:hi],
            scorer=fuzz.ratio,
            limit=limit,
            score_cutoff=SOUND_CUTOFF,
        ):
            position = index.sound_owner[lo + line]
            if score > found.get(position, 0.0):
                found[position] = score
    return found


def query_sound_keys(query: str) -> list[str]:
    """Sound keys of a Hangul query: as typed, its head before a colon or dash
    ("터미네이터 2: 심판의 날", whose subtitle is translated), and without its
    numbers when it has words too ("007 골든아이": the film's own title lacks it)."""
    head = _SUBTITLE.split(query, maxsplit=1)[0]
    keys = [hangul_key(query), hangul_key(head)]
    words = _DIGITS.sub(" ", query)
    if words.strip() and words.strip() != query.strip():
        keys.append(hangul_key(words))
    return [k for k in dict.fromkeys(keys) if len(k) >= SOUND_MIN_LENGTH]


def title_sound_keys(title: str, *others: str) -> list[str]:
    """Sound keys of a title's Latin names: each MovieLens variant with and without
    its article ("The Rock", "Rock": 더 록 or 록) and its head before a colon
    ("Terminator 2", as the Korean release title 터미네이터 2 says)."""
    keys: list[str] = []
    for name in dict.fromkeys([*title_variants(title), *others]):
        if not name or has_hangul(name) or not is_latin(name):
            continue
        words = latin_words(name)
        keys.append(sound_join(words))
        if name.split(" ", 1)[0].lower() in _ARTICLES:
            keys.append(sound_join(words[1:]))
        if ":" in name:
            keys.append(latin_key(name.split(":", 1)[0]))
    return [key for key in dict.fromkeys(keys) if len(key) >= SOUND_MIN_LENGTH]


def title_names(title: str, *others: str) -> list[str]:
    """The normalised names of a title: Latin forms of each MovieLens variant and
    of the other names; names in another script also as written and unspaced."""
    names: list[str] = []
    for raw in dict.fromkeys([*title_variants(title), *others]):
        words = normalise_unicode(raw)
        if is_latin(words):
            names.append(normalise(raw))
            continue
        if _LATIN_WORD.search(raw):
            names.append(normalise(raw))  # "007" of "007 스카이폴"
        names += [words, words.replace(" ", "")]
    return [name for name in dict.fromkeys(names) if name]


def audience_scores(signals: Sequence[Sequence[float | None]]) -> list[float]:
    """Per title, the best of its percentiles over each signal (rule 2).

    `signals` holds one column per signal (a value per title; None or 0 = no
    signal). A title's percentile in a column is the share of titles having that
    signal whose value is at most its own.
    """
    n = len(signals[0]) if signals else 0
    best = [0.0] * n
    for column in signals:
        present = sorted(v for v in column if v)
        if not present:
            continue
        # Value -> share of present values <= it (ties share the highest rank).
        share = {v: (i + 1) / len(present) for i, v in enumerate(present)}
        for i, value in enumerate(column):
            if value and share[value] > best[i]:
                best[i] = share[value]
    return best


def search_index() -> SearchIndex:
    """The current index: this process's copy while the cache's token names it."""
    global _memo
    token = cache.get(_TOKEN_KEY)
    memo = _memo
    if token is not None and memo is not None and memo.token == token:
        return memo
    index = cache.get(_KEY) if token is not None else None
    if index is None or index.token != token:
        index = search_index_build()
        cache.set_many({_KEY: index, _TOKEN_KEY: index.token}, INDEX_SECONDS)
    _memo = index
    return index


def search_index_clear() -> None:
    """Forget the cached search index (after the catalogue changed)."""
    cache.delete_many([_TOKEN_KEY, _KEY])


def search_index_build() -> SearchIndex:
    """A new index of every title, from the database."""
    # Counted apart: grouping the titles' columns by movie costs more than the count.
    counts = Rating.objects.order_by().values("movie_id").annotate(n=Count("id"))
    ratings = dict(counts.values_list("movie_id", "n"))
    # Korean names: TMDB's title, then the labels of Wikidata and KOBIS (ml-100k
    # films have no TMDB id; a label never replaces TMDB's title, it is one more name).
    movies = Movie.objects.order_by("id").values_list(
        "id",
        "title",
        "original_title",
        "title_ko",
        "content__label_ko",
        "kobis__title_ko",
        "vote_count",
        "popularity",
    )
    rows = [
        (row[0], row[1], row[2] or "", [k for k in row[3:6] if k])
        + (ratings.get(row[0]), *row[6:])
        for row in movies
    ]
    lines: list[str] = []
    owner = array("l")
    fuzzy_names: list[str] = []
    fuzzy_owner = array("l")
    sounds: list[tuple[str, int]] = []
    for position, (_id, title, original, koreans, *_signals) in enumerate(rows):
        names = title_names(title, original, *koreans)
        lines += names
        owner.extend([position] * len(names))
        # The main title's first name and the Korean names, as before the sync.
        fuzzy = [*names[:1], *(normalise_unicode(k) for k in koreans)]
        for name in dict.fromkeys(fuzzy):
            if name:
                fuzzy_names.append(name)
                fuzzy_owner.append(position)
        sounds += [(key, position) for key in title_sound_keys(title, original)]
    sounds.sort(key=lambda pair: len(pair[0]))
    lengths = [len(key) for key, _position in sounds]
    longest = lengths[-1] if lengths else 0
    sound_starts = array("l", [bisect_left(lengths, n) for n in range(longest + 2)])
    starts = array("q")
    offset = 1
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    columns = [[row[i] for row in rows] for i in (4, 5, 6)]
    return SearchIndex(
        token=uuid.uuid4().hex,
        ids=array("q", [row[0] for row in rows]),
        audience=array("d", audience_scores(columns)),
        text="\n" + "\n".join(lines) + "\n",
        starts=starts,
        owner=owner,
        fuzzy_names=fuzzy_names,
        fuzzy_owner=fuzzy_owner,
        sound_keys=[key for key, _position in sounds],
        sound_owner=array("l", [position for _key, position in sounds]),
        sound_starts=sound_starts,
    )
