"""An overlong URL under /api/ gets the API's JSON 414, from Django and through the
real gunicorn (gunicorn.conf.py), not gunicorn's HTML page."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ottsite.testing import free_port

REPO = Path(__file__).resolve().parents[2]


def test_it_answers_an_overlong_api_url_with_json(client, settings):
    settings.API_MAX_URL_LENGTH = 4096
    response = client.get("/api/movies/", {"search": "x" * 5000})
    assert response.status_code == 414
    body = response.json()
    assert "at most 4096" in body["detail"] and body["field"] is None


@pytest.mark.django_db
def test_it_reads_an_api_url_within_the_limit_and_leaves_pages_alone(client):
    # Within the limit the view answers (here: the search is too long, a 400).
    response = client.get("/api/movies/", {"search": "x" * 3000})
    assert response.status_code == 400 and response.json()["field"] == "search"
    # A page is no API: no JSON 414 (the survey search shortens its own query).
    assert client.get("/movies/999999/", {"q": "x" * 5000}).status_code == 404


def _get(port: int, path: str) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return (
            response.status,
            response.getheader("Content-Type", ""),
            response.read().decode(),
        )
    finally:
        connection.close()


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn with the project's gunicorn.conf.py (one worker) on loopback."""
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("GUNICORN_LIMIT_REQUEST_LINE", None)
    env.pop("API_MAX_URL_LENGTH", None)
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "ottsite.wsgi"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                _get(port, "/api/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_gunicorn_lets_the_api_answer_a_5000_character_url(gunicorn):
    status, content_type, body = _get(gunicorn, "/api/movies/?search=" + "x" * 5000)
    assert (status, content_type) == (414, "application/json")
    assert "at most 4096" in body
    # Past gunicorn's own ceiling (8190) gunicorn still answers, as documented.
    status, content_type, _body = _get(gunicorn, "/api/movies/?search=" + "x" * 9000)
    assert status == 414 and "json" not in content_type
