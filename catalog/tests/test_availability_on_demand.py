"""On-demand availability: a ready set (or a movie page) looks up what is unchecked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Availability, AvailabilityCheck, Movie
from catalog.selectors import availability_status_for_movies
from catalog.tests.factories import AvailabilityFactory, MovieFactory
from ottsite.testing import (
    FakeTmdb,
    kr_providers,
    tmdb_details,
)
from recommender.building import recommendation_set_build
from recommender.models import RecommendationSet
from recommender.tests.factories import ready_set
from survey.services import survey_submit

pytestmark = pytest.mark.django_db

LATEST = "/api/recommendations/latest/"


def _serve(fake: FakeTmdb, movies: list[Movie], offers: dict[int, list]) -> None:
    """Give each movie a TMDB id and canned answers (offers keyed by movie pk)."""
    for movie in movies:
        tmdb_id = 10_000 + movie.pk
        Movie.objects.filter(pk=movie.pk).update(tmdb_id=tmdb_id)
        fake.providers[tmdb_id] = kr_providers(tmdb_id, offers.get(movie.pk, []))
        fake.details[tmdb_id] = tmdb_details(tmdb_id, movie.title, movie.title)


def test_it_looks_up_exactly_the_unchecked_items_of_a_ready_set(
    owner, fake_tmdb, django_capture_on_commit_callbacks
):
    rec_set = ready_set(owner, movies=4, region="KR")
    movies = [i.movie for i in rec_set.items.all()]
    _serve(fake_tmdb, movies, {movies[0].pk: [(8, "Netflix")]})
    checked = movies[3]
    AvailabilityCheck.objects.create(
        movie=checked, source="tmdb", status="ok", checked_at=timezone.now()
    )
    rec_set.status = RecommendationSet.Status.PENDING
    rec_set.save()

    from catalog.lookup import availability_lookups_request

    with django_capture_on_commit_callbacks(execute=True):
        queued = availability_lookups_request(
            movie_ids=[m.pk for m in movies], region="KR"
        )

    assert sorted(queued) == sorted(m.pk for m in movies[:3])
    assert sorted(fake_tmdb.provider_hits()) == sorted(
        10_000 + m.pk for m in movies[:3]
    )
    netflix = Availability.objects.get(movie=movies[0])
    assert (netflix.platform.slug, netflix.region, netflix.source) == (
        "netflix",
        "KR",
        "tmdb",
    )


def test_it_queues_lookups_when_a_set_becomes_ready_and_not_again(
    owner,
    favourite_ids,
    fake_tmdb,
    django_capture_on_commit_callbacks,
    client,
    settings,
):
    settings.AVAILABILITY_POOL_LOOKUPS = 5
    # Answer for every movie of the catalogue, so whatever the model picks is served.
    all_movies = list(Movie.objects.all())
    _serve(fake_tmdb, all_movies, {m.pk: [(356, "wavve")] for m in all_movies[::2]})
    with django_capture_on_commit_callbacks(execute=True):
        survey = survey_submit(
            user=owner,
            age=28,
            gender="F",
            occupation="student",
            region="KR",
            platform_slugs=["wavve"],
            favorite_movie_ids=favourite_ids,
        )
    rec_set = survey.recommendation_sets.get()
    assert rec_set.status == RecommendationSet.Status.READY, rec_set.error
    # the shown titles and the first five of the longer list beyond them
    shown = set(rec_set.items.values_list("movie_id", flat=True))
    longer = [e["movie_id"] for e in rec_set.pool if e["movie_id"] not in shown][:5]
    asked = Movie.objects.filter(pk__in=[*shown, *longer])
    item_ids = sorted(asked.values_list("tmdb_id", flat=True))
    assert len(item_ids) == 25
    assert sorted(fake_tmdb.provider_hits()) == item_ids

    client.force_login(owner)
    body = client.get(LATEST).json()
    states = {
        i["movie"]["id"]: i["availability_status"]["state"] for i in body["items"]
    }
    assert set(states.values()) <= {"available", "none"}
    served = {m.pk for m in all_movies[::2]}
    for item in body["items"]:
        movie_id = item["movie"]["id"]
        if movie_id in served:
            assert [o["platform_slug"] for o in item["availability"]] == ["wavve"]
            assert states[movie_id] == "available"
        else:
            assert states[movie_id] == "none"
            assert item["search_links"][0]["platform_slug"] == "wavve"

    before = len(fake_tmdb.provider_hits())
    rebuilt = RecommendationSet.objects.create(survey=survey)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_set_build(set_id=rebuilt.pk)
    rebuilt.refresh_from_db()
    assert rebuilt.status == RecommendationSet.Status.READY
    assert len(fake_tmdb.provider_hits()) == before


def test_it_keeps_rows_and_says_unknown_during_a_tmdb_outage(
    owner, fake_tmdb, django_capture_on_commit_callbacks, settings
):
    movie = MovieFactory()
    other = MovieFactory()
    old = timezone.now() - timedelta(days=90)
    AvailabilityFactory(movie=movie, last_checked=old)  # KR Netflix, from TMDB
    AvailabilityCheck.objects.create(
        movie=movie, source="tmdb", status="ok", checked_at=old
    )
    _serve(fake_tmdb, [movie, other], {})
    fake_tmdb.down = True
    from catalog.lookup import availability_lookups_request
    from catalog.tasks import availability_lookup_task

    with django_capture_on_commit_callbacks(execute=True):
        queued = availability_lookups_request(
            movie_ids=[movie.pk, other.pk], region="KR"
        )
    assert sorted(queued) == sorted([movie.pk, other.pk])
    assert Availability.objects.filter(movie=movie, last_checked=old).count() == 1
    statuses = availability_status_for_movies(
        movie_ids=[movie.pk, other.pk], region="KR"
    )
    assert statuses[movie.pk].state == "available"
    assert statuses[other.pk].state == "unknown"
    assert AvailabilityCheck.objects.get(movie=other).status == "error"
    # A failure minutes ago is not queued again by the next poll.
    assert availability_lookups_request(movie_ids=[other.pk], region="KR") == []
    assert availability_lookup_task.name == "catalog.availability_lookup"


def test_it_shows_checking_while_a_lookup_is_pending(owner, fake_tmdb, owner_client):
    rec_set = ready_set(owner, movies=2, region="KR")
    movies = [i.movie for i in rec_set.items.all()]
    _serve(fake_tmdb, movies, {})
    # No on_commit capture: the look-ups are claimed but never run in this test.
    page = owner_client.get(
        f"/recommendations/{rec_set.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert html.count('data-availability="checking"') == 2
    assert "Checking where it streams" in html


def test_it_does_nothing_without_a_tmdb_key(owner, settings, owner_client):
    settings.TMDB_API_KEY = ""
    rec_set = ready_set(owner, movies=2, region="KR")
    from catalog.lookup import availability_lookups_request

    ids = [i.movie_id for i in rec_set.items.all()]
    assert availability_lookups_request(movie_ids=ids, region="KR") == []
    html = owner_client.get(f"/recommendations/{rec_set.pk}/").content.decode()
    assert html.count('data-availability="unknown"') == 2


def test_the_movie_page_looks_its_movie_up(
    fake_tmdb, client, django_capture_on_commit_callbacks
):
    movie = MovieFactory(title="Titanic", year=1997)
    _serve(fake_tmdb, [movie], {movie.pk: [(337, "Disney Plus")]})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/movies/{movie.pk}/")
    html = client.get(f"/movies/{movie.pk}/").content.decode()
    assert 'data-availability="available"' in html
    assert "Disney+" in html
    assert fake_tmdb.provider_hits() == [10_000 + movie.pk]
