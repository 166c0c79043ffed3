"""A local HTTP server speaking canned TMDB / Google CSE responses, for tests.

Each route (a path) holds a queue of responses; the last one repeats. Requests are
recorded so tests can check the query string and headers the client sent.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Canned:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str -> sent as is
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class FakeServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Canned]] = {}
        # (path pattern, handler(match, query) -> Canned), tried after exact routes.
        self.patterns: list[tuple[re.Pattern, Callable[..., Canned]]] = []
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, *responses: Canned) -> None:
        self.routes[path] = list(responses)

    def add_pattern(
        self, pattern: str, handler: Callable[[re.Match, dict], Canned]
    ) -> None:
        """Answer every path matching `pattern` with handler(match, query)."""
        self.patterns.append((re.compile(pattern), handler))

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self, path: str, query: dict | None = None) -> Canned:
        with self._lock:
            queue = self.routes.get(path)
            if queue:
                return queue.pop(0) if len(queue) > 1 else queue[0]
        # Pattern handlers run outside the lock: one may sleep (a slow TMDB).
        for pattern, handler in self.patterns:
            match = pattern.fullmatch(path)
            if match:
                return handler(match, query or {})
        return Canned(
            404,
            {
                "status_code": 34,
                "status_message": "The resource you requested could not be found.",
                "success": False,
            },
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                server.requests.append(Recorded(parts.path, query, dict(self.headers)))
                canned = server._next(parts.path, query)
                body = canned.body
                if isinstance(body, str):
                    payload = body.encode()
                    content_type = "text/plain"
                else:
                    payload = json.dumps(body).encode()
                    content_type = "application/json;charset=utf-8"
                self.send_response(canned.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


# Wire-format bodies copied from shared/reference/external-apis.md.
TMDB_404 = {
    "status_code": 34,
    "status_message": "The resource you requested could not be found.",
    "success": False,
}
TMDB_429 = {
    "status_code": 25,
    "status_message": "Your request count (#) is over the allowed limit of (40).",
    "success": False,
}
TMDB_401 = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}
FIGHT_CLUB_PROVIDERS = {
    "id": 550,
    "results": {
        "KR": {
            "link": "https://www.themoviedb.org/movie/550-fight-club/watch?locale=KR",
            "flatrate": [
                {
                    "logo_path": "/emthp39XA2YScoYL1p0sdbAH2WA.jpg",
                    "provider_id": 119,
                    "provider_name": "Amazon Prime Video",
                    "display_priority": 1,
                },
                {
                    "logo_path": "/7rwgEs15tFwyR9NPQ5vpzxTj19Q.jpg",
                    "provider_id": 337,
                    "provider_name": "Disney Plus",
                    "display_priority": 2,
                },
            ],
            "buy": [
                {
                    "logo_path": "/2ioan5BX5L9tz4fIGU93blTeFhv.jpg",
                    "provider_id": 356,
                    "provider_name": "wavve",
                    "display_priority": 3,
                },
                {
                    "logo_path": "/tbEdFQDwx5LEVr8WpSeXQSIirVq.jpg",
                    "provider_id": 3,
                    "provider_name": "Google Play Movies",
                    "display_priority": 7,
                },
            ],
        },
        "US": {
            "link": "https://www.themoviedb.org/movie/550-fight-club/watch?locale=US",
            "flatrate": [
                {
                    "logo_path": "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg",
                    "provider_id": 8,
                    "provider_name": "Netflix",
                    "display_priority": 0,
                }
            ],
            "rent": [
                {
                    "logo_path": "/seGSXajazLMCKGB5hnRCidtjay1.jpg",
                    "provider_id": 10,
                    "provider_name": "Amazon Video",
                    "display_priority": 4,
                }
            ],
        },
        "ES": {
            "link": "https://www.themoviedb.org/movie/550-fight-club/watch?locale=ES",
            "ads": [
                {
                    "logo_path": "/x.jpg",
                    "provider_id": 300,
                    "provider_name": "Pluto TV",
                    "display_priority": 9,
                }
            ],
        },
    },
}


def tmdb_movie(movie_id: int, title: str, release_date: str) -> dict[str, Any]:
    return {
        "adult": False,
        "backdrop_path": "/b.jpg",
        "genre_ids": [18],
        "id": movie_id,
        "original_language": "en",
        "original_title": title,
        "overview": "",
        "popularity": 10.0,
        "poster_path": "/p.jpg",
        "release_date": release_date,
        "title": title,
        "video": False,
        "vote_average": 8.0,
        "vote_count": 100,
    }


def google_error(code: int, status: str, reason: str, message: str) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": status,
        }
    }


GOOGLE_429 = google_error(
    429,
    "RESOURCE_EXHAUSTED",
    "rateLimitExceeded",
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of "
    "service 'customsearch.googleapis.com' for consumer 'project_number:1'.",
)
GOOGLE_403 = google_error(
    403,
    "PERMISSION_DENIED",
    "forbidden",
    "This project does not have the access to Custom Search JSON API.",
)


def cse_body(query: str, items: list[tuple[str, str]] | None) -> dict[str, Any]:
    """A customsearch#search body; `items` omitted when None, as Google does."""
    request = {
        "title": "Google Custom Search - " + query,
        "totalResults": str(len(items or [])),
        "searchTerms": query,
        "count": len(items or []),
        "startIndex": 1,
        "inputEncoding": "utf8",
        "outputEncoding": "utf8",
        "safe": "off",
        "cx": "engine",
    }
    body: dict[str, Any] = {
        "kind": "customsearch#search",
        "url": {
            "type": "application/json",
            "template": "https://www.googleapis.com/customsearch/v1?q={searchTerms}",
        },
        "queries": {"request": [request]},
        "context": {"title": "engine"},
        "searchInformation": {
            "searchTime": 0.2,
            "formattedSearchTime": "0.20",
            "totalResults": str(len(items or [])),
            "formattedTotalResults": str(len(items or [])),
        },
    }
    if items is not None:
        body["items"] = [
            {
                "kind": "customsearch#result",
                "title": title,
                "htmlTitle": title,
                "link": link,
                "displayLink": link.split("/")[2],
                "snippet": "",
                "htmlSnippet": "",
                "formattedUrl": link,
                "htmlFormattedUrl": link,
            }
            for title, link in items
        ]
    return body


