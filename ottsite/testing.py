"""The one test-helper module: fakes of the outside services, waiting loops, ready
objects, and one small model trained per test session, restored into each test.

The root conftest loads it as a plugin (`pytest_plugins`), so its fixtures
(`fake_server`, `fake_tmdb`) are there in every test without an import. The large
loopback fakes keep their own modules under catalog/tests/ and are imported from here.

Training is the slow part of the suite, so it happens once: the real ml-100k is
imported and a test-size model (2 NCF epochs, a small ranker, the gate) is trained
inside a transaction that is then rolled back, after the catalogue rows it trained
on were copied out with COPY. A test that needs "a model" gets those rows back with
their original ids (the bundle on disk refers to them) and a version row pointing at
the same bundle, in a fraction of a second.
"""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from catalog.tests.fake_kobis import KEY as KOBIS_KEY
from catalog.tests.fake_kobis import FakeKobis, KobisFilm
from catalog.tests.fake_servers import (
    FIGHT_CLUB_PROVIDERS,
    GOOGLE_403,
    GOOGLE_429,
    TMDB_401,
    TMDB_404,
    TMDB_429,
    Canned,
    FakeServer,
    FakeTmdb,
    cse_body,
    google_error,
    kr_providers,
    tmdb_details,
    tmdb_movie,
)
from catalog.tests.fake_tmdb_catalogue import FakeTitle, FakeTmdbCatalogue, kr_catalogue
from catalog.tests.fake_wikidata import COUNTRY_ITEMS, LANGUAGE_ITEMS, FakeWikidata
from recommender.tests.factories import ready_set

__all__ = [
    "COUNTRY_ITEMS",
    "FIGHT_CLUB_PROVIDERS",
    "GOOGLE_403",
    "GOOGLE_429",
    "KOBIS_KEY",
    "LANGUAGE_ITEMS",
    "TMDB_401",
    "TMDB_404",
    "TMDB_429",
    "TEST_EPOCHS",
    "TEST_RANKER_USERS",
    "TEST_TMDB_KEY",
    "Canned",
    "FakeKobis",
    "FakeServer",
    "FakeTitle",
    "FakeTmdb",
    "FakeTmdbCatalogue",
    "FakeWikidata",
    "KobisFilm",
    "TrainedCatalogue",
    "cse_body",
    "current_database_url",
    "fake_server",
    "fake_tmdb",
    "free_port",
    "google_error",
    "kr_catalogue",
    "kr_providers",
    "ready_set",
    "recommendation_set_wait",
    "tmdb_details",
    "tmdb_movie",
    "trained_catalogue_make",
    "trained_catalogue_restore",
    "wait_until",
]

# A well-formed TMDB v3 key for the fakes (they do not check it).
TEST_TMDB_KEY = "0123456789abcdef0123456789abcdef"

# Ranker users at test size (production trains on RECOMMENDER_RANKER_USERS=600).
TEST_RANKER_USERS = 120
TEST_EPOCHS = 2


def _catalogue_tables() -> list[str]:
    """The tables an import and a training write, parents before children."""
    from catalog.models import DatasetUser, Genre, Movie, Rating

    return [
        Genre._meta.db_table,
        Movie._meta.db_table,
        Movie.genres.through._meta.db_table,
        DatasetUser._meta.db_table,
        Rating._meta.db_table,
    ]


@dataclass
class TrainedCatalogue:
    """The catalogue rows (COPY text per table) and the version trained on them."""

    rows: dict[str, bytes] = field(default_factory=dict)
    version: dict[str, Any] = field(default_factory=dict)


class _RollBack(Exception):
    pass


def trained_catalogue_make(*, source: Path, models_dir: Path) -> TrainedCatalogue:
    """Import `source`, train a test-size model into `models_dir`; keep no rows."""
    from recommender.models import ModelVersion
    from recommender.training import model_train

    snapshot = TrainedCatalogue()
    try:
        with (
            transaction.atomic(),
            override_settings(
                MODELS_DIR=models_dir, RECOMMENDER_RANKER_USERS=TEST_RANKER_USERS
            ),
        ):
            if ModelVersion.objects.exists():
                raise RuntimeError("the session model must be trained on an empty db")
            call_command("import_movielens", str(source), verbosity=0)
            version = model_train(epochs=TEST_EPOCHS)
            with connection.cursor() as cursor:
                for table in _catalogue_tables():
                    buffer = io.BytesIO()
                    with cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
                        for chunk in copy:
                            buffer.write(chunk)
                    snapshot.rows[table] = buffer.getvalue()
            snapshot.version = {
                name: getattr(version, name)
                for name in (
                    "version",
                    "path",
                    "metrics",
                    "training_seconds",
                    "gate_decision",
                    "gate_reason",
                    "data_counts",
                )
            }
            raise _RollBack
    except _RollBack:
        pass
    return snapshot


def trained_catalogue_restore(snapshot: TrainedCatalogue):
    """Put the session's catalogue rows back (same ids) and activate its version."""
    from recommender.models import ModelVersion

    with transaction.atomic(), connection.cursor() as cursor:
        for table, data in snapshot.rows.items():
            with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(data)
            # The restored ids came from the sequence before a rollback; keep the
            # sequence past them so later inserts never collide.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT MAX(id) FROM {table}), "
                f"(SELECT last_value FROM {sequence})))",
                [sequence],
            )
        ModelVersion.objects.filter(is_active=True).update(is_active=False)
        return ModelVersion.objects.create(is_active=True, **snapshot.version)


def current_database_url() -> str:
    """A DATABASE_URL for a child process to reach the database this process uses
    (the test database during tests)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    host = db.get("HOST") or ""
    user = db.get("USER") or "postgres"
    password = db.get("PASSWORD") or ""
    name = connection.settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={host}"
    return f"postgresql://{user}:{password}@{host}:{db.get('PORT') or 5432}/{name}"


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    """A loopback HTTP server with canned answers, for this test."""
    server = FakeServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_tmdb(settings, fake_server: FakeServer) -> FakeTmdb:
    """A whole-catalogue fake TMDB on `fake_server`, configured as this test's TMDB."""
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = TEST_TMDB_KEY
    settings.TMDB_REQUESTS_PER_SECOND = 1000
    return FakeTmdb(fake_server)


def wait_until(
    predicate: Callable[[], object], *, seconds: float, what: str, every: float = 0.2
) -> None:
    """Poll `predicate` until it is true; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}")
        time.sleep(every)


def recommendation_set_wait(rec_set: Any, *, seconds: float = 120.0) -> Any:
    """Refresh `rec_set` until it is neither pending nor running (or `seconds` pass);
    the test asserts the status it expects."""
    deadline = time.monotonic() + seconds
    while rec_set.status in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.3)
        rec_set.refresh_from_db()
    return rec_set


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
