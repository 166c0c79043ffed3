# ruff: noqa: E402 - Django is set up before the app imports
"""Survey -> recommendations with ~20,000 synced titles nobody has rated (issue #24).

One run on its own instance (OTT_VAR_DIR=var/bench-unrated unless set): (1) the
ml-100k catalogue only (synced rows and Wikidata content deleted), a model trained
on it, N surveys of 10 rated favourites; (2) the fake KR catalogue (`--titles`)
synced from a loopback fake TMDB with every title's Wikidata content from a loopback
fake Wikidata, the same training again (the content model gets every documented
synced title as a candidate), then the same surveys and two groups with synced
favourites nobody rated (ten Korean series; five rated films + five synced titles).
Each survey is submitted and built in-process by `recommendation_set_build` as the
worker does it, then `recommend()` alone is timed on the same input. Favourites are
drawn weighted by popularity (ml-100k: ratings; synced: TMDB popularity). Training:
`model_train(epochs=2, gate=False)`, ranker on 120 simulated users (test size).
    MOVIELENS_SOURCE=../shared/data/ml-100k python benchmarks/unrated_bench.py \
        [--titles 20000] [--surveys 50] [--write]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ottsite.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("OTT_VAR_DIR", str(REPO / "var" / "bench-unrated"))
import django

django.setup()

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from tqdm import tqdm

from benchmarks.ml_bench import machine, write_section
from benchmarks.sync_bench import PeakRss
from benchmarks.sync_bench import _reset as sync_reset
from catalog.models import Movie, TitleContent, WikidataLabel
from catalog.movielens import OCCUPATIONS
from catalog.sync import catalog_sync
from catalog.tests.fake_tmdb_catalogue import load_movielens
from ottsite.testing import FakeServer, FakeTmdbCatalogue, FakeWikidata, kr_catalogue
from recommender.building import recommendation_set_build, survey_input_for
from recommender.engine import active_model_version, bundle_for
from recommender.ml.pipeline import recommend
from recommender.models import RecommendationSet
from recommender.training import model_train
from survey.services import survey_submit

KEY = "0123456789abcdef0123456789abcdef"
FAVOURITES = 10
SYNCED = ("tmdb-movie", "tmdb-tv")


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _reset() -> None:
    """Back to ml-100k only: synced titles, offers and Wikidata content deleted."""
    sync_reset()
    TitleContent.objects.all().delete()
    WikidataLabel.objects.all().delete()


def _train(epochs: int, ranker_users: int) -> dict:
    """Train and activate a model (no gate); its times, sizes and RSS growth."""
    settings.RECOMMENDER_RANKER_USERS = ranker_users
    gc.collect()
    started = time.perf_counter()
    with PeakRss() as rss:
        version = model_train(epochs=epochs, gate=False, ranker=ranker_users > 0)
    path = Path(version.path)
    sizes = {f.name: f.stat().st_size for f in path.iterdir() if f.is_file()}
    metrics = version.metrics
    content = metrics.get("content_model") or {}
    return {
        "seconds": time.perf_counter() - started,
        "ncf": metrics.get("ncf_train_seconds") or 0.0,
        "ranker": metrics.get("ranker_train_seconds") or 0.0,
        "content": content,
        "artifact_mb": sum(sizes.values()) / 2**20,
        "content_mb": sizes.get("content_model.npz", 0) / 2**20,
        "rss_mb": rss.growth_mb,
        "items": metrics.get("n_items"),
    }


def _weighted(rng, pool: tuple[list[int], list[float]], n: int) -> list[int]:
    w = np.asarray(pool[1], dtype=float)
    return [int(i) for i in rng.choice(pool[0], size=n, replace=False, p=w / w.sum())]


def _specs(seed: int, n: int, favourites) -> list[dict]:
    """n surveys: favourites from `favourites(rng)` and random demographics."""
    rng, demo = np.random.default_rng(seed), random.Random(seed)
    return [
        {
            "favourites": favourites(rng),
            "age": demo.randint(18, 60),
            "gender": demo.choice("MF"),
            "occupation": demo.choice(OCCUPATIONS),
        }
        for _ in range(n)
    ]


def _rated_pool() -> tuple[list[int], list[float]]:
    rated = Movie.objects.filter(source="ml-100k").annotate(n=Count("ratings"))
    rows = rated.filter(n__gt=0).values_list("pk", "n")
    return [r[0] for r in rows], [float(r[1]) for r in rows]


def _synced_pool(**filters) -> tuple[list[int], list[float]]:
    found = Movie.objects.filter(source__in=SYNCED, content__status="found")
    rows = found.filter(**filters).values_list("pk", "popularity")
    return [r[0] for r in rows], [max(float(r[1] or 0.0), 0.1) for r in rows]


def _measure(label: str, specs: list[dict]) -> dict:
    """Submit each survey, build its set as the worker does, then recommend() alone."""
    synced = set(Movie.objects.filter(source__in=SYNCED).values_list("pk", flat=True))
    out: dict = {"label": label, "flow": [], "build": [], "recommend": []}
    out.update(synced_shown=[], synced_pool=[], inputs=[])
    out["load_start"] = _load()
    bundle = bundle_for(active_model_version())
    for i, spec in enumerate(tqdm(specs, desc=label, file=sys.stderr)):
        user = get_user_model().objects.create_user(
            username=f"ubench-{uuid.uuid4().hex[:12]}-{i}"
        )
        started = time.perf_counter()
        survey = survey_submit(
            user=user,
            age=spec["age"],
            gender=spec["gender"],
            occupation=spec["occupation"],
            region="KR",
            platform_slugs=["netflix"],
            favorite_movie_ids=spec["favourites"],
        )
        rec_set = RecommendationSet.objects.filter(survey=survey).latest("pk")
        submitted = time.perf_counter()
        built = recommendation_set_build(set_id=rec_set.pk, owner="bench")
        done = time.perf_counter()
        if built.status != RecommendationSet.Status.READY:
            raise RuntimeError(f"set {built.pk} is {built.status}: {built.error}")
        survey_in = survey_input_for(built, settings.RECOMMENDATIONS_K)
        again = time.perf_counter()
        recommend(bundle, None, survey_in)
        out["recommend"].append((time.perf_counter() - again) * 1e3)
        out["flow"].append((done - started) * 1e3)
        out["build"].append((done - submitted) * 1e3)
        shown = list(built.items.values_list("movie_id", flat=True))
        out["synced_shown"].append(sum(m in synced for m in shown) / max(len(shown), 1))
        pool = [e["movie_id"] for e in built.pool]
        out["synced_pool"].append(sum(m in synced for m in pool) / max(len(pool), 1))
        out["inputs"].append(survey_in)
    out["load_end"] = _load()
    return out


def _warm_up(spec: dict) -> float:
    """Load the new version's bundle (its ms) and build one set untimed."""
    started = time.perf_counter()
    bundle_for(active_model_version())
    load_ms = (time.perf_counter() - started) * 1e3
    _measure("warm-up", [spec])
    return load_ms