def kr_providers(tmdb_id: int, flatrate: list[tuple[int, str]]) -> dict[str, Any]:
    """A watch/providers body with KR subscription offers only ([] = none)."""
    results: dict[str, Any] = {}
    if flatrate:
        results["KR"] = {
            "link": f"https://www.themoviedb.org/movie/{tmdb_id}/watch?locale=KR",
            "flatrate": [
                {
                    "logo_path": "/l.jpg",
                    "provider_id": pid,
                    "provider_name": name,
                    "display_priority": i,
                }
                for i, (pid, name) in enumerate(flatrate)
            ],
        }
    return {"id": tmdb_id, "results": results}


def tmdb_details(tmdb_id: int, title: str, original: str, overview: str = "") -> dict:
    """A /3/movie/{id} body (the fields we read plus a few real neighbours)."""
    return {
        "adult": False,
        "id": tmdb_id,
        "imdb_id": f"tt{tmdb_id:07d}",
        "original_language": "en",
        "original_title": original,
        "overview": overview,
        "poster_path": f"/poster{tmdb_id}.jpg",
        "release_date": "1997-12-19",
        "runtime": 120,
        "status": "Released",
        "title": title,
        "vote_average": 7.9,
        "vote_count": 1000,
    }


class FakeTmdb:
    """Serves TMDB for a whole catalogue: details and watch providers per TMDB id
    (from dicts the test fills in), search by exact title; unknown ids are 404."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.providers: dict[int, dict] = {}
        self.details: dict[int, dict] = {}
        self.search: dict[str, list[dict]] = {}
        self.down = False
        self.delay = 0.0  # seconds each watch/providers answer takes
        server.add_pattern(r"/3/movie/(\d+)/watch/providers", self._providers)
        server.add_pattern(r"/3/movie/(\d+)", self._details)
        server.add_pattern(r"/3/search/movie", self._search)

    def _outage(self) -> Canned | None:
        if self.down:
            return Canned(503, {"status_code": 11, "status_message": "Internal error"})
        return None

    def _providers(self, match: re.Match, query: dict) -> Canned:
        if self.delay:
            time.sleep(self.delay)
        tmdb_id = int(match.group(1))
        if tmdb_id not in self.providers:
            return self._outage() or Canned(404, TMDB_404)
        return self._outage() or Canned(200, self.providers[tmdb_id])

    def _details(self, match: re.Match, query: dict) -> Canned:
        tmdb_id = int(match.group(1))
        if tmdb_id not in self.details:
            return self._outage() or Canned(404, TMDB_404)
        return self._outage() or Canned(200, self.details[tmdb_id])

    def _search(self, match: re.Match, query: dict) -> Canned:
        title = (query.get("query") or [""])[0]
        results = self.search.get(title, [])
        body = {
            "page": 1,
            "results": results,
            "total_pages": 1,
            "total_results": len(results),
        }
        return self._outage() or Canned(200, body)

    def provider_hits(self) -> list[int]:
        """TMDB ids whose watch providers were asked for, in order."""
        pattern = re.compile(r"/3/movie/(\d+)/watch/providers")
        return [
            int(m.group(1))
            for r in self.server.requests
            if (m := pattern.fullmatch(r.path))
        ]
