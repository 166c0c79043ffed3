"""The trained ranker: LightGBM boosters kept as text, scoring feature rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .features import FEATURES


@dataclass
class Ranker:
    """Trained LightGBM boosters (as text; scores are their mean) and how."""

    model_strings: list[str]
    feature_names: list[str]
    per_signal: int = 100
    meta: dict[str, Any] = field(default_factory=dict)
    _boosters: list[Any] | None = field(default=None, repr=False)
    _columns: np.ndarray | None = field(default=None, repr=False)

    @property
    def boosters(self) -> list[Any]:
        """The LightGBM boosters, parsed on first use."""
        if self._boosters is None:
            import lightgbm

            self._boosters = [
                lightgbm.Booster(model_str=text) for text in self.model_strings
            ]
        return self._boosters

    @property
    def columns(self) -> np.ndarray:
        """Positions of this ranker's features among today's FEATURES (a bundle
        trained with fewer features keeps working)."""
        if self._columns is None:
            missing = set(self.feature_names) - set(FEATURES)
            if missing:
                raise ValueError(f"unknown ranker features: {sorted(missing)}")
            self._columns = np.array(
                [FEATURES.index(name) for name in self.feature_names], np.int64
            )
        return self._columns

    def score(self, features: np.ndarray) -> np.ndarray:
        """Ranking scores for feature rows built with FEATURES (higher is better)."""
        if len(features) == 0:
            return np.zeros(0)
        x = np.asarray(features, np.float64)
        if x.shape[1] != len(self.feature_names) or list(self.feature_names) != list(
            FEATURES
        ):
            x = x[:, self.columns]
        return np.mean(
            [
                np.asarray(b.predict(x, num_threads=1), np.float64)
                for b in self.boosters
            ],
            axis=0,
        )
