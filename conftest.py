"""Shared fixtures: owner / other user / anonymous clients, MovieLens, a real worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The one test-helper module: its fixtures (fake_server, fake_tmdb) serve every test,
# and its asserts are rewritten like a test's (so it is registered before import).
pytest.register_assert_rewrite("ottsite.testing")
pytest_plugins = ["ottsite.testing"]

from ottsite.testing import TEST_RANKER_USERS, current_database_url  # noqa: E402

os.environ.setdefault("DEBUG", "1")
# Every training in the tests (in-process, in the worker processes they start) uses
# the test-size ranker. pytest-django has read the settings before this file runs,
# so the setting is changed in pytest_configure too, not only the environment.
os.environ["RECOMMENDER_RANKER_USERS"] = str(TEST_RANKER_USERS)
# ...and a test-size grid for the content model trained with it.
os.environ["RECOMMENDER_CONTENT_DIMS"] = "16,32"
os.environ["RECOMMENDER_CONTENT_VALIDATION_USERS"] = "100"
# No test (nor a process one starts) reaches the real Wikidata: the tests about it
# turn it on against a loopback fake.
os.environ["WIKIDATA_ENABLED"] = "0"

REPO = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.core.servers.basehttp import WSGIRequestHandler

    settings.RECOMMENDER_RANKER_USERS = TEST_RANKER_USERS
    settings.RECOMMENDER_CONTENT_DIMS = [16, 32]
    settings.RECOMMENDER_CONTENT_VALIDATION_USERS = 100
    settings.WIKIDATA_ENABLED = False
    # Hashed static names need a collectstatic run (half a minute of compression);
    # the tests render pages with plain names, and ottsite/tests/test_compression.py
    # runs the production storage on a collected copy.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
    # The live server writes a response's headers and body in separate sends; with
    # Nagle on, the client's delayed ACK holds the body back ~40 ms per request.
    WSGIRequestHandler.disable_nagle_algorithm = True


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    """Cheap password hashing; English outside requests; no stale search index.

    The search index is cached in Redis, which outlives each test's database.
    """
    from django.utils import translation

    from catalog.selectors import pending_lookups_forget, search_index_clear

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every test client is 127.0.0.1 and the counters outlive a test in Redis: the
    # per-address and per-username login limits are tested where they are set.
    settings.LOGIN_RATE_LIMIT_ADDRESS = "100000/m"
    settings.LOGIN_RATE_LIMIT_USERNAME = "100000/h"
    search_index_clear()
    # The "checking" marks of on-demand look-ups live in Redis too, and a new test
    # database reuses movie ids: an earlier session's marks must not leak in.
    pending_lookups_forget(movie_ids=range(1, 20_000))
    with translation.override("en"):
        yield
    search_index_clear()


@pytest.fixture(scope="session", autouse=True)
def _celery_eager():
    """Unit tests run tasks in-process; `celery_worker` runs the real thing."""
    from ottsite.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture
def seeded_platforms(db):
    """The migration-seeded platforms, re-created after a transactional test's flush."""
    from catalog.models import Platform
    from catalog.platform_seed import platforms_seed

    platforms_seed(Platform)


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user(
        username="owner", email="owner@example.com", password="pw-owner-12345"
    )


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(
        username="other", email="other@example.com", password="pw-other-12345"
    )


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def anon_client(client):
    return client


@pytest.fixture(scope="session")
def movielens_dir() -> Path:
    """The real ml-100k directory named by MOVIELENS_SOURCE (skips when absent)."""
    source = os.environ.get("MOVIELENS_SOURCE", "")
    if not source or not Path(source).is_dir():
        pytest.skip("MOVIELENS_SOURCE does not name a local ml-100k directory")
    return Path(source)


@pytest.fixture(scope="session")
def worker_tmdb():
    """A loopback fake TMDB the real worker talks to (tests fill in its answers).

    The worker is one process for the whole session, so it gets this server's URL
    and a key from the start; the test process itself keeps TMDB unconfigured.
    """
    from ottsite.testing import FakeServer, FakeTmdb

    server = FakeServer()
    server.start()
    yield FakeTmdb(server)
    server.stop()


