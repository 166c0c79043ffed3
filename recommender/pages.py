"""What the recommendation pages show: items joined with availability, the
user's feedback and translated reasons, the filters, the advice and the taste chart.

Read-only (a selector module for the HTML pages); the API has its own serializers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from accounts.selectors import profile_budget
from catalog.labels import genre_label, movie_genre_labels, offer_type_label
from catalog.links import SearchLink, movie_search_links, outbound_url
from catalog.models import Availability, Movie
from catalog.selectors import (
    AvailabilityOffer,
    AvailabilityStatus,
    availability_for_movies,
    availability_status_for_movies,
    platforms_for_region,
)
from ottsite.lib.flash import PROGRESS_TAG as PROGRESS_TAG  # re-exported
from recommender.advice import platform_advice_for_set
from recommender.charts import bar_chart_svg
from recommender.models import RecommendationItem, RecommendationSet
from recommender.pool import ItemFilters, items_filter
from recommender.reasons import reason_text, reason_titles
from recommender.selectors import feedback_movie_ids, user_ratings

INCLUDED = {str(t) for t in Availability.INCLUDED_OFFER_TYPES}
TASTE_CHART_GENRES = 8

# The set page shows the user's answer to "how good is this list?", which the
# experiments app (above this one) stores. The page needs the answer back, so a
# signal does not fit: ExperimentsConfig.ready() registers its reader here.
SatisfactionReader = Callable[[RecommendationSet], "int | None"]
_satisfaction_reader: SatisfactionReader | None = None


def satisfaction_reader_set(reader: SatisfactionReader | None) -> None:
    """Register who reads a set's satisfaction answer (None: nobody, no answer)."""
    global _satisfaction_reader
    _satisfaction_reader = reader


def satisfaction_for(*, rec_set: RecommendationSet) -> int | None:
    """The 1-5 answer given to this set, if any."""
    if _satisfaction_reader is None:
        return None
    return _satisfaction_reader(rec_set)


@dataclass
class Offer:
    platform_slug: str
    platform_name: str
    offer_type: str
    offer_label: str
    link: str
    is_mine: bool
    is_included: bool
    source: str = ""


@dataclass
class MovieCard:
    """One movie as the pages show it (a recommendation or a watchlist entry)."""

    movie: Movie
    genres: list[str]
    offers: list[Offer]
    rank: int | None = None
    predicted_rating: float | None = None
    reason: str = ""
    my_rating: int | None = None
    is_saved: bool = False
    is_dismissed: bool = False
    is_watchable_now: bool = False
    genre_names: list[str] = field(default_factory=list)
    availability: AvailabilityStatus | None = None
    # Where the user can look for it themselves when we know of no offer.
    search_links: list[SearchLink] = field(default_factory=list)


def movie_cards(
    *,
    user: AbstractBaseUser,
    movies: Sequence[Movie],
    region: str,
    my_platforms: Iterable[str],
) -> list[MovieCard]:
    """Cards for plain movies: genres, offers (mine highlighted) and my feedback."""
    mine = set(my_platforms)
    ids = [m.pk for m in movies]
    offers = availability_for_movies(movie_ids=ids, region=region)
    statuses = availability_status_for_movies(
        movie_ids=ids, region=region, offers=offers
    )
    my_services = [p for p in platforms_for_region(region=region) if p.slug in mine]
    feedback = feedback_movie_ids(user=user) if user.is_authenticated else {}
    ratings = user_ratings(user=user) if user.is_authenticated else {}
    cards = []
    for movie in movies:
        card_offers = _offers(offers.get(movie.pk, []), mine, movie, region)
        names = [g.name for g in movie.genres.all()]
        status = statuses[movie.pk]
        cards.append(
            MovieCard(
                movie=movie,
                genres=movie_genre_labels(movie),
                genre_names=names,
                offers=card_offers,
                my_rating=ratings.get(movie.pk),
                is_saved=movie.pk in feedback.get("watchlist", set()),
                is_dismissed=movie.pk in feedback.get("dismissed", set()),
                is_watchable_now=any(o.is_mine and o.is_included for o in card_offers),
                availability=status,
                search_links=[]
                if status.state in ("available", "checking")
                else movie_search_links(
                    movie=movie, region=region, platforms=my_services
                ),
            )
        )
    return cards


def _offers(
    offers: list[AvailabilityOffer], mine: set[str], movie: Movie, region: str
) -> list[Offer]:
    # One badge per platform: the cheapest way to watch there (offers come sorted).
    seen: set[str] = set()
    result = []
    for offer in offers:
        if offer.platform_slug in seen:
            continue
        seen.add(offer.platform_slug)
        result.append(
            Offer(
                platform_slug=offer.platform_slug,
                platform_name=offer.platform_name,
                offer_type=offer.offer_type,
                offer_label=offer_type_label(offer.offer_type),
                link=outbound_url(
                    kind="offer",
                    movie_id=movie.pk,
                    title=movie.title,
                    region=region,
                    platform_slug=offer.platform_slug,
                    target=offer.link,
                ),
                is_mine=offer.platform_slug in mine,
                is_included=offer.offer_type in INCLUDED,
                source=offer.source,
            )
        )
    result.sort(key=lambda o: (not o.is_mine, not o.is_included, o.platform_name))
    return result


