"""The serving processes (web, worker) run with one native thread per library pool.

Measured in benchmarks/RESULTS.md (issue #13): with the default OpenMP/OpenBLAS pools
a build cost the worker ~116 ms of CPU, with one thread ~54 ms. These tests hold the
Procfile (`make run`) and docker-compose.yml to that.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def _procfile() -> dict[str, str]:
    lines = (REPO / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _env_of(command: str, program: str, extra: dict[str, str]) -> dict[str, str]:
    """The environment the program of a Procfile line would get (honcho runs the
    line with sh): the line up to the program, with `env` in its place."""
    prefix = command.split(f" {program} ", 1)[0] if f" {program} " in command else ""
    assert prefix, f"{program!r} not found after a prefix in {command!r}"
    base = {"PATH": os.environ["PATH"], **extra}
    out = subprocess.run(  # noqa: S603 - fixed argv, our own Procfile
        ["/bin/sh", "-c", f"{prefix} env"],  # noqa: S607
        env=base,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


@pytest.mark.parametrize(
    ("role", "program"), [("web", "gunicorn"), ("worker", "celery")]
)
def test_the_procfile_gives_serving_processes_one_native_thread(role, program):
    command = _procfile()[role]
    env = _env_of(command, program, {})
    assert {name: env.get(name) for name in LIMITS} == dict.fromkeys(LIMITS, "1")
    # An operator's own value wins.
    env = _env_of(command, program, {"OMP_NUM_THREADS": "4"})
    assert env["OMP_NUM_THREADS"] == "4"


def test_docker_compose_gives_web_and_worker_one_native_thread_and_keeps_the_rest():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    common = compose["x-app"]["environment"]
    for role in ("web", "worker"):
        environment = compose["services"][role]["environment"]
        # A service's own `environment` replaces the anchor's: nothing may be lost.
        assert common.items() <= environment.items(), role
        assert {name: environment.get(name) for name in LIMITS} == dict.fromkeys(
            LIMITS, "1"
        )
    # Training (migrate's bootstrap) keeps every core.
    migrate = compose["services"]["migrate"].get("environment", common)
    assert not set(LIMITS) & set(migrate)
