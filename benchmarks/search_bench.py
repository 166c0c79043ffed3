"""Search-as-you-type at catalogue size: 20,000 titles (issue #23 item 3).

A throw-away test database gets 20,000 movies by bulk_create: 1,682 rated films
(100,000 ratings, a few films rated by many, as in ml-100k) and 18,318 synced
titles (a third of them series, each with a Korean title, TMDB votes and
popularity, no ratings). Measured on the real Redis of OTT_VAR_DIR:

- build: the search index from the database into the cache (search_index_clear,
  then catalog.search.search_index), median of --builds;
- query: movie_search(limit=10) with the index cached, median and p95 of --queries
  rounds per query (prefix, infix, Korean, fuzzy);
- the index's size in the cache (pickled bytes).

Usage: python benchmarks/search_bench.py [--titles 20000] [--write]
(--write appends the table to benchmarks/search_bench.md, the working log).
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("OTT_VAR_DIR", str(REPO / "var" / "bench-search"))

QUERIES = [
    ("prefix", "star"),
    ("prefix, 2 letters", "th"),
    ("infix", "game"),
    ("Korean", "오징어"),
    ("Korean, by sound", "스타워즈"),
    ("Korean, nothing alike", "대부"),
    ("fuzzy", "shawshank redemtion"),
    ("no match", "zzzzqqq"),
]
_WORDS = [
    "star",
    "night",
    "love",
    "dark",
    "city",
    "last",
    "house",
    "war",
    "game",
    "blue",
    "river",
    "king",
    "girl",
    "man",
    "dead",
    "road",
    "home",
    "summer",
    "secret",
    "house",
    "storm",
    "queen",
    "light",
    "lost",
    "black",
    "island",
    "red",
    "dream",
    "ghost",
    "wild",
    "money",
    "heist",
    "office",
    "crown",
    "family",
    "doctor",
    "school",
    "space",
    "code",
    "fire",
    "ice",
]


def _hangul(rng: random.Random, n: int) -> str:
    return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(n))


def _catalogue(n_titles: int, seed: int = 0) -> None:
    """bulk_create the rated films, their ratings and the synced titles."""
    from django.utils import timezone

    from catalog.models import DatasetUser, Movie, Rating

    rng = random.Random(seed)
    films = [
        Movie(
            source="ml-100k",
            source_id=i,
            title=f"{' '.join(rng.sample(_WORDS, rng.randint(1, 4))).title()}",
            year=rng.randint(1930, 1998),
        )
        for i in range(1, 1683)
    ]
    films[0].title = "Shawshank Redemption, The"
    films[1].title = "Star Wars"
    Movie.objects.bulk_create(films, batch_size=2000)
    users = DatasetUser.objects.bulk_create(
        [DatasetUser(source="ml-100k", source_id=i) for i in range(1, 944)]
    )
    films = list(Movie.objects.filter(source="ml-100k").order_by("source_id"))
    weights = [1.0 / (rank + 10) for rank in range(len(films))]
    now = timezone.now()
    seen: set[tuple[int, int]] = set()
    ratings = []
    while len(ratings) < 100_000:
        user = rng.choice(users)
        movie = rng.choices(films, weights)[0]
        if (user.pk, movie.pk) in seen:
            continue
        seen.add((user.pk, movie.pk))
        ratings.append(Rating(user=user, movie=movie, rating=4, rated_at=now))
    Rating.objects.bulk_create(ratings, batch_size=5000)
    synced = []
    for i in range(1, n_titles - len(films) + 1):
        series = i % 3 == 0
        name = " ".join(rng.sample(_WORDS, rng.randint(1, 4))).title()
        synced.append(
            Movie(
                source=Movie.SOURCE_TMDB_TV if series else Movie.SOURCE_TMDB_MOVIE,
                kind=Movie.Kind.SERIES if series else Movie.Kind.FILM,
                source_id=i,
                tmdb_id=i,
                title=name,
                title_ko=_hangul(rng, rng.randint(2, 8)),
                original_title=name,
                year=rng.randint(1990, 2025),
                seasons=rng.randint(1, 6) if series else None,
                popularity=rng.paretovariate(1.5),
                vote_count=int(rng.paretovariate(1.1) * 10),
            )
        )
    synced[0].title, synced[0].title_ko = "Squid Game", "오징어 게임"
    Movie.objects.bulk_create(synced, batch_size=2000)


def _timed(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=20_000)
    parser.add_argument("--builds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from catalog import search

    connection.settings_dict["TEST"]["NAME"] = "test_search_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        _catalogue(args.titles)
        setup_s = time.perf_counter() - started

        def build() -> None:
            search.search_index_clear()
            search.search_index()

        builds = _timed(build, args.builds)
        size = len(pickle.dumps(search.search_index(), pickle.HIGHEST_PROTOCOL))
        rows = []
        for label, query in QUERIES:
            found = search.movie_search(query=query, limit=10)
            times = _timed(
                lambda q=query: search.movie_search(query=q, limit=10),
                args.queries,
            )
            top = found[0].title if found else "-"
            rows.append((label, query, statistics.median(times), _p95(times), top))
        search.search_index_clear()
        cache.close()
    finally:
        connection.creation.destroy_test_db("test_search_bench", verbosity=0)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    lines = [
        f"search index at {args.titles:,} titles — "
        f"`python benchmarks/search_bench.py --titles {args.titles}`, "
        f"{datetime.now(UTC):%Y-%m-%d}, commit {commit} (+ working tree), "
        f"{platform.machine()} {os.cpu_count()} cores",
        "",
        f"catalogue setup (bulk_create) {setup_s:.1f} s; index {size / 1e6:.2f} MB "
        "pickled",
        "",
        "| step | median ms | p95 ms | best hit |",
        "|---|---:|---:|---|",
        f"| build (DB -> index -> Redis) | {statistics.median(builds):.0f} | "
        f"{max(builds):.0f} (max of {len(builds)}) | |",
    ]
    lines += [
        f"| query {label} `{query}` | {median:.1f} | {p95:.1f} | {top} |"
        for label, query, median, p95, top in rows
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        out = REPO / "benchmarks" / "search_bench.md"
        with out.open("a") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
