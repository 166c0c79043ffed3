"""Benchmark the ML core: training time (NCF and ranker apart), one-survey latency
p50/p95 per method, EASE memory, peak memory.

.venv/bin/python benchmarks/ml_bench.py [--write]
.venv/bin/python benchmarks/ml_bench.py --synthetic-size ml-20m [--write]

--write: the section goes to benchmarks/results/i14-<size>.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.synthetic import SIZES, generate_named  # noqa: E402
from recommender.ml.artifacts import (  # noqa: E402
    ServingSettings,
    bundle_from_recommender,
)
from recommender.ml.data import interactions_from_frames  # noqa: E402
from recommender.ml.model import NCFRecommender  # noqa: E402
from recommender.ml.pipeline import SurveyInput, recommend  # noqa: E402
from recommender.ml.ranker import train_ranker  # noqa: E402

# Each --write goes to its own file here; benchmarks/RESULTS.md is edited by hand.
RESULTS_DIR = REPO / "benchmarks" / "results"


def peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (Linux ru_maxrss is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def machine() -> str:
    """nproc, CPU model and RAM as one line."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024**2:.1f} GiB RAM"
    except (OSError, StopIteration):
        ram = "unknown RAM"
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    return f"nproc={nproc}, {cpu}, {ram}, Python {platform.python_version()}"


def load_ml100k() -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
    """Read ml-100k from $MOVIELENS_SOURCE (default ../shared/data/ml-100k)."""
    from catalog.movielens import read_dataset

    source = os.environ.get(
        "MOVIELENS_SOURCE", str(REPO / ".." / "shared/data/ml-100k")
    )
    data = read_dataset(source)
    return data.ratings, data.users, data.movies


def latency(
    bundle, n_surveys: int, seed: int = 0, n_given: int = 10
) -> dict[str, dict[str, float]]:
    """p50/p95 wall time of recommend() for random 10-favourite surveys per method."""
    inter = bundle.interactions
    fav = inter.favourites()
    sizes = np.diff(fav.indptr)
    users = np.flatnonzero(sizes >= n_given)
    rng = np.random.default_rng(seed)
    picks = rng.choice(users, size=n_surveys, replace=len(users) < n_surveys)
    surveys = []
    for u in picks:
        row = fav.indices[fav.indptr[u] : fav.indptr[u + 1]]
        given = rng.choice(row, size=n_given, replace=False)
        demo = inter.user_demo[u]
        surveys.append(
            SurveyInput(
                favourite_ids=[int(x) for x in inter.item_ids[given]],
                age=[None, 15, 20, 30, 40, 47, 52, 60][int(demo[0])],
                gender=["X", "M", "F"][int(demo[1])],
                occupation=None,
            )
        )
    out: dict[str, dict[str, float]] = {}
    methods = ("seed", "foldin", "ranker") if bundle.has_ranker else ("seed", "foldin")
    for method in methods:
        recommend(
            bundle, None, SurveyInput(**{**surveys[0].__dict__, "method": method})
        )
        times = []
        for survey in surveys:
            survey.method = method
            t0 = time.perf_counter()
            recommend(bundle, None, survey)
            times.append((time.perf_counter() - t0) * 1e3)
        arr = np.array(times)
        out[method] = {
            "p50": float(np.percentile(arr, 50)),
            "p95": float(np.percentile(arr, 95)),
            "max": float(arr.max()),
        }
    return out


