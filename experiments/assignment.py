"""Deterministic, sticky assignment of users to variants.

The bucket is a pure function of the experiment's name and the user id (sha256), so
every process, worker and machine computes the same variant; the first exposure
writes an Assignment row and later changes of weights never move anyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from experiments.config import (
    DEFAULT_CONFIG,
    VariantConfig,
    variant_config_parse,
)
from experiments.models import Assignment, Experiment, Variant

BUCKET_SCALE = 16**15


def bucket_for(*, salt: str, user_id: int) -> float:
    """A uniform number in [0, 1) from sha256("salt:user_id")."""
    digest = hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()
    return int(digest[:15], 16) / BUCKET_SCALE


def index_for_bucket(weights: Sequence[float], bucket: float) -> int:
    """The arm whose cumulative weight range contains the bucket."""
    total = float(sum(weights))
    if total <= 0:
        raise ValueError("the weights must add up to more than zero")
    edge = 0.0
    for index, weight in enumerate(weights):
        edge += weight / total
        if bucket < edge:
            return index
    return len(weights) - 1


def variant_pick(*, experiment: Experiment, user_id: int) -> Variant:
    """The variant the hash gives this user (variants in creation order)."""
    variants = list(experiment.variants.order_by("pk"))
    if not variants:
        raise ValueError(f"experiment {experiment.name!r} has no variants")
    bucket = bucket_for(salt=experiment.name, user_id=user_id)
    return variants[index_for_bucket([v.weight for v in variants], bucket)]


def experiment_running() -> Experiment | None:
    """The running experiment (the earliest started if several run)."""
    return (
        Experiment.objects.filter(status=Experiment.Status.RUNNING)
        .order_by("started_at", "pk")
        .first()
    )


@dataclass(frozen=True)
class Exposure:
    experiment: Experiment | None
    variant: Variant | None
    config: VariantConfig


def exposure_record(*, user: AbstractBaseUser) -> Exposure:
    """The user's variant of the running experiment, recorded at first exposure."""
    experiment = experiment_running()
    if experiment is None:
        return Exposure(None, None, DEFAULT_CONFIG)
    assignment = (
        Assignment.objects.select_related("variant")
        .filter(experiment=experiment, user=user)
        .first()
    )
    if assignment is None:
        picked = variant_pick(experiment=experiment, user_id=user.pk)
        # get_or_create retries on the unique constraint: two workers building
        # the same user's first sets end up with one row.
        assignment, _created = Assignment.objects.select_related(
            "variant"
        ).get_or_create(experiment=experiment, user=user, defaults={"variant": picked})
    variant = assignment.variant
    return Exposure(experiment, variant, variant_config_parse(variant.config))
