"""`manage.py services status|stop` as real processes on a private var dir: status
starts nothing, stop sends Redis one SHUTDOWN."""

from __future__ import annotations

import os
import socketserver
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ottsite.lib import embedded

pytestmark = pytest.mark.faults

REPO = Path(__file__).resolve().parents[2]


def _manage(var_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "OTT_VAR_DIR": str(var_dir), **env}
    for name in ("DATABASE_URL", "REDIS_URL"):
        if name not in env:
            full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "services", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def var_dir(tmp_path):
    """A var dir of its own; whatever a test started there is stopped afterwards."""
    yield tmp_path
    embedded.postgres_stop(tmp_path)
    embedded.redis_stop(tmp_path)


def test_it_reports_stopped_services_without_starting_them(var_dir):
    result = _manage(var_dir, "status")
    assert result.returncode == 0, result.stderr
    assert "database: stopped" in result.stdout
    assert "redis:    stopped" in result.stdout
    assert not embedded.postgres_running(var_dir)
    assert not embedded.redis_running(var_dir)
    assert not (var_dir / "postgres" / "PG_VERSION").exists()


def test_it_reports_a_running_redis_and_stops_it(var_dir):
    url = embedded.redis_url(var_dir)
    result = _manage(var_dir, "status", DATABASE_URL="postgresql://x@localhost/x")
    assert f"redis:    {url} (running)" in result.stdout, result.stderr
    assert "(external, from DATABASE_URL)" in result.stdout
    result = _manage(var_dir, "stop", DATABASE_URL="postgresql://x@localhost/x")
    assert result.stdout.strip() == "stopped: redis", result.stderr
    assert not embedded.redis_running(var_dir)


class _RestartedRedis(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """Speaks just enough RESP: answers PING, closes on SHUTDOWN as Redis does, and
    keeps listening, like a server its watcher started again at once."""

    daemon_threads = True
    shutdowns = 0


# redis-py speaks RESP3: HELLO 3 expects a map naming the protocol.
_REPLIES = {b"PING": b"+PONG\r\n", b"HELLO": b"%1\r\n$5\r\nproto\r\n:3\r\n"}


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        while command := self._command():
            name = command[0].upper()
            if name == b"SHUTDOWN":
                self.server.shutdowns += 1
                return
            self.wfile.write(_REPLIES.get(name, b"+OK\r\n"))

    def _command(self) -> list[bytes]:
        header = self.rfile.readline()
        if not header.startswith(b"*"):
            return []
        args = []
        for _ in range(int(header[1:])):
            length = int(self.rfile.readline()[1:])
            args.append(self.rfile.read(length + 2)[:-2])
        return args


def test_it_sends_shutdown_once_even_if_redis_is_back_at_once(var_dir):
    sock = embedded._redis_socket(var_dir)
    sock.parent.mkdir(parents=True, exist_ok=True)
    server = _RestartedRedis(str(sock), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = _manage(var_dir, "stop", DATABASE_URL="postgresql://x@localhost/x")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert server.shutdowns == 1
