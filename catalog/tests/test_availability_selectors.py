from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Availability, Movie, Platform
from catalog.selectors import (
    AvailabilityOffer,
    availability_for_movies,
    movies_due_for_refresh,
    platforms_for_region,
)

pytestmark = pytest.mark.django_db


def test_it_lists_offers_per_movie_subscription_first(django_assert_num_queries):
    now = timezone.now()
    movie, other, bare = (
        Movie.objects.create(source="t", source_id=i, title=f"M{i}") for i in range(3)
    )
    kr = {p.slug: p for p in Platform.objects.filter(region="KR")}
    us_netflix = Platform.objects.get(region="US", slug="netflix")
    rows = [
        (movie, kr["wavve"], "buy"),
        (movie, kr["watcha"], "rent"),
        (movie, kr["tving"], "subscription"),
        (movie, kr["netflix"], "ads"),
        (other, kr["netflix"], "subscription"),
        (other, us_netflix, "subscription"),
    ]
    Availability.objects.bulk_create(
        Availability(
            movie=m,
            platform=p,
            region=p.region,
            offer_type=kind,
            source="tmdb",
            last_checked=now,
        )
        for m, p, kind in rows
    )
    with django_assert_num_queries(1):
        result = availability_for_movies(
            movie_ids=iter([movie.pk, other.pk, bare.pk]), region="KR"
        )
    assert [(o.platform_slug, o.offer_type) for o in result[movie.pk]] == [
        ("tving", "subscription"),
        ("netflix", "ads"),
        ("watcha", "rent"),
        ("wavve", "buy"),
    ]
    assert result[other.pk] == [
        AvailabilityOffer(
            platform_slug="netflix",
            platform_name="Netflix",
            offer_type="subscription",
            link="",
            source="tmdb",
            last_checked=now,
        )
    ]
    assert result.get(bare.pk, []) == []
    assert availability_for_movies(movie_ids=[], region="KR") == {}


def test_it_hides_inactive_platforms():
    movie = Movie.objects.create(source="t", source_id=1, title="M")
    tving = Platform.objects.get(region="KR", slug="tving")
    Availability.objects.create(
        movie=movie,
        platform=tving,
        region="KR",
        offer_type="subscription",
        source="admin",
        last_checked=timezone.now(),
    )
    Platform.objects.filter(pk=tving.pk).update(is_active=False)
    assert availability_for_movies(movie_ids=[movie.pk], region="KR") == {}
    assert "tving" not in [p.slug for p in platforms_for_region(region="KR")]
    assert [p.slug for p in platforms_for_region(region="US")] == [
        "disney-plus",
        "hulu",
        "netflix",
        "prime-video",
    ]


def test_it_lists_never_checked_movies_first_then_the_oldest(settings):
    settings.AVAILABILITY_STALE_DAYS = 30
    fresh, stale, never = (
        Movie.objects.create(source="t", source_id=i, title=f"M{i}") for i in range(3)
    )
    now = timezone.now()
    for movie, age in [(fresh, 1), (stale, 40)]:
        movie.availability_checks.create(
            source="tmdb", checked_at=now - timedelta(days=age), status="ok"
        )
    assert movies_due_for_refresh(source="tmdb", limit=10) == [never.pk, stale.pk]
    assert movies_due_for_refresh(source="tmdb", limit=1) == [never.pk]
