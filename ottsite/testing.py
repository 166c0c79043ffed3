"""Test helpers: one small model trained per test session, restored into each test.

Training is the slow part of the suite, so it happens once: the real ml-100k is
imported and a test-size model (2 NCF epochs, a small ranker, the gate) is trained
inside a transaction that is then rolled back, after the catalogue rows it trained
on were copied out with COPY. A test that needs "a model" gets those rows back with
their original ids (the bundle on disk refers to them) and a version row pointing at
the same bundle, in a fraction of a second.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

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
