from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Availability, Movie, Platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_rows(admin_client, settings):
    settings.AVAILABILITY_STALE_DAYS = 30
    now = timezone.now()
    netflix = Platform.objects.get(region="KR", slug="netflix")
    rows = {}
    for i, age in enumerate([1, 60]):
        movie = Movie.objects.create(source="t", source_id=i, title=f"Film {age}")
        rows[age] = Availability.objects.create(
            movie=movie,
            platform=netflix,
            region="KR",
            offer_type="subscription",
            source="snapshot",
            last_checked=now - timedelta(days=age),
        )
    return admin_client, rows


def test_it_filters_stale_offers(admin_client_rows):
    client, rows = admin_client_rows
    url = reverse("admin:catalog_availability_changelist")
    page = client.get(url, {"stale": "yes"}).content.decode()
    assert "Film 60" in page
    assert "Film 1<" not in page
    assert client.get(url, {"q": "Film 1"}).status_code == 200


def test_it_marks_offers_checked_and_pins_them_to_admin(admin_client_rows):
    client, rows = admin_client_rows
    url = reverse("admin:catalog_availability_changelist")
    ids = [str(rows[60].pk)]
    client.post(url, {"action": "mark_checked_now", "_selected_action": ids})
    client.post(url, {"action": "set_source_admin", "_selected_action": ids})
    rows[60].refresh_from_db()
    assert rows[60].last_checked > timezone.now() - timedelta(minutes=1)
    assert rows[60].source == "admin"


def test_it_edits_platform_prices_in_the_list(admin_client):
    url = reverse("admin:catalog_platform_changelist")
    assert admin_client.get(url, {"region": "KR"}).status_code == 200
