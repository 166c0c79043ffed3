"""Chart the ranker's NDCG@10 gain over EASE, one bar per seed, against the 5% target.

usage: python benchmarks/seed_ratio_chart.py OUT.svg INPUT [INPUT ...]

Each INPUT is either the stdout of `manage.py evaluate_recommender --json` (its
table, then the JSON) or a file of `benchmarks/ranker_dev.py` JSON lines; a label
prefix `NAME=` before the path names the group (e.g. `reported=/tmp/eval.out`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from recommender.charts import bar_chart_svg  # noqa: E402

TARGET = 1.05


def ratios(text: str) -> list[tuple[int, float]]:
    """(seed, ranker / EASE NDCG@10) pairs from either kind of output."""
    try:  # ranker_dev.py: one JSON object per line
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [(int(row["seed"]), float(row["ratio"])) for row in rows]
    except json.JSONDecodeError:  # evaluate_recommender --json: a table, then JSON
        result = json.loads(text[text.index("\n{") + 1 :])
        return [
            (int(run["seed"]), float(run["ranker_over_ease_ndcg@10"]))
            for run in result["cold_start"]
        ]


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    labels: list[str] = []
    gains: list[float] = []
    for arg in argv[1:]:
        group, _, path = arg.rpartition("=")
        for seed, ratio in sorted(ratios(Path(path).read_text())):
            labels.append(f"{group or 'seed'} {seed}")
            gains.append(round((ratio - 1.0) * 100.0, 2))
    svg = bar_chart_svg(
        labels,
        {
            "ranker gain over EASE, % NDCG@10": gains,
            "target, %": [round((TARGET - 1.0) * 100.0, 2)] * len(labels),
        },
        title="Ranker vs EASE per seed: the target is a 5% gain on every seed",
        unit="%",
        chart_id="ranker-vs-ease-seeds",
    )
    Path(argv[0]).write_text(svg + "\n")
    met = sum(g >= (TARGET - 1.0) * 100.0 for g in gains)
    print(f"{len(gains)} seeds, target met on {met}: " + ", ".join(map(str, gains)))


if __name__ == "__main__":
    main(sys.argv[1:])
