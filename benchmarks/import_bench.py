"""MovieLens import speed: real ml-100k and a generated ml-1m-sized set (1M ratings).

Runs against its own instance (OTT_VAR_DIR=var/bench unless set) so it never touches a
developer's data. Usage:
    MOVIELENS_SOURCE=../shared/data/ml-100k python benchmarks/import_bench.py [--write]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("OTT_VAR_DIR", str(REPO / "var" / "bench"))


def write_ml1m_format(folder: Path, seed: int = 0) -> int:
    """Write a synthetic ml-1m-sized dataset in the ml-1m '::' format; returns rows."""
    from benchmarks.synthetic import SIZES, generate
    from catalog.movielens import ML1M_OCCUPATIONS

    # Popular pairs repeat often under the power law: over-draw so the de-duplicated
    # set still reaches ml-1m's 1,000,209 ratings.
    ratings, users, movies = generate(*SIZES["ml-1m"], seed=seed, oversample=2.5)
    codes = {}
    for code, name in sorted(ML1M_OCCUPATIONS.items()):
        codes.setdefault(name, code)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "movies.dat").open("w", encoding="latin-1") as out:
        for row in movies.itertuples(index=False):
            year = 1950 + row.movie_id % 50
            genres = "|".join(row.genres)
            out.write(f"{row.movie_id}::{row.title} ({year})::{genres}\n")
    with (folder / "users.dat").open("w") as out:
        for row in users.itertuples(index=False):
            gender = row.gender if row.gender in ("M", "F") else "F"
            out.write(
                f"{row.user_id}::{gender}::{row.age}::"
                f"{codes.get(row.occupation, 0)}::00000\n"
            )
    frame = ratings.assign(
        rating=ratings["rating"].round().clip(1, 5).astype(int),
    )
    frame[["user_id", "movie_id", "rating", "timestamp"]].to_csv(
        folder / "ratings.dat", sep=":", header=False, index=False
    )
    # pandas writes one ':' separator; the ml-1m format uses '::'
    text = (folder / "ratings.dat").read_text().replace(":", "::")
    (folder / "ratings.dat").write_text(text)
    return len(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--write", action="store_true", help="write to benchmarks/results/"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.ml_bench import machine, write_section
    from catalog.services import movielens_import

    call_command("migrate", verbosity=0)
    rows = []
    source = os.environ.get(
        "MOVIELENS_SOURCE", str(REPO.parent / "shared/data/ml-100k")
    )
    for label in ("ml-100k (first import)", "ml-100k (re-import, idempotent)"):
        summary = movielens_import(source=source)
        rows.append((label, summary.ratings, summary.seconds))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        n = write_ml1m_format(Path(tmp) / "ml-1m")
        gen = time.perf_counter() - t0
        for label in (
            "synthetic ml-1m size (first)",
            "synthetic ml-1m size (re-import)",
        ):
            summary = movielens_import(source=str(Path(tmp) / "ml-1m"))
            rows.append((label, summary.ratings, summary.seconds))
    lines = [
        "<!-- ml_bench:import:start -->",
        "### MovieLens import",
        "",
        "- Command: `MOVIELENS_SOURCE=../shared/data/ml-100k "
        "python benchmarks/import_bench.py --write` "
        f"({time.strftime('%Y-%m-%d %H:%M')})",
        f"- Machine: {machine()}; embedded PostgreSQL 16 (pgserver)",
        f"- Synthetic ml-1m-sized files ({n:,} ratings) generated in {gen:.1f} s "
        "(not counted)",
        "- Target: ml-1m-sized import under 60 s",
        "",
        "| dataset | ratings | seconds | ratings/s |",
        "|---|---:|---:|---:|",
        *[f"| {lab} | {r:,} | {s:.1f} | {r / s:,.0f} |" for lab, r, s in rows],
        "<!-- ml_bench:import:end -->",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("import", text)


if __name__ == "__main__":
    main()
