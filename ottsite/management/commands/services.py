"""Start, stop or show the embedded PostgreSQL and Redis under OTT_VAR_DIR."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from ottsite.lib import embedded


class Command(BaseCommand):
    help = "Manage the embedded PostgreSQL and Redis (used when *_URL are unset)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args, action: str, **options) -> None:
        # Importing settings already started whichever embedded server is in use.
        if action in ("start", "status"):
            self.stdout.write(f"var dir:  {settings.VAR_DIR}")
            self.stdout.write(f"database: {settings.DATABASE_URL}")
            self.stdout.write(f"redis:    {settings.REDIS_URL}")
            return
        stopped = []
        if not self._external("DATABASE_URL") and embedded.postgres_stop(
            settings.VAR_DIR
        ):
            stopped.append("postgres")
        if not self._external("REDIS_URL") and embedded.redis_stop(settings.VAR_DIR):
            stopped.append("redis")
        self.stdout.write("stopped: " + (", ".join(stopped) or "nothing"))

    @staticmethod
    def _external(name: str) -> bool:
        return bool(os.environ.get(name))
