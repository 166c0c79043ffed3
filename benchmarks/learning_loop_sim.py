"""Simulation: held-back ml-100k users arrive as product users in batches.

20 % of the ml-100k users are held back and arrive as product users (a survey of
10 favourites, counted as rating 5, plus their own ratings, with negative product
ids and origin "product") in BATCHES batches; the model is retrained between
batches. After each batch, cold-start NDCG@10 is measured on a fixed group of later
new users (10 % of the users with >= 20 favourites, never trained on) with the
gate's protocol (recommender.ml.holdout.evaluate_on_holdout: 10 favourites given
with demographics, NDCG@10 on the rest). The reference is the same model trained
on every non-test user as data-set rows.

python benchmarks/learning_loop_sim.py ../shared/data/ml-100k --batches 3 --epochs 2
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from catalog.movielens import read_dataset  # noqa: E402
from recommender.ml.artifacts import bundle_from_recommender  # noqa: E402
from recommender.ml.data import interactions_from_frames, product_user_id  # noqa: E402
from recommender.ml.holdout import (  # noqa: E402
    FAVOURITE_RATING,
    PRIMARY_METRIC,
    HoldoutSplit,
    evaluate_on_holdout,
    training_rows,
)
from recommender.ml.model import NCFRecommender  # noqa: E402


def arrivals_rows(ratings: pd.DataFrame, users: np.ndarray, seed: int) -> pd.DataFrame:
    """Product rows of arriving users: 10 survey favourites (rating 5) + ratings."""
    rng = np.random.default_rng(seed)
    parts = []
    for user in users:
        own = ratings[ratings["user_id"] == user][["user_id", "movie_id", "rating"]]
        own = own.copy()
        liked = own.index[own["rating"] >= 4].to_numpy()
        chosen = rng.choice(liked, size=min(10, len(liked)), replace=False)
        own.loc[chosen, "rating"] = FAVOURITE_RATING
        own["user_id"] = product_user_id(int(user))
        parts.append(own)
    return pd.concat(parts, ignore_index=True) if parts else ratings[:0]


def train_and_score(
    rows: pd.DataFrame,
    users: pd.DataFrame,
    movies: pd.DataFrame,
    split: HoldoutSplit,
    epochs: int,
) -> dict:
    inter = interactions_from_frames(rows, users, movies)
    rec = NCFRecommender().fit(inter, epochs=epochs)
    bundle = bundle_from_recommender(rec, inter)
    result = evaluate_on_holdout(bundle, split, users)
    result["train_seconds"] = rec.train_seconds
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="ml-100k directory")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--held-back", type=float, default=0.2, help="share of users that arrive"
    )
    parser.add_argument("--out", default=str(REPO / "benchmarks/learning_loop.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    data = read_dataset(args.source)
    ratings = data.ratings[["user_id", "movie_id", "rating"]].astype(
        {"rating": "float32"}
    )
    users, movies = data.users, data.movies
    rng = np.random.default_rng(args.seed)
    favs = ratings[ratings["rating"] >= 4].groupby("user_id").size()
    eligible = np.sort(favs[favs >= 20].index.to_numpy())
    test_users = np.sort(rng.choice(eligible, size=len(eligible) // 10, replace=False))
    others = np.setdiff1d(np.unique(ratings["user_id"]), test_users)
    arriving = rng.permutation(others)[
        : int(round(args.held_back * len(np.unique(ratings["user_id"]))))
    ]
    base_users = np.setdiff1d(others, arriving)
    fav_rows = ratings[(ratings["rating"] >= 4) & ratings["user_id"].isin(test_users)]
    split = HoldoutSplit(
        train=ratings[:0],
        rating_test=training_rows(ratings[:0]),
        cold_users={
            int(u): np.sort(g["movie_id"].to_numpy())
            for u, g in fav_rows.groupby("user_id")
        },
        cold_origin={int(u): "dataset" for u in test_users},
    )
    # Product users' demographics come from their (ml-100k) profile, as a survey would.
    product_users = users[users["user_id"].isin(arriving)].assign(
        user_id=lambda f: -f["user_id"]
    )
    all_users = pd.concat([users, product_users], ignore_index=True)
    base = ratings[ratings["user_id"].isin(base_users)]
    steps = []
    batches = np.array_split(arriving, args.batches)
    arrived: list[int] = []
    for batch in range(args.batches + 1):
        if batch:
            arrived += [int(u) for u in batches[batch - 1]]
        product = arrivals_rows(ratings, np.array(arrived), args.seed)
        rows = training_rows(base, product)
        result = train_and_score(rows, all_users, movies, split, args.epochs)
        steps.append(
            {
                "batch": batch,
                "product_users": len(arrived),
                "product_ratings": len(product),
                "ndcg@10": result[PRIMARY_METRIC],
                "train_seconds": result["train_seconds"],
            }
        )
        print(json.dumps(steps[-1]), flush=True)
    full = training_rows(ratings[ratings["user_id"].isin(others)])
    reference = train_and_score(full, users, movies, split, args.epochs)
    out = {
        "command": " ".join(["python", *sys.argv]),
        "machine": f"{platform.processor() or platform.machine()}, 2 cores, 23.5 GiB",
        "epochs": args.epochs,
        "held_back": args.held_back,
        "test_users": len(split.cold_users),
        "base_users": len(base_users),
        "arriving_users": len(arriving),
        "steps": steps,
        "full_data_ndcg@10": reference[PRIMARY_METRIC],
        "seconds": time.perf_counter() - started,
    }
    Path(args.out).write_text(json.dumps(out, indent=2))
    print(json.dumps({"full_data_ndcg@10": out["full_data_ndcg@10"]}))


if __name__ == "__main__":
    main()
