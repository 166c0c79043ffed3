"""A loopback fake Wikidata: the MediaWiki action API at /w/api.php, for tests.

It answers what the content fetch asks (shared/reference/external-apis.md 3.9):

    GET /w/api.php?action=query&list=search&srsearch=haswbstatement:P4947=1|P345=tt1
        &srlimit=50&sroffset=0&srnamespace=0&srprop=&format=json&maxlag=5
    GET /w/api.php?action=wbgetentities&ids=Q1|Q2&props=labels|claims
        &languages=ko|en&format=json&maxlag=5

`FakeWikidata(server, titles=...)` builds its items from the fake TMDB catalogue's
`FakeTitle`s: each title with a `wikidata_id` is an item with that id, labelled
with its Korean and English titles, recording its TMDB id (P4947 film, P4983
series; a share of items record only their IMDb id, P345), instance of, original
language and countries (real item ids), genres (made-up items per TMDB genre),
a date, a duration, directors, cast and screenwriters (made-up people, most with
a Korean and an English label), and for some a film series or a source work.
Made-up items have ids from Q500000000 up, clear of the titles' ids.

Stated choices where Wikidata's behaviour is not spelled out:
- a search longer than 300 characters is refused with an error body
  (code "cirrussearch-query-too-long", CirrusSearch's limit and message);
- a deleted item (`delete`) is still found by search (the index lags) and comes
  back from wbgetentities as `{"id": ..., "missing": ""}`;
- maxlag refusals (`fail_next(kind="maxlag")`) answer only requests that send a
  maxlag parameter, as MediaWiki does: HTTP 200, an error body with code
  "maxlag", Retry-After and X-Database-Lag headers;
- a 429 is Wikimedia's plain-text "Too many requests" page with Retry-After;
- more than 50 ids in one wbgetentities is error "toomanyvalues";
- a search's words other than haswbstatement ones must each be a word of one of
  an item's labels (any language, case and punctuation ignored); each
  haswbstatement word is a filter of its own ("|" is OR within it), matching
  string and item values alike (P31=Q11424);
- hits come in item id order.

`add_film` adds a film as MovieLens knows it (no TMDB or IMDb id): labels, P31,
a P577 date; the content fetch finds it by English title and year.
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from catalog.tests.fake_servers import Canned, FakeServer
from catalog.tests.fake_tmdb_catalogue import GENRES, FakeTitle

PATH = "/w/api.php"
MAX_SEARCH_CHARS = 300
MAX_IDS = 50
DEFAULT_PROPS = "info|sitelinks|aliases|labels|descriptions|claims|datatype"
FILM, SERIES = "Q11424", "Q5398426"
LANGUAGE_ITEMS = {
    "ko": ("Q9176", "Korean", "한국어"),
    "en": ("Q1860", "English", "영어"),
    "ja": ("Q5287", "Japanese", "일본어"),
}
COUNTRY_ITEMS = {
    "KR": ("Q884", "South Korea", "대한민국"),
    "US": ("Q30", "United States", "미국"),
    "JP": ("Q17", "Japan", "일본"),
    "GB": ("Q145", "United Kingdom", "영국"),
    "CA": ("Q16", "Canada", "캐나다"),
    "AU": ("Q408", "Australia", "오스트레일리아"),
}
MINUTE = "http://www.wikidata.org/entity/Q7727"
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"
PEOPLE_BASE = 500_000_000
GENRE_BASE = 600_000_000
SERIES_BASE = 700_000_000
WORK_BASE = 800_000_000

_FAMILY = [
    ("Kim", "김"), ("Lee", "이"), ("Park", "박"), ("Choi", "최"), ("Jung", "정"),
    ("Kang", "강"), ("Cho", "조"), ("Yoon", "윤"), ("Jang", "장"), ("Lim", "임"),
]  # fmt: skip
_GIVEN = [
    ("Min-jun", "민준"), ("Seo-yeon", "서연"), ("Ji-ho", "지호"), ("Ha-eun", "하은"),
    ("Do-yun", "도윤"), ("Su-a", "수아"), ("Ye-jun", "예준"), ("Ji-woo", "지우"),
    ("Jun-ho", "준호"), ("Hye-jin", "혜진"), ("Sung-min", "성민"), ("Yu-na", "유나"),
]  # fmt: skip
_WESTERN = [
    ("Emma", "엠마"), ("James", "제임스"), ("Olivia", "올리비아"), ("Noah", "노아"),
    ("Grace", "그레이스"), ("Daniel", "대니얼"), ("Sophie", "소피"), ("Liam", "리엄"),
]  # fmt: skip
_SURNAMES = [
    ("Smith", "스미스"), ("Walker", "워커"), ("Brown", "브라운"), ("Taylor", "테일러"),
    ("Miller", "밀러"), ("Hughes", "휴즈"), ("Clarke", "클라크"), ("Evans", "에번스"),
]  # fmt: skip


class FakeWikidata:
    """Serves items on `server` (started or not) at /w/api.php; counts requests by
    kind ("search", "wbgetentities labels|claims", "wbgetentities labels")."""

    def __init__(
        self,
        server: FakeServer,
        *,
        titles: Iterable[FakeTitle] = (),
        seed: int = 0,
        imdb_only_share: float = 0.1,
    ) -> None:
        self.server = server
        self.items: dict[str, dict[str, Any]] = {}
        self.deleted: set[str] = set()
        self.down = False
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._fail_left = 0
        self._fail_kind = "429"
        self._fail_retry_after: float | None = 1
        self._statement_ids = 0
        self._builtins()
        titles = list(titles)
        self._people = self._people_pool(max(40, 3 * len(titles)))
        for title in titles:
            if title.wikidata_id:
                self.add_title(title, imdb_only=self._rng.random() < imdb_only_share)
        server.add_pattern(re.escape(PATH), self._answer)

    # ------------------------------------------------------------------ items

    @property
    def api_url(self) -> str:
        return self.server.url + PATH

    def add_item(
        self, qid: str, *, en: str = "", ko: str = "", claims: dict | None = None
    ) -> dict[str, Any]:
        labels = {
            lang: {"language": lang, "value": value}
            for lang, value in (("ko", ko), ("en", en))
            if value
        }
        item = {
            "pageid": int(qid[1:]) % 2_000_000_000,
            "ns": 0,
            "title": qid,
            "lastrevid": 2_000_000_000 + len(self.items),
            "modified": "2026-11-01T00:00:00Z",
            "type": "item",
            "id": qid,
            "labels": labels,
            "descriptions": {},
            "aliases": {},
            "claims": claims or {},
            "sitelinks": {},
        }
        self.items[qid] = item
        return item

    def add_title(self, title: FakeTitle, *, imdb_only: bool = False) -> str:
        """The item of a fake TMDB title (its wikidata_id); `imdb_only` leaves out
        the TMDB id, so only its IMDb id finds it."""
        qid = title.wikidata_id or f"Q{900_000_000 + title.id}"
        rng = self._rng
        claims: dict[str, list] = {}
        add = self._claim_adder(qid, claims)
        add("P31", "wikibase-item", _item(FILM if title.media == "movie" else SERIES))
        if not imdb_only or not title.imdb_id:
            prop = "P4947" if title.media == "movie" else "P4983"
            add(prop, "external-id", _string(str(title.id)))
        if title.imdb_id:
            add("P345", "external-id", _string(title.imdb_id))
        language = LANGUAGE_ITEMS.get(title.original_language)
        if language:
            add("P364", "wikibase-item", _item(language[0]))
        for code in title.origin_country:
            if code in COUNTRY_ITEMS:
                add("P495", "wikibase-item", _item(COUNTRY_ITEMS[code][0]))
        if title.date:
            prop = "P577" if title.media == "movie" else "P580"
            add(prop, "time", _time(title.date))
        for genre_id in title.genre_ids:
            add("P136", "wikibase-item", _item(f"Q{GENRE_BASE + genre_id}"))
        if rng.random() < 0.1:  # a genre someone marked as wrong
            add("P136", "wikibase-item", _item(f"Q{GENRE_BASE + 37}"), "deprecated")
        for person in rng.sample(self._people, rng.choice((1, 1, 2))):
            add("P57", "wikibase-item", _item(person))
        for person in rng.sample(self._people, rng.randint(6, 14)):
            add("P161", "wikibase-item", _item(person))
        for person in rng.sample(self._people, rng.choice((1, 2))):
            add("P58", "wikibase-item", _item(person))
        if title.runtime:
            add("P2047", "quantity", _minutes(title.runtime))
        if title.media == "movie" and rng.random() < 0.15:
            series = f"Q{SERIES_BASE + title.id}"
            self.add_item(
                series,
                en=f"{title.title_en} film series",
                ko=f"{title.title_ko} 시리즈" if title.title_ko else "",
            )
            add("P179", "wikibase-item", _item(series))
        if rng.random() < 0.15:
            work = f"Q{WORK_BASE + title.id}"
            if rng.random() < 0.75:  # else a source work deleted since
                self.add_item(work, en=f"{title.title_en} (novel)")
            add("P144", "wikibase-item", _item(work))
        self.add_item(qid, en=title.title_en, ko=title.title_ko, claims=claims)
        return qid

    def add_film(
        self,
        qid: str,
        *,
        en: str,
        ko: str = "",
        year: int,
        instance: str = FILM,
    ) -> str:
        """A film recording no TMDB or IMDb id: found only by its title and year."""
        claims: dict[str, list] = {}
        add = self._claim_adder(qid, claims)
        add("P31", "wikibase-item", _item(instance))
        add("P577", "time", _time(f"{year}-06-01"))
        self.add_item(qid, en=en, ko=ko, claims=claims)
        return qid

    def delete(self, qid: str) -> None:
        """Gone from Wikidata, still in the search index for a while."""
        self.deleted.add(qid)

    def drop_claims(self, qid: str, prop: str) -> None:
        self.items[qid]["claims"].pop(prop, None)

    def label(self, qid: str, language: str) -> str:
        item = self.items.get(qid)
        if item is None or qid in self.deleted:
            return ""
        return (item["labels"].get(language) or {}).get("value", "")

    def values(self, qid: str, prop: str) -> list[str]:
        """A property's item ids, strings or "YYYY-MM-DD" dates (not deprecated)."""
        out = []
        for statement in self.items[qid]["claims"].get(prop, ()):
            if statement["rank"] == "deprecated":
                continue
            value = statement["mainsnak"]["datavalue"]["value"]
            if isinstance(value, dict) and "id" in value:
                out.append(value["id"])
            elif isinstance(value, dict) and "time" in value:
                out.append(value["time"][1:11])
            else:
                out.append(value)
        return out

    # ---------------------------------------------------- failures and counts

    def fail_next(
        self, n: int, *, kind: str = "429", retry_after: float | None = 1
    ) -> None:
        """The next n requests fail: "429", "503", or "maxlag" (only requests
        sending maxlag, as on Wikidata)."""
        if kind not in ("429", "503", "maxlag"):
            raise ValueError("kind is 429, 503 or maxlag")
        with self._lock:
            self._fail_left, self._fail_kind = n, kind
            self._fail_retry_after = retry_after

    def count(self, kind: str = "") -> int:
        """Requests received whose kind starts with `kind` (all by default)."""
        with self._lock:
            return sum(n for k, n in self._counts.items() if k.startswith(kind))

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()

    # ----------------------------------------------------------------- routes

    def _answer(self, match: re.Match, query: dict) -> Canned:
        args = {name: values[-1] for name, values in query.items()}
        action = args.get("action", "")
        kind = "search" if action == "query" else f"{action} {args.get('props', '')}"
        with self._lock:
            self._counts[kind] += 1
            failure = self._failure("maxlag" in args)
        if failure is not None:
            return failure
        if action == "query" and args.get("list") == "search":
            return self._search(args)
        if action == "wbgetentities":
            return self._entities(args)
        return Canned(
            200,
            _error("badvalue", f'Unrecognized value for parameter "action": {action}.'),
        )

    def _failure(self, sends_maxlag: bool) -> Canned | None:
        if self.down:
            return Canned(503, "Service Temporarily Unavailable")
        if self._fail_left <= 0 or (self._fail_kind == "maxlag" and not sends_maxlag):
            return None
        self._fail_left -= 1
        headers = {}
        if self._fail_retry_after is not None:
            headers["Retry-After"] = f"{self._fail_retry_after:g}"
        if self._fail_kind == "429":
            return Canned(
                429, "Too many requests. Please reduce your request rate.", headers
            )
        if self._fail_kind == "503":
            return Canned(503, "Service Temporarily Unavailable", headers)
        body = _error("maxlag", "Waiting for 10.64.16.8: 6.2 seconds lagged.")
        body["error"] |= {"host": "10.64.16.8", "lag": 6.2, "type": "db"}
        headers |= {"X-Database-Lag": "6", "MediaWiki-API-Error": "maxlag"}
        return Canned(200, body, headers)

    def _search(self, args: dict[str, str]) -> Canned:
        text = args.get("srsearch", "")
        if len(text) > MAX_SEARCH_CHARS:
            return Canned(
                200,
                _error(
                    "cirrussearch-query-too-long",
                    "Search request is longer than the maximum allowed length. "
                    f"({len(text)} > {MAX_SEARCH_CHARS})",
                ),
            )
        filters: list[set[tuple[str, str]]] = []
        words: list[str] = []
        for word in text.split():
            if word.startswith("haswbstatement:"):
                terms = word.removeprefix("haswbstatement:").split("|")
                filters.append({tuple(t.partition("=")[::2]) for t in terms})
            else:
                words += _words(word)
        hits = sorted(
            (
                qid
                for qid, item in self.items.items()
                if all(
                    any(
                        (prop, value) in wanted
                        for prop, statements in item["claims"].items()
                        for value in _values(statements)
                    )
                    for wanted in filters
                )
                and (not words or _labelled(item, words))
            ),
            key=lambda q: int(q[1:]),
        )
        limit = min(max(int(args.get("srlimit") or 10), 1), 500)
        offset = int(args.get("sroffset") or 0)
        page = hits[offset : offset + limit]
        body: dict[str, Any] = {"batchcomplete": ""}
        if offset + limit < len(hits):
            body["continue"] = {"sroffset": offset + limit, "continue": "-||"}
        body["query"] = {
            "searchinfo": {"totalhits": len(hits)},
            "search": [
                {"ns": 0, "title": qid, "pageid": self.items[qid]["pageid"]}
                for qid in page
            ],
        }
        return Canned(200, body)

    def _entities(self, args: dict[str, str]) -> Canned:
        ids = [i for i in args.get("ids", "").split("|") if i]
        if len(ids) > MAX_IDS:
            return Canned(
                200,
                _error(
                    "toomanyvalues",
                    'Too many values supplied for parameter "ids". '
                    f"The limit is {MAX_IDS}.",
                ),
            )
        props = set((args.get("props") or DEFAULT_PROPS).split("|"))
        languages = set(args["languages"].split("|")) if args.get("languages") else None
        entities: dict[str, Any] = {}
        for qid in ids:
            item = self.items.get(qid)
            if item is None or qid in self.deleted:
                entities[qid] = {"id": qid, "missing": ""}
                continue
            entity = {"type": "item", "id": qid}
            for prop in ("labels", "descriptions", "aliases"):
                if prop in props:
                    entity[prop] = {
                        lang: value
                        for lang, value in item[prop].items()
                        if languages is None or lang in languages
                    }
            if "claims" in props:
                entity["claims"] = item["claims"]
            entities[qid] = entity
        return Canned(200, {"entities": entities, "success": 1})

    # ---------------------------------------------------------------- builders

    def _builtins(self) -> None:
        self.add_item(FILM, en="film", ko="영화")
        self.add_item(SERIES, en="television series", ko="텔레비전 드라마")
        for qid, en, ko in (*LANGUAGE_ITEMS.values(), *COUNTRY_ITEMS.values()):
            self.add_item(qid, en=en, ko=ko)
        names = {gid: pair for table in GENRES.values() for gid, pair in table.items()}
        for genre_id, (en, ko) in names.items():
            self.add_item(f"Q{GENRE_BASE + genre_id}", en=f"{en.lower()} film", ko=ko)

    def _people_pool(self, n: int) -> list[str]:
        rng = self._rng
        people = []
        for i in range(n):
            qid = f"Q{PEOPLE_BASE + i}"
            if rng.random() < 0.7:
                (fam_en, fam_ko), (giv_en, giv_ko) = (
                    rng.choice(_FAMILY),
                    rng.choice(_GIVEN),
                )
                en, ko = f"{fam_en} {giv_en}", fam_ko + giv_ko
            else:
                (giv_en, giv_ko), (fam_en, fam_ko) = (
                    rng.choice(_WESTERN),
                    rng.choice(_SURNAMES),
                )
                en, ko = f"{giv_en} {fam_en}", f"{giv_ko} {fam_ko}"
            # Some people have no Korean label (yet).
            self.add_item(qid, en=en, ko=ko if rng.random() < 0.85 else "")
            people.append(qid)
        return people

    def _claim_adder(self, qid: str, claims: dict[str, list]) -> Callable[..., None]:
        def add(
            prop: str, datatype: str, datavalue: dict, rank: str = "normal"
        ) -> None:
            self._statement_ids += 1
            claims.setdefault(prop, []).append(
                {
                    "mainsnak": {
                        "snaktype": "value",
                        "property": prop,
                        "datatype": datatype,
                        "datavalue": datavalue,
                    },
                    "type": "statement",
                    "id": f"{qid}${self._statement_ids:08X}-0000-4000-8000-{0:012X}",
                    "rank": rank,
                }
            )

        return add


