"""What the experiments app does when the recommender announces an event or asks.

Connected in ExperimentsConfig.ready(): the recommender sends its events
(recommender.signals) and asks its questions through hooks (recommender.variants,
recommender.pages), and imports nothing of this app, which builds on it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from experiments.assignment import exposure_record
from experiments.events import feedback_record, impression_record, satisfaction_get
from experiments.models import Event
from recommender.pages import satisfaction_reader_set
from recommender.signals import feedback_given, recommendations_shown
from recommender.variants import BuildVariant, variant_provider_set


def on_recommendations_shown(
    sender: Any,
    *,
    user: AbstractBaseUser,
    rec_set: Any,
    surface: str,
    **kwargs: Any,
) -> None:
    """An impression of the set, once per surface."""
    impression_record(user=user, rec_set=rec_set, surface=Event.Surface(surface))


def on_feedback_given(
    sender: Any,
    *,
    user: AbstractBaseUser,
    kind: str,
    movie_id: int,
    surface: str,
    value: float | None = None,
    **kwargs: Any,
) -> None:
    """A detail view, watchlist add, rating or dismissal event."""
    feedback_record(
        user=user,
        kind=Event.Kind(kind),
        movie_id=movie_id,
        surface=Event.Surface(surface),
        value=value,
    )


def build_variant(*, user: AbstractBaseUser) -> BuildVariant:
    """The user's variant for a build, recorded as an exposure (exposure_record)."""
    exposure = exposure_record(user=user)
    return BuildVariant(
        experiment_id=None if exposure.experiment is None else exposure.experiment.pk,
        variant_id=None if exposure.variant is None else exposure.variant.pk,
        apply=exposure.config.apply,
    )


def satisfaction_read(rec_set: Any) -> int | None:
    return satisfaction_get(rec_set=rec_set)


def receivers_connect() -> None:
    recommendations_shown.connect(
        on_recommendations_shown, dispatch_uid="experiments.impressions"
    )
    feedback_given.connect(on_feedback_given, dispatch_uid="experiments.feedback")
    variant_provider_set(build_variant)
    satisfaction_reader_set(satisfaction_read)
