"""Wikidata client: find items by the ids they record and read their labels and
claims through the MediaWiki API (shared/reference/external-apis.md section 3.9).

Wikidata's structured data is CC0, so unlike TMDB's it may feed the recommender.
Wikimedia asks for a descriptive User-Agent, modest request rates and `maxlag=5`
on every request; a maxlag refusal (HTTP 200, an error body, Retry-After) is
retried like a 429.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings

from catalog.providers.http import JsonClient, ProviderBadResponse

PROP_TMDB_MOVIE = "P4947"
PROP_TMDB_TV = "P4983"
PROP_IMDB = "P345"
INSTANCE_OF, PUBLICATION_DATE = "P31", "P577"
# What a film is an instance of: film, feature film, animated film, animated
# feature film, television film, documentary film (Toy Story is not a plain "film").
FILM_CLASSES = ("Q11424", "Q24869", "Q202866", "Q29168811", "Q506240", "Q93204")
# Candidates read per title searched by its name: the right one is near the top.
TITLE_CANDIDATES = 5
# wbgetentities reads at most 50 ids a call.
BATCH = 50
# CirrusSearch refuses longer queries (its "cirrussearch-query-too-long").
SEARCH_MAX_CHARS = 300
SEARCH_PREFIX = "haswbstatement:"
# Precision codes of a time value (9 year, 10 month, 11 day).
YEAR, MONTH, DAY = 9, 10, 11
MINUTE = "http://www.wikidata.org/entity/Q7727"
# Words of a title as a search sends them: CirrusSearch reads quotes, colons,
# a leading minus and wildcards as syntax.
_TITLE_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True)
class Time:
    time: str  # "+2008-01-20T00:00:00Z"
    precision: int

    def iso(self) -> str:
        """ "YYYY-MM-DD", "YYYY-MM" or "YYYY" as precise as the value; "" before
        year 1 or coarser than a year."""
        if not self.time.startswith("+") or self.precision < YEAR:
            return ""
        date = self.time[1:11]
        return date[: {YEAR: 4, MONTH: 7}.get(self.precision, 10)]


@dataclass(frozen=True)
class Quantity:
    amount: float
    unit: str  # an entity URI, or "1" for none


@dataclass(frozen=True)
class Statement:
    value: str | Time | Quantity  # an item id ("Q9176"), a string, a time, a quantity
    rank: str  # "preferred", "normal" or "deprecated"


@dataclass
class Entity:
    id: str
    labels: dict[str, str] = field(default_factory=dict)
    claims: dict[str, list[Statement]] = field(default_factory=dict)
    missing: bool = False

    def label(self, *languages: str) -> str:
        return next((self.labels[x] for x in languages if self.labels.get(x)), "")

    def values(self, prop: str, *, best: bool = True) -> list[str | Time | Quantity]:
        """A property's values; `best`: the preferred ones if any, else the normal
        ones (Wikidata's "truthy" statements). Deprecated ones never."""
        statements = [s for s in self.claims.get(prop, ()) if s.rank != "deprecated"]
        preferred = [s for s in statements if s.rank == "preferred"]
        return [s.value for s in (preferred if best and preferred else statements)]

    def items(self, prop: str) -> list[str]:
        return [v for v in self.values(prop) if isinstance(v, str) and _is_qid(v)]

    def strings(self, prop: str, *, best: bool = True) -> list[str]:
        return [v for v in self.values(prop, best=best) if isinstance(v, str)]

    def times(self, prop: str) -> list[Time]:
        return [v for v in self.values(prop) if isinstance(v, Time)]

    def quantities(self, prop: str) -> list[Quantity]:
        return [v for v in self.values(prop) if isinstance(v, Quantity)]


def wikidata_client(**overrides: Any) -> JsonClient:
    """A JsonClient for the configured MediaWiki API, polite by Wikimedia's policy."""
    options: dict[str, Any] = {
        "headers": {"User-Agent": user_agent(), "Accept": "application/json"},
        "params": {"format": "json", "maxlag": "5"},
        "max_retries": 5,
        "busy": maxlag_reason,
    }
    return JsonClient(base_url=settings.WIKIDATA_API_URL, **{**options, **overrides})


def user_agent() -> str:
    contact = settings.WIKIDATA_CONTACT or "no contact configured"
    return (
        f"ottsite/1.0 (film and series recommendations for Korea; {contact}) "
        f"python-requests/{requests.__version__}"
    )


def maxlag_reason(body: Any) -> str:
    """Why a 200 answer is MediaWiki's "too lagged, come back later" ("" if not)."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("code") == "maxlag":
        return f"maxlag ({error.get('info') or 'replication lag'})"
    return ""


def search_items(
    client: JsonClient, *, statements: Iterable[tuple[str, str]]
) -> list[str]:
    """Item ids recording any of the (property, value) statements, found with
    CirrusSearch's haswbstatement (OR of as many as one query may hold)."""
    found: list[str] = []
    for query in _search_queries(sorted(set(statements))):
        offset = 0
        while True:
            body = _answer(
                client,
                {
                    "action": "query",
                    "list": "search",
                    "srsearch": query,
                    "srnamespace": "0",
                    "srlimit": str(BATCH),
                    "sroffset": str(offset),
                    "srprop": "",
                },
            )
            rows = (body.get("query") or {}).get("search")
            if not isinstance(rows, list):
                raise ProviderBadResponse("search: no 'query.search' list")
            found += [
                row["title"]
                for row in rows
                if isinstance(row, Mapping) and _is_qid(row.get("title"))
            ]
            more = (body.get("continue") or {}).get("sroffset")
            if not rows or not isinstance(more, int) or more <= offset:
                break
            offset = more
    return list(dict.fromkeys(found))


def _search_queries(statements: list[tuple[str, str]]) -> list[str]:
    """`haswbstatement:P1=a|P1=b|...` queries no longer than SEARCH_MAX_CHARS."""
    queries: list[str] = []
    terms: list[str] = []
    length = len(SEARCH_PREFIX)
    for prop, value in statements:
        term = f"{prop}={value}"
        if (
            any(c in value for c in ' |"')
            or len(SEARCH_PREFIX + term) > SEARCH_MAX_CHARS
        ):
            continue  # not an id a search can hold
        if terms and length + 1 + len(term) > SEARCH_MAX_CHARS:
            queries.append(SEARCH_PREFIX + "|".join(terms))
            terms, length = [], len(SEARCH_PREFIX)
        length += len(term) + (1 if terms else 0)
        terms.append(term)
    if terms:
        queries.append(SEARCH_PREFIX + "|".join(terms))
    return queries


def entities(
    client: JsonClient,
    qids: Iterable[str],
    *,
    props: tuple[str, ...] = ("labels", "claims"),
    languages: tuple[str, ...] = ("ko", "en"),
) -> dict[str, Entity]:
    """Items by id (50 a call); an id Wikidata does not have comes back `missing`."""
    ids = list(dict.fromkeys(q for q in qids if _is_qid(q)))
    out: dict[str, Entity] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        body = _answer(
            client,
            {
                "action": "wbgetentities",
                "ids": "|".join(batch),
                "props": "|".join(props),
                "languages": "|".join(languages),
            },
        )
        rows = body.get("entities")
        if not isinstance(rows, dict):
            raise ProviderBadResponse("wbgetentities: no 'entities' object")
        for key, row in rows.items():
            entity = _entity(key, row)
            out[entity.id] = entity
            redirect = row.get("redirects") if isinstance(row, dict) else None
            if isinstance(redirect, dict) and _is_qid(redirect.get("from")):
                out[redirect["from"]] = entity
        for qid in batch:
            out.setdefault(qid, Entity(id=qid, missing=True))
    return out


def items_by_ids(
    client: JsonClient,
    *,
    tmdb_movie_ids: Iterable[int] = (),
    tmdb_tv_ids: Iterable[int] = (),
    imdb_ids: Iterable[str] = (),
) -> dict[tuple[str, str], Entity]:
    """(property, id) -> the item recording it, read with labels and claims (the
    claims say which item has which id; the lowest item id wins a shared one)."""
    wanted = {(PROP_TMDB_MOVIE, str(int(i))) for i in tmdb_movie_ids}
    wanted |= {(PROP_TMDB_TV, str(int(i))) for i in tmdb_tv_ids}
    wanted |= {(PROP_IMDB, str(i)) for i in imdb_ids if i}
    if not wanted:
        return {}
    found = entities(client, search_items(client, statements=wanted))
    matched: dict[tuple[str, str], Entity] = {}
    for qid in sorted(found, key=_qid_number):
        entity = found[qid]
        if entity.missing or entity.id != qid:
            continue  # deleted since the search index saw it, or a redirect's alias
        for prop in (PROP_TMDB_MOVIE, PROP_TMDB_TV, PROP_IMDB):
            for value in entity.strings(prop, best=False):
                if (prop, value) in wanted:
                    matched.setdefault((prop, value), entity)
    return matched


def items_by_title(
    client: JsonClient, *, titles: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], Entity]:
    """(title, year) -> the film Wikidata labels so in English (the whole label, or
    its part before a colon) and dates within a year of it, read with labels and
    claims. One search per title (the title's words, instances of a film class),
    then one wbgetentities per 50 candidates."""
    wanted = list(dict.fromkeys((t, y) for t, y in titles if t.strip() and y))
    film = "|".join(f"{INSTANCE_OF}={q}" for q in FILM_CLASSES)
    candidates: dict[tuple[str, int], list[str]] = {}
    for title, year in wanted:
        words = " ".join(_TITLE_WORD.findall(title))
        words = words[: SEARCH_MAX_CHARS - len(SEARCH_PREFIX + film) - 1].strip()
        if not words:
            continue
        body = _answer(
            client,
            {
                "action": "query",
                "list": "search",
                "srsearch": f"{words} {SEARCH_PREFIX}{film}",
                "srnamespace": "0",
                "srlimit": str(TITLE_CANDIDATES),
                "srprop": "",
            },
        )
        rows = (body.get("query") or {}).get("search")
        if not isinstance(rows, list):
            raise ProviderBadResponse("search: no 'query.search' list")
        candidates[(title, year)] = [
            row["title"]
            for row in rows
            if isinstance(row, Mapping) and _is_qid(row.get("title"))
        ]
    found = entities(client, [q for qids in candidates.values() for q in qids])
    matched: dict[tuple[str, int], Entity] = {}
    for (title, year), qids in candidates.items():
        fits = [
            found[q]
            for q in qids
            if not found[q].missing
            and found[q].id == q
            and _is_titled(found[q], title)
            and _years(found[q]) & {year - 1, year, year + 1}
        ]
        # The exact year first, then Wikidata's oldest item.
        fits.sort(key=lambda e: (year not in _years(e), _qid_number(e.id)))
        if fits:
            matched[(title, year)] = fits[0]
    return matched


