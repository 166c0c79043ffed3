"""Write `evaluate_recommender --json` output into RESULTS.md with a chart.

python manage.py evaluate_recommender --json > /tmp/eval.out
python benchmarks/evaluation_report.py /tmp/eval.out
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")


def charts_svg(result: dict) -> tuple[str, str]:
    """Cold-start NDCG@10/Recall@20 per model and mean RMSE per model, as SVG."""
    from recommender.charts import bar_chart_svg

    models = result["cold_start"]["models"]
    names = list(models)
    ranking = bar_chart_svg(
        names,
        {
            "NDCG@10": [round(models[n]["ndcg@10"], 4) for n in names],
            "Recall@20": [round(models[n]["recall@20"], 4) for n in names],
        },
        title="Cold start (10 favourites given): higher is better",
        chart_id="cold-start",
    )
    mean = result["rating_accuracy"]["mean"]
    rating = bar_chart_svg(
        list(mean),
        {"RMSE": [round(mean[n]["rmse"], 4) for n in mean]},
        title="Rating accuracy, mean of u1..u5: lower is better",
        chart_id="rmse",
    )
    return ranking, rating


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "output", help="file holding evaluate_recommender --json output"
    )
    args = parser.parse_args()
    import django

    os.environ.setdefault("DEBUG", "1")
    django.setup()
    from benchmarks.ml_bench import machine, write_section
    from recommender.ml.evaluation import format_table

    text = Path(args.output).read_text()
    result = json.loads(text[text.index("\n{") + 1 :])
    for name, svg in zip(("cold-start", "rmse"), charts_svg(result), strict=True):
        # Standalone files get the 12px text the site's CSS gives the same chart.
        styled = svg.replace(">", "><style>text{font:12px sans-serif}</style>", 1)
        (REPO / "benchmarks" / f"evaluation-{name}.svg").write_text(styled)
    section = "\n".join(
        [
            "<!-- ml_bench:evaluation:start -->",
            "### Recommender evaluation (`evaluate_recommender`)",
            "",
            "- Command: `MOVIELENS_SOURCE=../shared/data/ml-100k python manage.py "
            "evaluate_recommender --json`",
            f"- Machine: {machine()}",
            "",
            "![cold start](evaluation-cold-start.svg)",
            "![rating accuracy](evaluation-rmse.svg)",
            "",
            "```",
            format_table(result),
            "```",
            "",
            "<details><summary>JSON</summary>",
            "",
            "```json",
            json.dumps(result, indent=1, default=float),
            "```",
            "</details>",
            "<!-- ml_bench:evaluation:end -->",
        ]
    )
    write_section("evaluation", section)
    print(section[:2000])


if __name__ == "__main__":
    main()