def recommendation_cards(
    *, user: AbstractBaseUser, rec_set: RecommendationSet
) -> list[MovieCard]:
    """The set's items as cards, by rank, with reasons in the current language."""
    return item_cards(user=user, rec_set=rec_set, items=list(rec_set.items.all()))


def item_cards(
    *,
    user: AbstractBaseUser,
    rec_set: RecommendationSet,
    items: Sequence[RecommendationItem],
) -> list[MovieCard]:
    """Cards of stored or pool items (unsaved), in their order, each with a reason."""
    survey = rec_set.survey
    cards = movie_cards(
        user=user,
        movies=[i.movie for i in items],
        region=survey.region,
        my_platforms=[p.slug for p in survey.platforms.all()],
    )
    titles = reason_titles(items)
    for card, item in zip(cards, items, strict=True):
        card.rank = item.rank
        card.predicted_rating = item.predicted_rating
        card.reason = reason_text(item, titles)
    return cards


def cards_filter(cards: list[MovieCard], filters: ItemFilters) -> list[MovieCard]:
    """Only the cards that pass the chosen filters (rank order kept)."""
    return [
        card
        for card in cards
        if filters.matches(
            card.movie, genre_names=card.genre_names, is_mine_now=card.is_watchable_now
        )
    ]


@dataclass
class CardListing:
    """The cards a filtered or unfiltered results page shows, and from what."""

    cards: list[MovieCard]
    total: int  # the shown items
    pool_size: int = 0  # titles of the longer list they were chosen from (0: none)
    matching: int = 0  # of those, how many pass the filters

    @property
    def is_from_pool(self) -> bool:
        return self.pool_size > 0


def cards_listing(
    *,
    user: AbstractBaseUser,
    rec_set: RecommendationSet,
    cards: list[MovieCard],
    pool: Sequence[RecommendationItem],
    filters: ItemFilters,
) -> CardListing:
    """Unfiltered: the shown cards. Filtered: the first k titles of the pool that
    pass (in pool order), or, for a set without a pool, the shown cards that pass."""
    if not filters.is_active:
        return CardListing(cards=cards, total=len(cards))
    if not pool:
        return CardListing(cards=cards_filter(cards, filters), total=len(cards))
    survey = rec_set.survey
    offers = availability_for_movies(
        movie_ids=[i.movie_id for i in pool], region=survey.region
    )
    mine = {p.slug for p in survey.platforms.all()}
    matching = items_filter(pool, filters=filters, offers=offers, mine=mine)
    chosen = matching[: settings.RECOMMENDATIONS_K]
    return CardListing(
        cards=item_cards(user=user, rec_set=rec_set, items=chosen),
        total=len(cards),
        pool_size=len(pool),
        matching=len(matching),
    )


def genre_options(
    cards: list[MovieCard], pool: Sequence[RecommendationItem] = ()
) -> list[tuple[str, str]]:
    """(genre name, translated label) of the genres present, by label."""
    names = {n for card in cards for n in card.genre_names}
    names |= {g.name for item in pool for g in item.movie.genres.all()}
    return sorted(((n, genre_label(n)) for n in names), key=lambda row: row[1])


def advice_for(*, user: AbstractBaseUser, rec_set: RecommendationSet) -> dict[str, Any]:
    """The platform advice (see recommender.advice) within the user's budget."""
    budget = profile_budget(user_id=user.pk)
    return platform_advice_for_set(rec_set=rec_set, budget=budget).as_dict()


def genre_shares(genre_lists: Iterable[list[str]]) -> dict[str, float]:
    """Share of movies (0..1) that have each genre; a movie may have several."""
    lists = list(genre_lists)
    if not lists:
        return {}
    counts = Counter(name for names in lists for name in set(names))
    return {name: n / len(lists) for name, n in counts.items()}


def taste_chart(
    *, rec_set: RecommendationSet, cards: list[MovieCard]
) -> dict[str, Any]:
    """Genre shares of the favourites vs. the recommendations: SVG plus table rows."""
    favourites = Movie.objects.filter(
        pk__in=rec_set.survey.favorites.values("movie_id")
    ).prefetch_related("genres")
    liked = genre_shares([g.name for g in m.genres.all()] for m in favourites)
    recommended = genre_shares(card.genre_names for card in cards)
    names = sorted(
        set(liked) | set(recommended),
        key=lambda n: (-(liked.get(n, 0) + recommended.get(n, 0)), n),
    )[:TASTE_CHART_GENRES]
    rows = [
        {
            "genre": genre_label(n),
            "favourites": round(100 * liked.get(n, 0)),
            "recommended": round(100 * recommended.get(n, 0)),
        }
        for n in names
    ]
    title = _("Genres of your favourites and of your recommendations")
    svg = bar_chart_svg(
        [r["genre"] for r in rows],
        {
            _("Your favourites"): [r["favourites"] for r in rows],
            _("Recommended"): [r["recommended"] for r in rows],
        },
        title=title,
        unit="%",
        width=320,
        chart_id="taste-chart",
    )
    return {"svg": svg, "rows": rows, "title": title}
