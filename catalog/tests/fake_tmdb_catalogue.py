"""A loopback fake TMDB serving a whole region catalogue, for tests and benchmarks.

`kr_catalogue()` generates a deterministic, realistic-looking catalogue of films and
series carried by Korean streaming services; `FakeTmdbCatalogue` answers the TMDB v3
endpoints a catalogue sync uses on an existing `FakeServer`:

    GET /3/discover/{movie,tv}             watch_region, with_watch_providers,
                                           with_watch_monetization_types, sort_by,
                                           page, language
    GET /3/{movie,tv}/{id}                 language, append_to_response=keywords,
                                           external_ids,watch/providers
    GET /3/{movie,tv}/{id}/watch/providers (also /keywords and /external_ids)
    GET /3/{movie,tv}/changes              start_date, end_date, page
    GET /3/genre/{movie,tv}/list, /3/watch/providers/{movie,tv}

Bodies follow TMDB's wire format (shared/reference/external-apis.md section 3).
Where TMDB's behaviour is not documented the fake makes a stated choice:
- discover without `watch_region` ignores the provider and monetization filters
  (TMDB documents them as "use in conjunction with watch_region");
- an empty discover answer reports total_pages 1;
- /changes lists ids whose details were edited (`touch`, `add_title`), not ids whose
  offers changed: TMDB's watch providers come from JustWatch, not from edits, so a
  sync cannot learn about lost offers from /changes;
- a /changes range longer than 14 days is 400 with status_code 47.

Failure injection (`fail_next`, a rate limit, `block_after`) and request counting
apply to every request the server receives, so a test sees what a client sees.

Run it in its own process (for a benchmark):
    python -m catalog.tests.fake_tmdb_catalogue --titles 12000 --seed 0 --port 0
which prints `READY http://127.0.0.1:<port>` and serves until SIGTERM.

Provider logos are made up except the ones copied from TMDB's spec example; keyword
ids are illustrative. Korean titles of generated films are built from a small
bilingual vocabulary, so they translate the English ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from catalog.tests.fake_servers import (
    TMDB_401,
    TMDB_404,
    TMDB_429,
    Canned,
    FakeServer,
    Recorded,
)

REGION = "KR"
PAGE_SIZE = 20
CHANGES_PAGE_SIZE = 100
MAX_PAGE = 500
BLOCK_TIMEOUT = 600.0  # seconds a block_after hold lasts at most
MONETIZATION_TYPES = ("flatrate", "free", "ads", "rent", "buy")

TMDB_400_PAGE = {
    "status_code": 22,
    "status_message": "Invalid page: Pages start at 1 and max at 500.",
    "success": False,
}
TMDB_400_INPUT = {
    "status_code": 47,
    "status_message": "The input is not valid.",
    "success": False,
}
TMDB_5XX = {
    "status_code": 11,
    "status_message": "Internal error: Something went wrong, contact TMDB.",
    "success": False,
}

# Provider ids of the KR services (reference section 4).
NETFLIX = 8
TVING = 1883
COUPANG_PLAY = 1881
WAVVE = 356
WATCHA = 97
DISNEY_PLUS = 337
PRIME_VIDEO = 119
APPLE_TV_PLUS = 350
NAVER_STORE = 96
GOOGLE_PLAY = 3


@dataclass(frozen=True)
class Provider:
    id: int
    name: str
    logo_path: str
    display_priority: int


def _providers(*rows: tuple[int, str, str]) -> dict[int, Provider]:
    return {
        pid: Provider(pid, name, logo, i) for i, (pid, name, logo) in enumerate(rows)
    }


# Display priorities follow TMDB's KR list order; logos of 8, 119, 337, 356 and 3
# are TMDB's, the others are made up.
PROVIDERS: dict[str, dict[int, Provider]] = {
    "KR": _providers(
        (NETFLIX, "Netflix", "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg"),
        (PRIME_VIDEO, "Amazon Prime Video", "/emthp39XA2YScoYL1p0sdbAH2WA.jpg"),
        (DISNEY_PLUS, "Disney Plus", "/7rwgEs15tFwyR9NPQ5vpzxTj19Q.jpg"),
        (WAVVE, "wavve", "/2ioan5BX5L9tz4fIGU93blTeFhv.jpg"),
        (WATCHA, "Watcha", "/vXXZx0aWQtDv2klvObNugm4dQMN.jpg"),
        (APPLE_TV_PLUS, "Apple TV Plus", "/6uhKBfmtzFqOcLousHwZuzcrScK.jpg"),
        (NAVER_STORE, "Naver Store", "/3LQzaSBxjYSB4Rcx1prdQJPM3tc.jpg"),
        (GOOGLE_PLAY, "Google Play Movies", "/tbEdFQDwx5LEVr8WpSeXQSIirVq.jpg"),
        (TVING, "TVING", "/qhk7bVjaPC4dmjy7DJOgBQ0kQiV.jpg"),
        (COUPANG_PLAY, "Coupang Play", "/2KXvUa2Sg1DlRFCdXRt2bMzM6Tf.jpg"),
    ),
    # A second region so a client has to pick KR out of the answer.
    "US": _providers(
        (NETFLIX, "Netflix", "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg"),
        (9, "Amazon Prime Video", "/emthp39XA2YScoYL1p0sdbAH2WA.jpg"),
        (DISNEY_PLUS, "Disney Plus", "/7rwgEs15tFwyR9NPQ5vpzxTj19Q.jpg"),
        (15, "Hulu", "/zxrVdFjIjLqkfnwyghnfywTn3Lh.jpg"),
        (APPLE_TV_PLUS, "Apple TV Plus", "/6uhKBfmtzFqOcLousHwZuzcrScK.jpg"),
        (10, "Amazon Video", "/seGSXajazLMCKGB5hnRCidtjay1.jpg"),
        (2, "Apple TV", "/9ghgSC0MA082EL6HLCW3GalykFD.jpg"),
    ),
}

MOVIE_GENRES: dict[int, tuple[str, str]] = {
    28: ("Action", "액션"),
    12: ("Adventure", "모험"),
    16: ("Animation", "애니메이션"),
    35: ("Comedy", "코미디"),
    80: ("Crime", "범죄"),
    99: ("Documentary", "다큐멘터리"),
    18: ("Drama", "드라마"),
    10751: ("Family", "가족"),
    14: ("Fantasy", "판타지"),
    36: ("History", "역사"),
    27: ("Horror", "공포"),
    10402: ("Music", "음악"),
    9648: ("Mystery", "미스터리"),
    10749: ("Romance", "로맨스"),
    878: ("Science Fiction", "SF"),
    10770: ("TV Movie", "TV 영화"),
    53: ("Thriller", "스릴러"),
    10752: ("War", "전쟁"),
    37: ("Western", "서부"),
}
# TMDB has no Korean name for the TV-only genres and answers the English one.
TV_GENRES: dict[int, tuple[str, str]] = {
    10759: ("Action & Adventure", "Action & Adventure"),
    16: ("Animation", "애니메이션"),
    35: ("Comedy", "코미디"),
    80: ("Crime", "범죄"),
    99: ("Documentary", "다큐멘터리"),
    18: ("Drama", "드라마"),
    10751: ("Family", "가족"),
    10762: ("Kids", "Kids"),
    9648: ("Mystery", "미스터리"),
    10763: ("News", "News"),
    10764: ("Reality", "Reality"),
    10765: ("Sci-Fi & Fantasy", "Sci-Fi & Fantasy"),
    10766: ("Soap", "Soap"),
    10767: ("Talk", "Talk"),
    10768: ("War & Politics", "War & Politics"),
    37: ("Western", "서부"),
}
GENRES = {"movie": MOVIE_GENRES, "tv": TV_GENRES}

COUNTRY_NAMES = {
    "KR": "South Korea",
    "US": "United States of America",
    "JP": "Japan",
    "GB": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
}
LANGUAGES = {
    "ko": ("Korean", "한국어/조선말"),
    "en": ("English", "English"),
    "ja": ("Japanese", "日本語"),
}


@dataclass(slots=True)
class FakeTitle:
    """One film or series as the fake TMDB knows it.

    `offers` are the KR offers: provider id -> monetization types ("flatrate",
    "free", "ads", "rent", "buy"). `other_offers` holds other regions' offers
    (region -> the same mapping); they show in watch/providers and discover with
    that watch_region. `runtime` is the film's length or a series' episode length.
    """

    media: str  # "movie" or "tv"
    id: int
    title_en: str
    title_ko: str = ""
    original_title: str = ""
    original_language: str = "en"
    origin_country: list[str] = field(default_factory=lambda: ["US"])
    date: str = ""  # release_date (movie) or first_air_date (tv), "YYYY-MM-DD"
    overview_en: str = ""
    overview_ko: str = ""
    genre_ids: list[int] = field(default_factory=list)
    keywords: list[tuple[int, str]] = field(default_factory=list)
    popularity: float = 1.0
    vote_average: float = 0.0
    vote_count: int = 0
    runtime: int | None = None
    seasons: int | None = None  # tv only
    episodes: int | None = None  # tv only
    last_air_date: str | None = None  # tv only
    status: str = "Released"
    imdb_id: str | None = None
    wikidata_id: str | None = None
    tvdb_id: int | None = None  # tv only
    poster_path: str | None = None
    backdrop_path: str | None = None
    offers: dict[int, set[str]] = field(default_factory=dict)
    other_offers: dict[str, dict[int, set[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.media not in ("movie", "tv"):
            raise ValueError(f"media must be 'movie' or 'tv', not {self.media!r}")
        if not self.original_title:
            self.original_title = self.title_en
        if self.media == "tv" and self.status == "Released":
            self.status = "Ended"

    @property
    def key(self) -> tuple[str, int]:
        return (self.media, self.id)

    def region_offers(self, region: str) -> dict[int, set[str]]:
        return self.offers if region == REGION else self.other_offers.get(region, {})


def _rank(title: FakeTitle) -> tuple[float, int]:
    return (-title.popularity, title.id)


# Other sort_by values a client might send; popularity.desc is the default.
_SORTS: dict[str, Callable[[FakeTitle], Any]] = {
    "popularity.asc": lambda t: (t.popularity, t.id),
    "vote_average.desc": lambda t: (-t.vote_average, t.id),
    "vote_count.desc": lambda t: (-t.vote_count, t.id),
    "primary_release_date.desc": lambda t: (_neg_date(t.date), t.id),
    "first_air_date.desc": lambda t: (_neg_date(t.date), t.id),
    "primary_release_date.asc": lambda t: (t.date or "9999", t.id),
    "first_air_date.asc": lambda t: (t.date or "9999", t.id),
}


def _neg_date(value: str) -> int:
    digits = value.replace("-", "")
    return -int(digits) if digits.isdigit() else 0


# The handler thread's request headers: FakeServer hands pattern handlers only the
# path match and the query, and the auth check needs the Authorization header.
_local = threading.local()


class FakeTmdbCatalogue:
    """Serves a title catalogue as TMDB v3 on `server` (a started or not yet
    started FakeServer), with mutations and failure injection for tests.

    `api_keys`: accepted keys/tokens (None = any non-empty one). `keep_alive`
    answers HTTP/1.1 so a requests.Session reuses connections, as with TMDB.
    `latency` (seconds) delays every answer; `rate_limit` (requests per second)
    answers 429 with Retry-After past that rate, like TMDB's ~40/s.
    """

    def __init__(
        self,
        server: FakeServer,
        *,
        titles: Iterable[FakeTitle],
        today: date | None = None,
        api_keys: Iterable[str] | None = None,
        keep_alive: bool = True,
        latency: float = 0.0,
        rate_limit: float | None = None,
    ) -> None:
        self.server = server
        self._today = today
        self.api_keys = frozenset(api_keys) if api_keys is not None else None
        self.latency = latency
        self.rate_limit = rate_limit
        self._lock = threading.RLock()
        self._blocked_changed = threading.Condition(self._lock)
        self._titles: dict[tuple[str, int], FakeTitle] = {}
        for title in titles:
            if title.key in self._titles:
                raise ValueError(f"duplicate title {title.key}")
            self._titles[title.key] = title
        self._changed: dict[tuple[str, int], date] = {}
        # (region, media, provider, type) -> titles by popularity; rebuilt lazily.
        self._index: dict[tuple[str, str, int, str], list[FakeTitle]] = {}
        self._all: dict[str, list[FakeTitle]] = {}
        self._listings: dict[tuple, list[FakeTitle]] = {}
        self._dirty = True
        self._request_count = 0
        self._paths: Counter[str] = Counter()
        self._fail_left = 0
        self._fail_status = 429
        self._fail_retry_after: float | None = 1
        self._fail_prefix: str | None = None
        self._gate: threading.Event | None = None
        self._gate_passes = 0
        self._blocked = 0
        self._recent: deque[float] = deque()
        self._install(keep_alive)
        self._register()

    # ----------------------------------------------------------------- state

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def today(self) -> date:
        return self._today or date.today()

    @today.setter
    def today(self, value: date | None) -> None:
        self._today = value

    @property
    def titles(self) -> list[FakeTitle]:
        """The catalogue now (the same objects the server answers from)."""
        with self._lock:
            return list(self._titles.values())

    def title(self, media: str, tmdb_id: int) -> FakeTitle:
        return self._titles[(media, tmdb_id)]

    def add_title(self, title: FakeTitle, *, changed_on: date | None = None) -> None:
        """A new title; it shows in /changes (TMDB lists new items there)."""
        with self._lock:
            if title.key in self._titles:
                raise ValueError(f"{title.key} is already in the catalogue")
            self._titles[title.key] = title
            self._changed[title.key] = changed_on or self.today
            self._dirty = True

    def remove_title(self, media: str, tmdb_id: int) -> None:
        """The title is gone from TMDB: 404 on details, absent from discover."""
        with self._lock:
            del self._titles[(media, tmdb_id)]
            self._changed.pop((media, tmdb_id), None)
            self._dirty = True

    def touch(
        self,
        media: str,
        tmdb_id: int,
        *,
        changed_on: date | None = None,
        **changes: Any,
    ) -> FakeTitle:
        """Edit fields of a title (e.g. title_ko=...) and list it in /changes."""
        names = {f.name for f in fields(FakeTitle)} - {"media", "id"}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"FakeTitle has no field(s) {sorted(unknown)}")
        with self._lock:
            title = self._titles[(media, tmdb_id)]
            for name, value in changes.items():
                setattr(title, name, value)
            self._changed[title.key] = changed_on or self.today
            self._dirty = True
            return title

    def remove_offer(
        self,
        media: str,
        tmdb_id: int,
        provider_id: int,
        types: Iterable[str] | None = None,
        *,
        region: str = REGION,
    ) -> None:
        """Drop the provider's offers (all types, or `types`). Not listed in
        /changes, as with TMDB's JustWatch-fed availability."""
        with self._lock:
            offers = self._titles[(media, tmdb_id)].region_offers(region)
            if provider_id not in offers:
                raise KeyError(
                    f"{media} {tmdb_id} has no {region} offer of {provider_id}"
                )
            offers[provider_id] -= (
                set(types) if types is not None else offers[provider_id]
            )
            if not offers[provider_id]:
                del offers[provider_id]
            self._dirty = True

    def add_offer(
        self,
        media: str,
        tmdb_id: int,
        provider_id: int,
        *types: str,
        region: str = REGION,
    ) -> None:
        """Offer the title on a provider (default type flatrate); not in /changes."""
        bad = set(types) - set(MONETIZATION_TYPES)
        if bad:
            raise ValueError(f"unknown monetization types {sorted(bad)}")
        with self._lock:
            title = self._titles[(media, tmdb_id)]
            if region == REGION:
                offers = title.offers
            else:
                offers = title.other_offers.setdefault(region, {})
            offers.setdefault(provider_id, set()).update(types or ("flatrate",))
            self._dirty = True

    # ------------------------------------------------- failures and counting

    def fail_next(
        self,
        n: int,
        status: int = 429,
        retry_after: float | None = 1,
        *,
        path_prefix: str | None = None,
    ) -> None:
        """The next n requests (whose path starts with path_prefix, if given) fail:
        429 with TMDB's body and Retry-After, or 5xx with status_code 11."""
        if status != 429 and status < 500:
            raise ValueError("fail_next takes 429 or a 5xx status")
        with self._lock:
            self._fail_left = n
            self._fail_status = status
            self._fail_retry_after = retry_after
            self._fail_prefix = path_prefix

    def block_after(self, n: int) -> None:
        """Let the next n requests through, then hold every later one until
        release() (they count as requests as soon as they arrive)."""
        with self._lock:
            if self._gate is not None:
                self._gate.set()
            self._gate = threading.Event()
            self._gate_passes = n

    def release(self) -> None:
        """Answer the held requests and stop holding new ones."""
        with self._lock:
            if self._gate is not None:
                self._gate.set()
            self._gate = None

    @property
    def blocked(self) -> int:
        """Requests being held by block_after right now."""
        return self._blocked

    def wait_blocked(self, n: int = 1, timeout: float = 10.0) -> bool:
        """Wait until at least n requests are held; False on timeout."""
        with self._blocked_changed:
            return self._blocked_changed.wait_for(lambda: self._blocked >= n, timeout)

    @property
    def request_count(self) -> int:
        """Requests received since the catalogue was attached (failed ones too)."""
        return self._request_count

    def count(self, path_prefix: str = "") -> int:
        """Requests received whose path starts with path_prefix."""
        with self._lock:
            return sum(n for p, n in self._paths.items() if p.startswith(path_prefix))

    def reset_counts(self) -> None:
        with self._lock:
            self._request_count = 0
            self._paths.clear()

    def _admit(self, path: str) -> Canned | None:
        """Count a request, hold it if blocking, and say whether it must fail."""
        with self._lock:
            self._request_count += 1
            self._paths[path] += 1
            gate = None
            if self._gate is not None:
                if self._gate_passes > 0:
                    self._gate_passes -= 1
                else:
                    gate = self._gate
                    self._blocked += 1
                    self._blocked_changed.notify_all()
        if gate is not None:
            # Capped so a test that never calls release() leaks no thread for long.
            gate.wait(BLOCK_TIMEOUT)
            with self._lock:
                self._blocked -= 1
                self._blocked_changed.notify_all()
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            if self._fail_left > 0 and (
                self._fail_prefix is None or path.startswith(self._fail_prefix)
            ):
                self._fail_left -= 1
                return self._failure(self._fail_status, self._fail_retry_after)
            if self.rate_limit:
                now = time.monotonic()
                while self._recent and self._recent[0] <= now - 1.0:
                    self._recent.popleft()
                if len(self._recent) >= self.rate_limit:
                    return self._failure(429, 1)
                self._recent.append(now)
        return None

    @staticmethod
    def _failure(status: int, retry_after: float | None) -> Canned:
        headers = {}
        if retry_after is not None and (status == 429 or status == 503):
            headers["Retry-After"] = f"{retry_after:g}"
        return Canned(status, TMDB_429 if status == 429 else TMDB_5XX, headers)

    def _install(self, keep_alive: bool) -> None:
        """Wrap the server's request handler: count, hold and fail requests before
        FakeServer routes them, and keep the headers for the auth check."""
        httpd = self.server._httpd
        base: type[BaseHTTPRequestHandler] = httpd.RequestHandlerClass
        if getattr(base, "tmdb_catalogue", None) is not None:
            raise RuntimeError("this FakeServer already serves a FakeTmdbCatalogue")
        catalogue = self
        server = self.server

        class Handler(base):  # type: ignore[valid-type,misc]
            tmdb_catalogue = catalogue
            protocol_version = "HTTP/1.1" if keep_alive else base.protocol_version
            # Headers and body go out in separate writes: without this, a kept-alive
            # connection waits ~40 ms per answer on the client's delayed ACK.
            disable_nagle_algorithm = True
            timeout = 60 if keep_alive else None

            def do_GET(self) -> None:
                try:
                    parts = urlsplit(self.path)
                    failure = catalogue._admit(parts.path)
                    if failure is not None:
                        server.requests.append(
                            Recorded(
                                parts.path, parse_qs(parts.query), dict(self.headers)
                            )
                        )
                        _send_json(self, failure)
                        return
                    _local.headers = self.headers
                    try:
                        super().do_GET()
                    finally:
                        _local.headers = None
                except (BrokenPipeError, ConnectionResetError):
                    # The client went away (a test killed it mid-sync).
                    self.close_connection = True

        httpd.RequestHandlerClass = Handler

    # ---------------------------------------------------------------- routes

    def _register(self) -> None:
        add = self.server.add_pattern
        add(r"/3/discover/(movie|tv)", self._guarded(self._discover))
        add(r"/3/(movie|tv)/changes", self._guarded(self._changes))
        add(r"/3/(movie|tv)/(\d+)/watch/providers", self._guarded(self._providers))
        add(r"/3/(movie|tv)/(\d+)/keywords", self._guarded(self._keywords))
        add(r"/3/(movie|tv)/(\d+)/external_ids", self._guarded(self._external_ids))
        add(r"/3/(movie|tv)/(\d+)", self._guarded(self._details))
        add(r"/3/genre/(movie|tv)/list", self._guarded(self._genre_list))
        add(r"/3/watch/providers/(movie|tv)", self._guarded(self._provider_list))

    def _guarded(
        self, handler: Callable[[re.Match, dict], Canned]
    ) -> Callable[[re.Match, dict], Canned]:
        def guarded(match: re.Match, query: dict) -> Canned:
            if not self._authorised(query):
                return Canned(401, TMDB_401)
            return handler(match, query)

        return guarded

    def _authorised(self, query: dict) -> bool:
        headers = getattr(_local, "headers", None)
        keys = set(query.get("api_key") or ())
        auth = headers.get("Authorization", "") if headers is not None else ""
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            keys.add(token.strip())
        keys.discard("")
        if self.api_keys is None:
            return bool(keys)
        return bool(keys & self.api_keys)

    def _lookup(self, match: re.Match) -> FakeTitle | None:
        return self._titles.get((match.group(1), int(match.group(2))))

    def _discover(self, match: re.Match, query: dict) -> Canned:
        media = match.group(1)
        page = _page(query)
        if page is None:
            return Canned(400, TMDB_400_PAGE)
        listing = self._listing(
            media,
            region=_arg(query, "watch_region").upper(),
            providers=_arg(query, "with_watch_providers"),
            types=_arg(query, "with_watch_monetization_types"),
            sort=_arg(query, "sort_by") or "popularity.desc",
        )
        ko = _korean(query)
        rows = listing[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        body = {
            "page": page,
            "results": [_row(t, ko) for t in rows],
            "total_pages": max(1, math.ceil(len(listing) / PAGE_SIZE)),
            "total_results": len(listing),
        }
        return Canned(200, body)

    def _listing(
        self, media: str, *, region: str, providers: str, types: str, sort: str
    ) -> list[FakeTitle]:
        wanted = [t for t in re.split(r"[|,]", types) if t in MONETIZATION_TYPES]
        key = (media, region, providers, tuple(sorted(wanted)), sort)
        with self._lock:
            if self._dirty:
                self._rebuild()
            cached = self._listings.get(key)
            if cached is not None:
                return cached
            if not region or not (providers or wanted):
                listing = self._all.get(media, [])
            else:
                listing = self._filtered(media, region, providers, wanted)
            if sort in _SORTS:
                listing = sorted(listing, key=_SORTS[sort])
            self._listings[key] = listing
            return listing

    def _filtered(
        self, media: str, region: str, providers: str, wanted: list[str]
    ) -> list[FakeTitle]:
        types = wanted or list(MONETIZATION_TYPES)
        # "," is AND and "|" is OR (TMDB's discover docs); no providers = any.
        if providers:
            groups = [
                [int(p) for p in part.split("|") if p.strip().isdigit()]
                for part in providers.split(",")
            ]
        else:
            groups = [sorted({k[2] for k in self._index if k[:2] == (region, media)})]
        if len(groups) == 1 and len(groups[0]) == 1 and len(types) == 1:
            return self._index.get((region, media, groups[0][0], types[0]), [])
        chosen: set[tuple[str, int]] | None = None
        for group in groups:
            keys = {
                t.key
                for pid in group
                for kind in types
                for t in self._index.get((region, media, pid, kind), ())
            }
            chosen = keys if chosen is None else chosen & keys
        return [t for t in self._all.get(media, []) if t.key in (chosen or ())]

    def _rebuild(self) -> None:
        index: dict[tuple[str, str, int, str], list[FakeTitle]] = {}
        everything: dict[str, list[FakeTitle]] = {"movie": [], "tv": []}
        for title in self._titles.values():
            everything[title.media].append(title)
            for region in (REGION, *title.other_offers):
                for pid, kinds in title.region_offers(region).items():
                    for kind in kinds:
                        index.setdefault((region, title.media, pid, kind), []).append(
                            title
                        )
        for listing in (*index.values(), *everything.values()):
            listing.sort(key=_rank)
        self._index = index
        self._all = everything
        self._listings = {}
        self._dirty = False

    def _details(self, match: re.Match, query: dict) -> Canned:
        title = self._lookup(match)
        if title is None:
            return Canned(404, TMDB_404)
        ko = _korean(query)
        with self._lock:
            body = _details(title, ko)
            appended = {a.strip() for a in _arg(query, "append_to_response").split(",")}
            if "keywords" in appended:
                body["keywords"] = _keywords(title)
            if "external_ids" in appended:
                body["external_ids"] = _external_ids(title)
            if "watch/providers" in appended:
                body["watch/providers"] = {"results": _provider_results(title)}
        return Canned(200, body)

    def _providers(self, match: re.Match, query: dict) -> Canned:
        title = self._lookup(match)
        if title is None:
            return Canned(404, TMDB_404)
        with self._lock:
            return Canned(200, {"id": title.id, "results": _provider_results(title)})

    def _keywords(self, match: re.Match, query: dict) -> Canned:
        title = self._lookup(match)
        return Canned(200, _keywords(title)) if title else Canned(404, TMDB_404)

    def _external_ids(self, match: re.Match, query: dict) -> Canned:
        title = self._lookup(match)
        return Canned(200, _external_ids(title)) if title else Canned(404, TMDB_404)

    def _changes(self, match: re.Match, query: dict) -> Canned:
        media = match.group(1)
        page = _page(query)
        if page is None:
            return Canned(400, TMDB_400_PAGE)
        try:
            end = _date_arg(query, "end_date") or self.today
            start = _date_arg(query, "start_date") or end - timedelta(days=1)
        except ValueError:
            return Canned(400, TMDB_400_INPUT)
        if end < start or (end - start).days > 14:
            return Canned(400, TMDB_400_INPUT)
        with self._lock:
            changed = sorted(
                (
                    (-day.toordinal(), tmdb_id)
                    for (m, tmdb_id), day in self._changed.items()
                    if m == media and start <= day <= end
                ),
            )
        ids = [tmdb_id for _, tmdb_id in changed]
        chunk = ids[(page - 1) * CHANGES_PAGE_SIZE : page * CHANGES_PAGE_SIZE]
        body = {
            "results": [{"id": i, "adult": False} for i in chunk],
            "page": page,
            "total_pages": max(1, math.ceil(len(ids) / CHANGES_PAGE_SIZE)),
            "total_results": len(ids),
        }
        return Canned(200, body)

    def _genre_list(self, match: re.Match, query: dict) -> Canned:
        ko = _korean(query)
        genres = GENRES[match.group(1)]
        return Canned(200, {"genres": [_genre(g, genres, ko) for g in genres]})

    def _provider_list(self, match: re.Match, query: dict) -> Canned:
        region = _arg(query, "watch_region").upper()
        rows: dict[int, dict[str, Any]] = {}
        for country, providers in PROVIDERS.items():
            if region and country != region:
                continue
            for p in providers.values():
                row = rows.setdefault(
                    p.id,
                    {
                        "display_priorities": {},
                        "display_priority": p.display_priority,
                        "logo_path": p.logo_path,
                        "provider_name": p.name,
                        "provider_id": p.id,
                    },
                )
                row["display_priorities"][country] = p.display_priority
        return Canned(200, {"results": list(rows.values())})


# ------------------------------------------------------------ wire format


def _send_json(handler: BaseHTTPRequestHandler, canned: Canned) -> None:
    payload = json.dumps(canned.body).encode()
    handler.send_response(canned.status)
    handler.send_header("Content-Type", "application/json;charset=utf-8")
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in canned.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)


