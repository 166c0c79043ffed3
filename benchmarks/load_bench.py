"""Load test: gunicorn (2 workers) + 2 Celery workers on loopback, driven by locust.

    .venv/bin/python benchmarks/load_bench.py [--seconds 20] [--write]
                                              [--default-threads]

Uses its own instance under var/bench (embedded PostgreSQL and Redis, ml-100k from
$MOVIELENS_SOURCE, a 1-epoch model), 32 accounts with a ready set each. Phases, one
after the other against the same server in one run: the trivial JSON view
(/health/live/, the ceiling), /api/recommendations/latest/ and the /recommendations/
page at 32 clients, then survey submit -> ready with 10 submitters. Per-user API
throttles are raised for the run (the point is the server, not the limiter). With
--write the table goes to benchmarks/results/load.md (RESULTS.md is edited by hand).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
BIN = Path(sys.executable).parent
START, END = "<!-- load_bench:start -->", "<!-- load_bench:end -->"

SETUP = r"""
import json, sys
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token
from catalog.models import Movie
from recommender.building import recommendation_set_build
from recommender.models import ModelVersion
from survey.services import survey_submit

if not ModelVersion.objects.filter(is_active=True).exists():
    from recommender.training import model_train
    model_train(epochs=1)
ml = [1, 50, 100, 127, 172, 174, 181, 204, 210, 258, 7, 12]
ids = dict(Movie.objects.filter(source="ml-100k", source_id__in=ml)
           .values_list("source_id", "id"))
favourites = [ids[i] for i in ml[:10]]
accounts = []
User = get_user_model()
for n in range(32):
    name = f"bench{n}"
    user = User.objects.filter(username=name).first()
    if user is None:
        user = User.objects.create_user(username=name, password="bench-pw-12345")
        survey = survey_submit(user=user, age=20 + n, gender="F",
            occupation="writer", region="KR", platform_slugs=["netflix"],
            favorite_movie_ids=favourites)
        recommendation_set_build(set_id=survey.recommendation_sets.get().pk)
    token, _ = Token.objects.get_or_create(user=user)
    browser = Client()
    browser.force_login(user)  # the page phase measures the page, not PBKDF2
    accounts.append({"username": name, "token": token.key,
                     "session": browser.cookies["sessionid"].value,
                     "favourites": favourites})
json.dump(accounts, open(sys.argv[-1], "w"))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2
    return (
        f"nproc={os.cpu_count()}, {cpu}, {mem:.1f} GiB RAM, "
        f"Python {platform.python_version()}; embedded PostgreSQL 16 and Redis"
    )


def _wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {seconds}s")


def _drain(host: str) -> None:
    """Wait (bounded) until requests queued by the previous phase are served."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(host + "/health/live/", timeout=5)  # noqa: S310
        if time.monotonic() - started < 0.2:
            return
        time.sleep(1)


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its descendants, live or already reaped."""
    import psutil

    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in tree:
        with contextlib.suppress(psutil.Error):
            t = process.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
    return total


