"""A sync killed mid-run (a real `manage.py sync_catalog` process, SIGKILL) resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.models import Availability, CatalogSync, Movie
from catalog.sync import SyncBusy, catalog_sync
from catalog.tests.test_sync_catalog import KEY, _expected_offers, _stored_offers
from ottsite.testing import FakeTmdbCatalogue, current_database_url, kr_catalogue

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]


def _resume_when_the_lock_is_free(timeout: float = 30.0):
    """The killed process's backend drops its advisory lock once PostgreSQL sees
    the socket close: poll until it has."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return catalog_sync(region="KR")
        except SyncBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_a_sync_killed_mid_run_resumes_without_duplicates_or_lost_pages(
    seeded_platforms,
    settings,
    fake_server,
):
    fake = FakeTmdbCatalogue(fake_server, titles=kr_catalogue(150, seed=4))
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    settings.TMDB_REQUESTS_PER_SECOND = 10_000
    # Let 12 requests through (discover pages, a list or two done), hold the 13th.
    fake.block_after(12)
    env = {
        **os.environ,
        "DATABASE_URL": current_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "TMDB_API_URL": fake_server.url,
        "TMDB_API_KEY": KEY,
        "TMDB_REQUESTS_PER_SECOND": "10000",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "sync_catalog", "--region", "KR"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert fake.wait_blocked(1, timeout=90), process.stderr.read().decode()[-2000:]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        fake.release()
    run = CatalogSync.objects.get()
    assert run.status == CatalogSync.Status.RUNNING  # it never got to say otherwise
    pages_done = sum(
        int(state["page"]) for state in run.cursor.values() if "page" in state
    )
    assert pages_done >= 1
    killed_movies = Movie.objects.count()
    assert killed_movies > 0
    fake.reset_counts()

    summary = _resume_when_the_lock_is_free()

    assert summary.resumed and summary.complete and not summary.failed
    assert CatalogSync.objects.get().status == CatalogSync.Status.DONE
    assert _stored_offers() == _expected_offers(fake)
    carried = {(m, i) for m, i, _, _ in _expected_offers(fake)}
    assert Movie.objects.filter(source__in=["tmdb-movie", "tmdb-tv"]).count() == len(
        carried
    )
    # Resumed: the pages the killed run finished were not asked for again.
    fresh = _discover_pages_of_a_fresh_sync(fake)
    assert fake.count("/3/discover/") == fresh - pages_done
    assert summary.new == len(carried)  # the counts carry over the kill
    assert not Availability.objects.filter(source="tmdb", last_checked=None).exists()


def _discover_pages_of_a_fresh_sync(fake: FakeTmdbCatalogue) -> int:
    """Discover requests one whole sync makes: a page per 20 titles of each list
    (an empty list still costs one request)."""
    from catalog.sync import sync_platforms

    pages = 0
    for media in ("movie", "tv"):
        for platform in sync_platforms(region="KR"):
            for kind in ("flatrate", "free", "ads"):
                n = sum(
                    1
                    for t in fake.titles
                    if t.media == media
                    and kind in t.offers.get(platform.tmdb_provider_id, ())
                )
                pages += max(1, -(-n // 20))
    return pages
