"""The service advice counts over the set's longer list (issue #24 item 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from catalog.models import Availability, AvailabilityCheck, Movie, Platform
from recommender.advice import platform_advice_for_set
from recommender.models import Dismissal, RecommendationItem, RecommendationSet
from recommender.tests.factories import pool_entry
from survey.models import Survey

pytestmark = pytest.mark.django_db


def _set(owner, *, pool: int = 30, shown: int = 3, subscribed=()):
    """A KR set whose pool has `pool` titles rated 5.0, 4.9, ... and whose shown
    items are the first `shown` of them."""
    movies = Movie.objects.bulk_create(
        Movie(source="t", source_id=i, title=f"Movie {i}", year=2000)
        for i in range(pool)
    )
    survey = Survey.objects.create(
        user=owner, version=1, age=30, gender="F", occupation="x", region="KR"
    )
    survey.platforms.set(Platform.objects.filter(region="KR", slug__in=subscribed))
    rec_set = RecommendationSet.objects.create(
        survey=survey,
        status="ready",
        pool=[pool_entry(m, rating=round(5 - i / 10, 1)) for i, m in enumerate(movies)],
    )
    RecommendationItem.objects.bulk_create(
        RecommendationItem(
            recommendation_set=rec_set,
            rank=i + 1,
            movie=m,
            score=1.0,
            predicted_rating=5 - i / 10,
            reason="r",
        )
        for i, m in enumerate(movies[:shown])
    )
    return rec_set, movies


def _offer(movie, slug: str, kind: str = "subscription") -> None:
    Availability.objects.create(
        movie=movie,
        platform=Platform.objects.get(region="KR", slug=slug),
        region="KR",
        offer_type=kind,
        source="manual",
        last_checked=timezone.now(),
    )


def test_it_counts_every_service_over_the_whole_list_not_the_shown_items(owner):
    rec_set, movies = _set(owner, pool=30, shown=3)
    for m in movies[3:15]:  # none of the shown items: 12 of 30
        _offer(m, "tving")
    for m in movies[10:13]:
        _offer(m, "wavve", kind="rent")  # known, covers nothing
    _offer(movies[0], "netflix")
    AvailabilityCheck.objects.create(
        movie=movies[20],
        source="tmdb",
        status="ok",
        offers=0,
        checked_at=timezone.now(),
    )
    AvailabilityCheck.objects.create(
        movie=movies[21],
        source="tmdb",
        status="failed",
        offers=0,
        checked_at=timezone.now(),
    )
    with translation.override("en"):
        advice = platform_advice_for_set(rec_set=rec_set)
    data = advice.as_dict()
    assert (data["scope"], data["k"]) == ("pool", 30)
    # 12 on TVING + 1 on Netflix + 1 checked and found nowhere; a failed check
    # is no evidence: 16 titles have unknown availability.
    assert (data["known_count"], data["unknown_count"]) == (14, 16)
    by_slug = {p["slug"]: p for p in data["per_platform"]}
    assert by_slug["tving"]["covered_count"] == 12
    assert by_slug["tving"]["price_display"] == "₩13,500"
    assert [e["title"] for e in by_slug["tving"]["examples"]] == [
        "Movie 3",
        "Movie 4",
        "Movie 5",
    ]
    assert by_slug["netflix"]["movie_ids"] == [movies[0].pk]
    assert by_slug["wavve"]["covered_count"] == 0
    assert by_slug["wavve"]["examples"] == []
    # 14 of 30 known is less than half: no verdict, and it says what it lacks.
    assert data["has_verdict"] is False
    assert data["best_addition"] is None and data["best_bundle"] is None
    assert advice.sentence == (
        "We know where 14 of your 30 best matches across the catalogue can be "
        "watched in this region. Where the other 16 stream we do not know yet, so "
        "they are not counted for any service. Too few of them are known to say "
        "which service to pay for or cancel (we need at least 15 of 30)."
    )


def test_it_names_the_service_with_most_of_the_list_once_enough_is_known(owner):
    rec_set, movies = _set(owner, pool=30, shown=3)
    for m in movies[3:18]:
        _offer(m, "tving")
    for m in movies[:3]:  # the shown items are all on Netflix
        _offer(m, "netflix")
    with translation.override("en"):
        advice = platform_advice_for_set(rec_set=rec_set)
    assert advice.best_addition.slug == "tving"
    assert advice.best_addition.added_count == 15
    assert advice.sentence.endswith(
        "Where the other 12 stream we do not know yet, so they are not counted for "
        "any service. Of your 30 best matches across the catalogue, 15 stream on "
        "TVING (₩13,500 a month)."
    )
    with translation.override("ko"):
        korean = platform_advice_for_set(rec_set=rec_set).sentence
    assert (
        "전체 카탈로그에서 가장 잘 맞는 30편 중 15편을 TVING(월 ₩13,500)에서" in korean
    )
    assert "12편은 어디서 볼 수 있는지 아직 모릅니다" in korean


def test_it_chooses_the_combination_within_the_budget_over_the_list(owner):
    prices = {"netflix": 10000, "tving": 13000, "wavve": 9000, "coupang-play": 5000}
    for slug, price in prices.items():
        Platform.objects.filter(region="KR", slug=slug).update(monthly_price=price)
    rec_set, movies = _set(owner, pool=20, shown=2, subscribed=("netflix",))
    # Netflix (paid for) carries the 2 shown items; of the rest of the list TVING
    # carries 10, Wavve 6 others, Coupang Play 3 of TVING's.
    carried = {
        "netflix": movies[:2],
        "tving": movies[2:12],
        "wavve": movies[12:18],
        "coupang-play": movies[2:5],
    }
    for slug, titles in carried.items():
        for m in titles:
            _offer(m, slug)
    budget = Decimal("23000")
    with translation.override("en"):
        advice = platform_advice_for_set(rec_set=rec_set, budget=budget)
    assert (advice.scope, advice.known_count) == ("pool", 18)
    assert advice.watchable_now == [m.pk for m in movies[:2]]
    # 13,000 of the budget left beside Netflix: TVING adds the most titles.
    assert (advice.best_addition.slug, advice.best_addition.added_count) == (
        "tving",
        10,
    )
    # Over the whole list TVING + Wavve (22,000) cover 16 titles: more than any
    # combination with Netflix that fits.
    bundle = advice.best_bundle
    assert bundle.slugs == ["tving", "wavve"]
    assert (bundle.covered_count, bundle.total_price) == (16, Decimal("22000"))
    # Over the 2 shown items alone only Netflix covered anything.
    rec_set.pool = []
    rec_set.save()
    shown = platform_advice_for_set(rec_set=rec_set, budget=budget)
    assert shown.scope == "shown"
    assert shown.best_bundle.slugs == ["netflix"]


def test_it_leaves_dismissed_titles_out_of_the_count(owner):
    rec_set, movies = _set(owner, pool=4, shown=1)
    for m in movies:
        _offer(m, "tving")
    Dismissal.objects.create(user=owner, movie=movies[2])
    advice = platform_advice_for_set(rec_set=rec_set)
    assert advice.k == 3
    assert movies[2].pk not in advice.per_platform[0].movie_ids


def test_it_falls_back_to_the_shown_items_without_a_list(owner):
    rec_set, movies = _set(owner, pool=6, shown=4)
    rec_set.pool = []
    rec_set.save()
    for m in movies[:4]:
        _offer(m, "tving")
    _offer(movies[5], "wavve")  # not shown: not counted
    with translation.override("en"):
        advice = platform_advice_for_set(rec_set=rec_set)
    assert (advice.scope, advice.k, advice.known_count) == ("shown", 4, 4)
    assert advice.sentence == (
        "We know where 4 of your top 4 can be watched in this region. "
        "4 of your top 4 stream on TVING (₩13,500 a month)."
    )
    assert "unknown" not in advice.sentence


def test_it_reads_offers_again_when_the_caller_only_read_the_shown_items(owner):
    from catalog.selectors import (
        availability_for_movies,
        availability_status_for_movies,
    )

    rec_set, movies = _set(owner, pool=6, shown=2)
    for m in movies:
        _offer(m, "tving")
    shown = [m.pk for m in movies[:2]]
    offers = availability_for_movies(movie_ids=shown, region="KR")
    statuses = availability_status_for_movies(
        movie_ids=shown, region="KR", offers=offers
    )
    advice = platform_advice_for_set(rec_set=rec_set, offers=offers, statuses=statuses)
    assert advice.known_count == 6
