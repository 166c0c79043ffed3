"""The API's shared plumbing: error shape, unknown URLs, pagination, throttles, docs."""

from __future__ import annotations

import jsonschema
import pytest
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from catalog.tests.factories import MovieFactory
from ottsite.lib.api import api_exception_handler
from ottsite.lib.errors import Conflict, DomainError, NotFound, ValidationFailed
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache(settings):
    api_test_settings(settings)


@pytest.mark.parametrize(
    ("error", "status", "field"),
    [
        (DomainError("Bad.", field="age"), 400, "age"),
        (ValidationFailed({"age": ["Too old."], "region": ["No."]}), 400, "age"),
        (NotFound("No such survey."), 404, None),
        (Conflict("Taken.", field="username"), 409, "username"),
    ],
)
def test_it_maps_domain_errors_to_http_once(error, status, field):
    response = api_exception_handler(error, {})
    assert response.status_code == status
    assert response.data["detail"] == error.message
    assert response.data["field"] == field
    assert response.data["errors"] == error.as_dict()


def test_it_names_the_first_field_of_a_nested_validation_error():
    error = exceptions.ValidationError({"ids": {2: ["Not an integer."]}})
    response = api_exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["field"] == "ids"
    assert response.data["errors"] == {"ids": ["2: Not an integer."]}


def test_it_answers_unknown_api_urls_with_json_404():
    for method in ("get", "post", "delete"):
        response = send(token_client(), method, "/api/no-such-thing/")
        assert_error(response, 404)


def test_it_answers_paths_with_odd_characters_with_json_404():
    assert_error(token_client().delete("/api/movies/%0A%C2%87/"), 404)


def test_it_answers_ids_too_big_for_the_database_with_404():
    response = token_client().get(f"/api/movies/{10**19}/")
    assert_error(response, 404)


def test_it_rejects_bad_page_parameters_naming_them():
    client = token_client()
    assert_error(client.get("/api/movies/?page=abc"), 400, "page")
    assert_error(client.get("/api/movies/?page=0"), 400, "page")
    assert_error(client.get("/api/movies/?page_size=501"), 400, "page_size")
    assert_error(client.get("/api/movies/?page=99"), 404)


def test_it_pages_with_a_next_link():
    MovieFactory.create_batch(5)
    body = token_client().get("/api/movies/?page_size=2").json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]


@pytest.mark.parametrize(
    ("method", "url", "body", "field", "message"),
    [
        ("patch", "/api/me/", '{"region": "\\ud800"}', "region", ""),
        ("post", "/api/surveys/", '{"age": 30, "region": "\\udfff"}', "region", ""),
        ("post", "/api/ratings/", '{"movie_id": 1, "rating": "\\ud800"}', "rating", ""),
        (
            "post",
            "/api/events/",
            '{"events": [{"kind": "\\ud83d"}]}',
            "events",
            "0: kind: ",
        ),
        ("post", "/api/watchlist/", '{"\\ud800": 1}', "\\ud800", ""),
        ("post", "/api/auth/token/", '"\\ud800"', None, ""),
    ],
)
def test_it_refuses_a_lone_surrogate_in_any_json_body_naming_the_field(
    owner, method, url, body, field, message
):
    response = send(token_client(owner), method, url, body)
    body = assert_error(response, 400, field)
    assert body["detail"].startswith(message)
    assert "U+D" in body["detail"]


def test_it_reads_a_search_with_a_broken_utf8_surrogate_as_text(owner):
    # A surrogate cannot travel in a URL except as CESU-8 bytes, which are not
    # UTF-8: Django decodes them to U+FFFD.
    response = token_client(owner).get("/api/movies/?search=%ED%A0%80")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_it_still_takes_a_surrogate_pair_as_one_character(owner):
    response = send(
        token_client(owner), "patch", "/api/me/", '{"region": "\\ud83d\\ude00"}'
    )
    body = assert_error(response, 400, "region")
    assert "\U0001f600" in body["detail"]


def test_it_rejects_non_json_bodies_with_415(owner):
    response = token_client(owner).post(
        "/api/ratings/", "movie_id=1&rating=3", content_type="text/plain"
    )
    assert_error(response, 415)


def test_it_throttles_anonymous_callers(monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "anon": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    client = token_client()
    assert client.get("/api/platforms/").status_code == 200
    assert client.get("/api/platforms/").status_code == 200
    response = client.get("/api/platforms/")
    assert_error(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_it_throttles_each_user_separately(monkeypatch, owner, other_user):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "user": "1/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    assert token_client(owner).get("/api/me/").status_code == 200
    assert_error(token_client(owner).get("/api/me/"), 429)
    assert token_client(other_user).get("/api/me/").status_code == 200


def test_it_serves_the_openapi_schema_and_local_docs(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/surveys/{survey_id}/recommendations/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


def _schemas_with(key: str, node: object):
    if isinstance(node, dict):
        if key in node:
            yield node
        for child in node.values():
            yield from _schemas_with(key, child)
    elif isinstance(node, list):
        for child in node:
            yield from _schemas_with(key, child)


def test_the_schema_accepts_the_blank_filters_the_api_accepts(client):
    # A blank search or genre means "any" (200); the schema must allow "", and no
    # oneOf may have "" match two branches (which makes "" a schema violation).
    schema = client.get("/api/schema/?format=json").json()
    params = schema["paths"]["/api/movies/"]["get"]["parameters"]
    for name in ("search", "genre"):
        param = next(p for p in params if p["name"] == name)
        jsonschema.validate("", param["schema"])
        assert client.get(f"/api/movies/?{name}=").status_code == 200
    for node in _schemas_with("oneOf", schema):
        inline = [b for b in node["oneOf"] if "$ref" not in b]
        blank_matches = [
            b for b in inline if jsonschema.Draft7Validator(b).is_valid("")
        ]
        assert len(blank_matches) <= 1, node


def test_the_schema_refuses_text_that_is_blank_once_trimmed(client):
    schema = client.get("/api/schema/?format=json").json()
    name = schema["components"]["schemas"]["PlatformInputRequest"]["properties"]["name"]
    for blank in (" ", "\x1d", " \t\x85 "):
        assert not jsonschema.Draft7Validator(name).is_valid(blank), repr(blank)
    for text in ("a", " Mubi ", "\x1dX"):
        assert jsonschema.Draft7Validator(name).is_valid(text), repr(text)
    assert not jsonschema.Draft7Validator(name).is_valid("a\x00b")
