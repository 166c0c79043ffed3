"""The catalogue sync (issue #23) over a realistic fake KR catalogue.

A loopback fake TMDB (catalog/tests/fake_tmdb_catalogue.py) serves 12,000 films and
series on the eight KR services, 300 of them ml-100k films (matched by title and
year, since ml-100k has no TMDB ids). Two runs of `catalog_sync(region="KR")`:

1. first sync into a catalogue holding only ml-100k;
2. the next day: 2% of the offers gone, 100 new titles, 150 titles edited at TMDB
   (listed in its changes feed) - the incremental sync.

Reported per run: wall time, requests, requests a second, peak RSS growth of the
process (the fake shares the process, so this is an upper bound), rows written and
the summary line; and the time the same requests would take under TMDB's rate limit.
The fake answers from memory, so the times are this code's own cost plus the fake's.
Runs on its own instance (OTT_VAR_DIR=var/bench-sync unless set). Usage:
    MOVIELENS_SOURCE=../shared/data/ml-100k python benchmarks/sync_bench.py \
        [--titles 12000] [--write]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("OTT_VAR_DIR", str(REPO / "var" / "bench-sync"))
KEY = "0123456789abcdef0123456789abcdef"


class PeakRss:
    """Samples this process's RSS every 20 ms while a block runs."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = self.start = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def _reset() -> None:
    """Back to a catalogue of ml-100k only (a previous run's sync undone)."""
    from catalog.models import Availability, CatalogSync, Movie, OfferHistory

    Movie.objects.filter(source__in=["tmdb-movie", "tmdb-tv"]).delete()
    Availability.objects.filter(source="tmdb").delete()
    OfferHistory.objects.all().delete()
    CatalogSync.objects.all().delete()
    Movie.objects.update(
        tmdb_id=None, title_ko="", overview_ko="", details_fetched_at=None
    )


