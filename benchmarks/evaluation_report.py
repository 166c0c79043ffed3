"""Write `evaluate_recommender --json` output to benchmarks/results/ (the section as
i14-evaluation.md, its JSON, the charts quality-cold-start.svg and quality-rmse.svg),
and run the cold-start evaluation on a release without demographics
(i14-no-demographics.md and .json). benchmarks/RESULTS.md is edited by hand from them.

python manage.py evaluate_recommender --seeds 0 1 2 --json > /tmp/eval.out
python benchmarks/evaluation_report.py /tmp/eval.out

Several outputs (for example one per fold and one per seed, run in parallel) are
merged: folds and seeds are concatenated and the means recomputed.
python benchmarks/evaluation_report.py --no-demographics [--seeds 0]

--no-demographics writes ml-100k ($MOVIELENS_SOURCE) out in the ml-latest format
(ratings.csv + movies.csv, no users file) into a temporary directory, which is
deleted afterwards (MovieLens files are never committed), and evaluates that.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")

RESULTS_DIR = REPO / "benchmarks" / "results"


def charts_svg(result: dict) -> tuple[str, str]:
    """Cold-start NDCG@10/Recall@20 per model (mean over seeds) and mean RMSE."""
    from recommender.charts import bar_chart_svg

    models = result["cold_start_summary"]["mean"]
    names = list(models)
    seeds = result["cold_start_summary"]["seeds"]
    ranking = bar_chart_svg(
        names,
        {
            "NDCG@10": [round(models[n]["ndcg@10"], 4) for n in names],
            "Recall@20": [round(models[n]["recall@20"], 4) for n in names],
        },
        title=f"Cold start, mean of seeds {seeds}: higher is better",
        chart_id="cold-start",
    )
    if "rating_accuracy" not in result:
        return ranking, ""
    mean = result["rating_accuracy"]["mean"]
    rating = bar_chart_svg(
        list(mean),
        {"RMSE": [round(mean[n]["rmse"], 4) for n in mean]},
        title="Rating accuracy, mean of u1..u5: lower is better",
        chart_id="rmse",
    )
    return ranking, rating


def merge_results(results: list[dict]) -> dict:
    """One result from several evaluate_recommender outputs (folds and seeds)."""
    import numpy as np

    from recommender.ml.evaluation import summarise_seeds

    merged: dict = {"dataset": results[0].get("dataset")}
    folds = [f for r in results for f in r.get("rating_accuracy", {}).get("folds", [])]
    if folds:
        models = [k for k in folds[0] if isinstance(folds[0][k], dict)]
        merged["rating_accuracy"] = {
            "folds": sorted(folds, key=lambda f: f["fold"]),
            "mean": {
                m: {
                    k: float(np.mean([f[m][k] for f in folds])) for k in ("rmse", "mae")
                }
                for m in models
            },
            "mean_train_seconds": float(np.mean([f["train_seconds"] for f in folds])),
            "mean_fm_train_seconds": float(
                np.mean([f["fm_train_seconds"] for f in folds])
            ),
        }
    runs = sorted(
        (run for r in results for run in r.get("cold_start", [])),
        key=lambda run: run["seed"],
    )
    if runs:
        merged["cold_start"] = runs
        merged["cold_start_summary"] = summarise_seeds(runs)
    return merged


def write_latest(source: Path, target: Path) -> Path:
    """ml-100k -> ml-latest files (ratings.csv, movies.csv; no demographics)."""
    import pandas as pd

    from catalog.movielens import read_dataset

    data = read_dataset(source)
    target.mkdir(parents=True, exist_ok=True)
    ratings = data.ratings.rename(columns={"user_id": "userId", "movie_id": "movieId"})
    if "timestamp" not in ratings:
        ratings["timestamp"] = 0
    ratings[["userId", "movieId", "rating", "timestamp"]].to_csv(
        target / "ratings.csv", index=False
    )
    movies = pd.DataFrame(
        {
            "movieId": data.movies["movie_id"],
            "title": [
                f"{t} ({int(y)})" if y == y and y else str(t)
                for t, y in zip(data.movies["title"], data.movies["year"], strict=True)
            ],
            "genres": [
                "|".join(g) if len(g) else "(no genres listed)"
                for g in data.movies["genres"]
            ],
        }
    )
    movies.to_csv(target / "movies.csv", index=False)
    return target


def _json_file(key: str, result: dict) -> list[str]:
    """Write the raw result to benchmarks/results/<key>.json; return the link to it."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{key}.json"
    path.write_text(json.dumps(result, indent=1, default=float) + "\n")
    return [f"JSON: [{path.name}]({path.name})"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "outputs", nargs="*", help="evaluate_recommender --json output file(s)"
    )
    parser.add_argument("--command", help="the command(s) to quote in the section")
    parser.add_argument("--no-demographics", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--ranker-users", type=int, default=600)
    parser.add_argument("--ranker-cases-per-user", type=int, default=2)
    args = parser.parse_args()
    import django

    os.environ.setdefault("DEBUG", "1")
    django.setup()
    from benchmarks.ml_bench import machine, write_section
    from recommender.ml.evaluation_report import format_table

    if args.no_demographics:
        from recommender.evaluation_service import recommender_evaluate

        source = Path(
            os.environ.get("MOVIELENS_SOURCE", str(REPO / ".." / "shared/data/ml-100k"))
        )
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_latest(source, Path(tmp) / "ml-latest-from-100k")
            result = recommender_evaluate(
                source=str(folder),
                rating=False,
                seeds=args.seeds,
                ranker_users=args.ranker_users,
                ranker_cases_per_user=args.ranker_cases_per_user,
                progress=lambda message: print(message, file=sys.stderr, flush=True),
            )
        result["dataset"] = "ml-100k written out as ml-latest (temporary directory)"
        seeds = " ".join(str(s) for s in args.seeds)
        section = "\n".join(
            [
                "<!-- ml_bench:i14-no-demographics:start -->",
                "### Cold start without demographics (ml-100k as ml-latest)",
                "",
                "- Command: `MOVIELENS_SOURCE=../shared/data/ml-100k python "
                "benchmarks/evaluation_report.py --no-demographics "
                f"--seeds {seeds} --ranker-users {args.ranker_users} "
                f"--ranker-cases-per-user {args.ranker_cases_per_user}`",
                f"- Machine: {machine()}",
                "",
                "```",
                format_table(result),
                "```",
                "",
                *_json_file("i14-no-demographics", result),
                "<!-- ml_bench:i14-no-demographics:end -->",
            ]
        )
        write_section("i14-no-demographics", section)
        print(section[:3000])
        return

    results = []
    for name in args.outputs:
        text = Path(name).read_text()
        results.append(json.loads(text[text.index("\n{") + 1 :]))
    result = merge_results(results)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for name, svg in zip(("cold-start", "rmse"), charts_svg(result), strict=True):
        if not svg:
            continue
        # Standalone files get the 12px text the site's CSS gives the same chart.
        styled = svg.replace(">", "><style>text{font:12px sans-serif}</style>", 1)
        (RESULTS_DIR / f"quality-{name}.svg").write_text(styled)
    seeds = " ".join(str(s) for s in result["cold_start_summary"]["seeds"])
    section = "\n".join(
        [
            "<!-- ml_bench:i14-evaluation:start -->",
            "### Evaluation (`evaluate_recommender`)",
            "",
            "- Command: "
            + (
                args.command
                or "`MOVIELENS_SOURCE=../shared/data/ml-100k python manage.py "
                f"evaluate_recommender --seeds {seeds} --json`"
            ),
            f"- Machine: {machine()}",
            "",
            "![cold start](quality-cold-start.svg)",
            "![rating accuracy](quality-rmse.svg)",
            "",
            "```",
            format_table(result),
            "```",
            "",
            *_json_file("i14-evaluation", result),
            "<!-- ml_bench:i14-evaluation:end -->",
        ]
    )
    write_section("i14-evaluation", section)
    print(section[:3000])


if __name__ == "__main__":
    main()
