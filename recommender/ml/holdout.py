"""Training rows with their origin, and the held-out slice that gates a new version.

Product users (people who answered the survey) join the imported data set as extra
training rows. Their external user ids are negative (-account id) so they never
collide with data-set ids, and a bundle tells the two kinds apart without a new
field: `is_product_user(ids)`.

The gate uses the protocol of `evaluation.evaluate_cold_start` on a deterministic
slice: about 10 % of the users with enough favourites are held out of every gated
training (cold start: 10 favourites given with the demographics, NDCG@10 on the
rest), and about 5 % of the other users' ratings are held out for RMSE. Both are
reported for data-set and product users separately; the primary metric is the
cold-start NDCG@10 over all held-out users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import metrics as m
from .artifacts import ModelBundle
from .data import is_product_user, product_user_id  # noqa: F401 - re-exported
from .pipeline import SurveyInput, recommend

DATASET = "dataset"
PRODUCT = "product"
ORIGINS = (DATASET, PRODUCT)

# A survey favourite counts as this rating; a dismissal ("not interested") as 1.
FAVOURITE_RATING = 5.0
DISMISSAL_RATING = 1.0

COLD_START_BUCKETS = 10  # 1 in 10 eligible users is held out for cold start
RATING_BUCKETS = 20  # 1 in 20 ratings of the other users is held out for RMSE
N_GIVEN = 10
MIN_FAVOURITES = 20
THRESHOLD = 4.0
PRIMARY_METRIC = "cold_start_ndcg@10"
PROTOCOL = "holdout-v1"


def training_rows(
    dataset: pd.DataFrame, product: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Concatenate (user_id, movie_id, rating) rows, each tagged with its origin."""
    parts = [dataset.assign(origin=DATASET)]
    if product is not None and len(product):
        parts.append(product.assign(origin=PRODUCT))
    rows = pd.concat(parts, ignore_index=True)
    return rows.astype({"user_id": "int64", "movie_id": "int64", "rating": "float32"})


