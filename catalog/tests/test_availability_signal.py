"""availability_changed (catalog.signals): every writer of Availability announces its
batch once, on commit and never after a rollback; watchlist alerts and cache expiry
react to it (issue #27)."""

from __future__ import annotations

import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Profile
from catalog.availability import snapshot_import
from catalog.models import Availability, Movie, Platform
from catalog.signals import (
    ADMIN,
    LOOKUP,
    SNAPSHOT,
    SYNC,
    availability_changed,
    availability_changed_record,
)
from catalog.sync import catalog_sync
from catalog.tasks import availability_lookup_task, availability_refresh_tmdb_task
from catalog.tests.factories import MovieFactory
from ottsite.lib.cache import counter_bump
from ottsite.lib.generations import CATALOG
from ottsite.testing import FakeTmdbCatalogue, kr_catalogue, kr_providers, tmdb_details
from ottsite.tests.api_support import token_client
from recommender.models import WatchlistItem
from recommender.tests.factories import ready_set

pytestmark = pytest.mark.django_db

COMBINED = """\
,ID,Title,Year,Age,Rotten Tomatoes,Netflix,Hulu,Prime Video,Disney+,Type
0,1,Chasing Amy,1997,18+,80/100,1,0,0,0,0
1,2,Toy Story,1995,13+,80/100,0,1,0,0,0
2,3,Not In The Catalogue,1990,13+,80/100,1,0,0,0,0
"""


class Rollback(Exception):
    pass


@pytest.fixture
def announced():
    """Every availability_changed sent during the test, as its keyword arguments."""
    calls: list[dict] = []

    def receiver(sender, **kwargs) -> None:
        assert sender is Availability
        calls.append({k: v for k, v in kwargs.items() if k != "signal"})

    availability_changed.connect(receiver, dispatch_uid="test.announced")
    yield calls
    availability_changed.disconnect(dispatch_uid="test.announced")


@pytest.fixture
def snapshot(tmp_path):
    amy = Movie.objects.create(source="t", source_id=1, title="Chasing Amy", year=1997)
    toy = Movie.objects.create(source="t", source_id=2, title="Toy Story", year=1995)
    path = tmp_path / "MoviesOnStreamingPlatforms.csv"
    path.write_text(COMBINED)
    return path, amy, toy


@pytest.fixture
def titanic(fake_tmdb):
    movie = MovieFactory(title="Titanic", year=1997, tmdb_id=597)
    fake_tmdb.providers[597] = kr_providers(597, [(8, "Netflix")])
    fake_tmdb.details[597] = tmdb_details(597, "타이타닉", "Titanic")
    return movie


@pytest.fixture
def small(settings, fake_server):
    """20 titles (films and series) on the KR services of a fake TMDB."""
    settings.TMDB_API_URL = fake_server.url
    settings.TMDB_API_KEY = "0123456789abcdef0123456789abcdef"
    settings.TMDB_REQUESTS_PER_SECOND = 10_000
    return FakeTmdbCatalogue(fake_server, titles=kr_catalogue(20, seed=1))


def subscribe(user, region: str, *slugs: str) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.region = region
    profile.save()
    profile.subscriptions.set(Platform.objects.filter(region=region, slug__in=slugs))


def test_it_announces_a_snapshot_import_once_on_commit(
    announced, snapshot, django_capture_on_commit_callbacks
):
    path, amy, toy = snapshot
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_availability", str(path), stdout=io.StringIO())
        assert announced == []  # not before the commit
    assert announced == [
        {
            "movie_ids": sorted([amy.pk, toy.pk]),
            "region": "US",
            "source": SNAPSHOT,
            "before": {amy.pk: {}, toy.pk: {}},
        }
    ]


def test_it_announces_nothing_when_a_snapshot_import_rolls_back(
    announced, snapshot, django_capture_on_commit_callbacks
):
    path, _amy, _toy = snapshot
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        snapshot_import(path=path, region="US")
        raise Rollback
    assert announced == []
    assert not Availability.objects.exists()


def test_it_announces_a_look_up_once_with_its_movie(
    announced, titanic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert availability_lookup_task.delay(titanic.pk, "KR").get()["status"] == "ok"
    netflix = Platform.objects.get(region="KR", slug="netflix")
    assert Availability.objects.get(movie=titanic).platform == netflix
    assert announced == [
        {
            "movie_ids": [titanic.pk],
            "region": None,  # TMDB answers for every region we list platforms in
            "source": LOOKUP,
            "before": {titanic.pk: {}},
        }
    ]


def test_it_announces_the_refresh_command_and_the_hourly_task(
    announced, titanic, fake_tmdb, django_capture_on_commit_callbacks
):
    netflix = Platform.objects.get(region="KR", slug="netflix")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "refresh_availability", "--movie", str(titanic.pk), stdout=io.StringIO()
        )
    fake_tmdb.providers[597] = kr_providers(597, [])
    with django_capture_on_commit_callbacks(execute=True):
        assert availability_refresh_tmdb_task.delay(titanic.pk).get()["status"] == "ok"
    assert [(c["movie_ids"], c["source"], c["before"]) for c in announced] == [
        ([titanic.pk], LOOKUP, {titanic.pk: {}}),
        ([titanic.pk], LOOKUP, {titanic.pk: {netflix.pk: "KR"}}),
    ]