def _is_titled(entity: Entity, title: str) -> bool:
    label = title_key(entity.label("en"))
    return bool(label) and title_key(title) in (label, title_key(label.split(":")[0]))


def title_key(title: str) -> str:
    """A title compared: lower-case words, no punctuation ("Se7en" stays)."""
    return " ".join(_TITLE_WORD.findall(title.lower()))


def _years(entity: Entity) -> set[int]:
    return {int(t.iso()[:4]) for t in entity.times(PUBLICATION_DATE) if t.iso()}


def _answer(client: JsonClient, params: dict[str, str]) -> dict:
    body = client.get_json("", params=params)
    if not isinstance(body, dict):
        raise ProviderBadResponse(f"{params['action']}: body is not an object")
    error = body.get("error")
    if isinstance(error, dict):
        raise ProviderBadResponse(
            f"{params['action']}: {error.get('code')}: {error.get('info')}"
        )
    return body


def _entity(key: str, row: Any) -> Entity:
    if not isinstance(row, dict):
        raise ProviderBadResponse(f"wbgetentities: {key} is not an object")
    qid = str(row.get("id") or key)
    if "missing" in row:
        return Entity(id=qid, missing=True)
    labels = {
        lang: value["value"]
        for lang, value in (row.get("labels") or {}).items()
        if isinstance(value, dict) and isinstance(value.get("value"), str)
    }
    claims: dict[str, list[Statement]] = {}
    for prop, statements in (row.get("claims") or {}).items():
        if not isinstance(statements, list):
            raise ProviderBadResponse(f"wbgetentities: {qid}.{prop} is not a list")
        for statement in statements:
            parsed = _statement(statement)
            if parsed is not None:
                claims.setdefault(prop, []).append(parsed)
    return Entity(id=qid, labels=labels, claims=claims)