def origin_counts(rows: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Users and ratings per origin."""
    out: dict[str, dict[str, int]] = {}
    for origin in ORIGINS:
        part = rows[rows["origin"] == origin] if "origin" in rows else rows[:0]
        out[origin] = {"users": int(part["user_id"].nunique()), "ratings": len(part)}
    return out


def _bucket(values: np.ndarray, buckets: int) -> np.ndarray:
    # Knuth's multiplicative hash: stable across runs and processes (unlike hash()).
    h = (
        np.asarray(values, dtype=np.int64).astype(np.uint64) * np.uint64(2654435761)
    ) % (np.uint64(2**32))
    return (h % np.uint64(buckets)).astype(np.int64)


@dataclass
class HoldoutSplit:
    """Training rows and the held-out slice evaluated against every version."""

    train: pd.DataFrame
    rating_test: pd.DataFrame  # rows of training users held out for RMSE
    cold_users: dict[int, np.ndarray]  # held-out user -> favourite movie ids
    cold_origin: dict[int, str] = field(default_factory=dict)


def holdout_split(
    rows: pd.DataFrame,
    *,
    min_favourites: int = MIN_FAVOURITES,
    threshold: float = THRESHOLD,
) -> HoldoutSplit:
    """Deterministic split: held-out cold-start users and held-out ratings."""
    favs = rows[rows["rating"] >= threshold]
    counts = favs.groupby("user_id").size()
    eligible = counts[counts >= min_favourites].index.to_numpy(dtype=np.int64)
    cold = eligible[_bucket(np.abs(eligible), COLD_START_BUCKETS) == 0]
    is_cold = rows["user_id"].isin(cold).to_numpy()
    rest = rows[~is_cold]
    key = rest["user_id"].to_numpy(dtype=np.int64) * 1_000_003 + rest[
        "movie_id"
    ].to_numpy(dtype=np.int64)
    is_test = _bucket(np.abs(key), RATING_BUCKETS) == 0
    cold_favs = favs[favs["user_id"].isin(cold)]
    cold_users = {
        int(u): np.sort(g["movie_id"].to_numpy(dtype=np.int64))
        for u, g in cold_favs.groupby("user_id")
    }
    origin = rows.drop_duplicates("user_id").set_index("user_id")["origin"]
    return HoldoutSplit(
        train=rest[~is_test].reset_index(drop=True),
        rating_test=rest[is_test].reset_index(drop=True),
        cold_users=cold_users,
        cold_origin={u: str(origin.get(u, DATASET)) for u in cold_users},
    )


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def evaluate_on_holdout(
    bundle: ModelBundle,
    split: HoldoutSplit,
    users: pd.DataFrame | None = None,
    *,
    n_given: int = N_GIVEN,
) -> dict[str, Any]:
    """Cold-start NDCG@10 and held-out RMSE, overall and per origin."""
    inter = bundle.interactions
    demo = (
        users.drop_duplicates("user_id").set_index("user_id")
        if users is not None and len(users)
        else None
    )
    ndcg: dict[str, list[float]] = {o: [] for o in ORIGINS}
    for user, fav_ids in sorted(split.cold_users.items()):
        known = np.array([i for i in fav_ids if int(i) in inter.item_index])
        if len(known) <= n_given:
            continue
        rng = np.random.default_rng(abs(user))
        given = np.sort(rng.choice(known, size=n_given, replace=False))
        relevant = set(np.setdiff1d(known, given).tolist())
        age = gender = occupation = None
        if demo is not None and user in demo.index:
            row = demo.loc[user]
            age, gender = row.get("age"), row.get("gender")
            occupation = row.get("occupation")
        result = recommend(
            bundle,
            None,
            SurveyInput(
                favourite_ids=[int(x) for x in given],
                age=age,
                gender=gender,
                occupation=occupation,
                k=20,
                diversity=0.0,
                outside=False,
            ),
        )
        ranked = [item.item_id for item in result.items]
        ndcg[split.cold_origin.get(user, DATASET)].append(
            m.ndcg_at_k(ranked, relevant, 10)
        )
    test = split.rating_test
    rmse: dict[str, float | None] = {}
    for origin in ORIGINS:
        part = test[test["origin"] == origin]
        if not len(part):
            rmse[origin] = None
            continue
        u, i = inter.map_item_frame(part["user_id"].to_numpy(), part["movie_id"])
        pred = bundle.weights.predict_pairs(u, i)
        rmse[origin] = m.rmse(part["rating"].to_numpy(dtype=np.float64), pred)
    every = ndcg[DATASET] + ndcg[PRODUCT]
    known_rmse = test[test["origin"].isin(ORIGINS)]
    total_rmse = None
    if len(known_rmse):
        u, i = inter.map_item_frame(
            known_rmse["user_id"].to_numpy(), known_rmse["movie_id"]
        )
        total_rmse = m.rmse(
            known_rmse["rating"].to_numpy(dtype=np.float64),
            bundle.weights.predict_pairs(u, i),
        )
    return {
        "protocol": PROTOCOL,
        PRIMARY_METRIC: _mean(every),
        "rmse": total_rmse,
        "by_origin": {
            o: {
                "cold_start_users": len(ndcg[o]),
                "cold_start_ndcg@10": _mean(ndcg[o]),
                "heldout_ratings": int((test["origin"] == o).sum()),
                "rmse": rmse[o],
            }
            for o in ORIGINS
        },
    }


def gate_decide(
    candidate: dict[str, Any], active: dict[str, Any] | None, *, tolerance: float
) -> tuple[bool, str]:
    """Activate the candidate unless its primary metric is worse beyond tolerance."""
    new = candidate.get(PRIMARY_METRIC)
    if active is None:
        return True, "no comparable active version"
    old = active.get(PRIMARY_METRIC)
    if old is None:
        return True, "the active version has no held-out score"
    if new is None:
        return False, "the candidate could not be scored on the held-out users"
    if new < old - tolerance:
        return False, (
            f"cold-start NDCG@10 {new:.4f} is worse than the active version's "
            f"{old:.4f} by more than the tolerance {tolerance:.4f}"
        )
    return True, (
        f"cold-start NDCG@10 {new:.4f} vs active {old:.4f} (tolerance {tolerance:.4f})"
    )
