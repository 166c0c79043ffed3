"""A worker's database connection outlives a task, unless it is old or broken."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from ottsite.celery import _recycle_database_connections, app

pytestmark = pytest.mark.django_db(transaction=True)


def _task(*, eager: bool = False) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


def _connected():
    connection.ensure_connection()
    return connection.connection


def test_celerys_own_fixup_no_longer_closes_the_connection_around_each_task():
    # Without CELERY_DB_REUSE_MAX the fix-up closes it before and after every task,
    # and each build paid for a new PostgreSQL backend.
    raw = _connected()
    fixup = DjangoWorkerFixup(app)
    fixup.on_task_prerun(sender=_task())
    fixup.on_task_postrun(sender=_task())
    assert connection.connection is raw


def test_a_healthy_connection_is_kept_from_one_task_to_the_next():
    raw = _connected()
    _recycle_database_connections(sender=_task())
    _recycle_database_connections(sender=_task())
    assert connection.connection is raw
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_an_outage_broke_is_dropped_and_the_next_task_reconnects():
    raw = _connected()
    raw.close()  # the server went away under it
    connection.errors_occurred = True  # as Django marks it after the failed query
    _recycle_database_connections(sender=_task())
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not raw


def test_a_connection_older_than_conn_max_age_is_closed():
    _connected()
    connection.close_at = time.monotonic() - 1
    _recycle_database_connections(sender=_task())
    assert connection.connection is None


def test_an_eager_task_leaves_the_callers_connection_alone():
    raw = _connected()
    connection.close_at = time.monotonic() - 1
    _recycle_database_connections(sender=_task(eager=True))
    assert connection.connection is raw
