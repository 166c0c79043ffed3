"""Title-matching precision and recall on a hand-labelled sample (no database).

benchmarks/data/title_matching_labelled.csv holds outside titles from the streaming
snapshots with the MovieLens 100K id of the same film, or no id when the film is
not in MovieLens (sequels, remakes, same title in another year). The matcher is
built over ml-100k's u.item and the snapshot titles (for franchise prefixes),
exactly as `manage.py import_availability` builds it. Usage:
    MOVIELENS_SOURCE=../shared/data/ml-100k python benchmarks/title_matching.py \
        --snapshots ../shared/data/streaming
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
os.environ.setdefault("DEBUG", "1")
SAMPLE = REPO / "benchmarks" / "data" / "title_matching_labelled.csv"


def main() -> None:
    import django

    django.setup()
    from catalog.availability import _snapshot_files, _snapshot_rows
    from catalog.matching import MatchStatus, TitleMatcher, franchise_prefixes

    parser = argparse.ArgumentParser()
    parser.add_argument("--movielens", default=os.environ.get("MOVIELENS_SOURCE"))
    parser.add_argument("--snapshots", default="../shared/data/streaming")
    args = parser.parse_args()
    items = Path(args.movielens) / "u.item"
    catalogue = [
        (int(f[0]), f[1], None)
        for f in (
            line.split("|") for line in items.read_text("latin-1").splitlines() if line
        )
    ]
    titles = [
        title
        for file in _snapshot_files(Path(args.snapshots))
        for title, _year, _slugs in _snapshot_rows(file)
    ]
    matcher = TitleMatcher(catalogue, franchises=franchise_prefixes(titles))
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8")))
    predicted = correct = positives = found = 0
    errors = []
    for row in rows:
        truth = int(row["movielens_id"]) if row["movielens_id"] else None
        result = matcher.match(row["outside_title"], int(row["outside_year"]))
        got = result.movie_id if result.status is MatchStatus.MATCHED else None
        positives += truth is not None
        if got is not None:
            predicted += 1
            correct += got == truth
        found += truth is not None and got == truth
        if got != truth:
            errors.append((row["outside_title"], row["outside_year"], truth, got))
    print(f"labelled pairs: {len(rows)} ({positives} in MovieLens)")
    print(f"precision: {correct}/{predicted} = {correct / predicted:.3f}")
    print(f"recall:    {found}/{positives} = {found / positives:.3f}")
    for title, year, truth, got in errors:
        print(f"  miss/wrong: {title} ({year}) expected {truth} got {got}")


if __name__ == "__main__":
    main()