def _arg(query: dict, name: str) -> str:
    values = query.get(name)
    return values[0].strip() if values else ""


def _page(query: dict) -> int | None:
    raw = _arg(query, "page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        return None
    return int(raw)


def _date_arg(query: dict, name: str) -> date | None:
    raw = _arg(query, name)
    return date.fromisoformat(raw) if raw else None


def _korean(query: dict) -> bool:
    return _arg(query, "language").lower().startswith("ko")


def _title(t: FakeTitle, ko: bool) -> str:
    return (t.title_ko or t.title_en) if ko else t.title_en


def _overview(t: FakeTitle, ko: bool) -> str:
    if ko:
        return t.overview_ko if t.title_ko else ""
    return t.overview_en


def _genre(genre_id: int, table: dict[int, tuple[str, str]], ko: bool) -> dict:
    en, korean = table.get(genre_id, (str(genre_id), str(genre_id)))
    return {"id": genre_id, "name": korean if ko else en}


def _row(t: FakeTitle, ko: bool) -> dict[str, Any]:
    if t.media == "movie":
        return {
            "adult": False,
            "backdrop_path": t.backdrop_path,
            "genre_ids": list(t.genre_ids),
            "id": t.id,
            "original_language": t.original_language,
            "original_title": t.original_title,
            "overview": _overview(t, ko),
            "popularity": t.popularity,
            "poster_path": t.poster_path,
            "release_date": t.date,
            "title": _title(t, ko),
            "video": False,
            "vote_average": t.vote_average,
            "vote_count": t.vote_count,
        }
    return {
        "adult": False,
        "backdrop_path": t.backdrop_path,
        "genre_ids": list(t.genre_ids),
        "id": t.id,
        "origin_country": list(t.origin_country),
        "original_language": t.original_language,
        "original_name": t.original_title,
        "overview": _overview(t, ko),
        "popularity": t.popularity,
        "poster_path": t.poster_path,
        "first_air_date": t.date,
        "name": _title(t, ko),
        "vote_average": t.vote_average,
        "vote_count": t.vote_count,
    }


def _languages(t: FakeTitle) -> list[dict[str, str]]:
    english, native = LANGUAGES.get(t.original_language, (t.original_language,) * 2)
    return [{"english_name": english, "iso_639_1": t.original_language, "name": native}]


def _details(t: FakeTitle, ko: bool) -> dict[str, Any]:
    genres = [_genre(g, GENRES[t.media], ko) for g in t.genre_ids]
    countries = [
        {"iso_3166_1": c, "name": COUNTRY_NAMES.get(c, c)} for c in t.origin_country
    ]
    if t.media == "movie":
        return {
            "adult": False,
            "backdrop_path": t.backdrop_path,
            "belongs_to_collection": None,
            "budget": 0,
            "genres": genres,
            "homepage": "",
            "id": t.id,
            "imdb_id": t.imdb_id,
            "origin_country": list(t.origin_country),
            "original_language": t.original_language,
            "original_title": t.original_title,
            "overview": _overview(t, ko),
            "popularity": t.popularity,
            "poster_path": t.poster_path,
            "production_companies": [],
            "production_countries": countries,
            "release_date": t.date,
            "revenue": 0,
            "runtime": t.runtime or 0,
            "spoken_languages": _languages(t),
            "status": t.status,
            "tagline": "",
            "title": _title(t, ko),
            "video": False,
            "vote_average": t.vote_average,
            "vote_count": t.vote_count,
        }
    seasons = t.seasons or 1
    episodes = t.episodes or seasons
    start_year = int(t.date[:4]) if t.date[:4].isdigit() else None
    return {
        "adult": False,
        "backdrop_path": t.backdrop_path,
        "created_by": [],
        "episode_run_time": [t.runtime] if t.runtime else [],
        "first_air_date": t.date,
        "genres": genres,
        "homepage": "",
        "id": t.id,
        "in_production": t.status == "Returning Series",
        "languages": [t.original_language],
        "last_air_date": t.last_air_date or t.date,
        "last_episode_to_air": None,
        "name": _title(t, ko),
        "networks": [],
        "next_episode_to_air": None,
        "number_of_episodes": episodes,
        "number_of_seasons": seasons,
        "origin_country": list(t.origin_country),
        "original_language": t.original_language,
        "original_name": t.original_title,
        "overview": _overview(t, ko),
        "popularity": t.popularity,
        "poster_path": t.poster_path,
        "production_companies": [],
        "production_countries": countries,
        "seasons": [
            {
                "air_date": f"{start_year + n - 1}{t.date[4:]}" if start_year else None,
                "episode_count": episodes // seasons + (n <= episodes % seasons),
                "id": t.id * 100 + n,
                "name": f"시즌 {n}" if ko else f"Season {n}",
                "overview": "",
                "poster_path": None,
                "season_number": n,
                "vote_average": 0.0,
            }
            for n in range(1, seasons + 1)
        ],
        "spoken_languages": _languages(t),
        "status": t.status,
        "tagline": "",
        "type": _tv_type(t),
        "vote_average": t.vote_average,
        "vote_count": t.vote_count,
    }


def _tv_type(t: FakeTitle) -> str:
    for genre, kind in ((10764, "Reality"), (99, "Documentary"), (10767, "Talk Show")):
        if genre in t.genre_ids:
            return kind
    return "Miniseries" if t.seasons == 1 and t.status == "Ended" else "Scripted"


def _keywords(t: FakeTitle) -> dict[str, Any]:
    rows = [{"id": i, "name": name} for i, name in t.keywords]
    # TMDB's quirk: a series' keywords are under "results", a film's "keywords".
    return {"id": t.id, ("keywords" if t.media == "movie" else "results"): rows}


def _external_ids(t: FakeTitle) -> dict[str, Any]:
    if t.media == "movie":
        return {
            "id": t.id,
            "imdb_id": t.imdb_id,
            "wikidata_id": t.wikidata_id,
            "facebook_id": None,
            "instagram_id": None,
            "twitter_id": None,
        }
    return {
        "id": t.id,
        "imdb_id": t.imdb_id,
        "freebase_mid": None,
        "freebase_id": None,
        "tvdb_id": t.tvdb_id,
        "tvrage_id": None,
        "wikidata_id": t.wikidata_id,
        "facebook_id": None,
        "instagram_id": None,
        "twitter_id": None,
    }


def _provider_results(t: FakeTitle) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for region in (REGION, *sorted(t.other_offers)):
        offers = t.region_offers(region)
        table = PROVIDERS.get(region, {})
        entry: dict[str, Any] = {}
        for kind in MONETIZATION_TYPES:
            providers = sorted(
                (
                    table.get(pid) or Provider(pid, str(pid), "/unknown.jpg", 99)
                    for pid, kinds in offers.items()
                    if kind in kinds
                ),
                key=lambda p: (p.display_priority, p.id),
            )
            if providers:
                entry[kind] = [
                    {
                        "logo_path": p.logo_path,
                        "provider_id": p.id,
                        "provider_name": p.name,
                        "display_priority": p.display_priority,
                    }
                    for p in providers
                ]
        if entry:
            link = f"https://www.themoviedb.org/{t.media}/{t.id}/watch?locale={region}"
            results[region] = {"link": link, **entry}
    return results


# -------------------------------------------------------------- generator

# (English, Korean translation, Korean transliteration, Japanese)
_ADJECTIVES = [
    ("Last", "마지막", "라스트", "最後の"),
    ("Dark", "어두운", "다크", "暗い"),
    ("Silent", "조용한", "사일런트", "静かな"),
    ("Lost", "잃어버린", "로스트", "失われた"),
    ("Secret", "비밀의", "시크릿", "秘密の"),
    ("Red", "붉은", "레드", "赤い"),
    ("Black", "검은", "블랙", "黒い"),
    ("Blue", "푸른", "블루", "青い"),
    ("Little", "작은", "리틀", "小さな"),
    ("Broken", "부서진", "브로큰", "壊れた"),
    ("Hidden", "숨겨진", "히든", "隠された"),
    ("Endless", "끝없는", "엔드리스", "終わりなき"),
    ("Cold", "차가운", "콜드", "冷たい"),
    ("Golden", "황금빛", "골든", "黄金の"),
    ("Wild", "거친", "와일드", "野生の"),
    ("Strange", "이상한", "스트레인지", "奇妙な"),
    ("Perfect", "완벽한", "퍼펙트", "完璧な"),
    ("Beautiful", "아름다운", "뷰티풀", "美しい"),
    ("Dangerous", "위험한", "데인저러스", "危険な"),
    ("First", "첫", "퍼스트", "最初の"),
    ("Eternal", "영원한", "이터널", "永遠の"),
    ("Bright", "빛나는", "브라이트", "輝く"),
    ("Forgotten", "잊혀진", "포가튼", "忘れられた"),
    ("Midnight", "자정의", "미드나잇", "真夜中の"),
    ("Crazy", "미친", "크레이지", "狂った"),
    ("Brave", "용감한", "브레이브", "勇敢な"),
    ("Final", "최후의", "파이널", "最終の"),
    ("Young", "젊은", "영", "若き"),
    ("Wicked", "사악한", "위키드", "邪悪な"),
    ("Sweet", "달콤한", "스위트", "甘い"),
]
_NOUNS = [
    ("Night", "밤", "나이트", "夜"),
    ("City", "도시", "시티", "街"),
    ("Heart", "마음", "하트", "心"),
    ("Road", "길", "로드", "道"),
    ("House", "집", "하우스", "家"),
    ("Island", "섬", "아일랜드", "島"),
    ("Game", "게임", "게임", "ゲーム"),
    ("Hunter", "사냥꾼", "헌터", "ハンター"),
    ("Girl", "소녀", "걸", "少女"),
    ("Boy", "소년", "보이", "少年"),
    ("King", "왕", "킹", "王"),
    ("Queen", "여왕", "퀸", "女王"),
    ("Kingdom", "왕국", "킹덤", "王国"),
    ("Star", "별", "스타", "星"),
    ("Moon", "달", "문", "月"),
    ("Storm", "폭풍", "스톰", "嵐"),
    ("Ghost", "유령", "고스트", "幽霊"),
    ("Shadow", "그림자", "섀도우", "影"),
    ("Hero", "영웅", "히어로", "英雄"),
    ("Doctor", "의사", "닥터", "医者"),
    ("Family", "가족", "패밀리", "家族"),
    ("Legend", "전설", "레전드", "伝説"),
    ("Summer", "여름", "썸머", "夏"),
    ("Winter", "겨울", "윈터", "冬"),
    ("Spring", "봄", "스프링", "春"),
    ("Fire", "불꽃", "파이어", "炎"),
    ("Empire", "제국", "엠파이어", "帝国"),
    ("War", "전쟁", "워", "戦争"),
    ("Wolf", "늑대", "울프", "狼"),
    ("Killer", "살인자", "킬러", "殺し屋"),
    ("Agent", "요원", "에이전트", "エージェント"),
    ("Spy", "스파이", "스파이", "スパイ"),
    ("Detective", "형사", "디텍티브", "探偵"),
    ("Wedding", "결혼식", "웨딩", "結婚式"),
    ("Revenge", "복수", "리벤지", "復讐"),
    ("Dream", "꿈", "드림", "夢"),
    ("Mission", "임무", "미션", "任務"),
    ("Code", "암호", "코드", "暗号"),
    ("Promise", "약속", "프라미스", "約束"),
    ("Memory", "기억", "메모리", "記憶"),
    ("Garden", "정원", "가든", "庭"),
    ("River", "강", "리버", "川"),
    ("Mountain", "산", "마운틴", "山"),
    ("School", "학교", "스쿨", "学校"),
    ("Station", "역", "스테이션", "駅"),
    ("Letter", "편지", "레터", "手紙"),
    ("Song", "노래", "송", "歌"),
    ("Journey", "여정", "저니", "旅"),
    ("Stranger", "이방인", "스트레인저", "異邦人"),
    ("Witness", "목격자", "위트니스", "目撃者"),
    ("Lawyer", "변호사", "로이어", "弁護士"),
    ("Chef", "셰프", "셰프", "シェフ"),
    ("Village", "마을", "빌리지", "村"),
    ("Hospital", "병원", "호스피탈", "病院"),
    ("Prison", "감옥", "프리즌", "監獄"),
]
_ROLES = [
    ("a retired detective", "은퇴한 형사"),
    ("a young chef", "젊은 셰프"),
    ("a grieving mother", "슬픔에 잠긴 어머니"),
    ("a small-town lawyer", "시골 변호사"),
    ("a high school student", "한 고등학생"),
    ("a former spy", "전직 스파이"),
    ("a struggling musician", "무명 음악가"),
    ("a single father", "싱글 대디"),
    ("an ambitious prosecutor", "야심찬 검사"),
    ("a lonely robot", "외로운 로봇"),
    ("a rookie police officer", "신입 경찰"),
    ("a famous actress", "유명 배우"),
]
_PLACES = [
    ("In Seoul", "서울에서"),
    ("On a remote island", "외딴 섬에서"),
    ("In 1980s Busan", "1980년대 부산에서"),
    ("In a near-future city", "가까운 미래의 도시에서"),
    ("In a quiet village", "조용한 마을에서"),
    ("In Tokyo", "도쿄에서"),
    ("In New York", "뉴욕에서"),
    ("In London", "런던에서"),
    ("At a mountain hospital", "산속 병원에서"),
]
_EVENTS = [
    (
        "uncovers a conspiracy that reaches the top",
        "정상까지 닿아 있는 음모를 밝혀낸다",
    ),
    ("must protect a secret at any cost", "어떤 대가를 치르더라도 비밀을 지켜야 한다"),
    (
        "falls for the last person they expected",
        "전혀 예상하지 못한 사람과 사랑에 빠진다",
    ),
    (
        "gets one last chance to set things right",
        "모든 것을 바로잡을 마지막 기회를 얻는다",
    ),
    ("is drawn into a deadly game", "목숨을 건 게임에 휘말린다"),
    ("searches for a missing friend", "실종된 친구를 찾아 나선다"),
    (
        "inherits a house full of strange rules",
        "이상한 규칙으로 가득한 집을 물려받는다",
    ),
    ("plans the heist of a lifetime", "일생일대의 한탕을 계획한다"),
]
_CODAS = [
    ("Nothing will ever be the same.", "이제 아무것도 예전 같지 않다."),
    ("Based on a true story.", "실화를 바탕으로 한 이야기."),
    (
        "But the truth is closer than anyone thinks.",
        "하지만 진실은 생각보다 가까이 있다.",
    ),
    ("", ""),
    (
        "A story of love, loss and second chances.",
        "사랑과 상실, 그리고 두 번째 기회에 관한 이야기.",
    ),
]
# Illustrative keyword ids (names as TMDB writes them: English, lower case).
_KEYWORDS = [
    (818, "based on novel or book"),
    (9672, "based on true story"),
    (9715, "superhero"),
    (6054, "friendship"),
    (10183, "independent film"),
    (210024, "anime"),
    (1568, "undercover"),
    (9748, "revenge"),
    (12377, "zombie"),
    (4344, "musical"),
    (9799, "romantic comedy"),
    (10714, "serial killer"),
    (6270, "high school"),
    (5565, "biography"),
    (3133, "vampire"),
    (6149, "police"),
    (4565, "dystopia"),
    (9882, "space"),
    (10349, "survival"),
    (1299, "monster"),
    (9663, "sequel"),
    (156212, "spy"),
    (207317, "christmas"),
    (13130, "teenager"),
    (5248, "female protagonist"),
    (10084, "rescue"),
    (33637, "korean war"),
    (158718, "lgbt"),
    (9951, "alien"),
    (1721, "fight"),
]
# Real Korean release titles of a few films MovieLens users rate most.
_KOREAN_TITLES = {
    "Toy Story": "토이 스토리",
    "The Shawshank Redemption": "쇼생크 탈출",
    "Forrest Gump": "포레스트 검프",
    "Pulp Fiction": "펄프 픽션",
    "The Matrix": "매트릭스",
    "Fight Club": "파이트 클럽",
    "Jurassic Park": "쥬라기 공원",
    "The Silence of the Lambs": "양들의 침묵",
    "Schindler's List": "쉰들러 리스트",
    "Titanic": "타이타닉",
    "The Godfather": "대부",
    "Braveheart": "브레이브하트",
    "Back to the Future": "백 투 더 퓨처",
    "Inception": "인셉션",
    "The Dark Knight": "다크 나이트",
    "Fargo": "파고",
    "Independence Day": "인디펜던스 데이",
    "Apollo 13": "아폴로 13",
    "Aladdin": "알라딘",
    "The Lion King": "라이온 킹",
    "Beauty and the Beast": "미녀와 야수",
    "Seven": "세븐",
    "The Usual Suspects": "유주얼 서스펙트",
    "Heat": "히트",
    "Jumanji": "쥬만지",
    "GoldenEye": "007 골든아이",
    "Twelve Monkeys": "12 몽키즈",
    "Star Wars": "스타워즈",
}

_MOVIE_GENRE_WEIGHTS = {
    18: 20, 35: 14, 28: 12, 53: 10, 10749: 8, 27: 7, 80: 7, 12: 6, 16: 5, 878: 5,
    14: 4, 10751: 4, 99: 4, 9648: 4, 36: 2, 10402: 2, 10752: 2, 37: 1, 10770: 1,
}  # fmt: skip
_TV_GENRE_WEIGHTS = {
    18: 25, 35: 12, 80: 10, 10759: 9, 10765: 8, 16: 7, 9648: 6, 10764: 5, 99: 4,
    10751: 3, 10762: 3, 10768: 2, 10766: 2, 10767: 2, 10763: 1, 37: 1,
}  # fmt: skip
# Subscription services' relative catalogue sizes, then per origin multipliers:
# Korean broadcasters' shows live on TVING/wavve, Disney and Apple carry their own.
_SERVICE_WEIGHTS = {
    NETFLIX: 30, TVING: 16, WAVVE: 13, COUPANG_PLAY: 11, WATCHA: 10,
    DISNEY_PLUS: 8, PRIME_VIDEO: 7, APPLE_TV_PLUS: 3,
}  # fmt: skip
_ORIGIN_SERVICE_BIAS = {
    "KR": {TVING: 2.2, WAVVE: 2.2, COUPANG_PLAY: 1.7, WATCHA: 1.2, DISNEY_PLUS: 0.4,
           PRIME_VIDEO: 0.3, APPLE_TV_PLUS: 0.15},
    "US": {TVING: 0.5, WAVVE: 0.4, COUPANG_PLAY: 0.8, DISNEY_PLUS: 1.6,
           PRIME_VIDEO: 1.4, APPLE_TV_PLUS: 1.5},
    "JP": {WATCHA: 1.8, TVING: 0.8, WAVVE: 0.9, APPLE_TV_PLUS: 0.1, DISNEY_PLUS: 0.5},
}  # fmt: skip
# Origins: (country, language, weight for films, weight for series)
_ORIGINS = [
    ("KR", "ko", 28, 42),
    ("US", "en", 44, 32),
    ("JP", "ja", 12, 17),
    ("GB", "en", 9, 6),
    ("CA", "en", 4, 2),
    ("AU", "en", 3, 1),
]
_LATEST = date(2026, 11, 30)  # fixed so a seed gives the same catalogue any day
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ML_ARTICLE = re.compile(
    r"^(.+?),\s*(The|A|An|La|Le|Les|L'|Il|Das|Der|Die|El|Los|Las|Det|Den)$"
)
_ML_YEAR = re.compile(r"\s*\((\d{4})(?:[-–]\d{0,4})?\)\s*$")

MovieLensEntry = (
    tuple[int | None, str, int | None] | tuple[int | None, str, int | None, str | None]
)


def _batchim(word: str) -> bool:
    """Whether a word ends in a Hangul syllable with a final consonant (-> 과/은)."""
    last = word.rstrip()[-1:]
    return "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0


class _Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_names: set[str] = set()
        self.used_imdb: set[str] = set()

    def weighted(self, weights: dict[Any, float]) -> Any:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def path(self) -> str:
        return "/" + "".join(self.rng.choice(_BASE62) for _ in range(27)) + ".jpg"

    def origin(self, media: str) -> tuple[str, str]:
        column = 2 if media == "movie" else 3
        row = self.rng.choices(_ORIGINS, weights=[o[column] for o in _ORIGINS])[0]
        return row[0], row[1]

    def names(self) -> tuple[str, str, str, str]:
        """(English, Korean translation, Korean transliteration, Japanese)."""
        for _ in range(8):
            names = self._names()
            if names[0] not in self.used_names:
                break
        # After a few tries a repeat stands: real catalogues have remakes too.
        self.used_names.add(names[0])
        return names

    def _names(self) -> tuple[str, str, str, str]:
        rng = self.rng
        a = rng.choice(_ADJECTIVES)
        n, n2 = rng.sample(_NOUNS, 2)
        pattern = rng.choices(range(6), weights=[22, 18, 10, 22, 12, 6])[0]
        if pattern == 0:
            en, ko, tl, ja = (
                f"The {a[0]} {n[0]}", f"{a[1]} {n[1]}", f"{a[2]} {n[2]}", a[3] + n[3]
            )  # fmt: skip
        elif pattern == 1:
            en, ko, tl, ja = (
                f"{a[0]} {n[0]}",
                f"{a[1]} {n[1]}",
                f"{a[2]} {n[2]}",
                a[3] + n[3],
            )
        elif pattern == 2:
            en, ko, tl, ja = f"The {n[0]}", n[1], f"더 {n[2]}", n[3]
        elif pattern == 3:
            en, ko, tl, ja = (
                f"{n[0]} of the {n2[0]}", f"{n2[1]}의 {n[1]}",
                f"{n[2]} 오브 더 {n2[2]}", f"{n2[3]}の{n[3]}",
            )  # fmt: skip
        elif pattern == 4:
            conj = "과" if _batchim(n[1]) else "와"
            en, ko, tl, ja = (
                f"{n[0]} and {n2[0]}", f"{n[1]}{conj} {n2[1]}",
                f"{n[2]} 앤 {n2[2]}", f"{n[3]}と{n2[3]}",
            )  # fmt: skip
        else:
            en, ko, tl, ja = (
                f"My {a[0]} {n[0]}", f"나의 {a[1]} {n[1]}",
                f"마이 {a[2]} {n[2]}", f"私の{a[3]}{n[3]}",
            )  # fmt: skip
        if rng.random() < 0.06:
            sequel = str(rng.choice((2, 2, 2, 3, 4)))
            en, ko, tl, ja = (f"{x} {sequel}" for x in (en, ko, tl, ja))
        return en, ko, tl, ja

    def overview(self) -> tuple[str, str]:
        rng = self.rng
        role, place, event, coda = (
            rng.choice(_ROLES), rng.choice(_PLACES), rng.choice(_EVENTS),
            rng.choice(_CODAS),
        )  # fmt: skip
        topic = "은" if _batchim(role[1]) else "는"
        en = f"{place[0]}, {role[0]} {event[0]}. {coda[0]}".strip()
        ko = f"{place[1]} {role[1]}{topic} {event[1]}. {coda[1]}".strip()
        return en, ko

    def year(self) -> int:
        rng = self.rng
        if rng.random() < 0.78:
            # Newer years weigh more: streaming catalogues lean recent.
            return rng.choices(range(2015, 2027), weights=range(6, 18))[0]
        return rng.choices(range(1960, 2015), weights=range(1, 56))[0]

    def date_in(self, year: int) -> str:
        day = date(year, 1, 1) + timedelta(days=self.rng.randrange(365))
        return min(day, _LATEST).isoformat()

    def genres(self, media: str, country: str) -> list[int]:
        weights = dict(_MOVIE_GENRE_WEIGHTS if media == "movie" else _TV_GENRE_WEIGHTS)
        chosen: list[int] = []
        if country == "JP" and self.rng.random() < (0.55 if media == "tv" else 0.3):
            chosen.append(16)
        for _ in range(self.rng.choices((1, 2, 3), weights=(35, 45, 20))[0]):
            for g in chosen:
                weights.pop(g, None)
            if weights:
                chosen.append(self.weighted(weights))
        return chosen[:3]

    def keywords(self, genres: list[int], country: str) -> list[tuple[int, str]]:
        pool = [k for k in _KEYWORDS if k[0] != 210024]
        picked = self.rng.sample(pool, self.rng.choice((0, 1, 2, 2, 3, 4, 5)))
        if country == "JP" and 16 in genres and self.rng.random() < 0.8:
            picked.insert(0, (210024, "anime"))
        seen: set[int] = set()
        return [k for k in picked if not (k[0] in seen or seen.add(k[0]))]

    def popularity(self, year: int) -> float:
        # Pareto: a few titles in the thousands, the median around ten, as on TMDB.
        value = 6.0 * self.rng.paretovariate(1.16)
        if year < 2015:
            value *= 0.6
        elif year >= 2024:
            value *= 1.5
        return round(min(value, 8000.0), 3)

    def votes(self, popularity: float, year: int) -> tuple[float, int]:
        age = max(0, 2026 - year)
        count = int(popularity * self.rng.uniform(3, 40) * (1 + age / 8))
        if count == 0:
            return 0.0, 0
        average = min(9.4, max(2.0, self.rng.gauss(6.8, 0.8)))
        return round(average, 3), count

    def imdb(self, share: float) -> str | None:
        if self.rng.random() >= share:
            return None
        while True:
            value = f"tt{self.rng.randrange(100_000, 36_000_000):07d}"
            if value not in self.used_imdb:
                self.used_imdb.add(value)
                return value

    def wikidata(self) -> str | None:
        return (
            f"Q{self.rng.randrange(1_000, 130_000_000)}"
            if self.rng.random() < 0.6
            else None
        )

    def offers(
        self, media: str, country: str, *, tvod_only: bool = False
    ) -> dict[int, set[str]]:
        rng = self.rng
        offers: dict[int, set[str]] = {}
        if not tvod_only:
            weights = {
                pid: w * _ORIGIN_SERVICE_BIAS.get(country, {}).get(pid, 1.0)
                for pid, w in _SERVICE_WEIGHTS.items()
            }
            for _ in range(rng.choices((1, 2, 3), weights=(62, 28, 10))[0]):
                pid = self.weighted(weights)
                del weights[pid]
                roll = rng.random()
                if roll < 0.03:
                    offers[pid] = {"flatrate", "ads"}
                elif roll < 0.05:
                    offers[pid] = {"ads"}
                elif roll < 0.07:
                    offers[pid] = {"free"}
                else:
                    offers[pid] = {"flatrate"}
        # Stores: films are often also for rent and sale; series seldom.
        if tvod_only or rng.random() < (0.3 if media == "movie" else 0.06):
            for store in rng.sample((NAVER_STORE, GOOGLE_PLAY), rng.choice((1, 1, 2))):
                offers[store] = {"rent", "buy"} if media == "movie" else {"buy"}
        if media == "movie" and WAVVE not in offers and rng.random() < 0.03:
            offers[WAVVE] = {"buy"}
        return offers

    def us_offers(self, kr: dict[int, set[str]], country: str) -> dict[str, Any]:
        rng = self.rng
        if rng.random() > (0.6 if country == "US" else 0.3):
            return {}
        us: dict[int, set[str]] = {}
        for pid in (NETFLIX, DISNEY_PLUS, APPLE_TV_PLUS):
            if pid in kr and rng.random() < 0.7:
                us[pid] = {"flatrate"}
        if rng.random() < 0.3:
            us[rng.choice((9, 15))] = {"flatrate"}
        if rng.random() < 0.5:
            us[rng.choice((10, 2))] = {"rent", "buy"}
        return {"US": us} if us else {}

    def title(
        self,
        media: str,
        tmdb_id: int,
        *,
        origin: tuple[str, str] | None = None,
        names: tuple[str, str, str, str] | None = None,
        year: int | None = None,
        original_title: str | None = None,
        tvod_only: bool = False,
    ) -> FakeTitle:
        rng = self.rng
        country, language = origin or self.origin(media)
        en, ko_translated, ko_transliterated, ja = names or self.names()
        if country == "KR":
            ko = original = ko_translated
        else:
            # Korean releases keep many foreign titles as Hangul transliterations.
            ko = ko_transliterated if rng.random() < 0.35 else ko_translated
            original = ja if country == "JP" else en
        if original_title is not None:
            original = original_title
        year = year or self.year()
        overview_en, overview_ko = self.overview()
        genres = self.genres(media, country)
        popularity = self.popularity(year)
        vote_average, vote_count = self.votes(popularity, year)
        offers = self.offers(media, country, tvod_only=tvod_only)
        title = FakeTitle(
            media=media,
            id=tmdb_id,
            title_en=en,
            title_ko=ko,
            original_title=original,
            original_language=language,
            origin_country=[country],
            date=self.date_in(year),
            overview_en=overview_en,
            overview_ko=overview_ko,
            genre_ids=genres,
            keywords=self.keywords(genres, country),
            popularity=popularity,
            vote_average=vote_average,
            vote_count=vote_count,
            imdb_id=self.imdb(0.92 if media == "movie" else 0.65),
            wikidata_id=self.wikidata(),
            poster_path=self.path() if rng.random() < 0.98 else None,
            backdrop_path=self.path() if rng.random() < 0.9 else None,
            offers=offers,
            other_offers=self.us_offers(offers, country),
        )
        if media == "movie":
            title.runtime = (
                rng.randint(80, 105) if 16 in genres else int(rng.gauss(112, 18))
            )
            title.runtime = max(title.runtime, 62)
        else:
            self._series(title, country)
        return title

    def _series(self, title: FakeTitle, country: str) -> None:
        rng = self.rng
        anime = 16 in title.genre_ids
        title.seasons = rng.choices((1, 2, 3, 4, 5, 8), weights=(50, 20, 12, 8, 6, 4))[
            0
        ]
        per_season = {
            "KR": rng.choice((12, 16, 16, 8)),
            "JP": rng.choice((12, 13, 24)),
        }.get(country, rng.choice((6, 8, 10, 10, 13, 22)))
        title.episodes = title.seasons * per_season
        title.runtime = (
            24
            if anime
            else {"KR": rng.choice((60, 70, 65))}.get(
                country, rng.choice((30, 45, 50, 60))
            )
        )
        title.tvdb_id = rng.randrange(70_000, 460_000) if rng.random() < 0.8 else None
        start = date.fromisoformat(title.date)
        last = date(
            min(start.year + title.seasons - 1, _LATEST.year), start.month, 1
        ) + timedelta(days=rng.randrange(28, 120))
        last = min(max(last, start), _LATEST)
        title.last_air_date = last.isoformat()
        recent = (_LATEST - last).days < 400
        if recent and rng.random() < 0.55:
            title.status = "Returning Series"
        else:
            title.status = "Canceled" if rng.random() < 0.12 else "Ended"


def _fresh_ids(
    rng: random.Random, n: int, low: int, high: int, taken: set[int]
) -> list[int]:
    ids: list[int] = []
    while len(ids) < n:
        candidate = rng.randrange(low, high)
        if candidate not in taken:
            taken.add(candidate)
            ids.append(candidate)
    return ids


def _movielens_names(raw: str, year: int | None) -> tuple[str, int | None]:
    """'Shawshank Redemption, The (1994)' -> ('The Shawshank Redemption', 1994)."""
    match = _ML_YEAR.search(raw)
    if match:
        year = year or int(match.group(1))
        raw = raw[: match.start()]
    # Written out here rather than borrowed from catalog.titles, so the fake does
    # not share a bug with the matcher it tests. Alternates in parentheses drop.
    main = re.sub(r"\s*\([^()]*\)", "", raw).strip() or raw.strip()
    article = _ML_ARTICLE.match(main)
    if article:
        body, word = article.group(1), article.group(2)
        space = "" if word.endswith("'") else " "
        main = f"{word}{space}{body}"
    return main, year


def kr_catalogue(
    n_titles: int,
    *,
    seed: int = 0,
    series_share: float = 0.35,
    movielens: Iterable[MovieLensEntry] = (),
) -> list[FakeTitle]:
    """A deterministic KR streaming catalogue of n_titles films and series.

    `movielens` entries (tmdb_id or None, MovieLens title, year[, imdb id]) become
    films with that TMDB id (or a fresh one) and the title as TMDB writes it; they
    count toward n_titles (all are kept if there are more). Korean titles are
    known only for a few famous ones. About 5% of all titles have no Korean
    translation. Some series ids equal film ids, as happens on TMDB.
    """
    rng = random.Random(seed)
    gen = _Generator(rng)
    entries = [tuple(e) + (None,) * (4 - len(e)) for e in movielens]
    reserved: set[int] = set()
    unique_entries = []
    for tmdb_id, raw, year, imdb in entries:
        if tmdb_id is not None and tmdb_id in reserved:
            continue  # MovieLens maps a few movies to the same TMDB film
        if tmdb_id is not None:
            reserved.add(int(tmdb_id))
        unique_entries.append((tmdb_id, raw, year, imdb))
    total = max(n_titles, len(unique_entries))
    n_series = min(round(total * series_share), total - len(unique_entries))
    n_films = total - n_series - len(unique_entries)

    missing = sum(1 for e in unique_entries if e[0] is None)
    movie_ids = _fresh_ids(rng, n_films + missing, 11, 1_400_000, set(reserved))
    fresh_for_ml = movie_ids[n_films:]
    movie_ids = movie_ids[:n_films]
    tv_ids = _fresh_ids(rng, n_series, 1, 300_000, set())
    all_movie_ids = movie_ids + sorted(reserved) + fresh_for_ml
    if tv_ids and all_movie_ids:
        # About 1% of series share an id with a film (at least one), so a client
        # keying by id alone collides.
        for i in range(0, n_series, 100):
            candidate = rng.choice(all_movie_ids)
            if candidate not in tv_ids:
                tv_ids[i] = candidate

    titles: list[FakeTitle] = []
    for i, tmdb_id in enumerate(movie_ids):
        # A few films are only for rent or sale (on the stores, no subscription).
        titles.append(gen.title("movie", tmdb_id, tvod_only=i % 33 == 32))
    fresh = iter(fresh_for_ml)
    for tmdb_id, raw, year, imdb in unique_entries:
        english, year = _movielens_names(raw, year)
        title = gen.title(
            "movie",
            int(tmdb_id) if tmdb_id is not None else next(fresh),
            origin=("US", "en"),
            names=(english, "", "", english),
            year=year,
            original_title=english,
        )
        title.title_ko = _KOREAN_TITLES.get(english, "")
        if not title.title_ko:
            title.overview_ko = ""
        if year is None:
            title.date = ""
        if imdb:
            title.imdb_id = f"tt{str(imdb).removeprefix('tt').zfill(7)}"
        titles.append(title)
    for tmdb_id in tv_ids:
        titles.append(gen.title("tv", tmdb_id))

    # About 5% of the catalogue without a Korean translation (MovieLens films
    # mostly lack one already); only foreign titles can lack it.
    short = round(0.05 * len(titles)) - sum(1 for t in titles if not t.title_ko)
    foreign = [t for t in titles if t.title_ko and t.original_language != "ko"]
    for title in rng.sample(foreign, max(0, min(short, len(foreign)))):
        title.title_ko = ""
        title.overview_ko = ""
    titles.sort(key=lambda t: (t.media, t.id))
    return titles


def load_movielens(
    directory: Path, *, count: int = 300, seed: int = 0
) -> list[tuple[int | None, str, int | None, str | None]]:
    """`count` films of a MovieLens directory: ml-latest(-small) movies.csv and
    links.csv (with TMDB and IMDb ids; the most rated when ratings.csv is there),
    or ml-100k u.item (no TMDB ids)."""
    rng = random.Random(seed)
    if (directory / "movies.csv").exists():
        with open(directory / "links.csv", newline="", encoding="utf-8") as f:
            links = {
                row["movieId"]: (row["tmdbId"], row["imdbId"])
                for row in csv.DictReader(f)
            }
        with open(directory / "movies.csv", newline="", encoding="utf-8") as f:
            movies = [
                (row["movieId"], row["title"])
                for row in csv.DictReader(f)
                if links.get(row["movieId"], ("",))[0].strip()
            ]
        ratings = directory / "ratings.csv"
        if ratings.exists():
            with open(ratings, newline="", encoding="utf-8") as f:
                counts = Counter(row[1] for row in csv.reader(f))
            # Services carry the films people watch: pick among the most rated.
            movies.sort(key=lambda m: (-counts[m[0]], int(m[0])))
            movies = movies[: max(count * 3, count)]
        chosen = sorted(
            rng.sample(movies, min(count, len(movies))), key=lambda m: int(m[0])
        )
        out: list[tuple[int | None, str, int | None, str | None]] = []
        for movie_id, raw in chosen:
            tmdb, imdb = links[movie_id]
            _, year = _movielens_names(raw, None)
            out.append((int(tmdb), raw, year, imdb or None))
        return out
    item = directory / "u.item"
    if not item.exists():
        raise FileNotFoundError(f"{directory} has neither movies.csv nor u.item")
    rows = [line.split("|") for line in item.read_text("latin-1").splitlines() if line]
    chosen_rows = sorted(
        rng.sample(rows, min(count, len(rows))), key=lambda r: int(r[0])
    )
    return [(None, r[1], _movielens_names(r[1], None)[1], None) for r in chosen_rows]


def catalogue_summary(titles: Sequence[FakeTitle]) -> dict[str, Any]:
    """Counts by media and by KR provider (for logs and the benchmark report)."""
    by_provider: Counter[str] = Counter()
    for t in titles:
        for pid in t.offers:
            name = PROVIDERS[REGION].get(pid, Provider(pid, str(pid), "", 0)).name
            by_provider[f"{t.media}:{name}"] += 1
    return {
        "titles": len(titles),
        "movie": sum(t.media == "movie" for t in titles),
        "tv": sum(t.media == "tv" for t in titles),
        "korean_original": sum(t.original_language == "ko" for t in titles),
        "no_korean_title": sum(not t.title_ko for t in titles),
        "by_provider": dict(sorted(by_provider.items())),
    }


# -------------------------------------------------------------------- CLI


def _server_on(host: str, port: int) -> FakeServer:
    """A FakeServer listening on host:port (FakeServer itself picks 127.0.0.1:0)."""
    server = FakeServer()
    if (host, port) != ("127.0.0.1", 0):
        handler = server._httpd.RequestHandlerClass
        server._httpd.server_close()
        server._httpd = type(server._httpd)((host, port), handler)
        server._thread = threading.Thread(
            target=server._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )
    return server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m catalog.tests.fake_tmdb_catalogue",
        description=__doc__.split("\n")[0],
    )
    parser.add_argument("--titles", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--series-share", type=float, default=0.35)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--movielens-links",
        type=Path,
        help="a MovieLens directory (movies.csv + links.csv, or ml-100k u.item)",
    )
    parser.add_argument("--movielens-count", type=int, default=300)
    parser.add_argument("--api-key", action="append", help="accept only these keys")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate-limit", type=float, help="requests per second")
    args = parser.parse_args(argv)

    movielens = (
        load_movielens(args.movielens_links, count=args.movielens_count, seed=args.seed)
        if args.movielens_links
        else []
    )
    titles = kr_catalogue(
        args.titles, seed=args.seed, series_share=args.series_share, movielens=movielens
    )
    server = _server_on(args.host, args.port)
    # A long benchmark must not keep every request in memory.
    server.requests = deque(maxlen=1000)  # type: ignore[assignment]
    FakeTmdbCatalogue(
        server,
        titles=titles,
        api_keys=args.api_key,
        latency=args.latency_ms / 1000,
        rate_limit=args.rate_limit,
    )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    print(json.dumps(catalogue_summary(titles)), file=sys.stderr, flush=True)
    print(f"READY {server.url}", flush=True)
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