def _statement(statement: Any) -> Statement | None:
    """A statement's value, or None for "no value", "unknown value" and types we
    do not read."""
    snak = statement.get("mainsnak") if isinstance(statement, dict) else None
    if not isinstance(snak, dict) or snak.get("snaktype") != "value":
        return None
    datavalue = snak.get("datavalue") or {}
    kind, value = datavalue.get("type"), datavalue.get("value")
    rank = str(statement.get("rank") or "normal")
    if kind == "wikibase-entityid" and isinstance(value, dict):
        qid = value.get("id") or (
            f"Q{value['numeric-id']}" if value.get("entity-type") == "item" else None
        )
        return Statement(qid, rank) if _is_qid(qid) else None
    if kind == "string" and isinstance(value, str):
        return Statement(value, rank)
    if (
        kind == "time"
        and isinstance(value, dict)
        and isinstance(value.get("time"), str)
    ):
        precision = value.get("precision")
        return Statement(
            Time(value["time"], precision if isinstance(precision, int) else 0), rank
        )
    if kind == "quantity" and isinstance(value, dict):
        try:
            amount = float(value.get("amount"))
        except (TypeError, ValueError):
            return None
        return Statement(Quantity(amount, str(value.get("unit") or "1")), rank)
    return None


def _is_qid(value: Any) -> bool:
    return isinstance(value, str) and value[:1] == "Q" and value[1:].isdigit()


def _qid_number(qid: str) -> int:
    return int(qid[1:]) if _is_qid(qid) else 0
