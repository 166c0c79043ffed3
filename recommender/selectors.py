"""Read-only queries over recommendation sets and feedback."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import translation

from accounts.selectors import profile_budget
from catalog.links import links_variant, movie_search_links
from catalog.selectors import (
    AvailabilityOffer,
    AvailabilityStatus,
    availability_for_movies,
    availability_status_for_movies,
    platforms_for_region,
)
from ottsite.lib.errors import NotFound
from ottsite.lib.generations import user_cached
from recommender.advice import platform_advice_for_set
from recommender.models import (
    Dismissal,
    MovieRating,
    RecommendationItem,
    RecommendationSet,
    WatchlistItem,
)
from recommender.pool import ItemFilters, items_filter, pool_items, pool_rows
from recommender.reasons import reason_text, reason_titles


def _sets(user: AbstractBaseUser) -> QuerySet[RecommendationSet]:
    return RecommendationSet.objects.filter(survey__user=user).select_related(
        "survey", "model_version"
    )


def _with_items(rec_set: RecommendationSet | None) -> RecommendationSet | None:
    """Prefetch a ready set's items, movies and genres (a set in flight has none:
    a poll while it builds is one query)."""
    if rec_set is not None and rec_set.status == RecommendationSet.Status.READY:
        items = RecommendationItem.objects.select_related("movie").prefetch_related(
            "movie__genres"
        )
        prefetch_related_objects([rec_set], Prefetch("items", queryset=items))
    return rec_set


def recommendation_set_get(*, user: AbstractBaseUser, set_id: int) -> RecommendationSet:
    """One of the user's sets with items and movies; others' sets are NotFound."""
    rec_set = _with_items(_sets(user).filter(pk=set_id).first())
    if rec_set is None:
        raise NotFound("No such recommendations.")
    return rec_set


def recommendation_set_for_survey(
    *, user: AbstractBaseUser, survey_id: int
) -> RecommendationSet:
    """The newest set of one of the user's surveys."""
    rec_set = _sets(user).filter(survey_id=survey_id).order_by("-created_at").first()
    if rec_set is None:
        raise NotFound("No such survey.")
    return _with_items(rec_set)


def recommendation_set_latest(*, user: AbstractBaseUser) -> RecommendationSet | None:
    """The user's newest set, whatever its status."""
    return _with_items(_sets(user).order_by("-created_at").first())


def feedback_movie_ids(*, user: AbstractBaseUser) -> dict[str, set[int]]:
    """Movie ids the user rated, dismissed or saved."""
    return {
        "rated": set(
            MovieRating.objects.filter(user=user).values_list("movie_id", flat=True)
        ),
        "dismissed": set(
            Dismissal.objects.filter(user=user).values_list("movie_id", flat=True)
        ),
        "watchlist": set(
            WatchlistItem.objects.filter(user=user).values_list("movie_id", flat=True)
        ),
    }


def dismissed_movie_ids(*, user: AbstractBaseUser) -> set[int]:
    """Movie ids the user marked "not interested"."""
    return set(Dismissal.objects.filter(user=user).values_list("movie_id", flat=True))


def movie_feedback(*, user: AbstractBaseUser, movie_id: int) -> dict[str, Any]:
    """The user's rating, watchlist and 'not interested' state of one movie."""
    return {
        "my_rating": MovieRating.objects.filter(user=user, movie_id=movie_id)
        .values_list("rating", flat=True)
        .first(),
        "is_saved": WatchlistItem.objects.filter(user=user, movie_id=movie_id).exists(),
        "is_dismissed": Dismissal.objects.filter(user=user, movie_id=movie_id).exists(),
    }


def user_ratings(*, user: AbstractBaseUser) -> dict[int, int]:
    """The user's own ratings: movie id -> 1..5."""
    return dict(MovieRating.objects.filter(user=user).values_list("movie_id", "rating"))


def watchlist_list(*, user: AbstractBaseUser) -> QuerySet[WatchlistItem]:
    """The user's watchlist, newest first, with movies and genres."""
    return (
        WatchlistItem.objects.filter(user=user)
        .select_related("movie")
        .prefetch_related("movie__genres")
    )


@dataclass(frozen=True)
class RecommendationsPage:
    rec_set: RecommendationSet
    items: list[RecommendationItem]
    availability: dict[int, list[AvailabilityOffer]]
    platform_advice: dict[str, Any] | None
    statuses: dict[int, AvailabilityStatus] = field(default_factory=dict)
    search_links: dict[int, list] = field(default_factory=dict)
    # With filters: how many titles of the list they pick from pass them (the
    # items are the first k of those); None without filters.
    matching: int | None = None


def recommendations_page(
    *, rec_set: RecommendationSet, filters: ItemFilters | None = None
) -> RecommendationsPage:
    """A set with its items' offers in the survey's region and, when ready, advice.

    With active filters the items are the first k titles of the set's pool that
    pass them (a set without a pool: its shown items that pass), each with its
    reason in the current language.
    """
    if rec_set.status != RecommendationSet.Status.READY:
        return RecommendationsPage(rec_set, [], {}, None)
    items = list(rec_set.items.all())
    region = rec_set.survey.region
    mine = list(rec_set.survey.platforms.values_list("slug", "region"))
    pool: list[RecommendationItem] = []
    if filters is not None and filters.is_active:
        dismissed = set(
            Dismissal.objects.filter(user_id=rec_set.survey.user_id).values_list(
                "movie_id", flat=True
            )
        )
        pool = pool_items(rec_set=rec_set, exclude=dismissed)
    # The offers of every title the items or the advice (over the pool) may name.
    ids = list(
        dict.fromkeys(
            [i.movie_id for i in items]
            + [i.movie_id for i in pool]
            + [r["movie_id"] for r in pool_rows(rec_set=rec_set)]
        )
    )
    offers = availability_for_movies(movie_ids=ids, region=region)
    statuses = availability_status_for_movies(
        movie_ids=ids, region=region, offers=offers
    )
    matching = None
    if filters is not None and filters.is_active:
        chosen = items_filter(
            pool or items,
            filters=filters,
            offers=offers,
            mine={slug for slug, where in mine if where == region},
        )
        matching = len(chosen)
        items = chosen[: settings.RECOMMENDATIONS_K]
        titles = reason_titles(items)
        for item in items:
            if item.pk is None:
                item.reason = reason_text(item, titles)
    platforms = platforms_for_region(region=region)
    budget = profile_budget(user_id=rec_set.survey.user_id)
    advice = platform_advice_for_set(
        rec_set=rec_set,
        budget=budget,
        offers=offers,
        statuses=statuses,
        platforms=platforms,
        subscribed=[slug for slug, where in mine if where == region],
    ).as_dict()
    services = [p for p in platforms if (p.slug, p.region) in mine]
    links = {
        i.movie_id: movie_search_links(movie=i.movie, region=region, platforms=services)
        for i in items
        if statuses[i.movie_id].state in ("none", "unknown")
    }
    return RecommendationsPage(
        rec_set, items, offers, advice, statuses, links, matching=matching
    )


def recommendations_for_survey(
    *, user: AbstractBaseUser, survey_id: int, filters: ItemFilters | None = None
) -> RecommendationsPage:
    """The newest set of one of the user's surveys; others' surveys are NotFound."""
    rec_set = recommendation_set_for_survey(user=user, survey_id=survey_id)
    return recommendations_page(rec_set=rec_set, filters=filters)


def recommendations_latest(
    *, user: AbstractBaseUser, filters: ItemFilters | None = None
) -> RecommendationsPage:
    """The user's newest set; NotFound before the first survey."""
    rec_set = recommendation_set_latest(user=user)
    if rec_set is None:
        raise NotFound("No recommendations yet: submit the survey first.")
    return recommendations_page(rec_set=rec_set, filters=filters)


# A backstop for changes that do not bump a generation (e.g. admin edits).
PAYLOAD_TTL = 300
IN_FLIGHT_TTL = 2


