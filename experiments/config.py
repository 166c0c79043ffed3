"""A variant's recommender configuration and how it changes the pipeline input."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from recommender.ml.pipeline import METHODS, SurveyInput

KEYS = ("method", "use_demographics", "diversity", "k", "show_plan")
MAX_K = 100


class ConfigError(ValueError):
    """A variant configuration that the pipeline cannot run."""


@dataclass(frozen=True)
class VariantConfig:
    """None means 'the default' (the bundle's or the site's)."""

    method: str | None = None
    use_demographics: bool = True
    diversity: float | None = None
    k: int | None = None
    # Not a pipeline input: whether the advice links to the plan (planner).
    show_plan: bool = True

    def apply(self, survey: SurveyInput) -> SurveyInput:
        """The pipeline input with this configuration's overrides."""
        changes: dict[str, Any] = {"use_demographics": self.use_demographics}
        if self.method is not None:
            changes["method"] = self.method
        if self.diversity is not None:
            changes["diversity"] = self.diversity
        if self.k is not None:
            changes["k"] = self.k
        return dataclasses.replace(survey, **changes)


DEFAULT_CONFIG = VariantConfig()


def variant_config_parse(data: object) -> VariantConfig:
    """Validate a variant's JSON configuration."""
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a JSON object")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"unknown keys {unknown}; allowed: {list(KEYS)}")
    method = data.get("method")
    if method is not None and method not in METHODS:
        raise ConfigError(f"method must be one of {list(METHODS)}")
    demo = data.get("use_demographics", True)
    if not isinstance(demo, bool):
        raise ConfigError("use_demographics must be true or false")
    diversity = data.get("diversity")
    if diversity is not None and (
        isinstance(diversity, bool)
        or not isinstance(diversity, int | float)
        or not 0 <= diversity <= 1
    ):
        raise ConfigError("diversity must be a number from 0 to 1")
    k = data.get("k")
    if k is not None and (
        isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K
    ):
        raise ConfigError(f"k must be a whole number from 1 to {MAX_K}")
    show_plan = data.get("show_plan", True)
    if not isinstance(show_plan, bool):
        raise ConfigError("show_plan must be true or false")
    return VariantConfig(
        method=method,
        use_demographics=demo,
        diversity=None if diversity is None else float(diversity),
        k=k,
        show_plan=show_plan,
    )
