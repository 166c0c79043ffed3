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
        "--content-model",
        "--json",
    )
    out = capsys.readouterr().out
    assert "Rating accuracy" in out and "Cold start, seed 1" in out
    assert "ranker with the content model vs without" in out
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
    # the same ranker with a content model placing the unrated titles, paired
    assert "ranker_content" in models
    assert set(result["cold_start"][0]["content_paired"]) == {"ndcg@10", "recall@20"}
    assert not ModelVersion.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_source_without_splits(tmp_path):
    folder = write_ml100k(tmp_path / "ml")
    with pytest.raises(CommandError, match="u1..u5 splits"):
        call_command("evaluate_recommender", "--source", str(folder))


def write_ml_latest(folder, n_films=30):
    """An ml-latest directory: film i first rated at 1000 * i, so films 28-30 are
    the newest tenth; users 1-6 like ten older films and a new one."""
    folder.mkdir(parents=True)
    genres = ["Drama", "Comedy", "Horror"]
    (folder / "movies.csv").write_text(
        "movieId,title,genres\n"
        + "".join(
            f"{i},Film {i} ({1980 + i}),{genres[i % 3]}\n"
            for i in range(1, n_films + 1)
        )
    )
    rows = [(100 + i, i, 3.0, 1000 * i) for i in range(1, n_films + 1)]
    for user in range(1, 13):
        liked = [i for i in range(1, 28) if i % 3 == user % 3] + [user + 13]
        rows += [(user, i, 5.0, 50_000 + i) for i in sorted(set(liked))]
        if user <= 6:
            rows.append((user, 28 + user % 3, 4.5, 60_000))
    (folder / "ratings.csv").write_text(
        "userId,movieId,rating,timestamp\n"
        + "".join(f"{u},{i},{r},{t}\n" for u, i, r, t in rows)
    )
    (folder / "tags.csv").write_text(
        "userId,movieId,tag,timestamp\n100,1,Classic,500\n"
    )
    return folder


@pytest.mark.django_db
def test_it_compares_item_cold_start_methods_per_seed(tmp_path, capsys):
    folder = write_ml_latest(tmp_path / "data" / "ml-latest")
    streaming = tmp_path / "data" / "streaming"
    streaming.mkdir()
    (streaming / "netflix_titles.csv").write_text(
        "show_id,type,title,director,cast,country,date_added,release_year,rating,"
        "duration,listed_in,description\n"
        "s1,Movie,Film 29,Ann Lee,,,,2009,R,,Dramas,A quiet drama\n"
    )
    call_command(
        "evaluate_recommender",
        "--item-cold-start",
        "--source",
        str(folder),
        "--seeds",
        "0",
        "1",
        "--json",
    )
    out = capsys.readouterr().out
    assert "Item cold start: the newest 3 films" in out
    result = json.loads(out[out.index("\n{") + 1 :])
    assert result["streaming"] == str(streaming)  # found beside the MovieLens data
    assert result["snapshot_new_items"] == 1
    assert [run["seed"] for run in result["runs"]] == [0, 1]
    assert {"content_model", "genre_overlap", "oracle_popularity"} <= set(
        result["mean"]
    )
    assert not ModelVersion.objects.exists()


@pytest.mark.django_db
def test_it_says_when_no_one_can_be_surveyed_for_item_cold_start(tmp_path):
    folder = write_ml_latest(tmp_path / "ml-latest")
    ratings = (folder / "ratings.csv").read_text().splitlines()
    # nobody rates a new film (28-30) any more, except its first rater
    kept = [r for r in ratings if not r.endswith(",60000")]
    (folder / "ratings.csv").write_text("\n".join(kept) + "\n")
    with pytest.raises(CommandError, match="no survey users"):
        call_command(
            "evaluate_recommender", "--item-cold-start", "--source", str(folder)
        )
