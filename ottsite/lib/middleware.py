"""Every answer under /api/ is JSON in the one error shape, even the unexpected ones:
oversize bodies (413), an outage (503) and bugs (500), whose details go to the log.
Pages answer a database outage with a 503 page and Retry-After, not a bare 500.
X-Forwarded-Proto is believed only from a trusted proxy. Every response carries a
Content-Security-Policy: scripts, styles and fonts from this site only."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.cache import add_never_cache_headers

from ottsite.lib.api import error_body
from ottsite.lib.clientip import is_from_trusted_proxy

logger = logging.getLogger(__name__)
# Seconds a client is asked to wait while the database is away.
OUTAGE_RETRY_AFTER = 10


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
            response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
            return response
        logger.exception("API %s %s failed", request.method, request.path)
        return JsonResponse(error_body("Server error."), status=500)


class PageOutageMiddleware:
    """A page whose database is away (connection refused or lost) gets a 503 page.

    Only those errors: a bad query is a bug, and stays a 500. The page uses nothing
    that needs the database (no user, no messages).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if _is_api(request) or not isinstance(
            exception, OperationalError | InterfaceError
        ):
            return None
        logger.error("Page %s %s: database unavailable", request.method, request.path)
        logger.exception(exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        add_never_cache_headers(response)
        return response


class ForwardedProtoMiddleware:
    """The scheme a trusted proxy (TRUSTED_PROXIES) says the client used.

    Django's SECURE_PROXY_SSL_HEADER believes X-Forwarded-Proto from anyone: a
    client talking plain HTTP to the app could pass for HTTPS (no redirect, HSTS
    and secure-only checks fooled). Here only a request whose REMOTE_ADDR is a
    trusted proxy may set the scheme; from anyone else the header is dropped.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        if header is not None and is_from_trusted_proxy(request):
            # A proxy that appends instead of replacing leaves the client's own
            # claim in front: only the last value is the trusted proxy's.
            scheme = header.rsplit(",", 1)[-1].strip().lower()
            if scheme in ("http", "https"):
                request.META["wsgi.url_scheme"] = scheme
            request.META["HTTP_X_FORWARDED_PROTO"] = header
        return self.get_response(request)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _inline_style_hashes(template_name: str) -> list[str]:
    """CSP hashes of a third-party template's inline <style> blocks.

    The Swagger UI page (drf-spectacular) has one fixed block; read from the
    installed template, the hash follows the pinned package.
    """
    try:
        source = get_template(template_name).template.source
    except TemplateDoesNotExist:
        return []
    blocks = re.findall(r"<style>(.*?)</style>", source, re.S)
    digests = [hashlib.sha256(css.encode()).digest() for css in blocks]
    return [f"'sha256-{base64.b64encode(d).decode()}'" for d in digests]


@lru_cache(maxsize=4)
def content_security_policy(image_url: str) -> str:
    """The site's policy: its own scripts (no inline ones anywhere, the Swagger UI's
    start-up script included: it is served as a file), styles and fonts; posters
    from the TMDB image host; nothing may frame the site."""
    style_hashes = _inline_style_hashes("drf_spectacular/swagger_ui.html")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *style_hashes],
        # style="" attributes (the admin's experiment charts) cannot run script.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", _origin(image_url)],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(
        " ".join([name, *filter(None, sources)]) for name, sources in directives.items()
    )


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # DEBUG's yellow error pages are Django's own inline styles and scripts.
        is_debug_page = settings.DEBUG and response.status_code in (404, 500)
        if "Content-Security-Policy" not in response and not is_debug_page:
            policy = content_security_policy(settings.TMDB_IMAGE_URL)
            response["Content-Security-Policy"] = policy
        return response
