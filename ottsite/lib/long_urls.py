"""The API answers an overlong URL with its JSON error, not gunicorn's HTML page.

gunicorn refuses request lines over its limit_request_line with an HTML 414 before
Django sees them; gunicorn.conf.py sets that limit (8190, its most short of
unlimited) above API_MAX_URL_LENGTH, so an API client gets this JSON 414 instead
for every URL up to gunicorn's limit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ottsite.lib.api import error_body


class ApiLongUrlMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            # As the client sent it: the path and query still percent-encoded.
            length = len(request.META.get("RAW_URI") or request.get_full_path())
            if length > settings.API_MAX_URL_LENGTH:
                return _too_long(length)
        return self.get_response(request)


def _too_long(length: int) -> JsonResponse:
    limit = settings.API_MAX_URL_LENGTH
    detail = (
        f"The URL is {length} characters long; the API reads at most {limit}. "
        "Send long input in a request body."
    )
    return JsonResponse(error_body(detail), status=414)
