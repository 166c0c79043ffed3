"""Health checks for operators: database, Redis, a Celery worker, the active model."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        logger.warning("health: database: %s", exc)
        return Check("database", False, "unreachable")
    return Check("database", True, "ok")


def _redis() -> Check:
    import redis

    url = settings.REDIS_URL.replace("redis+socket://", "unix://")
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except (redis.RedisError, OSError) as exc:
        logger.warning("health: redis: %s", exc)
        return Check("redis", False, "unreachable")
    return Check("redis", True, "ok")


def _worker() -> Check:
    from ottsite.celery import app

    try:
        replies = app.control.ping(timeout=1)
    except Exception as exc:
        logger.warning("health: celery ping: %s", exc)
        return Check("celery_worker", False, "broker unreachable")
    if not replies:
        return Check("celery_worker", False, "no worker answered")
    return Check("celery_worker", True, f"{len(replies)} worker(s)")


def _model() -> Check:
    from recommender.models import ModelVersion

    try:
        version = ModelVersion.objects.filter(is_active=True).first()
    except Exception:
        return Check("model", False, "unknown (database unreachable)")
    if version is None:
        return Check("model", False, "no active model")
    if not (Path(version.path) / "manifest.json").exists():
        # The path is for the log only: users and probes never see server paths.
        logger.warning("health: artifact of %s missing at %s", version, version.path)
        return Check("model", False, f"artifact of {version.version} missing")
    return Check("model", True, version.version)


CHECKS = {
    "database": _database,
    "redis": _redis,
    "celery_worker": _worker,
    "model": _model,
}


def health_checks(names: list[str] | None = None) -> list[Check]:
    """Run the named checks (all by default); each catches its own failure."""
    wanted = [n for n in (names or CHECKS) if n in CHECKS] or list(CHECKS)
    return [CHECKS[name]() for name in wanted]


def health_report(names: list[str] | None = None) -> tuple[bool, dict]:
    """(all ok, JSON body) for the health endpoint."""
    checks = health_checks(names)
    ok = all(c.ok for c in checks)
    body = {"status": "ok" if ok else "degraded", "checks": [asdict(c) for c in checks]}
    return ok, body
