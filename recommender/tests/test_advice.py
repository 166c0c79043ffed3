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
from recommender.models import Dismissal, RecommendationItem, RecommendationSet
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
    assert advice.sentence == (
        "We know where 4 of your top 4 can be watched in this region. "
        "2 of your top 4 stream on Alpha ($10.00 a month)."
    )


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


def test_it_singles_out_no_addition_when_two_tie_on_value_and_price():
    platforms = [
        PlatformInfo(slug="y", name="Y", monthly_price=Decimal("9"), currency="USD"),
        PlatformInfo(slug="x", name="X", monthly_price=Decimal("9"), currency="USD"),
        PlatformInfo(slug="z", name="Z", monthly_price=Decimal("12"), currency="USD"),
    ]
    coverage = {"x": {1, 2}, "y": {1, 2}, "z": {1, 2}}
    advice = run(platforms=platforms, coverage=coverage)
    assert advice.best_addition is None
    assert advice.addition_tie == ["X", "Y"]
    # X alone and Y alone are equally good bundles: neither is named.
    assert advice.best_bundle is None
    assert "X and Y would each add as much for the same price" in advice.sentence
    assert advice.as_dict()["addition_tie"] == ["X", "Y"]
    # The same value for less money is not a tie: the cheaper service wins.
    cheaper = [*platforms[:2], PlatformInfo("z", "Z", Decimal("3"), "USD")]
    advice = run(platforms=cheaper, coverage=coverage)
    assert advice.best_addition.slug == "z"
    assert advice.addition_tie == []


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


def test_it_names_no_single_cancel_candidate_when_two_add_equally_little():
    coverage = {"a": {1, 2, 3, 4}, "b": set(), "c": set()}
    advice = run(subscribed=["a", "b", "c"], coverage=coverage)
    assert advice.cancel_candidate is None
    assert advice.cancel_tie == ["Beta", "Gamma"]
    assert "Beta and Gamma each add equally little" in advice.sentence
    assert "You could cancel" not in advice.sentence


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
        for m in movies[:8]
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
    # 10 of 20 known (8 on TVING, one included and one rent-only on Netflix).
    assert data["known_count"] == 10
    assert data["has_verdict"] is True
    assert data["best_addition"]["slug"] == "tving"
    assert data["sentence"] == (
        "We know where 10 of your top 20 can be watched in this region. "
        "8 of your top 20 stream on TVING (₩13,500 a month)."
    )
    by_slug = {p["slug"]: p for p in data["per_platform"]}
    # Rent does not count, and the US catalogue never leaks into KR.
    assert by_slug["netflix"]["movie_ids"] == [movies[8].pk]
    assert sum(p["covered_count"] for p in data["per_platform"]) == 9

    survey.platforms.add(tving)
    data = platform_advice_for_set(rec_set=rec_set).as_dict()
    assert data["subscribed"] == ["tving"]
    assert data["watchable_now"]["count"] == 8
    assert data["best_addition"]["slug"] == "netflix"
    data = platform_advice_for_set(rec_set=rec_set, budget=Decimal("0")).as_dict()
    assert data["best_bundle"] is None
    assert data["best_addition"] is None
    assert data["is_over_budget"] is True


def _kr_set(owner, *, n: int = 20, subscribed: tuple[str, ...] = ()):
    movies = Movie.objects.bulk_create(
        [
            Movie(source="t", source_id=i, title=f"Movie {i}", year=1995)
            for i in range(n)
        ]
    )
    survey = Survey.objects.create(
        user=owner, version=1, age=30, gender="F", occupation="x", region="KR"
    )
    survey.platforms.set(Platform.objects.filter(region="KR", slug__in=subscribed))
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
    return rec_set, movies


def _offer(movie, slug: str, region: str = "KR", kind: str = "subscription"):
    return Availability.objects.create(
        movie=movie,
        platform=Platform.objects.get(region=region, slug=slug),
        region=region,
        offer_type=kind,
        source="manual",
        last_checked=timezone.now(),
    )


@pytest.mark.django_db
def test_it_gives_no_verdict_for_a_kr_user_without_known_offers(owner):
    rec_set, _movies = _kr_set(owner, subscribed=("tving", "netflix"))
    with translation.override("ko"):
        advice = platform_advice_for_set(rec_set=rec_set)
    assert advice.known_count == 0
    assert advice.has_verdict is False
    assert advice.cancel_candidate is None
    assert advice.cancel_tie == []
    assert advice.best_addition is None
    assert advice.best_bundle is None
    assert "해지해도" not in advice.sentence
    assert "TVING" not in advice.sentence
    assert "상위 20편 중 0편" in advice.sentence


