"""The admin's catalogue sync runs and its "Sync now" button per region."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import CatalogSync, Movie
from catalog.tests.test_sync_catalog import KEY
from ottsite.testing import FakeTmdbCatalogue, kr_catalogue

pytestmark = pytest.mark.django_db

SYNC_NOW = "admin:catalog_catalogsync_sync_now"
CHANGELIST = "admin:catalog_catalogsync_changelist"


@pytest.fixture
def fake(settings, fake_server):
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = KEY
    settings.TMDB_REQUESTS_PER_SECOND = 10_000
    return FakeTmdbCatalogue(fake_server, titles=kr_catalogue(30, seed=5))


def test_it_shows_a_sync_button_per_region(admin_client):
    page = admin_client.get(reverse(CHANGELIST)).content.decode()

    assert 'id="sync-now-KR"' in page and 'id="sync-now-US"' in page


def test_it_syncs_the_region_on_the_worker(
    admin_client, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(SYNC_NOW), {"region": "KR"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert "A sync of KR is queued" in response.content.decode()
    run = CatalogSync.objects.get()
    assert (run.region, run.status) == ("KR", CatalogSync.Status.DONE)
    assert Movie.objects.filter(source="tmdb-tv").exists()
    assert "KR sync: titles" in admin_client.get(reverse(CHANGELIST)).content.decode()


def test_it_says_so_without_a_key_and_queues_nothing(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.TMDB_API_KEY = ""

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(reverse(SYNC_NOW), {"region": "KR"}, follow=True)

    assert "TMDB_API_KEY is not set" in response.content.decode()
    assert not callbacks and not CatalogSync.objects.exists()


def test_it_refuses_a_region_without_tmdb_platforms(admin_client, fake):
    response = admin_client.post(reverse(SYNC_NOW), {"region": "ZZ"}, follow=True)

    assert "ZZ has no active platform" in response.content.decode()
    assert not CatalogSync.objects.exists()


def test_it_refuses_get_anonymous_and_non_staff(
    client, admin_client, django_user_model
):
    assert admin_client.get(reverse(SYNC_NOW)).status_code == 405
    anonymous = client.post(reverse(SYNC_NOW), {"region": "KR"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    user = django_user_model.objects.create_user(
        username="plain", password="pw-12345678"
    )
    client.force_login(user)
    plain = client.post(reverse(SYNC_NOW), {"region": "KR"})
    assert plain.status_code == 302 and "/login/" in plain["Location"]
    assert not CatalogSync.objects.exists()


def test_a_movie_page_shows_its_wikidata_content(admin_client):
    from django.utils import timezone

    from catalog.models import TitleContent
    from catalog.tests.factories import SeriesFactory

    series = SeriesFactory()
    TitleContent.objects.create(
        movie=series,
        wikidata_id="Q104777541",
        label_ko="오징어 게임",
        label_en="Squid Game",
        fields={"directors": ["Hwang Dong-hyuk"]},
        status=TitleContent.Status.FOUND,
        fetched_at=timezone.now(),
    )

    page = admin_client.get(
        reverse("admin:catalog_movie_change", args=[series.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "Q104777541" in page and "Hwang Dong-hyuk" in page
