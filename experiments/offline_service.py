"""Run the offline arm for a stored experiment on the MovieLens files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from catalog import movielens
from experiments.config import variant_config_parse
from experiments.offline import offline_arm
from experiments.report import experiment_get
from recommender.evaluation_service import evaluation_source_dir
from recommender.ml.model import NCFConfig


def experiment_offline_evaluate(
    *,
    name: str,
    source: str | None = None,
    seed: int = 0,
    config: NCFConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Every variant of the experiment on the same cold-start users."""
    experiment = experiment_get(name=name)
    variants = list(experiment.variants.order_by("pk"))
    control = next(v for v in variants if v.is_control)
    dataset = movielens.read_dataset(evaluation_source_dir(source))
    result = offline_arm(
        dataset.ratings,
        dataset.users,
        dataset.movies,
        variants=[(v.name, variant_config_parse(v.config)) for v in variants],
        control=control.name,
        seed=seed,
        config=config,
        progress=progress,
    )
    return {"experiment": experiment.name, **result}