def _next_day(fake, rng: random.Random, titles: int) -> dict[str, int]:
    """A day of change at the services and at TMDB."""
    from catalog.tests.fake_tmdb_catalogue import kr_catalogue

    offers = [
        (t.media, t.id, provider) for t in fake.titles for provider in list(t.offers)
    ]
    gone = rng.sample(offers, len(offers) // 50)
    for media, tmdb_id, provider in gone:
        fake.remove_offer(media, tmdb_id, provider)
    used = {t.key for t in fake.titles}
    extra = [t for t in kr_catalogue(titles + 400, seed=99) if t.key not in used][:100]
    for title in extra:
        fake.add_title(title)
    edited = rng.sample([t for t in fake.titles if t.title_ko], 150)
    for title in edited:
        fake.touch(title.media, title.id, vote_count=title.vote_count + 1)
    return {"offers_removed": len(gone), "titles_added": len(extra), "edited": 150}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _budgets(rng: random.Random, *, surveys: int, queries: int) -> dict[str, float]:
    """Survey -> recommendations (submit plus the worker's build, in-process) and
    search-as-you-type, timed over the catalogue as it is now (ms)."""
    from django.contrib.auth import get_user_model

    from catalog.models import Movie
    from catalog.movielens import OCCUPATIONS
    from catalog.selectors import movie_search, search_index_clear
    from recommender.building import recommendation_set_build
    from recommender.models import RecommendationSet
    from survey.services import survey_submit

    rated = sorted(
        Movie.objects.filter(ratings__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    builds = []
    for i in range(surveys):
        user = get_user_model().objects.create_user(
            username=f"bench-{uuid.uuid4().hex[:12]}-{i}"
        )
        started = time.perf_counter()
        survey = survey_submit(
            user=user,
            age=rng.randint(18, 60),
            gender=rng.choice("MF"),
            occupation=rng.choice(OCCUPATIONS),
            region="KR",
            platform_slugs=["netflix"],
            favorite_movie_ids=rng.sample(rated, 10),
        )
        rec_set = RecommendationSet.objects.filter(survey=survey).latest("pk")
        recommendation_set_build(set_id=rec_set.pk, owner="bench")
        builds.append((time.perf_counter() - started) * 1e3)
    names = list(Movie.objects.values_list("title", "title_ko"))
    words = []
    for _ in range(queries):
        title, title_ko = rng.choice(names)
        word = (title_ko if title_ko and rng.random() < 0.4 else title)[:8]
        if len(word) > 5 and rng.random() < 0.3:  # a typo: two letters swapped
            word = word[:2] + word[3] + word[2] + word[4:]
        words.append(word)
    search_index_clear()
    started = time.perf_counter()
    movie_search(query="star")
    cold = (time.perf_counter() - started) * 1e3
    times = []
    for word in words:
        started = time.perf_counter()
        movie_search(query=word)
        times.append((time.perf_counter() - started) * 1e3)
    return {
        "build_p50": statistics.median(builds),
        "build_p95": _pct(builds, 0.95),
        "search_cold": cold,
        "search_p50": statistics.median(times),
        "search_p95": _pct(times, 0.95),
        "movies": Movie.objects.count(),
    }


def _run(fake, label: str) -> dict:
    from catalog.models import Availability, Movie
    from catalog.sync import catalog_sync

    fake.reset_counts()
    started = time.perf_counter()
    with PeakRss() as rss:
        summary = catalog_sync(region="KR", rate=100_000)
    seconds = time.perf_counter() - started
    return {
        "label": label,
        "seconds": seconds,
        "requests": fake.request_count,
        "rss_mb": rss.growth_mb,
        "titles": Movie.objects.filter(availabilities__source="tmdb")
        .distinct()
        .count(),
        "offers": Availability.objects.filter(source="tmdb").count(),
        "line": summary.line(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--titles", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--surveys", type=int, default=40)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--write", action="store_true", help="write to benchmarks/results/"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from benchmarks.ml_bench import machine, write_section
    from catalog.models import Movie
    from catalog.tests.fake_servers import FakeServer
    from catalog.tests.fake_tmdb_catalogue import (
        FakeTmdbCatalogue,
        catalogue_summary,
        kr_catalogue,
        load_movielens,
    )
    from recommender.models import ModelVersion

    call_command("migrate", verbosity=0)
    if not Movie.objects.filter(source="ml-100k").exists():
        call_command("import_movielens", verbosity=0)
    if not ModelVersion.objects.filter(is_active=True).exists():
        call_command("train_recommender", "--epochs", "2", verbosity=0)
    _reset()
    source = Path(os.environ["MOVIELENS_SOURCE"])
    titles = kr_catalogue(
        args.titles, seed=args.seed, movielens=load_movielens(source, count=300)
    )
    about = catalogue_summary(titles)
    server = FakeServer()
    server.start()
    fake = FakeTmdbCatalogue(server, titles=titles)
    settings.TMDB_API_KEY = KEY
    settings.TMDB_API_URL = server.url
    # The TMDB side is measured here; the Wikidata content fetch is not served.
    settings.WIKIDATA_ENABLED = False
    try:
        first = _run(fake, "first sync")
        day = _next_day(fake, random.Random(args.seed), args.titles)
        second = _run(fake, "next day (incremental)")
    finally:
        server.stop()
    # The fake's 20,000 titles would otherwise slow every garbage collection.
    del fake, titles
    gc.collect()
    # Both states measured back to back, after the heavy sync, so that the
    # machine's load (shared with other work) weighs on them alike.
    after = _budgets(
        random.Random(args.seed), surveys=args.surveys, queries=args.queries
    )
    _reset()
    before = _budgets(
        random.Random(args.seed), surveys=args.surveys, queries=args.queries
    )
    budgets = [
        ("after the sync", after),
        ("ml-100k only (synced rows deleted)", before),
    ]
    runs = [first, second]
    lines = [
        "<!-- ml_bench:catalog_sync:start -->",
        "## Issue #23: the catalogue sync from TMDB (fake KR catalogue)",
        "",
        "- Command: `MOVIELENS_SOURCE=../shared/data/ml-100k python "
        f"benchmarks/sync_bench.py --titles {args.titles} --write` "
        f"({time.strftime('%Y-%m-%d %H:%M')})",
        f"- Machine: {machine()}; embedded PostgreSQL and Redis; 2 cores shared",
        f"- Fake catalogue: {about['titles']:,} titles ({about['movie']:,} films, "
        f"{about['tv']:,} series), 300 of them ml-100k films; in the benchmark "
        "process, answering from memory; our rate limit lifted, 4 details threads.",
        f"- The next day: {day['offers_removed']:,} offers gone, "
        f"{day['titles_added']} new titles, {day['edited']} titles edited at TMDB.",
        "",
        "| run | seconds | requests | req/s | at 35 req/s | RSS growth | titles "
        "carried | offers |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r['label']} | {r['seconds']:.1f} | {r['requests']:,} | "
            f"{r['requests'] / r['seconds']:,.0f} | "
            f"{max(r['seconds'], r['requests'] / 35) / 60:.1f} min | "
            f"{r['rss_mb']:.0f} MB | {r['titles']:,} | {r['offers']:,} |"
            for r in runs
        ],
        "",
        *[f"- {r['label']}: `{r['line']}`" for r in runs],
        "",
        f"Budgets with and without the synced titles, same run, measured back to back "
        f"after the syncs ({args.surveys} surveys submitted and "
        "built in-process as the worker does, 10 random rated favourites each; "
        f"{args.queries} search-as-you-type queries: 8-character title starts, 40% "
        "Korean where a Korean title exists, 30% with two letters swapped):",
        "",
        "| catalogue | titles | survey -> set p50 / p95 | search p50 / p95 | "
        "search index build |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {label} | {b['movies']:,} | {b['build_p50']:.0f} / "
            f"{b['build_p95']:.0f} ms | {b['search_p50']:.1f} / "
            f"{b['search_p95']:.1f} ms | {b['search_cold']:.0f} ms |"
            for label, b in budgets
        ],
        "",
        f"Ratio with / without the synced titles: survey -> set p95 x"
        f"{after['build_p95'] / before['build_p95']:.2f}, search p95 x"
        f"{after['search_p95'] / before['search_p95']:.2f}.",
        "<!-- ml_bench:catalog_sync:end -->",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("catalog_sync", text)


if __name__ == "__main__":
    main()