@pytest.mark.django_db
def test_it_advises_no_switch_from_one_known_offer(owner):
    rec_set, movies = _kr_set(owner, subscribed=("tving", "netflix"))
    _offer(movies[0], "wavve")
    with translation.override("en"):
        advice = platform_advice_for_set(rec_set=rec_set)
    assert advice.known_count == 1
    assert advice.best_addition is None
    assert advice.best_bundle is None
    assert advice.cancel_candidate is None
    assert advice.sentence == (
        "We know where 1 of your top 20 can be watched in this region. "
        "Too few of them are known to say which service to pay for or cancel "
        "(we need at least 10 of 20). "
        "0 of your top 20 are included in what you pay for."
    )


def test_it_says_too_few_are_known_beside_the_count_not_after_the_budget():
    # Pays 18 with a budget of 12 and knows 1 of 20: the budget sentence comes last,
    # so nothing after it reads as if the budget were too small.
    movies = [(m, 4.0) for m in range(1, 21)]
    for language, known, too_few in [
        ("en", "We know where 1 of your top 20", "Too few of them are known"),
        ("ko", "상위 20편 중 1편", "알려진 작품이 너무 적어"),
    ]:
        with translation.override(language):
            advice = advise(
                region="US",
                currency="USD",
                movies=movies,
                platforms=PLATFORMS,
                coverage={"a": {1}},
                subscribed=["a", "b"],
                budget=Decimal("12"),
            )
        sentences = advice.sentence
        assert advice.is_over_budget and not advice.has_verdict
        assert known in sentences and too_few in sentences
        assert sentences.index(known) < sentences.index(too_few)
        budget = "$12.00"
        assert sentences.index(too_few) < sentences.index(budget)
        assert sentences.rstrip().endswith(("to add.", "않습니다."))


def test_it_draws_the_known_coverage_line_at_half_the_list():
    movies = [(m, 4.0) for m in range(1, 21)]
    nine = {"a": set(range(1, 10))}
    assert run(movies=movies, coverage=nine).best_addition is None
    # A rent-only offer makes a movie known without covering it.
    advice = run(movies=movies, coverage=nine, known_ids=[20])
    assert advice.known_count == 10
    assert advice.best_addition.slug == "a"


def test_it_keeps_every_line_within_the_budget_when_already_over_it():
    # Pays 10 + 8 = 18 with a budget of 12: nothing to add, and the bundle fits.
    advice = run(subscribed=["a", "b"], budget=Decimal("12"))
    assert advice.is_over_budget is True
    assert advice.current_price == Decimal("18")
    assert advice.best_addition is None
    assert advice.best_bundle.total_price <= Decimal("12")
    assert advice.sentence.startswith(
        "We know where 4 of your top 4 can be watched in this region. "
        "3 of your top 4 are included in what you pay for. "
        "Your services already cost $18.00 a month, more than your budget of "
        "$12.00, so we suggest nothing to add."
    )
    assert "Adding" not in advice.sentence


def test_it_only_suggests_an_addition_that_fits_what_is_left_of_the_budget():
    # Pays 8 for B; budget 15 leaves 7: Alpha (10) adds more but only Gamma (5) fits.
    advice = run(subscribed=["b"], budget=Decimal("15"))
    assert advice.is_over_budget is False
    assert advice.best_addition.slug == "c"
    assert run(subscribed=["b"]).best_addition.slug == "a"


@pytest.mark.django_db
def test_it_leaves_dismissed_movies_out_of_the_advice(owner):
    rec_set, movies = _kr_set(owner, n=4)
    for m in movies[:3]:
        _offer(m, "tving")
    _offer(movies[3], "wavve")
    Dismissal.objects.create(user=owner, movie=movies[3])
    with translation.override("en"):
        advice = platform_advice_for_set(rec_set=rec_set)
    assert advice.k == 3
    assert [p.slug for p in advice.per_platform if p.covered_count] == ["tving"]
    assert advice.best_bundle.slugs == ["tving"]


def test_it_chooses_korean_particles_in_the_advice():
    platforms = [PlatformInfo("tving", "TVING", Decimal("13900"), "KRW")]
    with translation.override("ko"):
        advice = advise(
            region="KR",
            currency="KRW",
            movies=MOVIES,
            platforms=[*platforms, PlatformInfo("n", "넷플릭스", Decimal("1"), "KRW")],
            coverage={"tving": {1}, "n": {1, 2, 3, 4}},
            subscribed=["tving", "n"],
        )
    assert "TVING(월 ₩13,900)은 해지해도" in advice.sentence
    assert "(는)" not in advice.sentence


@pytest.mark.django_db
def test_it_counts_a_movie_checked_and_found_nowhere_as_known(owner):
    from catalog.models import AvailabilityCheck

    rec_set, movies = _kr_set(owner, n=4)
    _offer(movies[0], "tving")
    AvailabilityCheck.objects.create(
        movie=movies[1],
        source="tmdb",
        status="ok",
        offers=0,
        checked_at=timezone.now(),
    )
    advice = platform_advice_for_set(rec_set=rec_set)
    assert advice.known_count == 2
    assert advice.has_verdict is True
