"""Titles nobody has rated: favourites and candidates known by content (issue #24)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recommender.ml.artifacts import ServingSettings, bundle_from_recommender
from recommender.ml.content_model import ContentConfig, ContentModel
from recommender.ml.data import interactions_from_frames
from recommender.ml.model import NCFRecommender
from recommender.ml.pipeline import SurveyInput, recommend
from recommender.ml.unrated import lead, outside_candidates, place, proxies

TINY = ContentConfig(
    min_df=1,
    matrices=("liked",),
    dims=(2,),
    ridges=(1.0,),
    combines=("joint",),
    n_given=2,
)
HORROR = {"genre": ["horror"], "language": ["en"], "director": ["Carpenter"]}
COMEDY = {"genre": ["comedy"], "language": ["en"], "director": ["Reiner"]}
KO_ROMANCE = {"genre": ["romance"], "language": ["ko"], "director": ["Kim"]}
KO_HORROR = {"genre": ["horror"], "language": ["ko"], "director": ["Na"]}
# outside the rated data: 101-106 Korean romance, 107-108 Korean horror,
# 109-110 English comedy
OUTSIDE = (
    {i: KO_ROMANCE for i in range(101, 107)}
    | {107: KO_HORROR, 108: KO_HORROR}
    | {109: COMEDY, 110: COMEDY}
)


@pytest.fixture(scope="module")
def world():
    """Horror fans (users 1-12 like items 1-10), comedy fans (13-30 like 11-20:
    comedy is the popular side), a content model that knows items 101-110."""
    rng = np.random.default_rng(3)
    rows = [
        (u, int(i), 5.0)
        for u in range(1, 13)
        for i in rng.choice(np.arange(1, 11), size=6, replace=False)
    ]
    rows += [
        (u, int(i), 5.0)
        for u in range(13, 31)
        for i in rng.choice(np.arange(11, 21), size=6, replace=False)
    ]
    ratings = pd.DataFrame(rows, columns=["user_id", "movie_id", "rating"])
    movies = pd.DataFrame(
        {
            "movie_id": range(1, 21),
            "title": [f"M{i}" for i in range(1, 21)],
            "year": [1990] * 20,
            "genres": [["Horror"]] * 10 + [["Comedy"]] * 10,
        }
    )
    inter = interactions_from_frames(ratings, None, movies)
    docs = {i: HORROR for i in range(1, 11)} | {i: COMEDY for i in range(11, 21)}
    model = ContentModel(TINY).fit(
        inter, docs | OUTSIDE, vocabulary_documents=list(OUTSIDE.values())
    )
    rec = NCFRecommender(mlp_dim=4, hidden=(8,), batch_size=64, seed=1).fit(
        inter, epochs=1
    )
    return inter, model, rec


def test_it_counts_the_share_of_favourites_nobody_has_rated(world) -> None:
    inter, _, _ = world
    assert lead(inter, [1, 2, 101, 102]) == 0.5
    assert lead(inter, []) == 0.0


def test_it_stands_in_for_an_unrated_favourite_with_its_closest_rated_titles(
    world,
) -> None:
    inter, model, _ = world
    stand_ins = inter.item_ids[proxies(model, inter, [107, 1])]
    # the Korean horror favourite: horror titles in taste; the rated one is not
    # stood in for
    assert len(stand_ins) == 3
    assert set(stand_ins.tolist()) <= set(range(1, 11))
    assert len(proxies(model, inter, [1, 2])) == 0
    assert len(proxies(None, inter, [107])) == 0


def test_it_ranks_outside_titles_by_their_fit_with_the_favourites(world) -> None:
    inter, model, _ = world
    found = outside_candidates(model, inter, [101, 102, 103], [104], limit=10)
    ids = found.item_ids.tolist()
    # favourites and excluded titles never come back; the other Korean romances
    # first, then the Korean horror (same language), the English comedy last
    assert not {101, 102, 103, 104} & set(ids)
    assert set(ids[:2]) == {105, 106}
    assert ids.index(107) < ids.index(109)
    assert np.all(np.diff(found.fit) <= 0)
    assert set(found.resembles[:2].tolist()) <= {101, 102, 103}
    assert outside_candidates(model, inter, [101], [], limit=3).item_ids.size == 3


def test_it_places_content_by_rank_and_lets_unrated_favourites_lead() -> None:
    warm = np.array([4.0, 3.0, 2.0, 1.0])
    # no unrated favourite: a perfect fit just below the (k/2)-th best, 0.8 one
    # place lower (0.2 * 2k = 1.6 floored); lead 1: all above the best, by fit
    by_hand = place(warm, np.array([1.0, 0.8]), k=4, lead_share=0.0)
    assert 2.0 < by_hand[0] < 3.0 and 1.0 < by_hand[1] < 2.0
    leading = place(warm, np.array([1.0, 0.9, 0.5]), k=4, lead_share=1.0)
    # start at the top, steps halved (0.1 less = 0.1 * k places): 0.9 ties with
    # 1.0 (ordered by fit), 0.5 lands two places down, below the third
    assert leading[0] > leading[1] > 4.0 - 1e-6 and 1.0 < leading[2] < 2.0


def test_a_survey_of_only_unrated_titles_gets_a_real_list(world) -> None:
    inter, model, rec = world
    bundle = bundle_from_recommender(
        rec, inter, ServingSettings(diversity=0.0), content_model=model
    )
    survey = SurveyInput(favourite_ids=[101, 102, 103, 107], k=6, pool_size=12)
    result = recommend(bundle, None, survey)
    ids = [item.item_id for item in result.items]
    assert len(ids) == 6 and not {101, 102, 103, 107} & set(ids)
    outside = [i for i in ids if i > 100]
    # mostly the titles that resemble them, each saying which favourite
    assert len(outside) >= 4 and set(outside[:3]) <= {104, 105, 106, 108}
    for item in result.items:
        if item.item_id > 100:
            assert item.reason_data["kind"] == "resembles"
            assert item.reason_data["item_id"] in {101, 102, 103, 107}
            assert item.predicted_rating == 0.0  # nobody's rating predicts it
    # the rated titles in the list stand in for the horror favourite, not the
    # popular comedies
    rated = [i for i in ids if i <= 100]
    assert all(i <= 10 for i in rated)
    # the pool is the longer list, best first, starting with the shown items
    pool = [item.item_id for item in result.pool]
    assert len(pool) == 12 and pool[:6] == ids
    assert [item.rank for item in result.pool] == list(range(1, 13))


def test_rated_favourites_keep_the_lead_of_collaborative_scores(world) -> None:
    inter, model, rec = world
    bundle = bundle_from_recommender(
        rec, inter, ServingSettings(diversity=0.0), content_model=model
    )
    result = recommend(bundle, None, SurveyInput(favourite_ids=[1, 2, 3], k=6))
    ids = [item.item_id for item in result.items]
    # the first half stays rated titles
    assert all(i <= 100 for i in ids[:2])
    assert not result.pool  # no pool unless asked


def test_offline_evaluations_leave_titles_outside_the_rated_data_out(world) -> None:
    inter, model, rec = world
    bundle = bundle_from_recommender(
        rec, inter, ServingSettings(diversity=0.0), content_model=model
    )
    survey = SurveyInput(favourite_ids=[101, 102, 103, 107], k=6, outside=False)
    result = recommend(bundle, None, survey)
    assert result.items and all(item.item_id <= 100 for item in result.items)
