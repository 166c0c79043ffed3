"""Similar titles (issue #25 item 4): do the neighbours recover what people co-like?

.venv/bin/python benchmarks/similar_bench.py [--splits 0 1 2] [--no-ncf] [--write]

Per data set and split seed, users are split in half at random. Every method sees
only the training half. For a seed film, the held-out users who liked it (rating
>= 4) are its judges; a candidate's gain is how many of them also liked it. NDCG@10
ranks a method's ten neighbours by those gains; recall@10 counts how many of the
films liked by at least a quarter of the judges (and at least two) are among the ten.
Seed films: liked by >= 10 training users and >= 5 judges; candidates, as on the
movie page, need enough ratings (>= 10 in the training half, about the page's 20 in
all). Methods: the pgvector-ready vectors (recommender.ml.similar, several sizes),
exact item-item cosine of the likes on the training half, the NCF item embeddings
the page used before (trained on the training half) and most-liked-first.
Paired per seed film: scipy.stats.wilcoxon. --write puts the tables in
benchmarks/RESULTS_similar.md, below the summary written by hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import wilcoxon

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from catalog.movielens import read_dataset  # noqa: E402
from recommender.ml.similar import (  # noqa: E402
    LIKE_THRESHOLD,
    SIMILAR_VECTOR_DIM,
    item_cosine,
    like_counts,
    likes_matrix,
    similar_vectors,
    top_k,
)

DATA = REPO.parent / "shared" / "data"
OUT = REPO / "benchmarks" / "RESULTS_similar.md"
MARKER = "<!-- benchmarks/similar_bench.py --write replaces everything below -->"
K = 10
MIN_TRAIN_LIKES = 10
MIN_JUDGES = 5
MIN_TRAIN_RATINGS = 10
DIMS = (32, 64, SIMILAR_VECTOR_DIM, 256)
# The films: Star Wars (1977) and Toy Story (1995), by data set id.
EXAMPLES = {"ml-100k": [50, 1], "ml-latest-small": [260, 1]}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    """nproc, CPU model and RAM as one line."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    ram = f"{mem_kb / 1024**2:.1f} GiB RAM"
    return f"nproc={os.cpu_count()}, {cpu}, {ram}, Python {platform.python_version()}"


def _matrix(
    ratings: pd.DataFrame, users: np.ndarray, items: np.ndarray
) -> sp.csr_matrix:
    rows = pd.Index(users).get_indexer(ratings["user_id"])
    cols = pd.Index(items).get_indexer(ratings["movie_id"])
    keep = rows >= 0
    return sp.csr_matrix(
        (ratings["rating"].to_numpy(np.float64)[keep], (rows[keep], cols[keep])),
        shape=(len(users), len(items)),
    )


@dataclass
class SplitScores:
    """Per seed film, per method: NDCG@10 by co-likes, NDCG@10 by co-likes beyond
    popularity and recall@10 (NaN: no recall truth)."""

    seeds: list[int] = field(default_factory=list)
    ndcg: dict[str, list[float]] = field(default_factory=dict)
    lift: dict[str, list[float]] = field(default_factory=dict)
    recall: dict[str, list[float]] = field(default_factory=dict)


def ndcg_at_k(ranked: np.ndarray, gains: np.ndarray) -> float:
    """NDCG@K of a ranked list of indices with graded gains per index."""
    discounts = 1.0 / np.log2(np.arange(2, K + 2))
    dcg = float((gains[ranked] * discounts[: len(ranked)]).sum())
    ideal = np.sort(gains)[::-1][:K]
    idcg = float((ideal * discounts[: len(ideal)]).sum())
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: np.ndarray, truth: np.ndarray) -> float:
    """Share of the truth (at most K of it) among the ranked indices; NaN if none."""
    if not truth.any():
        return float("nan")
    return int(truth[ranked].sum()) / min(K, int(truth.sum()))