@pytest.fixture(scope="session")
def _celery_worker_process(django_db_setup, django_db_blocker, worker_tmdb):
    """A real `celery -A ottsite worker` process on the test database and Redis."""
    from django.conf import settings

    from ottsite.celery import app

    with django_db_blocker.unblock():
        env = {
            **os.environ,
            "DATABASE_URL": current_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "TMDB_API_URL": worker_tmdb.server.url,
            "TMDB_API_KEY": "0123456789abcdef0123456789abcdef",
            "TMDB_REQUESTS_PER_SECOND": "1000",
            # Its own queue: a developer's worker on the same Redis must not take
            # the tests' tasks.
            "CELERY_QUEUE": f"test-{os.getpid()}",
        }
    log_path = Path(settings.VAR_DIR) / "test-worker.log"
    log = open(log_path, "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ottsite",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            _session_worker_name(),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_always_eager = False
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = env["CELERY_QUEUE"]
    try:
        deadline = time.monotonic() + 90
        while not app.control.ping([_session_worker_name()], timeout=1, limit=1):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(
                    "celery worker did not start:\n" + log_path.read_text()[-3000:]
                )
        yield process
    finally:
        app.conf.task_always_eager = True
        app.conf.task_default_queue = default_queue
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _session_worker_name() -> str:
    return f"test-{os.getpid()}@localhost"


def _worker_drain(app, queue: str, timeout: float = 120.0) -> None:
    """Wait until the worker's queue is empty and it runs, holds or schedules nothing.

    A test ends as soon as what it asserts is true, but the work it started (the
    on-demand availability look-ups after a set is built, say) may still be running.
    A transactional test's flush must not race those writes: PostgreSQL then
    detects a deadlock between TRUNCATE and the worker's row locks.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.connection_for_read() as connection:
            waiting = connection.default_channel.client.llen(queue)
        # Asked by name, the one worker's answer ends the wait (not the timeout).
        inspect = app.control.inspect([_session_worker_name()], timeout=1.0, limit=1)
        busy = any(
            tasks
            for answer in (inspect.active(), inspect.reserved(), inspect.scheduled())
            for tasks in (answer or {}).values()
        )
        if not waiting and not busy:
            return
        time.sleep(0.3)
    with app.connection_for_write() as connection:
        connection.default_channel.client.delete(queue)


@pytest.fixture
def celery_worker(_celery_worker_process):
    """The session's real worker; after the test, its work is drained first."""
    from ottsite.celery import app

    yield _celery_worker_process
    _worker_drain(app, app.conf.task_default_queue)


@pytest.fixture(scope="session")
def _trained_catalogue(
    movielens_dir, django_db_setup, django_db_blocker, tmp_path_factory
):
    """ml-100k and a test-size model, trained once per session (ottsite.testing)."""
    from ottsite.testing import trained_catalogue_make

    with django_db_blocker.unblock():
        return trained_catalogue_make(
            source=movielens_dir, models_dir=tmp_path_factory.mktemp("models")
        )


@pytest.fixture
def trained_model(_trained_catalogue, django_db_blocker):
    """The real ml-100k and the session's small model (2 epochs), active."""
    from catalog.models import Movie
    from ottsite.testing import trained_catalogue_restore
    from recommender.models import ModelVersion

    if Movie.objects.filter(source="ml-100k").exists():
        version = ModelVersion.objects.filter(is_active=True).first()
        if version is not None:
            return version
        raise RuntimeError("ml-100k is imported but no model is active")
    return trained_catalogue_restore(_trained_catalogue)


@pytest.fixture
def favourite_ids(trained_model) -> list[int]:
    """Ten well-known ml-100k movies as catalogue ids (a plausible survey)."""
    from catalog.models import Movie

    ml_ids = [1, 50, 100, 127, 172, 174, 181, 204, 210, 258]
    by_source = dict(
        Movie.objects.filter(source="ml-100k", source_id__in=ml_ids).values_list(
            "source_id", "id"
        )
    )
    return [by_source[i] for i in ml_ids]


class CeleryProcesses:
    """Real worker (and beat) processes on the test database and Redis, one queue."""

    def __init__(self, log_dir: Path, database_url: str, redis_url: str) -> None:
        import uuid

        self.queue = f"faults-{uuid.uuid4().hex[:8]}"
        self.log_dir = log_dir
        self.database_url = database_url
        self.redis_url = redis_url
        self.processes: list[subprocess.Popen] = []

    def start(
        self, *, env: dict[str, str] | None = None, beat: bool = False, name: str = "w"
    ) -> subprocess.Popen:
        """Start a solo-pool worker (with embedded beat if asked); wait until ready."""
        hostname = f"{name}-{self.queue}@localhost"
        full_env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_QUEUE": self.queue,
            **(env or {}),
        }
        command = [sys.executable, "-m", "celery", "-A", "ottsite", "worker"]
        command += ["--pool", "solo", "--loglevel", "INFO", "-n", hostname]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        if beat:
            command += ["--beat", "--schedule", str(self.log_dir / f"{name}-beat")]
        log_path = self.log_dir / f"{name}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                command, cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        # Readiness from the log: the worker may use another Redis than this process.
        deadline = time.monotonic() + 90
        while f"{hostname} ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"worker {name} did not start:\n" + log_path.read_text()[-3000:]
                )
            time.sleep(0.2)
        return process

    def log(self, name: str = "w") -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)


@pytest.fixture
def celery_processes(django_db_blocker, tmp_path):
    """Start real workers for fault tests; tasks published here go to their queue."""
    from django.conf import settings

    from ottsite.celery import app

    with django_db_blocker.unblock():
        processes = CeleryProcesses(
            tmp_path, current_database_url(), settings.REDIS_URL
        )
    eager, queue = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = processes.queue
    try:
        yield processes
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = eager, queue
        processes.stop_all()
