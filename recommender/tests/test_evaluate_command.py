from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from catalog.tests.movielens_files import write_ml100k
from recommender.models import ModelVersion


def write_random_ml100k(folder, n_users=40, n_movies=50, seed=1):
    """An ml-100k-shaped directory with u1 split, ratings skewed high (favourites)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    genres = ["0"] * 19
    items = []
    for m in range(1, n_movies + 1):
        flags = genres.copy()
        flags[1 + m % 18] = "1"
        items.append(
            f"{m}|Movie {m} (199{m % 10})|01-Jan-199{m % 10}||u|" + "|".join(flags)
        )
    (folder / "u.item").write_text("\n".join(items) + "\n")
    users = [
        f"{u}|{20 + u % 40}|{'MF'[u % 2]}|student|00000" for u in range(1, n_users + 1)
    ]
    (folder / "u.user").write_text("\n".join(users) + "\n")
    rows = []
    for u in range(1, n_users + 1):
        for m in rng.choice(np.arange(1, n_movies + 1), size=35, replace=False):
            rating = int(rng.choice([2, 3, 4, 5], p=[0.1, 0.2, 0.35, 0.35]))
            rows.append(f"{u}\t{m}\t{rating}\t{880000000 + len(rows)}")
    (folder / "u.data").write_text("\n".join(rows) + "\n")
    test_mask = rng.random(len(rows)) < 0.2
    base = [r for r, t in zip(rows, test_mask, strict=True) if not t]
    test = [r for r, t in zip(rows, test_mask, strict=True) if t]
    (folder / "u1.base").write_text("\n".join(base) + "\n")
    (folder / "u1.test").write_text("\n".join(test) + "\n")
    return folder


@pytest.mark.django_db
def test_it_reports_rating_accuracy_and_cold_start_as_json(tmp_path, capsys):
    folder = write_random_ml100k(tmp_path / "ml-100k")
    call_command(
        "evaluate_recommender",
        "--source",
        str(folder),
        "--folds",
        "u1",
        "--seeds",
        "0",
        "1",
        "--ranker-users",
        "24",
        "--json",
    )
    out = capsys.readouterr().out
    assert "Rating accuracy" in out and "Cold start, seed 1" in out
    result = json.loads(out[out.index("\n{") + 1 :])
    fold = result["rating_accuracy"]["folds"][0]
    assert {"blend", "ncf", "fm", "bias", "global_mean"} <= set(fold)
    assert 0 < fold["global_mean"]["rmse"] < 3
    assert [run["seed"] for run in result["cold_start"]] == [0, 1]
    models = result["cold_start"][0]["models"]
    expected = {"ranker", "ncf_seed", "ease", "rp3beta", "popularity", "support"}
    assert expected <= set(models)
    versus = result["cold_start"][0]["versus_ease"]
    assert "ease" not in versus and 0 <= versus["ranker"]["wilcoxon_p"] <= 1
    assert result["cold_start"][0]["ease_lambda"] in (100, 250, 500, 1000, 2000, 4000)
    assert set(result["cold_start_summary"]["mean"]) == set(models)
    assert not ModelVersion.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_source_without_splits(tmp_path):
    folder = write_ml100k(tmp_path / "ml")
    with pytest.raises(CommandError, match="u1..u5 splits"):
        call_command("evaluate_recommender", "--source", str(folder))
