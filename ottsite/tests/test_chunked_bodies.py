"""Request bodies sent chunked (no Content-Length): read under a real gunicorn,
refused with 411 where the server cannot say where the body ends, 413 when too big."""

from __future__ import annotations

import http.client
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from ottsite.testing import current_database_url, free_port

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn (1 worker) on loopback, on the test database; yields (host, port)."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    with django_db_blocker.unblock():
        database_url = current_database_url()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "API_MAX_BODY_BYTES": "4096",
    }
    log = open(tmp_path / "web.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ottsite.wsgi", "--bind"]
        + [f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/health/live/"
                urllib.request.urlopen(url, timeout=2)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "web.log").read_text()) from None
                time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _post_chunked(address: tuple[str, int], path: str, parts: list[bytes]):
    connection = http.client.HTTPConnection(*address, timeout=30)
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    # An iterable body without a length goes out as Transfer-Encoding: chunked.
    connection.request("POST", path, body=iter(parts), headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, json.loads(body) if body else None


@pytest.mark.django_db(transaction=True)
def test_it_reads_a_chunked_json_body_under_gunicorn(gunicorn):
    account = b'{"username": "chunky", "password": "pw-chunky-12345"}'
    status, body = _post_chunked(
        gunicorn, "/api/accounts/register/", [account[:10], account[10:]]
    )
    assert status == 201, body
    status, body = _post_chunked(gunicorn, "/api/auth/token/", [account])
    assert status == 200, body
    assert body["token"]


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_chunked_body_over_the_limit_under_gunicorn(gunicorn):
    big = b'{"username": "' + b"x" * 8000 + b'", "password": "p"}'
    status, body = _post_chunked(gunicorn, "/api/auth/token/", [big[:4000], big[4000:]])
    assert status == 413, body
    assert "4096 bytes" in body["detail"]


def _environ(path: str, body: bytes, **extra: object) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        **extra,
    }


def test_it_refuses_chunked_bodies_the_server_cannot_end_with_411():
    from ottsite.wsgi import application

    started: list[str] = []
    environ = _environ("/api/auth/token/", b'{"username": "a", "password": "b"}')
    body = b"".join(
        application(environ, lambda status, headers: started.append(status))
    )
    assert started == ["411 Length Required"]
    assert "Content-Length" in json.loads(body)["detail"]


def test_it_refuses_a_chunked_page_body_over_every_limit_with_413(settings):
    from ottsite.wsgi import application

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    settings.API_MAX_BODY_BYTES = 1024
    started: list[str] = []
    environ = _environ(
        "/accounts/login/", b"x" * 3000, **{"wsgi.input_terminated": True}
    )
    body = b"".join(
        application(environ, lambda status, headers: started.append(status))
    )
    assert started == ["413 Content Too Large"]
    assert b"2048 bytes" in body
