"""Services that create, start and stop experiments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experiments.config import ConfigError, variant_config_parse
from experiments.models import Experiment, Variant
from ottsite.lib.errors import Conflict, ValidationFailed

FOUNDING_NAME = "demographics help new users"


@dataclass(frozen=True)
class VariantSpec:
    name: str
    weight: int = 1
    config: dict[str, Any] = field(default_factory=dict)
    is_control: bool = False


def experiment_create(
    *,
    name: str,
    variants: Sequence[VariantSpec],
    hypothesis: str = "",
    primary_metric: str = Experiment.Metric.SATISFACTION,
    minimum_detectable_effect: float = 0.05,
    planned_sample_size: int = 1000,
    start: bool = False,
) -> Experiment:
    """An experiment with its variants (exactly one of them the control)."""
    if sum(v.is_control for v in variants) != 1 or len(variants) < 2:
        raise ValidationFailed(
            {"variants": [_("Give at least two variants, exactly one a control.")]}
        )
    for spec in variants:
        try:
            variant_config_parse(spec.config)
        except ConfigError as exc:
            raise ValidationFailed({"config": [str(exc)]}) from exc
    with transaction.atomic():
        experiment = Experiment.objects.create(
            name=name,
            hypothesis=hypothesis,
            primary_metric=primary_metric,
            minimum_detectable_effect=minimum_detectable_effect,
            planned_sample_size=planned_sample_size,
        )
        Variant.objects.bulk_create(
            Variant(
                experiment=experiment,
                name=spec.name,
                weight=spec.weight,
                config=spec.config,
                is_control=spec.is_control,
            )
            for spec in variants
        )
    if start:
        experiment_start(experiment=experiment)
    return experiment


def experiment_start(*, experiment: Experiment) -> Experiment:
    """Run it; only a draft can start (a stopped experiment's data stays final)."""
    updated = Experiment.objects.filter(
        pk=experiment.pk, status=Experiment.Status.DRAFT
    ).update(status=Experiment.Status.RUNNING, started_at=timezone.now())
    if not updated:
        raise Conflict(_("Only a draft experiment can be started."))
    experiment.refresh_from_db()
    return experiment


def experiment_stop(*, experiment: Experiment) -> Experiment:
    """Stop it: new sets get the default configuration again."""
    Experiment.objects.filter(
        pk=experiment.pk, status=Experiment.Status.RUNNING
    ).update(status=Experiment.Status.STOPPED, stopped_at=timezone.now())
    experiment.refresh_from_db()
    return experiment


def founding_experiment_ensure() -> Experiment:
    """The founding experiment as the migration creates it (after a test's flush)."""
    existing = Experiment.objects.filter(name=FOUNDING_NAME).first()
    if existing is not None:
        return existing
    return experiment_create(
        name=FOUNDING_NAME,
        hypothesis=(
            "New users' lists built with their age, gender and occupation "
            "satisfy them more than lists built from their favourites alone."
        ),
        variants=[
            VariantSpec("control", 50, {"use_demographics": True}, is_control=True),
            VariantSpec("no-demographics", 50, {"use_demographics": False}),
        ],
        minimum_detectable_effect=0.05,
        planned_sample_size=514,
        start=True,
    )
