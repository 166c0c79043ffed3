from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ottsite.lib.env import env_bool, env_int, env_rate, env_url


def test_it_reads_booleans(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_it_refuses_bad_values_naming_the_variable(monkeypatch):
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_URL", "mysql://db")
    with pytest.raises(ImproperlyConfigured, match="X_URL"):
        env_url("X_URL", ("postgres",))
    monkeypatch.setenv("X_RATE", "lots")
    with pytest.raises(ImproperlyConfigured, match="X_RATE"):
        env_rate("X_RATE", "1/min")


def test_it_fails_at_start_up_with_the_variable_name():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"DEBUG": "perhaps", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DEBUG='perhaps'" in result.stderr


def test_it_serves_home_and_admin(client):
    assert client.get("/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
