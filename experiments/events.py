"""Recording what users do with their recommendations: one cheap INSERT each.

Every event carries the set's experiment and variant, copied from the set (the arm
it was built under), so analysis never has to re-derive assignments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.links import is_web_url, movie_search_links, offer_click_url
from catalog.models import Availability, Movie, Platform
from experiments.models import Event
from ottsite.lib.errors import NotFound, ValidationFailed
from ottsite.lib.generations import user_changed
from recommender.models import RecommendationItem, RecommendationSet

Kind = Event.Kind
FEEDBACK_KINDS = (Kind.DETAIL_VIEW, Kind.WATCHLIST_ADD, Kind.RATING, Kind.DISMISSAL)
OFFER_ORDER = {"subscription": 0, "free": 1, "ads": 2, "rent": 3, "buy": 4}


def owned_ready_set(*, user: AbstractBaseUser, set_id: object) -> RecommendationSet:
    """One of the user's ready sets; anyone else's (or a missing one) is NotFound."""
    if not isinstance(set_id, int) or isinstance(set_id, bool):
        raise ValidationFailed(
            {"recommendation_set_id": [_("A set id must be a whole number.")]}
        )
    rec_set = (
        RecommendationSet.objects.filter(
            pk=set_id, survey__user=user, status=RecommendationSet.Status.READY
        )
        .select_related("survey")
        .first()
    )
    if rec_set is None:
        raise NotFound(_("No such recommendations."))
    return rec_set


def _event(
    *, user: AbstractBaseUser, kind: str, surface: str, rec_set: RecommendationSet
) -> Event:
    return Event(
        kind=kind,
        surface=surface,
        user=user,
        recommendation_set=rec_set,
        experiment_id=rec_set.experiment_id,
        variant_id=rec_set.variant_id,
    )


def impression_event(
    *, user: AbstractBaseUser, rec_set: RecommendationSet, surface: str
) -> Event:
    """An unsaved impression of a set: its movie ids with their ranks."""
    event = _event(user=user, kind=Kind.IMPRESSION, surface=surface, rec_set=rec_set)
    if "items" in getattr(rec_set, "_prefetched_objects_cache", {}):
        # The page or payload already read them (selectors._with_items).
        shown = sorted(rec_set.items.all(), key=lambda i: i.rank)
        items = [(i.movie_id, i.rank) for i in shown]
    else:
        items = rec_set.items.order_by("rank").values_list("movie_id", "rank")
    event.data = {"items": [[movie_id, rank] for movie_id, rank in items]}
    return event


def events_save(events: Iterable[Event]) -> None:
    """One bulk INSERT; a second impression of a set on a surface is ignored."""
    Event.objects.bulk_create(list(events), ignore_conflicts=True)


def impression_record(
    *, user: AbstractBaseUser, rec_set: RecommendationSet, surface: str
) -> None:
    """The set was shown on the page or returned by the API (once per surface)."""
    if rec_set.status != RecommendationSet.Status.READY:
        return
    if rec_set.survey.user_id != user.pk:
        raise NotFound(_("No such recommendations."))
    events_save([impression_event(user=user, rec_set=rec_set, surface=surface)])


@dataclass(frozen=True)
class ClickTarget:
    url: str
    platform_slug: str
    offer_type: str
    is_subscribed: bool


def clickout_target(
    *, rec_set: RecommendationSet, movie_id: object, platform_slug: object
) -> ClickTarget:
    """Where a click on a card's service goes (see catalog.links.offer_click_url).

    The URL comes from the database (the offer's link, else the platform's search
    template and the title, else its homepage), never from the request, so the
    redirect cannot be pointed elsewhere.
    """
    if not isinstance(movie_id, int) or isinstance(movie_id, bool):
        raise ValidationFailed({"movie_id": [_("A movie id must be a whole number.")]})
    if not isinstance(platform_slug, str) or not platform_slug:
        raise ValidationFailed({"platform": [_("Name the streaming service.")]})
    if not rec_set.items.filter(movie_id=movie_id).exists():
        raise NotFound(_("That movie is not in these recommendations."))
    region = rec_set.survey.region
    offers = list(
        Availability.objects.filter(
            movie_id=movie_id,
            region=region,
            platform__slug=platform_slug,
            platform__is_active=True,
        ).select_related("platform", "movie")
    )
    if not offers:
        raise NotFound(_("That service does not offer this movie here."))
    offers.sort(key=lambda o: (not is_web_url(o.link), OFFER_ORDER.get(o.offer_type)))
    offer = offers[0]
    url = offer_click_url(
        link=offer.link, movie=offer.movie, region=region, platform=offer.platform
    )
    if not url:
        raise NotFound(_("We have no link for this service."))
    subscribed = rec_set.survey.platforms.filter(
        slug=platform_slug, region=region
    ).exists()
    return ClickTarget(
        url=url,
        platform_slug=platform_slug,
        offer_type=offer.offer_type,
        is_subscribed=subscribed,
    )


def search_target(
    *, rec_set: RecommendationSet, movie_id: int, platform_slug: str
) -> ClickTarget:
    """A card's "search on <service>" (or JustWatch) link, built by catalog.links.

    Built from the stored platform's search template and the movie's title, so the
    redirect cannot be pointed anywhere else either.
    """
    item = rec_set.items.filter(movie_id=movie_id).select_related("movie").first()
    if item is None:
        raise NotFound(_("That movie is not in these recommendations."))
    region = rec_set.survey.region
    platforms = list(
        Platform.objects.filter(region=region, slug=platform_slug, is_active=True)
    )
    links = movie_search_links(movie=item.movie, region=region, platforms=platforms)
    link = next((x for x in links if x.platform_slug == platform_slug), None)
    if link is None or not is_web_url(link.url):
        raise NotFound(_("We have no link for this service."))
    subscribed = rec_set.survey.platforms.filter(
        slug=platform_slug, region=region
    ).exists()
    kind = "justwatch" if platform_slug == "justwatch" else "search"
    return ClickTarget(
        url=link.url,
        platform_slug=platform_slug,
        offer_type=kind,
        is_subscribed=subscribed,
    )


def search_clickout_record(
    *, user: AbstractBaseUser, set_id: int, movie_id: int, platform_slug: str
) -> str:
    """Record a click on a card's search link and return where it goes."""
    rec_set = owned_ready_set(user=user, set_id=set_id)
    target = search_target(
        rec_set=rec_set, movie_id=movie_id, platform_slug=platform_slug
    )
    event = clickout_event(
        user=user,
        rec_set=rec_set,
        movie_id=movie_id,
        target=target,
        surface=Event.Surface.PAGE,
    )
    # JustWatch is not a streaming service: it can never be a conversion.
    event.data["kind"] = target.offer_type
    events_save([event])
    return target.url


