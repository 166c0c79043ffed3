"""Pages and API answers are gzipped (BREACH-padded); static files are hashed,
precompressed and cached for a year."""

from __future__ import annotations

import gzip
import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

pytestmark = pytest.mark.django_db

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def test_it_gzips_pages_for_clients_that_accept_it(client):
    plain = client.get("/")
    first = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    second = client.get("/", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    assert len(first.content) < len(plain.content)
    # The same page compresses to different bytes each time (random padding
    # against BREACH) but reads the same.
    assert first.content != second.content
    assert _text(first) == _text(second)


def test_it_gzips_api_answers(client):
    plain = client.get("/api/schema/")
    response = client.get("/api/schema/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain.content
    assert len(response.content) < len(plain.content) / 5


def test_it_serves_static_files_hashed_precompressed_and_cached_for_a_year(
    settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = PRODUCTION_STATIC
    # Only the product's own files: the admin's and the API docs' take half a
    # minute to compress and are the same mechanism.
    call_command(
        "collectstatic",
        "--no-input",
        "--ignore=admin",
        "--ignore=rest_framework",
        "--ignore=drf_spectacular_sidecar",
        verbosity=0,
    )
    url = static("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)

    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert b"{" in gzip.decompress(b"".join(response.streaming_content))


def _text(response) -> str:
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"',
        "",
        gzip.decompress(response.content).decode(),
    )
