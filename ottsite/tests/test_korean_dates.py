"""Dates on pages read one way in Korean (2026년 12월 3일), never '2026-12-3.'."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from accounts.models import Notification
from catalog.tests.factories import AvailabilityFactory
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# 12:00 in Seoul on 3 December 2026.
NOON = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
DASHED = re.compile(r"\b20\d\d-\d{1,2}-\d{1,2}\b")


@pytest.fixture
def dated_pages(owner):
    rec_set = ready_set(owner, movies=3)
    type(rec_set).objects.filter(pk=rec_set.pk).update(created_at=NOON)
    movie = rec_set.items.get(rank=1).movie
    AvailabilityFactory(movie=movie, last_checked=NOON)
    note = Notification.objects.create(
        user=owner, movie=movie, region="KR", arrived_on=["Netflix"], change_key="k"
    )
    Notification.objects.filter(pk=note.pk).update(created_at=NOON)
    return ["/recommendations/", f"/movies/{movie.pk}/", "/accounts/notifications/"]


def test_it_writes_dates_in_korean_on_every_dated_page(owner_client, dated_pages):
    for url in dated_pages:
        page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        assert "2026년 12월 3일" in page, url
        assert not DASHED.search(page), (url, DASHED.search(page))


def test_it_writes_dates_in_english_for_english_readers(owner_client, dated_pages):
    for url in dated_pages:
        page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Dec. 3, 2026" in page, url


def test_no_template_uses_the_short_date_format():
    # Korean SHORT_DATE_FORMAT is 'Y-n-j': '2026-12-3.' at the end of a sentence.
    users = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "SHORT_DATE_FORMAT" in path.read_text()
    ]
    assert users == []