def _profile(inputs: list) -> str:
    """cProfile of recommend() over `inputs`: the top functions by cumulative time."""
    bundle = bundle_for(active_model_version())
    profiler = cProfile.Profile()
    profiler.enable()
    for survey_in in inputs:
        recommend(bundle, None, survey_in)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(r"recommender/ml/(?!.*lightgbm)", 14)
    lines = [ln for ln in text.getvalue().splitlines() if ln[:9].strip().isdigit()]
    return "\n".join(lines[:14]).replace(str(REPO) + "/", "")


def _sync(args) -> dict:
    """The fake KR catalogue synced with its Wikidata content."""
    source = Path(os.environ["MOVIELENS_SOURCE"])
    titles = kr_catalogue(
        args.titles, seed=args.seed, movielens=load_movielens(source, count=300)
    )
    # Every title an item at Wikidata (the fake catalogue gives 60% one): the most
    # candidates the content model can get from this catalogue.
    rng, used = random.Random(args.seed), {t.wikidata_id for t in titles}
    for title in titles:
        while not title.wikidata_id:
            qid = f"Q{rng.randrange(1_000, 130_000_000)}"
            if qid not in used:
                used.add(qid)
                title.wikidata_id = qid
    tmdb, wiki_server = FakeServer(), FakeServer()
    tmdb.start()
    wiki_server.start()
    try:
        FakeTmdbCatalogue(tmdb, titles=titles)
        wiki = FakeWikidata(wiki_server, titles=titles, seed=args.seed)
        settings.TMDB_API_KEY = KEY
        settings.TMDB_API_URL = tmdb.url
        settings.TMDB_REQUESTS_PER_SECOND = 100_000
        settings.WIKIDATA_ENABLED = True
        settings.WIKIDATA_API_URL = wiki.api_url
        settings.WIKIDATA_CONTACT = "bench@example.com"
        settings.WIKIDATA_REQUESTS_PER_SECOND = 100_000
        started = time.perf_counter()
        summary = catalog_sync(region="KR", rate=100_000)
        seconds = time.perf_counter() - started
    finally:
        tmdb.stop()
        wiki_server.stop()
    synced = Movie.objects.filter(source__in=SYNCED)
    return {
        "seconds": seconds,
        "line": summary.line(),
        "fake_titles": len(titles),
        "synced": synced.count(),
        "documented": synced.filter(content__status="found").count(),
        "movies": Movie.objects.count(),
    }


