"""Watchlist alerts: one notification per movie and change, e-mail only if opted in."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from accounts.alerts import notification_emails_send
from accounts.models import Notification, Profile
from catalog.models import Platform
from catalog.tests.factories import MovieFactory, SeriesFactory
from ottsite.testing import (
    kr_providers,
    tmdb_details,
)
from recommender.models import WatchlistItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def titanic(fake_tmdb):
    movie = MovieFactory(title="Titanic", year=1997, tmdb_id=597)
    fake_tmdb.providers[597] = kr_providers(597, [])
    fake_tmdb.details[597] = tmdb_details(597, "타이타닉", "Titanic")
    return movie


def subscribe(user, *slugs: str, email_alerts: bool = False) -> None:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.region = "KR"
    profile.email_alerts = email_alerts
    profile.save()
    profile.subscriptions.set(Platform.objects.filter(region="KR", slug__in=slugs))


def refresh(movie) -> None:
    # Alerts react to availability_changed, sent when the refresh commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(
            "refresh_availability", "--movie", str(movie.pk), stdout=io.StringIO()
        )


def test_it_notifies_once_when_a_saved_movie_arrives(
    owner, other_user, fake_tmdb, titanic
):
    subscribe(owner, "netflix", "wavve", email_alerts=True)
    subscribe(other_user, "tving")  # saved it too, but pays for neither service
    for user in (owner, other_user):
        WatchlistItem.objects.create(user=user, movie=titanic)
    refresh(titanic)
    assert Notification.objects.count() == 0

    fake_tmdb.providers[597] = kr_providers(597, [(8, "Netflix"), (356, "wavve")])
    refresh(titanic)
    refresh(titanic)  # nothing changed: no second alert

    note = Notification.objects.get()
    assert (note.user, note.movie, note.region) == (owner, titanic, "KR")
    assert sorted(note.arrived_on) == ["Netflix", "Wavve"]
    assert note.left == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.com"]
    assert "Titanic" in mail.outbox[0].body
    assert note.__class__.objects.get().emailed_at is not None


def test_it_notifies_when_it_leaves_and_mails_only_the_opted_in(
    owner, fake_tmdb, titanic
):
    subscribe(owner, "netflix")
    WatchlistItem.objects.create(user=owner, movie=titanic)
    fake_tmdb.providers[597] = kr_providers(597, [(8, "Netflix")])
    refresh(titanic)
    fake_tmdb.providers[597] = kr_providers(597, [])
    refresh(titanic)
    notes = list(Notification.objects.order_by("created_at"))
    assert [(n.arrived_on, n.left) for n in notes] == [
        (["Netflix"], []),
        ([], ["Netflix"]),
    ]
    assert mail.outbox == []


def test_the_notifications_page_is_private_and_marks_read(
    owner, other_user, client, titanic
):
    Notification.objects.create(
        user=owner, movie=titanic, region="KR", arrived_on=["Netflix"], change_key="a"
    )
    Notification.objects.create(
        user=other_user, movie=titanic, region="KR", left=["TVING"], change_key="b"
    )
    url = "/accounts/notifications/"
    assert client.get(url).status_code == 302  # anonymous -> log in
    client.force_login(owner)
    html = client.get(url).content.decode()
    assert "이제 Netflix에서 볼 수 있음" in html  # Korean by default
    assert "TVING" not in html
    assert "알림 1건" in client.get("/watchlist/").content.decode()
    assert client.post(url).status_code == 302
    assert Notification.objects.get(user=owner).read_at is not None
    assert Notification.objects.get(user=other_user).read_at is None
    assert client.put(url).status_code == 405


def test_the_hourly_refresh_task_alerts_too(owner, fake_tmdb, titanic):
    from catalog.tasks import availability_refresh_tmdb_task

    subscribe(owner, "watcha")
    WatchlistItem.objects.create(user=owner, movie=titanic)
    fake_tmdb.providers[597] = kr_providers(597, [(97, "Watcha")])
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert availability_refresh_tmdb_task.delay(titanic.pk).get()["status"] == "ok"
        assert availability_refresh_tmdb_task.delay(titanic.pk).get()["status"] == "ok"
    note = Notification.objects.get()
    assert note.arrived_on == ["Watcha"]
    titanic.refresh_from_db()
    assert titanic.title_ko == "타이타닉"


def test_it_names_a_series_by_its_korean_title_and_seasons(owner, client):
    subscribe(owner, "netflix", email_alerts=True)
    series = SeriesFactory(title="Squid Game", title_ko="오징어 게임", seasons=2)
    Notification.objects.create(
        user=owner, movie=series, region="KR", arrived_on=["Netflix"], change_key="a"
    )
    assert notification_emails_send() == 1
    assert (
        "- 오징어 게임 (Squid Game) [시리즈 · 시즌 2개]: 이제 Netflix에서 볼 수 있음"
        in mail.outbox[0].body
    )
    client.force_login(owner)
    html = client.get("/accounts/notifications/").content.decode()
    assert "오징어 게임" in html and "(시리즈 · 시즌 2개)" in html