def recommendations_payload(
    *,
    user: AbstractBaseUser,
    render: Callable[[RecommendationsPage], bytes],
    survey_id: int | None = None,
    filters: ItemFilters | None = None,
) -> tuple[bytes, RecommendationsPage | None]:
    """The rendered newest set (of one survey, or the user's newest), and the page
    when it was rendered now (None when served from the cache).

    A ready set never changes, so its payload is cached per user and language
    (ottsite.lib.generations.user_cached): a new set for the user
    (recommendations_request), their feedback or profile, a catalogue-wide change
    and a change of one of the set's movies (its offers or checks: the cards and
    the advice) bump a generation. A hit is two cache round trips and no query.
    """
    scope = "latest" if survey_id is None else f"survey{survey_id}"
    language = translation.get_language() or ""
    key = f"recs:{user.pk}:{scope}:{language}:{links_variant()}"
    if filters is not None and filters.is_active:
        key += ":" + filters_key(filters)
    built: list[RecommendationsPage] = []

    def build() -> tuple[bytes, int | None]:
        if survey_id is None:
            page = recommendations_latest(user=user, filters=filters)
        else:
            page = recommendations_for_survey(
                user=user, survey_id=survey_id, filters=filters
            )
        built.append(page)
        return render(page), cache_seconds(page.rec_set, page.statuses)

    def deps(_payload: bytes) -> list[int]:
        # The advice counts over the pool: its titles' offers change the payload.
        page = built[0]
        return [item.movie_id for item in page.items] + pool_movie_ids(page.rec_set)

    payload, _ = user_cached(user_id=user.pk, key=key, build=build, deps=deps)
    return payload, (built[0] if built else None)


def results_fragment_cached(
    *,
    user: AbstractBaseUser,
    rec_set: RecommendationSet,
    vary: Sequence[str],
    render: Callable[[], tuple[str, dict]],
) -> str:
    """The results fragment of a ready set, from the cache when it can be.

    Cached per user, set, language, links variant and `vary` (what else the HTML
    depends on: the page's address and its forms' CSRF secret) until the user's,
    the catalogue's or one of the set's movies' generation moves (see
    recommendations_payload: the advice and chart cover every item, filtered out
    or not). `render`
    returns the HTML and the cards' availability statuses, which decide how long
    it may be kept (cache_seconds).
    """
    parts = [translation.get_language() or "", links_variant(), *vary]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    def build() -> tuple[str, int | None]:
        html, statuses = render()
        return html, cache_seconds(rec_set, statuses)

    html, _ = user_cached(
        user_id=user.pk,
        key=f"page:{user.pk}:{rec_set.pk}:{digest}",
        build=build,
        deps=lambda _html: (
            [item.movie_id for item in rec_set.items.all()] + pool_movie_ids(rec_set)
        ),
    )
    return html


def pool_movie_ids(rec_set: RecommendationSet) -> list[int]:
    """Ids of the set's pool (the filtered cards and the advice show them)."""
    return [r["movie_id"] for r in pool_rows(rec_set=rec_set)]


def filters_key(filters: ItemFilters) -> str:
    """The filters as part of a cache key."""
    return ",".join(
        str(v)
        for v in (
            int(filters.only_mine),
            filters.genre,
            filters.kind,
            filters.year_from or "",
            filters.year_to or "",
        )
    )


def cache_seconds(rec_set: RecommendationSet, statuses: dict) -> int | None:
    """How long a rendering of the set may be served from the cache.

    A ready set never changes: PAYLOAD_TTL, unless a card says "checking" (which
    ends when a look-up finishes or its claim expires: not cached). A set in
    flight changes status in the worker, and every status change bumps the
    user's generation (recommender.building); IN_FLIGHT_TTL only bounds how
    stale a poll could be if a change ever went unannounced.
    """
    if rec_set.status != RecommendationSet.Status.READY:
        return IN_FLIGHT_TTL
    if any(s.state == "checking" for s in statuses.values()):
        return None
    return PAYLOAD_TTL
