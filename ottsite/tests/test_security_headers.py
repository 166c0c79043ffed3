"""HTTPS behind a proxy (X-Forwarded-Proto only from TRUSTED_PROXIES), the
Content-Security-Policy on every response, and the language cookie's flags."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]

PROXY = "10.1.2.3"
CLIENT = "203.0.113.9"


@pytest.fixture
def https_settings(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    return settings


def test_it_takes_https_from_a_trusted_proxy(client, https_settings):
    response = client.get(
        reverse("home"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 200
    assert response.wsgi_request.is_secure()
    assert response["Strict-Transport-Security"].startswith("max-age=3600")


def test_it_ignores_x_forwarded_proto_from_anyone_else(client, https_settings):
    response = client.get(
        reverse("home"), REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in response
    assert "HTTP_X_FORWARDED_PROTO" not in response.wsgi_request.META


def test_it_reads_the_trusted_proxys_own_value_when_a_client_sent_one_too(
    client, https_settings
):
    # An appending proxy: the client claimed https, the proxy saw plain http.
    response = client.get(
        reverse("home"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https, http"
    )
    assert response.status_code == 301


def test_it_ignores_x_forwarded_proto_without_trusted_proxies(client, settings):
    settings.TRUSTED_PROXIES = []
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: sources for name, *sources in (part.split() for part in header.split(";"))
    }


def test_it_sends_a_content_security_policy_on_pages_api_and_docs(client, owner):
    client.force_login(owner)
    for url in ("/", "/accounts/profile/", "/api/movies/", "/api/docs/", "/nowhere/"):
        policy = _policy(client.get(url))
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in policy["style-src"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["img-src"] == ["'self'", "data:", "https://image.tmdb.org"]


def test_the_api_docs_run_no_inline_script_and_their_style_is_hashed(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all(
        "src=" in attrs and not body.strip() for attrs, body in scripts
    )
    start = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', html).group(1)
    script = client.get(start.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
    for css in re.findall(r"<style>(.*?)</style>", html, re.S):
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in _policy(response)["style-src"]


def test_no_template_has_an_inline_script_or_event_handler():
    # The policy allows no inline script: one would silently not run.
    offenders = []
    for path in sorted((REPO / "templates").rglob("*.html")):
        text = path.read_text()
        for attrs in re.findall(r"<script\b([^>]*)>", text):
            if "src=" not in attrs:
                offenders.append(f"{path.relative_to(REPO)}: <script{attrs}>")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offenders.append(f"{path.relative_to(REPO)}: an event handler attribute")
    assert not offenders


def test_it_sets_the_language_cookie_httponly_and_lax(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain-HTTP development, as the session cookie


def test_the_language_cookie_is_secure_with_the_production_values():
    text = (REPO / ".env.example").read_text()
    production = dict(re.findall(r"^# PRODUCTION: (\w+)=(.*)$", text, re.M))
    env = {
        **os.environ,
        **production,
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgresql://ottsite@localhost/ottsite",
        "REDIS_URL": django_settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "ottsite.settings",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, "
        "s.LANGUAGE_COOKIE_SAMESITE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "Lax"], result.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_and_the_api_docs_run_under_the_policy_in_chromium(
    live_server, django_user_model
):
    from playwright.sync_api import sync_playwright

    from ottsite.tests.test_e2e_journey import CHROMIUM, CHROMIUM_ARGS

    django_user_model.objects.create_user(username="csp", password="pw-csp-12345")
    refused: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(locale="en-US")
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security" in m.text else None,
        )
        page.goto(live_server.url + "/api/docs/")
        page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
        assert (
            page.locator(".swagger-ui .title")
            .first.inner_text()
            .startswith("ottsite API")
        )
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "csp")
        page.fill("#id_password", "pw-csp-12345")
        page.click("button[type=submit]")
        page.goto(live_server.url + "/survey/movies/?q=zzzz")
        # site.js submits the language form on change: scripts run.
        page.select_option("#lang-select", "ko")
        page.wait_for_function("document.documentElement.lang === 'ko'")
        browser.close()
    assert not refused, refused


def test_it_refuses_to_start_with_the_old_proxy_switch_and_no_trusted_proxy():
    env = {
        **os.environ,
        "SECURE_PROXY_SSL_HEADER": "1",
        "TRUSTED_PROXIES": "",
        "DATABASE_URL": "postgresql://ottsite@localhost/ottsite",
        "REDIS_URL": django_settings.REDIS_URL,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