def _ncf_vectors(
    ratings: pd.DataFrame, users: np.ndarray, items: np.ndarray, movies: pd.DataFrame
) -> np.ndarray:
    from recommender.ml.data import interactions_from_frames
    from recommender.ml.model import NCFRecommender

    frame = ratings[ratings["user_id"].isin(users)]
    inter = interactions_from_frames(frame, None, movies)
    vectors = NCFRecommender().fit(inter).item_embeddings()
    out = np.zeros((len(items), vectors.shape[1]), dtype=np.float64)
    index = pd.Index(items).get_indexer(inter.item_ids)
    out[index[index >= 0]] = vectors[index >= 0]
    return out


def split_scores(
    ratings: pd.DataFrame, movies: pd.DataFrame, seed: int, *, ncf: bool
) -> SplitScores:
    """Score every method on one user split."""
    users = np.unique(ratings["user_id"].to_numpy())
    items = np.unique(ratings["movie_id"].to_numpy())
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(users)
    train_users = np.sort(shuffled[: len(users) // 2])
    test_users = np.sort(shuffled[len(users) // 2 :])
    train = _matrix(ratings, train_users, items)
    test_likes = likes_matrix(_matrix(ratings, test_users, items)).tocsc()
    train_likes = like_counts(train)
    n_train_ratings = np.diff(train.tocsc().indptr)
    allowed = n_train_ratings >= MIN_TRAIN_RATINGS
    judges_per_item = np.diff(test_likes.indptr)
    seeds = np.flatnonzero(
        allowed & (train_likes >= MIN_TRAIN_LIKES) & (judges_per_item >= MIN_JUDGES)
    )
    vectors: dict[str, np.ndarray] = {}
    for dim in DIMS:
        vectors[f"vectors-{dim}"] = similar_vectors(train, dim=dim, seed=seed)
    cosine = dict(zip(seeds.tolist(), item_cosine(train, seeds), strict=True))
    if ncf:
        _say(f"  NCF on {len(train_users)} users")
        vectors["ncf"] = _ncf_vectors(ratings, train_users, items, movies)
    test_csr = test_likes.tocsr()
    base_rate = judges_per_item / len(test_users)
    result = SplitScores(seeds=seeds.tolist())
    for seed_item in seeds:
        judges = test_likes.indices[
            test_likes.indptr[seed_item] : test_likes.indptr[seed_item + 1]
        ]
        gains = np.asarray(test_csr[judges].sum(axis=0)).ravel()
        gains[seed_item] = 0.0
        truth = (gains >= max(2.0, 0.25 * len(judges))) & allowed
        # Liked more often by the judges than by held-out users at large.
        lift = np.maximum(gains / len(judges) - base_rate, 0.0)
        lift[seed_item] = 0.0
        keep = allowed.copy()
        keep[seed_item] = False
        ranked = {
            "item-item cosine": top_k(cosine[seed_item], keep, K),
            "most liked": top_k(train_likes.astype(float), keep, K),
        }
        for name, vecs in vectors.items():
            norms = np.linalg.norm(vecs, axis=1)
            scores = vecs @ vecs[seed_item] / np.where(norms > 0, norms, 1.0)
            ranked[name] = top_k(scores, keep & (norms > 0), K)
        for name, order in ranked.items():
            result.ndcg.setdefault(name, []).append(ndcg_at_k(order, gains))
            result.lift.setdefault(name, []).append(ndcg_at_k(order, lift))
            result.recall.setdefault(name, []).append(recall_at_k(order, truth))
    return result


def _p(a: list[float], b: list[float]) -> str:
    x, y = np.asarray(a), np.asarray(b)
    ok = ~(np.isnan(x) | np.isnan(y))
    if np.allclose(x[ok], y[ok]):  # identical lists: no test
        return "-"
    return f"{wilcoxon(x[ok], y[ok]).pvalue:.2g}"


def dataset_section(name: str, splits: list[int], *, ncf: bool) -> str:
    """The markdown section of one data set."""
    data = read_dataset(DATA / name)
    ratings = data.ratings[["user_id", "movie_id", "rating"]]
    movies = data.movies
    lines = [f"### {name}", ""]
    per_split: list[SplitScores] = []
    t0 = time.perf_counter()
    for seed in splits:
        _say(f"{name}: split {seed}")
        scores = split_scores(ratings, movies, seed, ncf=ncf)
        per_split.append(scores)
    methods = list(per_split[0].ndcg)
    ours = f"vectors-{SIMILAR_VECTOR_DIM}"
    n_seeds = sorted(len(s.seeds) for s in per_split)
    lines += [
        f"Splits {', '.join(map(str, splits))}; {n_seeds[0]}-{n_seeds[-1]} seed films "
        "per split. Mean over splits (per split in brackets); p: Wilcoxon "
        f"signed-rank against `{ours}`, paired by seed film, per split.",
        "",
        "| method | NDCG@10 co-liked | NDCG@10 beyond popularity | recall@10 "
        "| p (co-liked) | p (beyond popularity) |",
        "|---|---|---|---|---|---|",
    ]

    def cell(metric: str, method: str) -> str:
        means = [float(np.nanmean(getattr(s, metric)[method])) for s in per_split]
        each = " ".join(f"{m:.3f}" for m in means)
        return (
            f"**{np.mean(means):.3f}** ({each})"
            if len(means) > 1
            else f"{means[0]:.3f}"
        )

    def p_values(metric: str, method: str) -> str:
        if method == ours:
            return "-"
        return ", ".join(
            _p(getattr(s, metric)[method], getattr(s, metric)[ours]) for s in per_split
        )

    for method in methods:
        lines.append(
            f"| {method} | {cell('ndcg', method)} | {cell('lift', method)} "
            f"| {cell('recall', method)} | {p_values('ndcg', method)} "
            f"| {p_values('lift', method)} |"
        )
    lines += ["", f"Time: {time.perf_counter() - t0:.0f} s.", ""]
    lines += _examples(name, ratings, movies)
    return "\n".join(lines)


def _examples(name: str, ratings: pd.DataFrame, movies: pd.DataFrame) -> list[str]:
    """Five neighbours of the issue's films from vectors on all users."""
    items = np.unique(ratings["movie_id"].to_numpy())
    users = np.unique(ratings["user_id"].to_numpy())
    matrix = _matrix(ratings, users, items)
    vecs = similar_vectors(matrix)
    allowed = np.diff(matrix.tocsc().indptr) >= 2 * MIN_TRAIN_RATINGS
    titles = dict(zip(movies["movie_id"], movies["title"], strict=False))
    lines = [
        f"Neighbours on all of {name} (`similar_vectors`, {SIMILAR_VECTOR_DIM} "
        f"dimensions, >= {2 * MIN_TRAIN_RATINGS} ratings):",
        "",
    ]
    for movie_id in EXAMPLES[name]:
        item = int(np.flatnonzero(items == movie_id)[0])
        norms = np.linalg.norm(vecs, axis=1)
        keep = allowed & (norms > 0)
        keep[item] = False
        near = top_k(vecs @ vecs[item], keep, 5)
        lines.append(
            f"- {titles[movie_id]}: " + "; ".join(titles[int(items[i])] for i in near)
        )
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--datasets", nargs="+", default=["ml-100k", "ml-latest-small"])
    parser.add_argument("--no-ncf", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout.strip()
    command = "python benchmarks/similar_bench.py " + " ".join(sys.argv[1:])
    sections = [
        dataset_section(name, args.splits, ncf=not args.no_ncf)
        for name in args.datasets
    ]
    header = (
        f"Command: `{command.strip()}`; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"commit {commit}; {machine()}. Likes: rating >= {LIKE_THRESHOLD:g}."
    )
    body = header + "\n\n" + "\n".join(sections)
    print(body)
    if args.write:
        results_write(body)


def results_write(body: str, path: Path = OUT) -> None:
    """Replace what follows MARKER in the results file (the summary above stays)."""
    text = path.read_text() if path.exists() else f"# Similar titles\n\n{MARKER}\n"
    head = text.split(MARKER)[0] if MARKER in text else text.rstrip() + "\n\n"
    path.write_text(f"{head}{MARKER}\n\n{body}\n")


if __name__ == "__main__":
    main()
