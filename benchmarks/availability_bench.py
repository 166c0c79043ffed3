"""Availability look-ups against a loopback fake TMDB (issue 9).

1. `manage.py refresh_availability --all` over ml-100k: first run (TMDB ids resolved
   by search, ko-KR details fetched) and second run (ids and details reused).
2. On-demand latency: a survey is submitted, a real Celery worker (prefork, 2
   processes) builds the set; measured from the set's finished_at to the last of
   its 20 items having a TMDB check. Checks are wiped before each trial.

The fake TMDB answers every request from memory (no network, no delay), so the
numbers are this code's own overhead plus the rate limit, not TMDB's latency.
Runs on its own instance (OTT_VAR_DIR=var/bench-availability unless set). Usage:
    MOVIELENS_SOURCE=../shared/data/ml-100k python benchmarks/availability_bench.py \
        [--trials 20] [--rate 1000] [--write]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("OTT_VAR_DIR", str(REPO / "var" / "bench-availability"))
KEY = "0123456789abcdef0123456789abcdef"


def _fake_tmdb(seed: int = 0):
    """A fake TMDB knowing every catalogue movie: found by search on its display
    title, ~40% on a KR service, a Korean title for every second one."""
    from catalog.models import Movie
    from catalog.tests.fake_servers import (
        FakeServer,
        FakeTmdb,
        kr_providers,
        tmdb_details,
        tmdb_movie,
    )
    from catalog.titles import display_title

    rng = random.Random(seed)
    server = FakeServer()
    server.start()
    fake = FakeTmdb(server)
    services = [(8, "Netflix"), (356, "wavve"), (97, "Watcha"), (337, "Disney Plus")]
    for movie_id, title, year in Movie.objects.values_list("id", "title", "year"):
        tmdb_id = 500_000 + movie_id
        name = display_title(title).split(" (")[0]
        fake.search.setdefault(name, []).append(
            tmdb_movie(tmdb_id, name, f"{year or 1990}-06-01")
        )
        offers = rng.sample(services, rng.randint(1, 2)) if rng.random() < 0.4 else []
        fake.providers[tmdb_id] = kr_providers(tmdb_id, offers)
        korean = f"한국어 제목 {movie_id}" if movie_id % 2 == 0 else name
        fake.details[tmdb_id] = tmdb_details(tmdb_id, korean, name)
    return server, fake


def _reset_checks(*, ids: bool) -> None:
    from catalog.models import Availability, AvailabilityCheck, Movie

    AvailabilityCheck.objects.all().delete()
    Availability.objects.filter(source="tmdb").delete()
    if ids:
        Movie.objects.update(
            tmdb_id=None, title_ko="", poster_path="", details_fetched_at=None
        )


def _refresh_runs(server, rate: float) -> list[tuple[str, float, int, str]]:
    from django.core.management import call_command

    rows = []
    _reset_checks(ids=True)
    for label in ("first run (ids by search)", "second run (ids reused)"):
        before = len(server.requests)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("refresh_availability", "--all", "--rate", str(rate), stdout=out)
        seconds = time.perf_counter() - started
        rows.append((label, seconds, len(server.requests) - before, out.getvalue()))
        _reset_checks(ids=False)  # keep the ids: the second run reuses them
    return rows


def _worker(server_url: str, queue: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "TMDB_API_URL": server_url,
        "TMDB_API_KEY": KEY,
        "TMDB_REQUESTS_PER_SECOND": "1000",
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = open(Path(os.environ["OTT_VAR_DIR"]) / "bench-worker.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ottsite",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _on_demand(trials: int, server_url: str) -> list[float]:
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from catalog.models import AvailabilityCheck, Movie
    from ottsite.celery import app
    from recommender.models import RecommendationSet
    from survey.services import survey_submit

    queue = f"bench-{os.getpid()}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    worker = _worker(server_url, queue)
    try:
        deadline = time.monotonic() + 90
        while not app.control.ping(timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start")
        rng = random.Random(1)
        popular = list(Movie.objects.order_by("id").values_list("id", flat=True)[:400])
        latencies = []
        user_model = get_user_model()
        for trial in range(trials):
            AvailabilityCheck.objects.all().delete()
            user, _ = user_model.objects.get_or_create(username=f"bench-{trial}")
            survey = survey_submit(
                user=user,
                age=30,
                gender="F",
                occupation="programmer",
                region="KR",
                platform_slugs=["netflix"],
                favorite_movie_ids=rng.sample(popular, 10),
            )
            rec_set = survey.recommendation_sets.get()
            end = time.monotonic() + 120
            while time.monotonic() < end:
                rec_set.refresh_from_db()
                items = list(rec_set.items.values_list("movie_id", flat=True))
                if rec_set.status == RecommendationSet.Status.READY and items:
                    checks = AvailabilityCheck.objects.filter(
                        movie_id__in=items, source="tmdb"
                    )
                    if checks.count() == len(items):
                        last = checks.aggregate(m=Max("checked_at"))["m"]
                        latencies.append((last - rec_set.finished_at).total_seconds())
                        break
                time.sleep(0.02)
            else:
                raise RuntimeError(f"trial {trial}: not all items checked in 120 s")
        return latencies
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--rate", type=float, default=1000.0)
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
    from recommender.models import ModelVersion

    call_command("migrate", verbosity=0)
    if not Movie.objects.filter(source="ml-100k").exists():
        call_command("import_movielens", verbosity=0)
    if not ModelVersion.objects.filter(is_active=True).exists():
        call_command("train_recommender", "--epochs", "2", verbosity=0)
    settings.TMDB_API_KEY = KEY
    server, _fake = _fake_tmdb()
    settings.TMDB_API_URL = server.url
    try:
        refresh = _refresh_runs(server, args.rate)
        latencies = _on_demand(args.trials, server.url)
    finally:
        server.stop()
    movies = Movie.objects.count()
    lines = [
        "<!-- ml_bench:availability:start -->",
        "## Issue 9: where to watch in Korea (availability look-ups)",
        "",
        "- Command: `MOVIELENS_SOURCE=../shared/data/ml-100k python "
        f"benchmarks/availability_bench.py --trials {args.trials} "
        f"--rate {args.rate:g} --write` ({time.strftime('%Y-%m-%d %H:%M')})",
        f"- Machine: {machine()}; embedded PostgreSQL 16 and Redis; 2 cores shared "
        "with other engineers' processes at the time",
        "- Loopback fake TMDB in the benchmark process, answering from memory; "
        f"`--rate {args.rate:g}` lifts our rate limit so the time is our own overhead. "
        "At the default TMDB_REQUESTS_PER_SECOND=10 a run takes at least "
        "requests / 10 s (projected column).",
        "",
        f"`refresh_availability --all` over ml-100k ({movies:,} movies):",
        "",
        "| run | seconds | requests | req/s | projected at 10 req/s |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {label} | {sec:.1f} | {req:,} | {req / sec:,.0f} | "
            f"{max(sec, req / 10):,.0f} s |"
            for label, sec, req, _out in refresh
        ],
        "",
        "Summary lines printed:",
        "",
        *[
            f"- {label}: `{out.strip().splitlines()[-1]}`"
            for label, _s, _r, out in refresh
        ],
        "",
        f"On-demand: set ready -> all 20 items checked, {len(latencies)} trials, "
        "worker with 2 processes:",
        "",
        "| p50 | p95 | max |",
        "|---:|---:|---:|",
        f"| {statistics.median(latencies):.2f} s | {_pct(latencies, 0.95):.2f} s | "
        f"{max(latencies):.2f} s |",
        "<!-- ml_bench:availability:end -->",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("availability", text)


if __name__ == "__main__":
    main()
