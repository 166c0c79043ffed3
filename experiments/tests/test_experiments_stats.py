"""The report's statistics against hand-computed values, an A/A simulation and a
power check (pure numpy data, no database)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from experiments.stats import (
    compare_means,
    compare_rates,
    holm_adjust,
    sample_ratio_check,
    sample_size_mean,
    sample_size_rate,
)


def test_it_compares_rates_like_the_textbook():
    c = compare_rates("ctr", 30, 100, 45, 100)
    assert c.difference == pytest.approx(0.15)
    # pooled p = 0.375, z = 0.15 / sqrt(0.375 * 0.625 * (1/100 + 1/100)) = 2.1909
    assert c.p_value == pytest.approx(0.028460, abs=1e-6)
    # Wald: 0.15 -+ 1.959964 * sqrt(0.3*0.7/100 + 0.45*0.55/100)
    assert c.ci_low == pytest.approx(0.017430, abs=1e-6)
    assert c.ci_high == pytest.approx(0.282570, abs=1e-6)
    assert c.relative == pytest.approx(0.5)


def test_it_compares_means_with_welch():
    c = compare_means("satisfaction", [3, 4, 5, 4], [5, 5, 4, 5, 5])
    assert (c.control, c.treatment) == (pytest.approx(4.0), pytest.approx(4.8))
    # se = sqrt((2/3)/4 + 0.2/5) = 0.45461, t = 1.75977,
    # Welch-Satterthwaite df = 0.206667^2 / (0.166667^2/3 + 0.04^2/4) = 4.42178
    assert c.p_value == pytest.approx(0.146385, abs=1e-5)
    half = scipy_stats.t.ppf(0.975, 4.421779) * math.sqrt(2 / 3 / 4 + 0.2 / 5)
    assert c.ci_low == pytest.approx(0.8 - half, abs=1e-5)
    assert c.ci_high == pytest.approx(0.8 + half, abs=1e-5)


def test_it_checks_the_sample_ratio_with_chi_square():
    check = sample_ratio_check([480, 520], [1, 1])
    # chi2 = 2 * 20^2 / 500 = 1.6 on 1 df
    assert check.chi2 == pytest.approx(1.6)
    assert check.p_value == pytest.approx(0.205903, abs=1e-6)
    assert not check.is_mismatch
    assert sample_ratio_check([400, 600], [1, 1]).is_mismatch


def test_it_holm_adjusts_the_p_values():
    rows = [compare_rates(f"m{i}", 1, 10, 2, 10) for i in range(3)]
    for row, p in zip(rows, [0.01, 0.04, 0.03], strict=True):
        row.p_value = p
    holm_adjust(rows)
    # sorted 0.01*3 = 0.03, 0.03*2 = 0.06, then max(0.06, 0.04*1) = 0.06
    assert [r.p_holm for r in rows] == pytest.approx([0.03, 0.06, 0.06])
    assert [r.is_significant for r in rows] == [True, False, False]


def test_it_computes_the_sample_size_for_the_effect():
    # h = 2 asin(sqrt(.33)) - 2 asin(sqrt(.30)); n = 2 ((1.959964 + 0.841621) / h)^2
    h = 2 * math.asin(math.sqrt(0.33)) - 2 * math.asin(math.sqrt(0.3))
    expected = 2 * ((1.959964 + 0.841621) / h) ** 2
    assert sample_size_rate(0.3, 0.10) == math.ceil(expected) == 3762
    # d = 0.175: about 514 per group for a t-test
    assert sample_size_mean(3.5, 1.0, 0.05) == 514
    assert sample_size_rate(0.0, 0.1) is None


def test_it_does_not_test_without_data():
    assert math.isnan(compare_means("satisfaction", [4], [3, 5]).p_value)
    assert compare_rates("ctr", 0, 10, 0, 10).p_value == 1.0


def test_it_rejects_about_five_percent_of_aa_tests():
    rng = np.random.default_rng(2024)
    runs, n = 1000, 300
    rate_rejects = mean_rejects = 0
    for _ in range(runs):
        a, b = rng.binomial(n, 0.3, size=2)
        rate_rejects += compare_rates("conversion", a, n, b, n).p_value < 0.05
        scores_a = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.1, 0.15, 0.3, 0.3, 0.15])
        scores_b = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.1, 0.15, 0.3, 0.3, 0.15])
        mean_rejects += compare_means("satisfaction", scores_a, scores_b).p_value < 0.05
    assert 0.035 <= rate_rejects / runs <= 0.065, rate_rejects
    assert 0.035 <= mean_rejects / runs <= 0.065, mean_rejects


def test_it_detects_a_ten_percent_lift_at_about_the_planned_power():
    n = sample_size_rate(0.3, 0.10)
    rng = np.random.default_rng(7)
    runs = 400
    hits = 0
    for _ in range(runs):
        control = rng.binomial(n, 0.30)
        treatment = rng.binomial(n, 0.33)
        c = compare_rates("conversion", control, n, treatment, n)
        hits += c.p_value < 0.05 and c.difference > 0
    # planned power 0.8; 3 standard errors of 400 runs is 0.06
    assert 0.74 <= hits / runs <= 0.86, hits / runs