def clickout_event(
    *,
    user: AbstractBaseUser,
    rec_set: RecommendationSet,
    movie_id: int,
    target: ClickTarget,
    surface: str,
) -> Event:
    event = _event(user=user, kind=Kind.CLICK_OUT, surface=surface, rec_set=rec_set)
    event.movie_id = movie_id
    event.platform_slug = target.platform_slug
    event.data = {
        "offer_type": target.offer_type,
        "is_subscribed": target.is_subscribed,
    }
    return event


def clickout_record(
    *,
    user: AbstractBaseUser,
    set_id: int,
    movie_id: int,
    platform_slug: str,
    surface: str = Event.Surface.PAGE,
) -> str:
    """Record a click on a card's service and return the offer's URL to go to."""
    rec_set = owned_ready_set(user=user, set_id=set_id)
    target = clickout_target(
        rec_set=rec_set, movie_id=movie_id, platform_slug=platform_slug
    )
    events_save(
        [
            clickout_event(
                user=user,
                rec_set=rec_set,
                movie_id=movie_id,
                target=target,
                surface=surface,
            )
        ]
    )
    return target.url


def satisfaction_set(
    *, user: AbstractBaseUser, set_id: object, score: object, surface: str
) -> Event:
    """'How good is this list for you?' 1-5, once per set; changeable."""
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValidationFailed({"score": [_("Choose a whole number from 1 to 5.")]})
    rec_set = owned_ready_set(user=user, set_id=set_id)
    with transaction.atomic():
        event, _created = Event.objects.update_or_create(
            recommendation_set=rec_set,
            kind=Kind.SATISFACTION,
            defaults={
                "value": score,
                "surface": surface,
                "user": user,
                "experiment_id": rec_set.experiment_id,
                "variant_id": rec_set.variant_id,
            },
        )
        user_changed(user_id=user.pk)  # the page shows the answer
    return event


