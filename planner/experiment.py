"""The plan experiment: does showing the plan change conversion and satisfaction?

Arms are variants of an experiment (the experiments app) whose configuration
says `"show_plan": false` (hidden, the control: the product as it was) or leaves
it out (shown). A set carries the arm it was built under, so the advice panel of
that set links to the plan or not, and its events carry the arm: impressions and
satisfaction as before, click-outs from the cards and from the plan page. The
primary metric is conversion (exposed users who clicked out to a service they do
not pay for), list satisfaction the secondary.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from accounts.selectors import viewer_region
from catalog.models import Availability
from experiments.events import OFFER_ORDER, events_save
from experiments.models import Event, Experiment
from experiments.services import VariantSpec, experiment_create
from ottsite.lib.errors import NotFound, ValidationFailed
from recommender.models import RecommendationSet

PLAN_EXPERIMENT = "plan shown vs hidden"


def plan_is_shown(*, rec_set: Any) -> bool:
    """Whether this set's advice links to the plan (shown unless its arm hides it)."""
    variant = getattr(rec_set, "variant", None)
    if variant is None:
        return True
    return (variant.config or {}).get("show_plan", True) is not False


def plan_experiment_create(*, start: bool = False) -> Experiment:
    """The plan experiment with its two arms, half the traffic each (a draft
    unless `start`: only one experiment runs at a time)."""
    return experiment_create(
        name=PLAN_EXPERIMENT,
        hypothesis=(
            "Users shown a month-by-month plan of which services to have click "
            "out to a service they do not pay for more often, and are as "
            "satisfied with their list."
        ),
        variants=[
            VariantSpec("hidden", 1, {"show_plan": False}, is_control=True),
            VariantSpec("shown", 1, {}),
        ],
        primary_metric=Experiment.Metric.CONVERSION,
        minimum_detectable_effect=0.10,
        planned_sample_size=2000,
        start=start,
    )


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def plan_clickout_record(
    *, user: AbstractBaseUser, movie_id: int, platform_slug: str
) -> str:
    """Record a click on a plan title's service and return the offer's URL.

    Only a title of the user's plan (their watchlist or newest recommendations),
    and only a link we stored (the offer's, else the service's homepage), so the
    redirect cannot be pointed elsewhere. The event carries the newest ready
    set's arm, as the cards' click-outs do.
    """
    from planner.selectors import plan_titles

    if movie_id not in {movie.pk for movie, _v, _w in plan_titles(user=user)}:
        raise NotFound(_("That title is not in your plan."))
    region, subscribed = viewer_region(user=user)
    offers = list(
        Availability.objects.filter(
            movie_id=movie_id,
            region=region,
            platform__slug=platform_slug,
            platform__is_active=True,
        ).select_related("platform")
    )
    if not offers:
        raise NotFound(_("That service does not offer this movie here."))
    offers.sort(key=lambda o: (not _is_web_url(o.link), OFFER_ORDER.get(o.offer_type)))
    offer = offers[0]
    url = offer.link if _is_web_url(offer.link) else offer.platform.homepage
    if not _is_web_url(url):
        raise ValidationFailed({"platform": [_("We have no link for this service.")]})
    rec_set = (
        RecommendationSet.objects.filter(
            survey__user=user, status=RecommendationSet.Status.READY
        )
        .order_by("-created_at")
        .first()
    )
    events_save(
        [
            Event(
                kind=Event.Kind.CLICK_OUT,
                surface=Event.Surface.PAGE,
                user=user,
                recommendation_set=rec_set,
                experiment_id=rec_set.experiment_id if rec_set else None,
                variant_id=rec_set.variant_id if rec_set else None,
                movie_id=movie_id,
                platform_slug=platform_slug,
                data={
                    "offer_type": offer.offer_type,
                    "is_subscribed": platform_slug in subscribed,
                    "from": "plan",
                },
            )
        ]
    )
    return url
