"""The experiment arm a build runs under: a question the experiments app answers.

Which variant of an A/B experiment a user is in, and what that variant changes in
the pipeline input, belong to the experiments app, which builds on this one. The
build needs the answer back, so a signal (fire and forget) does not fit: the build
asks `variant_for(user=...)`, and ExperimentsConfig.ready() registers the real
answer with `variant_provider_set` (dependency inversion; the recommender imports
nothing of experiments). Until then, every build runs under "no experiment": the
default configuration. ready() runs in web processes, management commands and the
Celery worker (its Django fix-up calls django.setup()) alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser

from recommender.ml.pipeline import SurveyInput


def _unchanged(survey: SurveyInput) -> SurveyInput:
    return survey


@dataclass(frozen=True)
class BuildVariant:
    """The arm's ids, stored on the set, and its change to the pipeline input."""

    experiment_id: int | None = None
    variant_id: int | None = None
    apply: Callable[[SurveyInput], SurveyInput] = _unchanged


NO_EXPERIMENT = BuildVariant()


class VariantProvider(Protocol):
    def __call__(self, *, user: AbstractBaseUser) -> BuildVariant: ...


_provider: VariantProvider | None = None


def variant_provider_set(provider: VariantProvider | None) -> None:
    """Register who answers `variant_for` (None: back to "no experiment")."""
    global _provider
    _provider = provider


def variant_for(*, user: AbstractBaseUser) -> BuildVariant:
    """The user's arm for a build (the provider records the exposure)."""
    if _provider is None:
        return NO_EXPERIMENT
    return _provider(user=user)
