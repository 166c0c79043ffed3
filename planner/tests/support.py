"""Ready objects for the planner tests: a profile, prices, titles with offers."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import Profile
from catalog.models import Availability, AvailabilityCheck, Platform
from catalog.tests.factories import AvailabilityFactory, MovieFactory
from recommender.models import WatchlistItem
from recommender.tests.factories import (
    RecommendationItemFactory,
    RecommendationSetFactory,
    SurveyFactory,
)

# Round prices make the hand-computed sums easy to read.
PRICES = {
    "netflix": 13000,
    "tving": 12000,
    "wavve": 10000,
    "coupang-play": 8000,
    "disney-plus": 9000,
    "watcha": 7000,
    "apple-tv-plus": 6000,
    "prime-video": 5000,
}


def kr_prices() -> dict[str, Platform]:
    """Set the Korean services' prices to PRICES; returns them by slug."""
    platforms = {p.slug: p for p in Platform.objects.filter(region="KR")}
    for slug, price in PRICES.items():
        platforms[slug].monthly_price = Decimal(price)
        platforms[slug].save(update_fields=["monthly_price"])
    return platforms


def profile_make(user, *, budget: int | None, subscriptions: tuple[str, ...] = ()):
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.region = "KR"
    profile.monthly_budget = None if budget is None else Decimal(budget)
    profile.save()
    profile.subscriptions.set(
        Platform.objects.filter(region="KR", slug__in=subscriptions)
    )
    return profile


def title_on(*slugs: str, title: str = "", offer_type: str = "subscription"):
    """A movie with an offer on each service (none: checked and found nowhere)."""
    movie = MovieFactory(**({"title": title} if title else {}))
    for slug in slugs:
        AvailabilityFactory(
            movie=movie,
            platform=Platform.objects.get(region="KR", slug=slug),
            offer_type=offer_type,
        )
    if not slugs:
        checked_nowhere(movie)
    return movie


def checked_nowhere(movie) -> None:
    from django.utils import timezone

    AvailabilityCheck.objects.create(
        movie=movie,
        source=Availability.Source.TMDB,
        checked_at=timezone.now(),
        status=AvailabilityCheck.Status.NOT_FOUND,
    )


def recommended(user, movies_and_ratings: list[tuple[object, float]]):
    """A ready set of the user's recommending these movies with these predictions."""
    rec_set = RecommendationSetFactory(survey=SurveyFactory(user=user))
    for rank, (movie, rating) in enumerate(movies_and_ratings, start=1):
        RecommendationItemFactory(
            recommendation_set=rec_set, rank=rank, movie=movie, predicted_rating=rating
        )
    return rec_set


def saved(user, *movies) -> None:
    for movie in movies:
        WatchlistItem.objects.create(user=user, movie=movie)
