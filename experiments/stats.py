"""The statistics of an experiment report: pure functions over counts and arrays.

Rates use the two-proportion z-test (pooled standard error, statsmodels) with a
Wald interval of the difference; means use Welch's t-test (scipy) and its interval.
Several metrics are read at once, so p-values are Holm-adjusted before a decision.
No Django here: the report module feeds these from the events.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_effectsize,
    proportions_ztest,
)

ALPHA = 0.05
POWER = 0.8
SRM_ALPHA = 0.001  # a broken split shows up as a tiny p; 0.001 avoids false alarms


@dataclass
class Comparison:
    """Treatment minus control for one metric."""

    metric: str
    kind: str  # "rate" | "mean"
    control: float
    treatment: float
    n_control: int
    n_treatment: int
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    p_holm: float = math.nan
    is_significant: bool = False

    @property
    def relative(self) -> float:
        """The difference as a share of the control's value."""
        return self.difference / self.control if self.control else math.nan

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return {**asdict(self), "relative": self.relative}


def compare_rates(
    metric: str, successes_c: int, n_c: int, successes_t: int, n_t: int
) -> Comparison:
    """Two-proportion z-test and 95% Wald interval of p_t - p_c."""
    p_c = successes_c / n_c if n_c else math.nan
    p_t = successes_t / n_t if n_t else math.nan
    if n_c < 2 or n_t < 2:
        return Comparison(metric, "rate", p_c, p_t, n_c, n_t, p_t - p_c, *_NO_TEST)
    if successes_c + successes_t in (0, n_c + n_t):
        # No variance at all (everyone or no one): nothing to test.
        return Comparison(metric, "rate", p_c, p_t, n_c, n_t, p_t - p_c, 0, 0, 1.0)
    _z, p = proportions_ztest([successes_t, successes_c], [n_t, n_c])
    low, high = confint_proportions_2indep(
        successes_t, n_t, successes_c, n_c, method="wald", compare="diff", alpha=ALPHA
    )
    return Comparison(
        metric, "rate", p_c, p_t, n_c, n_t, p_t - p_c, float(low), float(high), float(p)
    )


_NO_TEST = (math.nan, math.nan, math.nan)


def compare_means(
    metric: str, control: Sequence[float], treatment: Sequence[float]
) -> Comparison:
    """Welch's t-test and its 95% interval of mean_t - mean_c."""
    c = np.asarray(control, dtype=np.float64)
    t = np.asarray(treatment, dtype=np.float64)
    m_c = float(c.mean()) if len(c) else math.nan
    m_t = float(t.mean()) if len(t) else math.nan
    base = (metric, "mean", m_c, m_t, len(c), len(t), m_t - m_c)
    if len(c) < 2 or len(t) < 2:
        return Comparison(*base, *_NO_TEST)
    if c.var() == 0 and t.var() == 0:
        p = 1.0 if m_c == m_t else 0.0
        return Comparison(*base, m_t - m_c, m_t - m_c, p)
    result = stats.ttest_ind(t, c, equal_var=False)
    interval = result.confidence_interval(1 - ALPHA)
    return Comparison(
        *base, float(interval.low), float(interval.high), float(result.pvalue)
    )


def holm_adjust(comparisons: list[Comparison], alpha: float = ALPHA) -> None:
    """Holm-adjust the p-values of every tested comparison in place."""
    tested = [c for c in comparisons if not math.isnan(c.p_value)]
    if not tested:
        return
    reject, adjusted, _s, _b = multipletests(
        [c.p_value for c in tested], alpha=alpha, method="holm"
    )
    for comparison, p, significant in zip(tested, adjusted, reject, strict=True):
        comparison.p_holm = float(p)
        comparison.is_significant = bool(significant)


@dataclass(frozen=True)
class SampleRatio:
    observed: list[int]
    expected: list[float]
    chi2: float
    p_value: float

    @property
    def is_mismatch(self) -> bool:
        return self.p_value < SRM_ALPHA


def sample_ratio_check(
    observed: Sequence[int], weights: Sequence[float]
) -> SampleRatio:
    """Chi-square goodness of fit of the exposed users to the traffic weights."""
    total = float(sum(observed))
    shares = np.asarray(weights, dtype=np.float64) / float(sum(weights))
    expected = (shares * total).tolist()
    if total == 0 or len(observed) < 2:
        return SampleRatio(list(observed), expected, 0.0, 1.0)
    result = stats.chisquare(list(observed), f_exp=expected)
    return SampleRatio(
        list(observed), expected, float(result.statistic), float(result.pvalue)
    )


def sample_size_rate(baseline: float, relative_effect: float) -> int | None:
    """Users per variant to detect baseline*(1+effect) at alpha 0.05, power 0.8."""
    target = baseline * (1 + relative_effect)
    if not 0 < baseline < 1 or not 0 < target < 1 or relative_effect == 0:
        return None
    effect = abs(proportion_effectsize(target, baseline))
    n = NormalIndPower().solve_power(effect_size=effect, alpha=ALPHA, power=POWER)
    return int(math.ceil(n))


def sample_size_mean(mean: float, sd: float, relative_effect: float) -> int | None:
    """Users per variant to detect a relative change of the mean (Welch ~ t-test)."""
    if not sd or sd != sd or not mean or relative_effect == 0:
        return None
    effect = abs(mean * relative_effect) / sd
    n = TTestIndPower().solve_power(effect_size=effect, alpha=ALPHA, power=POWER)
    return int(math.ceil(n))
