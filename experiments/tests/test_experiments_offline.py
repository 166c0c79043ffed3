"""experiment_offline NAME: every variant on the same held-out users."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from experiments.offline import paired_test
from recommender.tests.test_evaluate_command import write_random_ml100k

pytestmark = pytest.mark.django_db


def test_it_runs_the_founding_experiment_offline(tmp_path, capsys):
    folder = write_random_ml100k(tmp_path / "ml-100k")
    call_command(
        "experiment_offline",
        "demographics help new users",
        "--source",
        str(folder),
        "--json",
    )
    out = capsys.readouterr().out
    assert "Offline arm" in out and "Wilcoxon signed-rank" in out
    result = json.loads(out[out.index("\n{") + 1 :])
    assert set(result["metrics"]) == {"control", "no-demographics"}
    paired = result["paired"]["no-demographics"]["ndcg@10"]
    assert paired["n"] == result["n_heldout_users"] > 0
    assert paired["mean_difference"] == pytest.approx(
        result["metrics"]["no-demographics"]["ndcg@10"]
        - result["metrics"]["control"]["ndcg@10"]
    )
    assert 0 <= paired["wilcoxon_p"] <= 1


def test_it_names_an_unknown_experiment(tmp_path):
    folder = write_random_ml100k(tmp_path / "ml-100k")
    with pytest.raises(CommandError, match="No experiment"):
        call_command("experiment_offline", "nope", "--source", str(folder))


def test_it_tests_the_paired_difference():
    control = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    treatment = control + np.array([0.05, 0.1, -0.02, 0.2, 0.15, 0.3])
    result = paired_test(control, treatment)
    # ranks of |d|: 0.02->1 (negative), 0.05->2, 0.1->3, 0.15->4, 0.2->5, 0.3->6;
    # W = min(W+ = 20, W- = 1) = 1; exact two-sided p = 2 * P(W <= 1) = 4/64
    assert result["wilcoxon_statistic"] == 1
    assert result["wilcoxon_p"] == pytest.approx(4 / 64)
    assert paired_test(control, control.copy())["wilcoxon_p"] == 1.0
