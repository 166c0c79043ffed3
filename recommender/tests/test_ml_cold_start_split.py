"""The cold-start split and survey draws shared by evaluation and the dev harness."""

from __future__ import annotations

import numpy as np
import pandas as pd

from recommender.ml.cold_start_split import cold_start_split


def _ratings() -> pd.DataFrame:
    rows = []
    # users 1..10 have 25 favourites each (items 1..25) and one low rating
    for user in range(1, 11):
        rows += [(user, item, 5.0) for item in range(1, 26)]
        rows.append((user, 30, 2.0))
    # users 11, 12 have too few favourites to be surveyed
    for user in (11, 12):
        rows += [(user, item, 4.0) for item in range(1, 6)]
    return pd.DataFrame(rows, columns=["user_id", "movie_id", "rating"])


def test_it_holds_out_a_fifth_of_the_eligible_users_only() -> None:
    split = cold_start_split(_ratings(), None, None, seed=3)
    assert list(split.eligible) == list(range(1, 11))
    assert len(split.held) == 2  # round(10 * 0.2)
    assert set(split.held) <= set(range(1, 11))
    train_users = set(int(u) for u in split.inter.user_ids)
    assert not train_users & set(int(u) for u in split.held)
    assert {11, 12} <= train_users


def test_a_survey_gives_ten_favourites_and_keeps_the_rest_as_truth() -> None:
    split = cold_start_split(_ratings(), None, None, seed=3)
    given, truth = split.draw_survey(int(split.held[0]))
    assert len(given) == 10 and list(given) == sorted(given)
    assert not set(given.tolist()) & truth
    favourites = set(split.inter.map_items(np.arange(1, 26)).tolist())
    assert set(given.tolist()) | truth == favourites
    assert split.inter.item_index[30] not in truth  # a rating of 2 is no favourite


def test_the_same_seed_gives_the_same_users_and_surveys() -> None:
    a = cold_start_split(_ratings(), None, None, seed=7)
    b = cold_start_split(_ratings(), None, None, seed=7)
    assert list(a.held) == list(b.held)
    for user in a.held:
        ga, ta = a.draw_survey(int(user))
        gb, tb = b.draw_survey(int(user))
        assert list(ga) == list(gb) and ta == tb
    c = cold_start_split(_ratings(), None, None, seed=8)
    draws_a = [tuple(a.draw_survey(int(u))[0]) for u in a.held]
    draws_c = [tuple(c.draw_survey(int(u))[0]) for u in c.held]
    assert (list(a.held), draws_a) != (list(c.held), draws_c)
