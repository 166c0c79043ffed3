"""Shared fixtures: owner / other user / anonymous clients, MovieLens, a real worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("DEBUG", "1")
# a small learned ranker keeps the model-training fixtures quick
os.environ.setdefault("RECOMMENDER_RANKER_USERS", "120")

REPO = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    """Cheap password hashing; English outside requests; no stale search index.

    The search index is cached in Redis, which outlives each test's database.
    """
    from django.utils import translation

    from catalog.selectors import search_index_clear

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    search_index_clear()
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


def _test_database_url() -> str:
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    host = db.get("HOST") or ""
    user = db.get("USER") or "postgres"
    password = db.get("PASSWORD") or ""
    name = connection.settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={host}"
    return f"postgresql://{user}:{password}@{host}:{db.get('PORT') or 5432}/{name}"


@pytest.fixture(scope="session")
def worker_tmdb():
    """A loopback fake TMDB the real worker talks to (tests fill in its answers).

    The worker is one process for the whole session, so it gets this server's URL
    and a key from the start; the test process itself keeps TMDB unconfigured.
    """
    from catalog.tests.fake_servers import FakeServer, FakeTmdb

    server = FakeServer()
    server.start()
    yield FakeTmdb(server)
    server.stop()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, worker_tmdb):
    """A real `celery -A ottsite worker` process on the test database and Redis."""
    from django.conf import settings

    from ottsite.celery import app

    with django_db_blocker.unblock():
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
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
        while not app.control.ping(timeout=1):
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


@pytest.fixture
def trained_model(movielens_dir, django_db_blocker):
    """The real ml-100k imported and a small model (2 epochs) trained and active."""
    from django.core.management import call_command

    from catalog.models import Movie
    from recommender.models import ModelVersion

    if not Movie.objects.filter(source="ml-100k").exists():
        call_command("import_movielens", str(movielens_dir))
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        from recommender.training import model_train

        version = model_train(epochs=2)
    return version


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