def satisfaction_get(*, rec_set: RecommendationSet) -> int | None:
    """The score given to a set, if any."""
    value = (
        Event.objects.filter(recommendation_set=rec_set, kind=Kind.SATISFACTION)
        .values_list("value", flat=True)
        .first()
    )
    return None if value is None else int(value)


def set_with_movie(
    *, user: AbstractBaseUser, movie_id: int
) -> RecommendationSet | None:
    """The user's newest ready set that recommended this movie."""
    item = (
        RecommendationItem.objects.filter(
            movie_id=movie_id,
            recommendation_set__survey__user=user,
            recommendation_set__status=RecommendationSet.Status.READY,
        )
        .select_related("recommendation_set")
        .order_by("-recommendation_set__created_at")
        .first()
    )
    return None if item is None else item.recommendation_set


def feedback_event(
    *,
    user: AbstractBaseUser,
    kind: str,
    movie_id: int,
    surface: str,
    value: float | None = None,
) -> Event:
    """An unsaved detail view / save / rating / dismissal, tied to the set it came from.

    A movie the user was never recommended gets an event without a set (and so
    without a variant): it says nothing about the experiment.
    """
    rec_set = set_with_movie(user=user, movie_id=movie_id)
    if rec_set is None:
        event = Event(kind=kind, surface=surface, user=user)
    else:
        event = _event(user=user, kind=kind, surface=surface, rec_set=rec_set)
    event.movie_id = movie_id
    event.value = value
    return event


def feedback_record(
    *,
    user: AbstractBaseUser,
    kind: str,
    movie_id: int,
    surface: str,
    value: float | None = None,
) -> None:
    """Record a detail view, watchlist add, rating or dismissal of a movie."""
    if not user.is_authenticated:
        return
    events_save(
        [
            feedback_event(
                user=user, kind=kind, movie_id=movie_id, surface=surface, value=value
            )
        ]
    )


def events_batch_record(
    *, user: AbstractBaseUser, events: list[dict], surface: str = Event.Surface.API
) -> int:
    """A REST client's batch of impressions, click-outs and detail views.

    All-or-nothing: one event on someone else's set refuses the whole batch.
    Returns how many events were accepted (repeated impressions are ignored).
    """
    rows: list[Event] = []
    sets: dict[int, RecommendationSet] = {}
    for index, item in enumerate(events):
        kind = item.get("kind")
        set_id = item.get("recommendation_set_id")
        try:
            if kind == Kind.DETAIL_VIEW:
                if not Movie.objects.filter(pk=item.get("movie_id")).exists():
                    raise ValidationFailed({"movie_id": [_("Unknown movie id.")]})
                rows.append(
                    feedback_event(
                        user=user,
                        kind=kind,
                        movie_id=item["movie_id"],
                        surface=surface,
                    )
                )
                continue
            if set_id not in sets:
                sets[set_id] = owned_ready_set(user=user, set_id=set_id)
            rec_set = sets[set_id]
            if kind == Kind.IMPRESSION:
                rows.append(
                    impression_event(user=user, rec_set=rec_set, surface=surface)
                )
            elif kind == Kind.CLICK_OUT:
                target = clickout_target(
                    rec_set=rec_set,
                    movie_id=item.get("movie_id"),
                    platform_slug=item.get("platform"),
                )
                rows.append(
                    clickout_event(
                        user=user,
                        rec_set=rec_set,
                        movie_id=item["movie_id"],
                        target=target,
                        surface=surface,
                    )
                )
            else:
                raise ValidationFailed({"kind": [_("Unknown event kind.")]})
        except ValidationFailed as exc:
            raise ValidationFailed(
                {f"events[{index}].{k}": v for k, v in exc.errors.items()}
            ) from exc
    events_save(rows)
    return len(rows)