def run(
    size: str | None, n_surveys: int, epochs: int | None, ranker_users: int
) -> tuple[str, str]:
    """Run one benchmark; returns (section key, markdown)."""
    t0 = time.perf_counter()
    if size is None:
        ratings, users, movies = load_ml100k()
        label = "ml-100k (real data)"
    else:
        ratings, users, movies = generate_named(size)
        label = f"synthetic {size} ({SIZES[size][0]:,} users, {SIZES[size][1]:,} items)"
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    inter = interactions_from_frames(ratings, users, movies)
    t_inter = time.perf_counter() - t0
    rss_data = peak_rss_mib()
    overrides = {} if size is None else {"batch_size": 8192, "patience": 1}
    rec = NCFRecommender(**overrides)
    n_epochs = epochs if epochs is not None else (None if size is None else 1)
    rec.fit(inter, epochs=n_epochs)
    rss_train = peak_rss_mib()
    settings = ServingSettings()
    trained = train_ranker(
        rec.weights,
        inter,
        serving={
            "n_neighbours": settings.n_neighbours,
            "demo_weight": settings.demo_weight,
            "support_weight": settings.support_weight,
            "item_weight": settings.item_weight,
        },
        max_users=ranker_users,
        per_user=2,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    rss_ranker = peak_rss_mib()
    bundle = bundle_from_recommender(
        rec, inter, settings, ranker=trained.ranker, signals=trained.signals
    )
    t0 = time.perf_counter()
    _ = bundle.context
    t_ctx = time.perf_counter() - t0
    lat = latency(bundle, n_surveys)
    rss_serve = peak_rss_mib()
    last = rec.history[-1] if rec.history else {}
    val_key = "val_ema_rmse" if "val_ema_rmse" in last else "val_rmse"
    best_val = min((row.get(val_key, float("nan")) for row in rec.history), default=0)
    key = "i14-" + (size or "ml-100k")
    rep = trained.report
    cmd = ""
    if size is None and "MOVIELENS_SOURCE" in os.environ:
        cmd = f"MOVIELENS_SOURCE={os.environ['MOVIELENS_SOURCE']} "
    cmd += "python benchmarks/ml_bench.py " + " ".join(sys.argv[1:])
    lines = [
        f"<!-- ml_bench:{key}:start -->",
        f"### ML core benchmark: {label}",
        "",
        f"- Command: `{cmd.strip()}` ({time.strftime('%Y-%m-%d %H:%M')})",
        f"- Machine: {machine()}",
        f"- Ratings: {inter.ratings.nnz:,}; users {inter.n_users:,}; "
        f"items {inter.n_items:,}",
        f"- Data {'read' if size is None else 'generated'} in {t_load:.2f} s; "
        f"Interactions built in {t_inter:.2f} s",
        f"- NCF training: {rec.train_seconds:.1f} s for {len(rec.history)} epoch(s)"
        f" (batch {rec.config.batch_size}; best val {val_key} "
        f"{best_val:.4f})"
        + ("" if size is None else f"; synthetic runs train {n_epochs} epoch(s)"),
        f"- Ranker training (apart from the NCF): {rep['seconds']['total']:.1f} s "
        f"(tuning EASE/EDLAE/RP3beta {rep['seconds']['tuning']:.1f} s, features "
        f"{rep['seconds']['features']:.1f} s, boosting {rep['seconds']['boosting']:.1f}"
        f" s) on {rep['n_fit_cases']} simulated surveys from "
        f"{ranker_users} users; {rep['n_boosters']} cross-fitted boosters of "
        f"{rep['best_iteration']} trees",
        f"- EASE, EASE on rated-at-all and EDLAE over the {rep['ease_items']:,} "
        f"most-favourited items: {rep['ease_mib']:.1f} MiB of weights "
        f"(EASE lambda {trained.signals.ease_lambda:g}; EDLAE lambda "
        f"{trained.signals.edlae_lambda:g}, dropout {trained.signals.edlae_dropout:g})",
        f"- Serving context precompute (once per bundle): {t_ctx * 1e3:.0f} ms",
        "",
        "| method | surveys | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for method, vals in lat.items():
        lines.append(
            f"| {method} | {n_surveys} | {vals['p50']:.1f} | {vals['p95']:.1f} "
            f"| {vals['max']:.1f} |"
        )
    lines += [
        "",
        f"- Peak RSS (ru_maxrss): after data {rss_data:,.0f} MiB, after training "
        f"{rss_train:,.0f} MiB, after the ranker {rss_ranker:,.0f} MiB, "
        f"after serving {rss_serve:,.0f} MiB "
        "(includes TensorFlow)",
        f"<!-- ml_bench:{key}:end -->",
    ]
    return key, "\n".join(lines)


def write_section(key: str, markdown: str, directory: Path = RESULTS_DIR) -> Path:
    """Write this benchmark's generated section to benchmarks/results/<key>.md."""
    path = directory / f"{key}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown.rstrip("\n") + "\n")
    print(f"wrote {path}; copy the numbers into benchmarks/RESULTS.md", file=sys.stderr)
    return path


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic-size", choices=sorted(SIZES), default=None)
    parser.add_argument("--surveys", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--ranker-users", type=int, default=600)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    key, markdown = run(
        args.synthetic_size, args.surveys, args.epochs, args.ranker_users
    )
    print(markdown)
    if args.write:
        write_section(key, markdown)


if __name__ == "__main__":
    main()
