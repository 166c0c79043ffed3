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
        # For start, loading the settings already started the embedded servers in
        # use; for status and stop, manage.py turned that off.
        if action in ("start", "status"):
            self.stdout.write(f"var dir:  {settings.VAR_DIR}")
            self.stdout.write(f"database: {self._state('DATABASE_URL')}")
            self.stdout.write(f"redis:    {self._state('REDIS_URL')}")
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

    def _state(self, name: str) -> str:
        url = getattr(settings, name)
        if self._external(name):
            return f"{url} (external, from {name})"
        running = {
            "DATABASE_URL": embedded.postgres_running,
            "REDIS_URL": embedded.redis_running,
        }[name](settings.VAR_DIR)
        return f"{url} (running)" if running else "stopped"

    @staticmethod
    def _external(name: str) -> bool:
        return bool(os.environ.get(name))
