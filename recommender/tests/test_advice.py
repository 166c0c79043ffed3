from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from catalog.models import Availability, Movie, Platform
from recommender.advice import (
    PlatformInfo,
    advise,
    format_price,
    platform_advice_for_set,
)
from recommender.models import RecommendationItem, RecommendationSet
from survey.models import Survey

# Movies 1..4 worth 5, 4, 3, 2; A covers {1, 2}, B {2, 3}, C {4}.
MOVIES = [(1, 5.0), (2, 4.0), (3, 3.0), (4, 2.0)]
PLATFORMS = [
    PlatformInfo(slug="a", name="Alpha", monthly_price=Decimal("10"), currency="USD"),
    PlatformInfo(slug="b", name="Beta", monthly_price=Decimal("8"), currency="USD"),
    PlatformInfo(slug="c", name="Gamma", monthly_price=Decimal("5"), currency="USD"),
]
COVERAGE = {"a": {1, 2}, "b": {2, 3}, "c": {4}}


def run(**overrides):
    kwargs = {
        "region": "US",
        "currency": "USD",
        "movies": MOVIES,
        "platforms": PLATFORMS,
        "coverage": COVERAGE,
        "subscribed": [],
        "budget": None,
    }
    kwargs.update(overrides)
    with translation.override("en"):
        return advise(**kwargs)


def test_it_picks_the_service_with_most_value_when_nothing_is_subscribed():
    advice = run()
    assert advice.best_addition.slug == "a"
    assert advice.best_addition.added_count == 2
    assert advice.best_addition.added_value == 9.0
    assert advice.watchable_now == []
    assert [p.slug for p in advice.per_platform] == ["a", "b", "c"]
    assert advice.sentence == "2 of your top 4 stream on Alpha ($10.00 a month)."


def test_it_measures_the_addition_against_what_is_already_paid_for():
    advice = run(subscribed=["a"])
    # B adds only movie 3 (3.0), C adds movie 4 (2.0).
    assert advice.best_addition.slug == "b"
    assert advice.best_addition.movie_ids == [3]
    assert advice.watchable_now == [1, 2]


def test_it_gives_no_bundle_for_a_zero_budget():
    assert run(budget=Decimal("0")).best_bundle is None


def test_it_covers_everything_without_a_budget():
    bundle = run().best_bundle
    assert bundle.slugs == ["a", "b", "c"]
    assert bundle.total_price == Decimal("23")
    assert bundle.covered_value == 14.0


def test_it_finds_the_exact_bundle_within_budget():
    # Within 15: A+C covers 11 (greedy by value per price would take C, then B = 9).
    bundle = run(budget=Decimal("15")).best_bundle
    assert bundle.slugs == ["a", "c"]
    assert bundle.covered_count == 3
    assert bundle.covered_value == 11.0
    assert bundle.total_price == Decimal("15")


def test_it_breaks_bundle_ties_by_lower_price():
    # Within 13: A alone (9 for 10) ties B+C (9 for 13); the cheaper wins.
    bundle = run(budget=Decimal("13")).best_bundle
    assert bundle.slugs == ["a"]


def test_it_breaks_addition_ties_by_price_then_slug():
    platforms = [
        PlatformInfo(slug="y", name="Y", monthly_price=Decimal("9"), currency="USD"),
        PlatformInfo(slug="x", name="X", monthly_price=Decimal("9"), currency="USD"),
        PlatformInfo(slug="z", name="Z", monthly_price=Decimal("12"), currency="USD"),
    ]
    coverage = {"x": {1}, "y": {1}, "z": {1}}
    assert run(platforms=platforms, coverage=coverage).best_addition.slug == "x"
    cheaper = [*platforms[:2], PlatformInfo("z", "Z", Decimal("3"), "USD")]
    assert run(platforms=cheaper, coverage=coverage).best_addition.slug == "z"


def test_it_suggests_nothing_to_add_when_everything_is_covered():
    advice = run(subscribed=["a", "b", "c"])
    assert advice.best_addition is None
    assert advice.watchable_now == [1, 2, 3, 4]
    assert advice.as_dict()["watchable_now"] == {"count": 4, "movie_ids": [1, 2, 3, 4]}


def test_it_suggests_cancelling_the_subscription_with_least_unique_value():
    advice = run(subscribed=["a", "b", "c"])
    # Unique values: A {1}=5, B {3}=3, C {4}=2.
    assert advice.cancel_candidate.slug == "c"
    assert advice.cancel_candidate.unique_count == 1
    assert "You could cancel Gamma ($5.00 a month)" in advice.sentence