def test_it_announces_nothing_when_a_look_up_rolls_back(
    announced, titanic, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        availability_lookup_task.delay(titanic.pk, "KR").get()
        raise Rollback
    assert announced == []


def test_it_announces_a_sync_and_its_prune(
    announced, small, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        catalog_sync(region="KR")
    offered = set(
        Availability.objects.filter(region="KR").values_list("movie_id", flat=True)
    )
    assert len(announced) == 1
    assert announced[0]["movie_ids"] == sorted(offered)
    assert (announced[0]["region"], announced[0]["source"]) == ("KR", SYNC)
    assert all(before == {} for before in announced[0]["before"].values())

    title = next(t for t in small.titles if "flatrate" in t.offers.get(8, ()))
    movie = Movie.objects.get(tmdb_id=title.id)
    netflix = Platform.objects.get(region="KR", tmdb_provider_id=8)
    small.remove_offer(title.media, title.id, 8)
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        catalog_sync(region="KR")
    assert [(c["movie_ids"], c["source"]) for c in announced] == [([movie.pk], SYNC)]
    assert netflix.pk in announced[0]["before"][movie.pk]


def test_it_announces_nothing_when_a_sync_rolls_back(
    announced, small, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        catalog_sync(region="KR")
        raise Rollback
    assert announced == []


def test_it_announces_admin_edits(
    announced, admin_client, titanic, django_capture_on_commit_callbacks
):
    netflix = Platform.objects.get(region="KR", slug="netflix")
    row = Availability.objects.create(
        movie=titanic,
        platform=netflix,
        region="KR",
        offer_type="subscription",
        source="snapshot",
        last_checked=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:catalog_availability_changelist"),
            {"action": "set_source_admin", "_selected_action": [row.pk]},
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_availability_delete", args=[row.pk]),
            {"post": "yes"},
        )
    assert response.status_code == 302
    assert not Availability.objects.exists()
    assert [(c["movie_ids"], c["source"], c["before"]) for c in announced] == [
        ([titanic.pk], ADMIN, {titanic.pk: {netflix.pk: "KR"}}),
        ([titanic.pk], ADMIN, {titanic.pk: {netflix.pk: "KR"}}),
    ]


@pytest.mark.django_db(transaction=True)
def test_it_sends_after_the_real_commit_and_never_after_a_real_rollback(
    announced, seeded_platforms, snapshot
):
    path, amy, toy = snapshot
    with pytest.raises(Rollback), transaction.atomic():
        snapshot_import(path=path, region="US")
        raise Rollback
    assert announced == []
    with transaction.atomic():
        snapshot_import(path=path, region="US")
        assert announced == []  # the rows are not committed yet
    assert [c["movie_ids"] for c in announced] == [sorted([amy.pk, toy.pk])]


def test_it_alerts_a_watchlist_owner_when_a_snapshot_adds_their_title(
    owner, other_user, snapshot, django_capture_on_commit_callbacks
):
    path, amy, _toy = snapshot
    subscribe(owner, "US", "netflix")
    subscribe(other_user, "US", "hulu")  # saved it too, but Amy is not on Hulu
    for user in (owner, other_user):
        WatchlistItem.objects.create(user=user, movie=amy)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot_import(path=path, region="US")
    note = Notification.objects.get()
    assert (note.user, note.movie, note.region) == (owner, amy, "US")
    assert (note.arrived_on, note.left) == (["Netflix"], [])


def test_it_alerts_through_the_signal_alone(
    owner, titanic, django_capture_on_commit_callbacks
):
    subscribe(owner, "KR", "netflix")
    WatchlistItem.objects.create(user=owner, movie=titanic)
    netflix = Platform.objects.get(region="KR", slug="netflix")
    Availability.objects.create(
        movie=titanic,
        platform=netflix,
        region="KR",
        offer_type="subscription",
        source="admin",
        last_checked=timezone.now(),
    )
    assert not Notification.objects.exists()  # a bare write alerts nobody
    with django_capture_on_commit_callbacks(execute=True):
        availability_changed_record(
            movie_ids=[titanic.pk], before={titanic.pk: {}}, source=ADMIN
        )
    assert Notification.objects.get(user=owner).arrived_on == ["Netflix"]


def test_it_serves_no_stale_result_fragment_after_availability_changes(
    owner, django_capture_on_commit_callbacks
):
    counter_bump(caches["default"], CATALOG)  # Redis outlives the test database
    rec_set = ready_set(owner, movies=2)
    movie = rec_set.items.get(rank=1).movie
    api = token_client(owner)
    url = "/api/recommendations/latest/"

    def offers() -> list[list[str]]:
        items = api.get(url).json()["items"]
        return [[o["platform_slug"] for o in i["availability"]] for i in items]

    assert offers() == [[], []]
    Availability.objects.create(
        movie=movie,
        platform=Platform.objects.get(region="KR", slug="netflix"),
        region="KR",
        offer_type="subscription",
        source="admin",
        last_checked=timezone.now(),
    )
    assert offers() == [[], []]  # cached: a bare write expires nothing
    with django_capture_on_commit_callbacks(execute=True):
        availability_changed_record(
            movie_ids=[movie.pk], before={movie.pk: {}}, source=ADMIN
        )
    assert offers() == [["netflix"], []]
