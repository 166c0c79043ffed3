"""Item cold start: how well are films nobody has rated yet ranked for a survey?

Protocol (issue #24): the newest `new_fraction` of the films by first rating get no
ratings in training. The users who liked one of them and have at least `n_given`
favourites among the older films are the survey users; they are held out of
training altogether, as a survey user is new to the product too. Each seed draws
`n_given` of a survey user's older favourites as the survey; the truth is the new
films the user liked; every method ranks the new films only (NDCG@10, recall@10).

Everything a content model sees was known before the new films were rated: their
content comes from MovieLens genres and years, MovieLens tags written before the
first new film's first rating (by users outside the survey), and the streaming
snapshots; the map's settings are chosen on the newest tenth of the training films
with the documents as known before *their* first rating.

No honest popularity among the new films exists offline: nobody has rated them.
Two references are shown and neither is a fair baseline: `oracle_popularity`
(how many training users rated the film later) and `listing` (how many streaming
services list it, then its IMDb rating, in snapshots of 2020-2021 - which films are
still streamed years later encodes their later popularity). `newest_release` (the
latest release year first) is the honest non-personal order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import metrics as m
from .content import content_scores
from .content_features import Document
from .content_model import ContentConfig, ContentModel
from .content_sources import SnapshotContent, merge_documents, movielens_documents
from .data import Interactions, interactions_from_frames

Progress = Callable[[str], None]
K = 10
MODEL = "content_model"


@dataclass
class ItemColdStartSplit:
    """Training ratings without the new films and the survey users."""

    train: pd.DataFrame  # user_id, movie_id, rating, timestamp
    test: pd.DataFrame  # every rating of a new film
    new_items: np.ndarray  # external ids of the newest films, sorted
    cutoff: int  # first rating of the earliest new film (timestamp)
    users: np.ndarray  # survey users, sorted (not in `train`)
    old_favourites: dict[int, np.ndarray]  # user -> liked older films (sorted)
    new_favourites: dict[int, set[int]]  # user -> liked new films (the truth)
    validation_items: np.ndarray  # newest tenth of the training films
    validation_cutoff: int  # first rating of the earliest of them

    def draw_surveys(self, seed: int, n_given: int) -> dict[int, np.ndarray]:
        """`n_given` older favourites per survey user (sorted external ids)."""
        rng = np.random.default_rng(seed)
        return {
            int(u): np.sort(
                rng.choice(self.old_favourites[int(u)], size=n_given, replace=False)
            )
            for u in self.users
        }


def _newest(ratings: pd.DataFrame, fraction: float) -> tuple[np.ndarray, int]:
    first = ratings.groupby("movie_id")["timestamp"].min()
    order = first.sort_values(kind="stable")
    n_new = int(np.ceil(len(order) * fraction))
    if n_new == 0:
        return np.zeros(0, np.int64), int(order.max()) + 1
    new = order.index[-n_new:].to_numpy(dtype=np.int64)
    return np.sort(new), int(order.iloc[-n_new])


def item_cold_start_split(
    ratings: pd.DataFrame,
    *,
    new_fraction: float = 0.1,
    n_given: int = 10,
    threshold: float = 4.0,
) -> ItemColdStartSplit:
    """Newest films by first rating out of training; their fans become surveys."""
    new_items, cutoff = _newest(ratings, new_fraction)
    is_new = ratings["movie_id"].isin(new_items).to_numpy()
    liked = ratings[ratings["rating"] >= threshold]
    liked_new = liked[liked["movie_id"].isin(new_items)]
    liked_old = liked[~liked["movie_id"].isin(new_items)]
    old_counts = liked_old.groupby("user_id").size()
    users = np.intersect1d(
        old_counts[old_counts >= n_given].index.to_numpy(dtype=np.int64),
        liked_new["user_id"].unique(),
    )
    train = ratings[~is_new & ~ratings["user_id"].isin(users).to_numpy()]
    validation, validation_cutoff = _newest(train, new_fraction)
    old = liked_old[liked_old["user_id"].isin(users)]
    new = liked_new[liked_new["user_id"].isin(users)]
    return ItemColdStartSplit(
        train=train.reset_index(drop=True),
        test=ratings[is_new].reset_index(drop=True),
        new_items=new_items,
        cutoff=cutoff,
        users=users,
        old_favourites={
            int(u): np.sort(g["movie_id"].to_numpy(dtype=np.int64))
            for u, g in old.groupby("user_id")
        },
        new_favourites={
            int(u): set(g["movie_id"].astype(int)) for u, g in new.groupby("user_id")
        },
        validation_items=validation,
        validation_cutoff=validation_cutoff,
    )


def split_documents(
    split: ItemColdStartSplit,
    movies: pd.DataFrame,
    tags: pd.DataFrame | None,
    snapshot: SnapshotContent | None,
    *,
    before: int | None = None,
) -> dict[str, dict[int, Document]]:
    """Content known before `before` (default the cutoff), per document set.

    'all': genres, years, tags written before then by users outside the survey, and
    the snapshots; 'movielens': the same without the snapshots; 'genre_year'.
    """
    when = split.cutoff if before is None else before
    early = None
    if tags is not None and len(tags):
        early = tags[(tags["timestamp"] < when) & ~tags["user_id"].isin(split.users)]
    movielens = movielens_documents(movies, early)
    full = movielens
    if snapshot is not None:
        full = merge_documents(movielens, snapshot.documents)
    return {
        "all": full,
        "movielens": movielens,
        "genre_year": movielens_documents(movies),
    }


def fit_content_models(
    split: ItemColdStartSplit,
    inter: Interactions,
    documents: Mapping[str, Mapping[int, Document]],
    earlier: Mapping[str, Mapping[int, Document]],
    config: ContentConfig,
    progress: Progress | None = None,
) -> dict[str, ContentModel]:
    """The content model and its ablations, each chosen on the validation films.

    'content_model' is whichever of the joint and per-field maps over all the
    content validates better (the same choice as one grid over both).
    """
    variants = {
        f"{MODEL}[joint]": ("all", replace(config, combines=("joint",))),
        f"{MODEL}[fields]": ("all", replace(config, combines=("fields",))),
        f"{MODEL}_movielens": ("movielens", config),
        f"{MODEL}_genre_year": ("genre_year", config),
    }
    models: dict[str, ContentModel] = {}
    for name, (docs, cfg) in variants.items():
        models[name] = ContentModel(cfg).fit(
            inter,
            documents[docs],
            validation_items=split.validation_items,
            validation_documents=earlier[docs],
        )
        if progress:
            progress(f"{name}: chose {models[name].report['chosen']}")
    models[MODEL] = max(
        (models[f"{MODEL}[joint]"], models[f"{MODEL}[fields]"]),
        key=_validation_best,
    )
    return models


def _validation_best(model: ContentModel) -> float:
    grid = model.report.get("grid", [])
    return max((row["ndcg@10"] for row in grid), default=float("-inf"))


def _ranked(scores: np.ndarray, tiebreak: np.ndarray, k: int) -> list[int]:
    order = np.lexsort((tiebreak, -np.asarray(scores, dtype=np.float64)))
    return [int(i) for i in order[:k]]


def _jaccard_mean(
    genres: np.ndarray, query: np.ndarray, cand: np.ndarray
) -> np.ndarray:
    g = (genres > 0).astype(np.float64)
    inter = g[cand] @ g[query].T
    union = g[cand].sum(1)[:, None] + g[query].sum(1)[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(union > 0, inter / union, 0.0)
    return jac.mean(axis=1)


def _tfidf_cosine(model: ContentModel, docs: Mapping[int, Document], query, cand):
    assert model.vocabulary is not None
    empty: Document = {}
    x_q = model.vocabulary.transform([docs.get(int(i), empty) for i in query])
    x_c = model.vocabulary.transform([docs.get(int(i), empty) for i in cand])
    nq = np.sqrt(np.asarray(x_q.multiply(x_q).sum(1)).ravel())
    nc = np.sqrt(np.asarray(x_c.multiply(x_c).sum(1)).ravel())
    sim = np.asarray((x_c @ x_q.T).todense())
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(np.outer(nc, nq) > 0, sim / np.outer(nc, nq), 0.0)
    return sim.mean(axis=1)


def paired_wilcoxon(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """Mean difference a - b and the two-sided Wilcoxon signed-rank test."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    out = {"n": float(len(a)), "mean_difference": float(np.mean(a - b))}
    if np.any(a != b):
        w = stats.wilcoxon(a, b)
        out.update(statistic=float(w.statistic), p=float(w.pvalue))
    else:
        out.update(statistic=float("nan"), p=1.0)
    return out


