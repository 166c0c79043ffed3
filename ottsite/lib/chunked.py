"""Request bodies sent with Transfer-Encoding: chunked, which carry no Content-Length.

Django reads CONTENT_LENGTH bytes of a body, so a chunked one read as empty: a JSON
POST looked like a request with no fields at all. A server that de-chunks the body
and ends wsgi.input at its end (gunicorn says so with wsgi.input_terminated) gets
it read here, up to the largest body the site takes, and handed on with its length;
a bigger one is a 413. Where the server cannot say where the body ends (runserver),
the request is refused with 411 Length Required rather than read as empty.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def _is_chunked(environ: dict) -> bool:
    codings = environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return "chunked" in codings and not environ.get("CONTENT_LENGTH")


def body_limit() -> int:
    """The largest body any page or API endpoint takes, in bytes."""
    return max(settings.API_MAX_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def _refuse(environ: dict, start_response: Callable, status: str, detail: str) -> Any:
    if environ.get("PATH_INFO", "").startswith("/api/"):
        from ottsite.lib.api import error_body  # DRF, loaded once Django is set up

        body, kind = json.dumps(error_body(detail)).encode(), "application/json"
    else:
        body, kind = detail.encode(), "text/plain; charset=utf-8"
    headers = [("Content-Type", kind), ("Content-Length", str(len(body)))]
    start_response(status, [*headers, ("Connection", "close")])
    return [body]


def chunked_bodies_read(app: WSGIApp) -> WSGIApp:
    """Wrap a WSGI application so chunked request bodies reach it with a length."""

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not _is_chunked(environ):
            return app(environ, start_response)
        if not environ.get("wsgi.input_terminated"):
            detail = "Send the body with a Content-Length header (not chunked)."
            return _refuse(environ, start_response, "411 Length Required", detail)
        limit = body_limit()
        body = environ["wsgi.input"].read(limit + 1)
        if len(body) > limit:
            detail = f"The request body is larger than {limit} bytes."
            return _refuse(environ, start_response, "413 Content Too Large", detail)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return application
