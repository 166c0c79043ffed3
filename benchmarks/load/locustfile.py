"""Locust scenarios against gunicorn on loopback (driven by benchmarks/load_bench.py).

Users come from the JSON file named by $LOAD_USERS_FILE (made by the driver): each
simulated client takes its own account, so per-user throttles and caches are real.
Every loop is bounded by locust's --run-time; polling is bounded by POLL_SECONDS.
FastHttpUser (geventhttpclient), not HttpUser (requests): locust shares the 2 cores
with the server, and with requests it spent more CPU per request than gunicorn did
on the trivial view (2.6 vs 2.1 ms), so the load generator set the "ceiling".
"""

from __future__ import annotations

import itertools
import json
import os
import time
from http.cookiejar import Cookie
from urllib.parse import urlsplit

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

USERS = json.loads(open(os.environ["LOAD_USERS_FILE"]).read())  # noqa: SIM115
_next_user = itertools.count()
POLL_SECONDS = 30.0


def _cookie(name: str, value: str, host: str) -> Cookie:
    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=host,
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )


def _account() -> dict:
    return USERS[next(_next_user) % len(USERS)]


class Ceiling(FastHttpUser):
    """A trivial JSON view on the same server: the framework's ceiling here."""

    wait_time = constant(0)

    @task
    def live(self) -> None:
        self.client.get("/health/live/", name="ceiling /health/live/")


class LatestApi(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Token {_account()['token']}"}

    @task
    def latest(self) -> None:
        self.client.get(
            "/api/recommendations/latest/",
            headers=self.headers,
            name="/api/recommendations/latest/",
        )


class LatestPage(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        # A session made by the driver (force_login): no password hashing here. It
        # goes into the client's cookie jar, which keeps the CSRF cookie the first
        # page sets, as a browser does (the cached results fragment varies by it).
        host = urlsplit(self.host).hostname or "127.0.0.1"
        self.client.cookiejar.set_cookie(
            _cookie("sessionid", _account()["session"], host)
        )

    @task
    def page(self) -> None:
        self.client.get("/recommendations/", name="/recommendations/ (page)")


class SurveySubmit(FastHttpUser):
    """Submit a survey, poll until its set is ready; reports 'submit -> ready'."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.account = _account()
        self.headers = {"Authorization": f"Token {self.account['token']}"}
        self.iteration = 0

    @task
    def submit_and_wait(self) -> None:
        self.iteration += 1
        answers = {
            # A different age each time: identical answers would be de-duplicated.
            "age": 18 + (self.iteration % 60),
            "gender": "F",
            "occupation": "writer",
            "region": "KR",
            "platforms": ["netflix"],
            "favorite_movie_ids": self.account["favourites"],
        }
        started = time.perf_counter()
        response = self.client.post(
            "/api/surveys/", json=answers, headers=self.headers, name="submit survey"
        )
        if response.status_code != 202:
            return
        survey_url = f"/api/surveys/{response.json()['id']}/recommendations/"
        status = "pending"
        while time.perf_counter() - started < POLL_SECONDS:
            poll = self.client.get(survey_url, headers=self.headers, name="poll set")
            status = poll.json().get("status") if poll.ok else "error"
            if status in ("ready", "failed", "error"):
                break
            time.sleep(0.05)
        elapsed_ms = (time.perf_counter() - started) * 1e3
        self.environment.events.request.fire(
            request_type="FLOW",
            name="submit -> ready",
            response_time=elapsed_ms,
            response_length=0,
            exception=None if status == "ready" else RuntimeError(status),
            context={},
        )
