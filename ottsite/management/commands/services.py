"""Start, stop or show the embedded PostgreSQL and Redis under OTT_VAR_DIR."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from ottsite.lib import embedded


class Command(BaseCommand):
    help = "Manage the embedded PostgreSQL and Redis (used when *_URL are unset)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["start", "stop", "status", "watch"])
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="watch: seconds between checks (default 2)",
        )

    def handle(self, *args, action: str, interval: float, **options) -> None:
        if action == "watch":
            self._watch(interval)
            return
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

    def _watch(self, interval: float) -> None:
        """Supervise: restart an embedded server that died (until terminated)."""
        var_dir = settings.VAR_DIR
        self.stdout.write(f"watching the embedded services under {var_dir}")
        while True:
            if not self._external("DATABASE_URL") and not embedded.postgres_running(
                var_dir
            ):
                self.stderr.write("PostgreSQL is down; restarting it")
                self._restart(embedded.postgres_start, var_dir)
            if not self._external("REDIS_URL") and not embedded.redis_running(var_dir):
                self.stderr.write("Redis is down; restarting it")
                self._restart(embedded.redis_url, var_dir)
            time.sleep(interval)

    def _restart(self, start, var_dir) -> None:
        try:
            start(var_dir)
        except Exception as exc:  # keep supervising; the next round tries again
            self.stderr.write(f"restart failed: {exc}")
        else:
            self.stdout.write("restarted")

    @staticmethod
    def _external(name: str) -> bool:
        return bool(os.environ.get(name))
