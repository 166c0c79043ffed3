"""Site-wide pages and the health endpoint."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ottsite.health import health_report


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when everything is up, else 503 naming what is down (for probes).

    ?check=database,redis limits the checks (a web container's liveness probe).
    """
    names = [n for n in request.GET.get("check", "").split(",") if n]
    ok, body = health_report(names or None)
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (no checks); also the load test's ceiling."""
    return JsonResponse({"status": "ok"})