def evaluate_item_cold_start(
    ratings: pd.DataFrame,
    movies: pd.DataFrame,
    *,
    tags: pd.DataFrame | None = None,
    snapshot: SnapshotContent | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    new_fraction: float = 0.1,
    n_given: int = 10,
    threshold: float = 4.0,
    config: ContentConfig | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """NDCG@10 and recall@10 among the new films per seed; Wilcoxon tests of the
    content model against every other method, per seed."""
    split = item_cold_start_split(
        ratings, new_fraction=new_fraction, n_given=n_given, threshold=threshold
    )
    if len(split.users) == 0:
        raise ValueError(
            f"no survey users: nobody with {n_given} favourites among the older "
            "films liked one of the new films"
        )
    inter = interactions_from_frames(split.train, None, movies)
    documents = split_documents(split, movies, tags, snapshot)
    earlier = split_documents(
        split, movies, tags, snapshot, before=split.validation_cutoff
    )
    models = fit_content_models(
        split, inter, documents, earlier, config or ContentConfig(), progress
    )
    static = _static_scores(split, inter, snapshot)
    runs = [
        _run_seed(split, inter, models, documents["all"], static, seed, n_given)
        for seed in seeds
    ]
    if progress:
        for run in runs:
            ndcg = run["models"][MODEL]["ndcg@10"]
            progress(f"seed {run['seed']}: content model NDCG@10 {ndcg:.4f}")
    chosen = models[MODEL]
    return {
        "n_new_items": len(split.new_items),
        "n_new_ratings": len(split.test),
        "n_users": len(split.users),
        "n_train_ratings": len(split.train),
        "n_validation_items": len(split.validation_items),
        "cutoff": split.cutoff,
        "n_given": n_given,
        "content_model_map": chosen.report["chosen"]["combine"],
        "documented_new_items": {
            name: int(sum(int(i) in docs for i in split.new_items))
            for name, docs in documents.items()
        },
        "snapshot_new_items": 0
        if snapshot is None
        else int(sum(int(i) in snapshot.documents for i in split.new_items)),
        "content": {
            name: model.report for name, model in models.items() if name != MODEL
        },
        "runs": runs,
        "mean": _mean_over_seeds(runs),
    }


def _run_seed(
    split: ItemColdStartSplit,
    inter: Interactions,
    models: Mapping[str, ContentModel],
    docs: Mapping[int, Document],
    static: Mapping[str, np.ndarray],
    seed: int,
    n_given: int,
) -> dict[str, Any]:
    """Every method's per-user NDCG@10 and recall@10 for one seed's surveys."""
    new = split.new_items
    cand = np.array([inter.item_index[int(i)] for i in new], np.int64)
    surveys = split.draw_surveys(seed, n_given)
    tiebreak = np.random.default_rng(10_000 + seed).permutation(len(cand))
    per_user: dict[str, dict[str, list[float]]] = {}
    for user in split.users:
        given = surveys[int(user)]
        query = inter.map_items(given)
        liked = split.new_favourites[int(user)]
        truth = {p for p, i in enumerate(new) if int(i) in liked}
        scores = {
            **{name: model.scores(given, new) for name, model in models.items()},
            "tfidf_similarity": _tfidf_cosine(models[MODEL], docs, given, new),
            "genre_overlap": _jaccard_mean(inter.item_genres, query, cand),
            "genre_year": content_scores(inter.item_genres, inter.item_years, query)[
                cand
            ],
            **static,
        }
        for name, values in scores.items():
            ranked = _ranked(values, tiebreak, K)
            row = per_user.setdefault(name, {"ndcg@10": [], "recall@10": []})
            row["ndcg@10"].append(m.ndcg_at_k(ranked, truth, K))
            row["recall@10"].append(m.recall_at_k(ranked, truth, K))
    ours = np.array(per_user[MODEL]["ndcg@10"])
    return {
        "seed": seed,
        "models": {
            name: {metric: float(np.mean(v)) for metric, v in rows.items()}
            for name, rows in per_user.items()
        },
        "versus_content_model": {
            name: paired_wilcoxon(ours, np.array(rows["ndcg@10"]))
            for name, rows in per_user.items()
            if name != MODEL
        },
    }


def _mean_over_seeds(runs: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    names = list(runs[0]["models"])
    return {
        name: {
            metric: float(np.mean([r["models"][name][metric] for r in runs]))
            for metric in runs[0]["models"][name]
        }
        for name in names
    }


def _static_scores(
    split: ItemColdStartSplit, inter: Interactions, snapshot: SnapshotContent | None
) -> dict[str, np.ndarray]:
    """Survey-independent orders of the new films (see the module docstring)."""
    new = split.new_items
    cand = np.array([inter.item_index[int(i)] for i in new], np.int64)
    years = np.nan_to_num(np.asarray(inter.item_years, np.float64)[cand], nan=0.0)
    listing = np.zeros(len(new))
    if snapshot is not None:
        listing = np.array(
            [
                len(snapshot.services.get(int(i), ())) * 100.0
                + snapshot.imdb.get(int(i), 0.0)
                for i in new
            ]
        )
    later = split.test[~split.test["user_id"].isin(split.users)]
    oracle = later.groupby("movie_id").size().reindex(new).fillna(0)
    return {
        "newest_release": years,
        "random": np.random.default_rng(12345).random(len(new)),
        "listing": listing,
        "oracle_popularity": oracle.to_numpy(dtype=np.float64),
    }