def test_it_keeps_a_subscription_that_uniquely_covers_several_movies():
    assert run(subscribed=["a"]).cancel_candidate is None


def test_it_prefers_cancelling_the_pricier_of_two_useless_subscriptions():
    coverage = {"a": {1, 2, 3, 4}, "b": set(), "c": set()}
    advice = run(subscribed=["a", "b", "c"], coverage=coverage)
    assert advice.cancel_candidate.slug == "b"
    assert advice.cancel_candidate.unique_count == 0


def test_it_falls_back_to_greedy_with_many_platforms():
    platforms = [
        PlatformInfo(f"p{i:02d}", f"P{i}", Decimal(i + 1), "USD") for i in range(14)
    ]
    movies = [(m, 4.0) for m in range(14)]
    coverage = {f"p{i:02d}": {i} for i in range(14)}
    bundle = run(
        platforms=platforms, movies=movies, coverage=coverage, budget=Decimal("6")
    ).best_bundle
    # Every platform covers one movie worth 4: the three cheapest fit (1+2+3).
    assert bundle.slugs == ["p00", "p01", "p02"]
    assert bundle.total_price == Decimal("6")


def test_it_formats_won_and_dollars():
    assert format_price(Decimal("13900.00"), "KRW") == "₩13,900"
    assert format_price(Decimal("9.99"), "USD") == "$9.99"
    assert format_price(None, "USD") == "?"


def test_it_serialises_to_json():
    data = run(budget=Decimal("15")).as_dict()
    json.dumps(data)
    assert set(data) >= {
        "region",
        "currency",
        "k",
        "subscribed",
        "watchable_now",
        "per_platform",
        "best_addition",
        "best_bundle",
        "budget",
        "cancel_candidate",
        "sentence",
    }
    assert data["budget"] == "15.00"
    assert data["best_bundle"]["total_price"] == "15.00"
    assert set(data["per_platform"][0]) >= {
        "slug",
        "name",
        "monthly_price",
        "covered_count",
        "covered_value",
        "movie_ids",
        "is_subscribed",
    }


@pytest.mark.django_db
def test_it_advises_a_recommendation_set_from_availability(owner):
    now = timezone.now()
    movies = Movie.objects.bulk_create(
        [
            Movie(source="t", source_id=i, title=f"Movie {i}", year=1995)
            for i in range(20)
        ]
    )
    tving = Platform.objects.get(region="KR", slug="tving")
    netflix = Platform.objects.get(region="KR", slug="netflix")
    us_hulu = Platform.objects.get(region="US", slug="hulu")
    offers = [
        Availability(
            movie=m,
            platform=tving,
            region="KR",
            offer_type="subscription",
            source="tmdb",
            last_checked=now,
        )
        for m in movies[:7]
    ]
    offers += [
        Availability(
            movie=m,
            platform=netflix,
            region="KR",
            offer_type=kind,
            source="tmdb",
            last_checked=now - timedelta(days=1),
        )
        for m, kind in [(movies[8], "subscription"), (movies[9], "rent")]
    ]
    offers.append(
        Availability(
            movie=movies[10],
            platform=us_hulu,
            region="US",
            offer_type="subscription",
            source="snapshot",
            last_checked=now,
        )
    )
    Availability.objects.bulk_create(offers)
    survey = Survey.objects.create(
        user=owner, version=1, age=30, gender="F", occupation="x", region="KR"
    )
    rec_set = RecommendationSet.objects.create(survey=survey, status="ready")
    RecommendationItem.objects.bulk_create(
        RecommendationItem(
            recommendation_set=rec_set,
            rank=i + 1,
            movie=m,
            score=1.0,
            predicted_rating=4.0,
            reason="r",
        )
        for i, m in enumerate(movies)
    )
    with translation.override("en"):
        data = platform_advice_for_set(rec_set=rec_set).as_dict()
    assert data["k"] == 20
    assert data["currency"] == "KRW"
    assert data["best_addition"]["slug"] == "tving"
    assert data["sentence"] == "7 of your top 20 stream on TVING (₩13,500 a month)."
    by_slug = {p["slug"]: p for p in data["per_platform"]}
    # Rent does not count, and the US catalogue never leaks into KR.
    assert by_slug["netflix"]["movie_ids"] == [movies[8].pk]
    assert sum(p["covered_count"] for p in data["per_platform"]) == 8

    survey.platforms.add(tving)
    data = platform_advice_for_set(rec_set=rec_set, budget=Decimal("0")).as_dict()
    assert data["subscribed"] == ["tving"]
    assert data["watchable_now"]["count"] == 7
    assert data["best_addition"]["slug"] == "netflix"
    assert data["best_bundle"] is None