def _pid_file(path: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(path.read_text().split()[0])
    return None


def _cpu_snapshot(roots: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds so far per group of process trees, plus locust (this process's
    reaped children) and the whole machine (every core's busy time)."""
    import resource

    import psutil

    snapshot = {
        name: sum(_tree_cpu(pid) for pid in pids) for name, pids in roots.items()
    }
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    snapshot["locust"] = children.ru_utime + children.ru_stime
    machine = psutil.cpu_times()
    snapshot["machine"] = sum(machine) - machine.idle - machine.iowait
    return snapshot


def _locust(
    env: dict, host: str, user_class: str, users: int, seconds: int, out: Path
) -> dict:
    prefix = out / user_class
    command = [str(BIN / "locust"), "-f", str(REPO / "benchmarks/load/locustfile.py")]
    command += ["--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s"]
    command += ["--host", host, "--csv", str(prefix), "--only-summary", user_class]
    subprocess.run(
        command,
        env=env,
        cwd=REPO,
        check=False,
        timeout=seconds + 120,
        capture_output=True,
    )
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    return {row["Name"]: row for row in rows}


def _row(stats: dict, name: str) -> dict:
    row = stats.get(name) or {}
    return {
        "requests": int(row.get("Request Count", 0) or 0),
        "failures": int(row.get("Failure Count", 0) or 0),
        "rps": float(row.get("Requests/s", 0) or 0),
        "p50": float(row.get("50%", 0) or 0),
        "p95": float(row.get("95%", 0) or 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--default-threads",
        action="store_true",
        help="web and workers with the libraries' default native thread pools",
    )
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    out = VAR / "locust"
    out.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "OTT_VAR_DIR": str(VAR),
        "DJANGO_SETTINGS_MODULE": "ottsite.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_THROTTLE_USER": "1000000/min",
        "API_THROTTLE_ANON": "1000000/min",
        "LOGIN_RATE_LIMIT_ADDRESS": "100000/m",
        "CELERY_QUEUE": "bench",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "",
        "LOAD_USERS_FILE": str(VAR / "accounts.json"),
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }
    manage = [sys.executable, "manage.py"]
    print("setting up var/bench (migrate, import, model, 32 accounts)...", flush=True)
    subprocess.run(
        manage + ["migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=REPO
    )
    subprocess.run(manage + ["import_movielens"], env=env, check=True, cwd=REPO)
    subprocess.run(
        [sys.executable, "-c", _setup_code(), str(VAR / "accounts.json")],
        env=env,
        check=True,
        cwd=REPO,
    )
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    # As the Procfile starts them: one native (OpenMP/OpenBLAS) thread per process.
    serving = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    if args.default_threads:  # to measure without that limit
        serving = {}
    env_web = {**env, **serving, "HOST": "127.0.0.1", "PORT": str(port)}
    processes = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "ottsite.wsgi"],
            env=env_web,
            cwd=REPO,
        )
    ]
    for n in (1, 2):
        processes.append(
            subprocess.Popen(
                [str(BIN / "celery"), "-A", "ottsite", "worker", "--concurrency", "1"]
                + ["-n", f"bench{n}@%h", "--loglevel", "WARNING"]
                + ["--without-gossip", "--without-mingle"],
                env={**env, **serving},
                cwd=REPO,
            )
        )
    results: dict[str, dict] = {}
    try:
        _wait_http(host + "/health/live/", 60)
        time.sleep(5)  # the workers finish starting
        print("warm-up (not counted)...", flush=True)
        _locust(env, host, "SurveySubmit", 2, 10, out)
        _drain(host)
        _locust(env, host, "LatestApi", 32, 5, out)
        phases = [
            ("Ceiling", 32, "ceiling /health/live/"),
            ("LatestApi", 32, "/api/recommendations/latest/"),
            ("LatestPage", 32, "/recommendations/ (page)"),
            ("SurveySubmit", 10, "submit -> ready"),
        ]
        roots = {
            "gunicorn": [processes[0].pid],
            "celery": [process.pid for process in processes[1:]],
            "postgres": [_pid_file(VAR / "postgres" / "postmaster.pid") or 0],
            "redis": [_pid_file(VAR / "redis" / "redis.pid") or 0],
        }
        for user_class, users, name in phases:
            _drain(host)
            load = _load()
            print(f"{user_class}: {users} clients, {args.seconds}s...", flush=True)
            before = _cpu_snapshot(roots)
            stats = _locust(env, host, user_class, users, args.seconds, out)
            after = _cpu_snapshot(roots)
            cpu = {key: after[key] - before[key] for key in before}
            results[name] = {
                **_row(stats, name),
                "users": users,
                "load": load,
                "cpu": cpu,
            }
            if user_class == "SurveySubmit":
                results["submit survey"] = {
                    **_row(stats, "submit survey"),
                    "users": users,
                    "load": load,
                }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        # The embedded PostgreSQL and Redis of var/bench are not left running.
        subprocess.run(
            manage + ["services", "stop"], env=env, cwd=REPO, check=False, timeout=120
        )
    report = _report(results, args.seconds)
    print(report)
    if args.write:
        _write(report)


def _setup_code() -> str:
    return "import django; django.setup()\n" + SETUP


def _report(results: dict[str, dict], seconds: int) -> str:
    ceiling = results.get("ceiling /health/live/", {}).get("rps", 0) or 0
    lines = [
        f"- Command: `MOVIELENS_SOURCE=../shared/data/ml-100k .venv/bin/python "
        f"benchmarks/load_bench.py --seconds {seconds} --write` "
        f"({datetime.now():%Y-%m-%d %H:%M})",
        f"- Machine: {_machine()}; load average before each phase in the table "
        "(the 2 cores are shared with other engineers' test runs)",
        "- Server: gunicorn 2 sync workers (gunicorn.conf.py), DEBUG=0, 2 Celery "
        "workers (concurrency 1), locust on the same machine, loopback only",
        "",
        "| phase | clients | requests | failures | req/s | % of ceiling "
        "| p50 ms | p95 ms | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, row in results.items():
        share = f"{100 * row['rps'] / ceiling:.0f}%" if ceiling else "-"
        lines.append(
            f"| {name} | {row['users']} | {row['requests']} | {row['failures']} "
            f"| {row['rps']:.1f} | {share} | {row['p50']:.0f} | {row['p95']:.0f} "
            f"| {row['load']} |"
        )
    lines += [
        "",
        "CPU per request by process (ms; for submit -> ready, per flow), from each "
        "process tree's CPU time over the phase; 'other' is the rest of the machine:",
        "",
        "| phase | gunicorn | celery | postgres | redis | locust | other | total |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        cpu, count = row.get("cpu"), row["requests"]
        if not cpu or not count:
            continue
        groups = ["gunicorn", "celery", "postgres", "redis", "locust"]
        other = cpu["machine"] - sum(cpu[group] for group in groups)
        cells = [f"{1e3 * cpu[group] / count:.1f}" for group in groups]
        cells += [f"{1e3 * other / count:.1f}", f"{1e3 * cpu['machine'] / count:.1f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _write(report: str) -> None:
    path = REPO / "benchmarks" / "results" / "load.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{START}\n{report}\n{END}\n")
    print(f"wrote {path}; copy the numbers into benchmarks/RESULTS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