def _item(qid: str) -> dict[str, Any]:
    return {
        "value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
        "type": "wikibase-entityid",
    }


def _string(value: str) -> dict[str, Any]:
    return {"value": value, "type": "string"}


def _time(date: str) -> dict[str, Any]:
    return {
        "value": {
            "time": f"+{date}T00:00:00Z",
            "timezone": 0,
            "before": 0,
            "after": 0,
            "precision": 11,
            "calendarmodel": GREGORIAN,
        },
        "type": "time",
    }


def _minutes(minutes: int) -> dict[str, Any]:
    return {"value": {"amount": f"+{minutes}", "unit": MINUTE}, "type": "quantity"}


def _values(statements: list[dict]) -> Iterable[str]:
    """String values and item ids of a property's statements."""
    for statement in statements:
        value = statement["mainsnak"].get("datavalue", {}).get("value")
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict) and "id" in value:
            yield value["id"]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _labelled(item: dict[str, Any], words: list[str]) -> bool:
    """Every word is a word of one of the item's labels."""
    return any(
        set(words) <= set(_words(label["value"])) for label in item["labels"].values()
    )


def _error(code: str, info: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "info": info,
            "*": "See https://www.wikidata.org/w/api.php for API usage.",
        },
        "servedby": "mw-api-ext.fake",
    }
