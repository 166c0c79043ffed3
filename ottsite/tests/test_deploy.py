"""Deploy: `check --deploy` is clean with the production values of .env.example."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]


def _production_values() -> dict[str, str]:
    text = (REPO / ".env.example").read_text()
    values = dict(re.findall(r"^# PRODUCTION: (\w+)=(.*)$", text, re.M))
    assert values, "no '# PRODUCTION:' lines in .env.example"
    return values


def _check_deploy(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **_production_values(),
        # A real random key instead of the placeholder; the running services.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgresql://ottsite@localhost/ottsite",
        "REDIS_URL": settings.REDIS_URL,
        **extra,
    }
    command = [sys.executable, "manage.py", "check", "--deploy"]
    command += ["--fail-level", "WARNING"]
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_it_passes_check_deploy_with_the_documented_production_values():
    result = _check_deploy({})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("SECURE_HSTS_SECONDS", "W004"),
        ("SECURE_SSL_REDIRECT", "W008"),
        ("SESSION_COOKIE_SECURE", "W012"),
        ("CSRF_COOKIE_SECURE", "W016"),
    ],
)
def test_it_warns_when_one_production_value_is_switched_off(name, warning):
    result = _check_deploy({name: "0"})
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr
