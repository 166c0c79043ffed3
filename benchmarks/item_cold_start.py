"""Item cold start (issue #24): the content model against the baselines, and the
full-catalogue cold start with and without it; --write puts the section in
benchmarks/results/item_cold_start.md.

.venv/bin/python benchmarks/item_cold_start.py [--write] [--skip-full-check]

The same tables come from `manage.py evaluate_recommender --item-cold-start
--source DIR --seeds 0 1 2` and `manage.py evaluate_recommender --skip-rating
--content-model --seed 0`; this script runs them without Django settings and
records date, commit and machine beside them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.ml_bench import machine, write_section  # noqa: E402
from catalog.movielens import read_dataset  # noqa: E402
from recommender.ml.content_sources import (  # noqa: E402
    merge_documents,
    movielens_documents,
    read_tags,
    snapshot_content,
)
from recommender.ml.evaluation import evaluate_cold_start  # noqa: E402
from recommender.ml.item_cold_start import evaluate_item_cold_start  # noqa: E402
from recommender.ml.item_cold_start_report import (  # noqa: E402
    format_item_cold_start,
)

DATA = REPO.parent / "shared" / "data"
SEEDS = (0, 1, 2)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def item_cold_start(name: str) -> tuple[str, float]:
    """The item cold-start table on one data set and its wall time in seconds."""
    t0 = time.perf_counter()
    data = read_dataset(DATA / name)
    result = evaluate_item_cold_start(
        data.ratings,
        data.movies,
        tags=read_tags(DATA / name),
        snapshot=snapshot_content(data.movies, DATA / "streaming"),
        seeds=SEEDS,
        progress=_say,
    )
    return format_item_cold_start(result), time.perf_counter() - t0


def full_check(name: str, seed: int = 0) -> tuple[str, float]:
    """The full-catalogue cold start, the ranker with and without the content
    model on the same trained models and surveys."""
    t0 = time.perf_counter()
    data = read_dataset(DATA / name)
    snapshot = snapshot_content(data.movies, DATA / "streaming")
    docs = merge_documents(movielens_documents(data.movies), snapshot.documents)
    cold = evaluate_cold_start(
        data.ratings,
        data.users,
        data.movies,
        seed=seed,
        content_documents=docs,
        progress=_say,
    )
    rows = ("ranker", "ranker_content")
    lines = [
        f"Full-catalogue cold start, {name}, seed {seed}: "
        f"{cold['n_heldout_users']} held-out users, {cold['unrated_titles']} titles "
        "unrated in training",
        f"{'model':<18}{'ndcg@10':>10}{'recall@20':>11}{'hr@10':>8}{'cov@20':>8}",
    ]
    for row in rows:
        v = cold["models"][row]
        lines.append(
            f"{row:<18}{v['ndcg@10']:>10.4f}{v['recall@20']:>11.4f}"
            f"{v['hr@10']:>8.4f}{v['coverage@20']:>8.4f}"
        )
    for metric, p in cold["content_paired"].items():
        lines.append(
            f"paired {metric}, with - without: {p['mean_difference']:+.4f}, "
            f"Wilcoxon p={p['wilcoxon_p']:.3g}"
        )
    lines.append(f"content model chose {cold['content_model']['chosen']}")
    return "\n".join(lines), time.perf_counter() - t0


def main() -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--skip-full-check", action="store_true")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=REPO,
    ).stdout.strip()
    tables = []
    for name in ("ml-latest-small", "ml-100k"):
        text, seconds = item_cold_start(name)
        tables.append((f"Item cold start, {name} ({seconds:.0f} s)", text))
    if not args.skip_full_check:
        for name in ("ml-100k", "ml-latest-small"):
            text, seconds = full_check(name)
            tables.append((f"Full-catalogue check, {name} ({seconds:.0f} s)", text))
    lines = [
        "<!-- ml_bench:item_cold_start:start -->",
        "## Issue #24: item cold start (titles nobody has rated)",
        "",
        f"- Command: `python benchmarks/item_cold_start.py --write` "
        f"({time.strftime('%Y-%m-%d %H:%M')}, commit {commit}); the same tables: "
        "`python manage.py evaluate_recommender --item-cold-start --source "
        "../shared/data/ml-latest-small --seeds 0 1 2` and `MOVIELENS_SOURCE="
        "../shared/data/ml-100k python manage.py evaluate_recommender "
        "--skip-rating --content-model --seed 0` (and `--source "
        "../shared/data/ml-latest-small`)",
        f"- Machine: {machine()}",
        "",
    ]
    for title, text in tables:
        lines += [f"### {title}", "", "```", text, "```", ""]
    lines.append("<!-- ml_bench:item_cold_start:end -->")
    markdown = "\n".join(lines)
    print(markdown)
    if args.write:
        write_section("item_cold_start", markdown)


if __name__ == "__main__":
    main()
