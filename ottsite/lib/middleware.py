"""Every answer under /api/ is JSON in the one error shape, even the unexpected ones:
oversize bodies (413), an outage (503) and bugs (500), whose details go to the log."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse

from ottsite.lib.api import error_body

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _too_big() -> JsonResponse:
    limit = settings.API_MAX_BODY_BYTES
    detail = f"The request body is larger than {limit} bytes."
    return JsonResponse(error_body(detail), status=413)


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.API_MAX_BODY_BYTES:
                return _too_big()
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not _is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return _too_big()
        if isinstance(exception, DatabaseError):
            logger.error("API %s %s: database error", request.method, request.path)
            logger.exception(exception)
            response = JsonResponse(
                error_body("The service is temporarily unavailable. Try again soon."),
                status=503,
            )
            response["Retry-After"] = "10"
            return response
        logger.exception("API %s %s failed", request.method, request.path)
        return JsonResponse(error_body("Server error."), status=500)
