"""gunicorn settings from the environment (`gunicorn -c gunicorn.conf.py ottsite.wsgi`).

Bad values fail at start-up with the variable's name.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r}: expected an integer") from None
    if value < 0:
        raise SystemExit(f"{name}={raw!r}: must not be negative")
    return value


bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = _int("GUNICORN_WORKERS", 2) or 1
threads = _int("GUNICORN_THREADS", 1) or 1
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (0 = never) so a slow leak cannot grow forever.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
# Request lines up to 8190 bytes, gunicorn's most short of 0 = unlimited (its default
# is 4094): Django then answers API URLs past API_MAX_URL_LENGTH (4096) with a JSON
# 414 (ottsite.lib.long_urls) instead of gunicorn's HTML one.
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 8190)
# Only these proxies may set X-Forwarded-Proto/-For (the app reads TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "") or "127.0.0.1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