def _row(m: dict, base: dict | None) -> str:
    def cell(key: str) -> str:
        return f"{statistics.median(m[key]):.0f} / {_pct(m[key], 0.95):.0f}"

    ratio = ""
    if base is not None:
        ratio = f"x{_pct(m['flow'], 0.95) / _pct(base['flow'], 0.95):.2f} / "
        ratio += f"x{_pct(m['recommend'], 0.95) / _pct(base['recommend'], 0.95):.2f}"
    return (
        f"| {m['label']} | {len(m['flow'])} | {cell('flow')} | {cell('build')} | "
        f"{cell('recommend')} | {max(m['flow']):.0f} | "
        f"{100 * statistics.mean(m['synced_shown']):.0f}% / "
        f"{100 * statistics.mean(m['synced_pool']):.0f}% | {ratio or '-'} | "
        f"{m['load_start']} -> {m['load_end']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--titles", type=int, default=20_000)
    parser.add_argument("--surveys", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--ranker-users", type=int, default=120)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    load_start, wall = _load(), time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Movie.objects.filter(source="ml-100k").exists():
        call_command("import_movielens", verbosity=0)
    _reset()
    base_train = _train(args.epochs, args.ranker_users)
    rated_pool = _rated_pool()
    rated = _specs(
        args.seed, args.surveys, lambda r: _weighted(r, rated_pool, FAVOURITES)
    )
    base_load_ms = _warm_up(rated[0])
    base = _measure("ml-100k only: rated favourites", rated)

    sync = _sync(args)
    gc.collect()
    after_train = _train(args.epochs, args.ranker_users)
    after_load_ms = _warm_up(rated[0])
    korean_pool = _synced_pool(kind=Movie.Kind.SERIES, original_language="ko")
    synced_pool, half = _synced_pool(), FAVOURITES // 2
    groups = {
        "rated favourites": rated,
        "ten Korean series": _specs(
            args.seed + 1,
            args.surveys,
            lambda r: _weighted(r, korean_pool, FAVOURITES),
        ),
        "5 rated + 5 synced": _specs(
            args.seed + 2,
            args.surveys,
            lambda r: _weighted(r, rated_pool, half) + _weighted(r, synced_pool, half),
        ),
    }
    after = [_measure(f"{sync['movies']:,} titles: {k}", v) for k, v in groups.items()]
    korean = after[1]
    profile = _profile(korean["inputs"][:20])
    everything = {k: [x for m in after for x in m[k]] for k in ("flow", "recommend")}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    flow_ratio = _pct(after[0]["flow"], 0.95) / _pct(base["flow"], 0.95)
    all_ratio = _pct(everything["flow"], 0.95) / _pct(base["flow"], 0.95)
    worst = max(_pct(m["flow"], 0.95) for m in (base, *after))  # slowest group

    def training(label: str, t: dict) -> str:
        c = t["content"]
        return (
            f"| {label} | {t['items']:,} | {c.get('n_unrated_titles', 0):,} | "
            f"{t['seconds']:.0f} s | {t['ncf']:.0f} s | {t['ranker']:.0f} s | "
            f"{c.get('seconds', 0):.1f} s | {c.get('n_tokens', 0):,} | "
            f"{t['artifact_mb']:.1f} MiB | {t['content_mb']:.1f} MiB | "
            f"{t['rss_mb']:.0f} MB |"
        )

    lines = [
        "<!-- unrated_bench:i24-unrated-20k:start -->",
        "## Issue #24: survey -> recommendations with synced titles nobody rated",
        "",
        "- Command: `MOVIELENS_SOURCE=../shared/data/ml-100k python "
        f"benchmarks/unrated_bench.py --titles {args.titles} --surveys "
        f"{args.surveys} --write` ({time.strftime('%Y-%m-%d %H:%M')}, commit "
        f"{commit})",
        f"- Machine: {machine()}; embedded PostgreSQL and Redis; 2 cores shared; "
        f"load (1/5/15 min) {load_start} at the start, {_load()} at the end; "
        f"{(time.perf_counter() - wall) / 60:.1f} min in all.",
        f"- Models: `model_train(epochs={args.epochs}, gate=False)` with the ranker "
        f"on {args.ranker_users} simulated users (test size); sets served by "
        "the ranker; pool 300.",
        f"- Sync: {sync['fake_titles']:,} fake KR titles (every one with a Wikidata "
        f"item, 10% known by IMDb id only), {sync['seconds']:.0f} s: "
        f"{sync['synced']:,} synced titles, {sync['documented']:,} with Wikidata "
        f"content found; {sync['movies']:,} titles in all. `{sync['line']}`",
        f"- Model load (first build after activation): {base_load_ms:.0f} ms "
        f"ml-100k only, {after_load_ms:.0f} ms after the sync.",
        f"- Peak RSS of the benchmark process (fakes, training and serving in one "
        f"process): {peak_mb:,.0f} MiB.",
        "",
        "| model | rated items | unrated candidates | training | NCF | ranker | "
        "content model fit | tokens | artifact | content_model.npz | RSS growth |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        training("ml-100k only", base_train),
        training("after the sync", after_train),
        "",
        f"{args.surveys} surveys a group, each submitted and built in-process as the "
        "worker does (submit -> ready), then `recommend()` alone on the same input "
        "(ms). Ratio = p95 over the ml-100k-only p95 (submit -> ready / recommend).",
        "",
        "| surveys | n | submit -> ready p50 / p95 | build p50 / p95 | recommend() "
        "p50 / p95 | max | synced titles shown / in pool | p95 ratio | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        _row(base, None),
        *[_row(m, base) for m in after],
        "",
        f"All {3 * args.surveys} surveys after the sync: submit -> ready p50 / p95 "
        f"{statistics.median(everything['flow']):.0f} / "
        f"{_pct(everything['flow'], 0.95):.0f} ms (x{all_ratio:.2f} the baseline "
        f"p95), recommend() {statistics.median(everything['recommend']):.0f} / "
        f"{_pct(everything['recommend'], 0.95):.0f} ms. Same rated surveys: "
        f"x{flow_ratio:.2f}. Slowest group p95 {worst:.0f} ms "
        f"({'within' if worst <= 1000 else 'over'} 1 s; ml-20m ranker p95 716 ms).",
        "",
        "recommend() profile, 20 Korean-series surveys (cumulative s, our code):",
        "",
        "```",
        profile,
        "```",
        "<!-- unrated_bench:i24-unrated-20k:end -->",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("i24-unrated-20k", text)


if __name__ == "__main__":
    main()
