"""A local HTTP server speaking canned TMDB / Google CSE responses, for tests.

Each route (a path) holds a queue of responses; the last one repeats. Requests are
recorded so tests can check the query string and headers the client sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


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

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self, path: str) -> Canned:
        with self._lock:
            queue = self.routes.get(path)
            if not queue:
                return Canned(
                    404,
                    {
                        "status_code": 34,
                        "status_message": "The resource you requested could not "
                        "be found.",
                        "success": False,
                    },
                )
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                server.requests.append(
                    Recorded(parts.path, parse_qs(parts.query), dict(self.headers))
                )
                canned = server._next(parts.path)
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


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    server.start()
    yield server
    server.stop()


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
