"""The item cold-start protocol and the offline content sources (issue #24)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recommender.ml.content_model import ContentConfig
from recommender.ml.content_sources import (
    merge_documents,
    movielens_documents,
    snapshot_content,
    year_tokens,
)
from recommender.ml.item_cold_start import (
    MODEL,
    evaluate_item_cold_start,
    item_cold_start_split,
    paired_wilcoxon,
    split_documents,
)
from recommender.ml.item_cold_start_report import format_item_cold_start


def _ratings() -> pd.DataFrame:
    """Films 1..20, film i first rated at 1000 * i; 19 and 20 are the newest tenth.

    Users 1-3 like films 1-12 and one new film (the survey users); user 4 likes
    film 19 but only 5 older films; users 5-12 rate the old films and film 20;
    users 13-20 like the odd or the even old films and no new one.
    """
    rows = []
    for film in range(1, 21):
        rows.append((100 + film, film, 3.0, 1000 * film))  # first rating of each
    for user in (1, 2, 3):
        rows += [(user, film, 5.0, 30_000 + film) for film in range(1, 13)]
        rows.append((user, 19 if user < 3 else 20, 4.5, 40_000))
    rows += [(4, film, 5.0, 30_000 + film) for film in range(1, 6)]
    rows.append((4, 19, 5.0, 40_000))
    for user in range(5, 13):
        rows += [(user, film, 4.0, 30_000 + film) for film in range(1, 19)]
        rows.append((user, 20, 4.0, 40_000 + user))
    for user in range(13, 21):  # training users: odd or even old films
        rows += [(user, f, 5.0, 30_000 + f) for f in range(1 + user % 2, 19, 2)]
    return pd.DataFrame(rows, columns=["user_id", "movie_id", "rating", "timestamp"])


def test_it_keeps_every_rating_of_the_newest_films_out_of_training() -> None:
    split = item_cold_start_split(_ratings())
    assert split.new_items.tolist() == [19, 20]
    assert split.cutoff == 19_000
    assert not split.train["movie_id"].isin([19, 20]).any()
    assert set(split.test["movie_id"]) == {19, 20}
    # the validation films are the newest tenth of what training still has
    assert split.validation_items.tolist() == [17, 18]
    assert split.validation_cutoff == 17_000


def test_it_surveys_fans_of_new_films_with_older_favourites_only() -> None:
    split = item_cold_start_split(_ratings())
    # user 4 has too few older favourites; users 5-12 like a new film too
    assert split.users.tolist() == [1, 2, 3, *range(5, 13)]
    assert not split.train["user_id"].isin(split.users).any()
    assert split.new_favourites[1] == {19} and split.new_favourites[3] == {20}
    surveys = split.draw_surveys(seed=0, n_given=10)
    assert surveys[1].tolist() == sorted(surveys[1].tolist())
    for user, given in surveys.items():
        assert len(given) == 10
        assert set(given.tolist()) <= set(split.old_favourites[user].tolist())
        assert not set(given.tolist()) & {19, 20}
    assert surveys[1].tolist() != split.draw_surveys(seed=1, n_given=10)[1].tolist()


def test_it_uses_only_tags_written_before_the_cutoff_by_others() -> None:
    ratings = _ratings()
    split = item_cold_start_split(ratings)
    movies = pd.DataFrame(
        {
            "movie_id": [1, 19],
            "title": ["Old", "New"],
            "year": [1994, 2018],
            "genres": [["Drama"], ["Horror"]],
        }
    )
    tags = pd.DataFrame(
        {
            "user_id": [100, 100, 1],
            "movie_id": [1, 19, 1],
            "tag": ["Dark Comedy", "spoiler", "by a survey user"],
            "timestamp": [500, 25_000, 600],
        }
    )
    docs = split_documents(split, movies, tags, None)
    assert docs["all"][1] == {
        "genre": ["Drama"],
        "year": ["1990s", "1990-1994"],
        "tag": ["dark comedy"],
    }
    assert "tag" not in docs["all"][19]
    assert docs["genre_year"][1] == {"genre": ["Drama"], "year": ["1990s", "1990-1994"]}
    earlier = split_documents(split, movies, tags, None, before=400)
    assert "tag" not in earlier["movielens"][1]


def test_it_buckets_years_by_decade_and_half_decade() -> None:
    assert year_tokens(1995) == ["1990s", "1995-1999"]
    assert year_tokens(2004.0) == ["2000s", "2000-2004"]
    assert year_tokens(None) == [] and year_tokens(float("nan")) == []


def test_it_matches_snapshot_films_by_title_and_year(tmp_path) -> None:
    (tmp_path / "netflix_titles.csv").write_text(
        "show_id,type,title,director,cast,country,date_added,release_year,rating,"
        "duration,listed_in,description\n"
        's1,Movie,The Usual Suspects,Bryan Singer,"Kevin Spacey, Gabriel Byrne",'
        'United States,,1995,R,106 min,Thrillers,"A heist goes wrong."\n'
        "s2,Movie,Heat,Michael Mann,,,,1986,R,,Dramas,Another film\n"
        "s3,TV Show,Heat,,,,,1995,,,TV,A series\n"
    )
    (tmp_path / "MoviesOnStreamingPlatforms_updated.csv").write_text(
        ",ID,Title,Year,Age,IMDb,Rotten Tomatoes,Netflix,Hulu,Prime Video,Disney+,"
        "Type,Directors,Genres,Country,Language,Runtime\n"
        '0,1,The Usual Suspects,1995,18+,8.5,88%,1,1,0,0,0,Bryan Singer,"Crime,'
        'Mystery",United States,English,106\n'
    )
    movies = pd.DataFrame(
        {
            "movie_id": [50, 6],
            "title": ["Usual Suspects, The", "Heat"],
            "year": [1995, 1995],
        }
    )
    content = snapshot_content(movies, tmp_path)
    assert set(content.documents) == {50}  # Heat (1986) is another film
    doc = content.documents[50]
    assert doc["cast"] == ["Kevin Spacey", "Gabriel Byrne"]
    assert doc["listed_in"] == ["Thrillers", "Crime", "Mystery"]
    assert doc["director"] == ["Bryan Singer"]
    assert content.services[50] == {"netflix", "hulu"}
    assert content.imdb[50] == 8.5
    merged = merge_documents(movielens_documents(movies.assign(genres=[[], []])), {})
    assert merged[6] == {"year": ["1990s", "1995-1999"]}


def test_it_gives_the_wilcoxon_test_only_when_the_pairs_differ() -> None:
    same = paired_wilcoxon(np.ones(5), np.ones(5))
    assert same["p"] == 1.0 and same["mean_difference"] == 0.0
    diff = paired_wilcoxon(np.array([1.0, 2, 3, 4, 5]), np.zeros(5))
    assert diff["mean_difference"] == 3.0
    assert diff["p"] == pytest.approx(0.0625)  # exact: 2 / 2**5


def test_it_compares_the_content_model_with_every_baseline_per_seed() -> None:
    ratings = _ratings()
    movies = pd.DataFrame(
        {
            "movie_id": range(1, 21),
            "title": [f"Film {i}" for i in range(1, 21)],
            "year": [1990 + i for i in range(1, 21)],
            "genres": [["Drama"] if i % 2 else ["Comedy"] for i in range(1, 21)],
        }
    )
    config = ContentConfig(
        min_df=1, dims=(2,), ridges=(1.0,), matrices=("liked",), n_given=5
    )
    result = evaluate_item_cold_start(
        ratings, movies, seeds=(0, 1), config=config, n_given=10
    )
    assert result["n_new_items"] == 2 and result["n_users"] == 11
    assert [run["seed"] for run in result["runs"]] == [0, 1]
    models = result["runs"][0]["models"]
    for name in (
        MODEL,
        "genre_overlap",
        "genre_year",
        "tfidf_similarity",
        "newest_release",
        "listing",
        "oracle_popularity",
        "random",
    ):
        assert 0.0 <= models[name]["ndcg@10"] <= 1.0
    assert MODEL not in result["runs"][0]["versus_content_model"]
    assert "genre_overlap" in result["runs"][1]["versus_content_model"]
    # with two new films every ranking finds the one liked film within 10
    assert models["random"]["recall@10"] == 1.0
    assert result["content"][f"{MODEL}[joint]"]["chose_by"] == "validation"
    text = format_item_cold_start(result)
    assert "content_model" in text and "oracle_popularity" in text
