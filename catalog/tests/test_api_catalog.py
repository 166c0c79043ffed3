"""API: movies and platforms — anyone reads, staff write."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import SIMILAR_VECTOR_DIM, DatasetUser, Movie, Platform, Rating
from catalog.tests.factories import AvailabilityFactory, MovieFactory, SeriesFactory
from ottsite.tests.api_support import (
    api_test_settings,
    assert_error,
    send,
    token_client,
)

pytestmark = pytest.mark.django_db

MOVIES, PLATFORMS = "/api/movies/", "/api/platforms/"


@pytest.fixture(autouse=True)
def _cache(settings):
    api_test_settings(settings)


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        username="staff", password="pw-staff-12345", is_staff=True
    )


@pytest.fixture
def catalogue():
    return {
        "wars": MovieFactory(title="Star Wars", year=1977, genres=["Sci-Fi"]),
        "trek": MovieFactory(title="Star Trek: First Contact", year=1996),
        "usual": MovieFactory(title="Usual Suspects, The", year=1995, genres=["Crime"]),
        "fargo": MovieFactory(title="Fargo", year=1996, genres=["Crime"]),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [m["title"] for m in response.json()["results"]]


def test_it_lists_movies_to_anyone_with_display_titles_and_ids(catalogue):
    body = token_client().get(MOVIES).json()
    assert body["count"] == 4
    usual = next(m for m in body["results"] if m["id"] == catalogue["usual"].pk)
    assert usual == {
        "id": catalogue["usual"].pk,
        "source": "test",
        "source_id": catalogue["usual"].source_id,
        "kind": "film",
        "tmdb_id": None,
        "title": "The Usual Suspects",
        "title_ko": "",
        "original_title": "",
        "year": 1995,
        "seasons": None,
        "runtime": None,
        "genres": ["Crime"],
    }


@pytest.fixture
def synced():
    return {
        "breaking": SeriesFactory(
            title="Breaking Bad",
            title_ko="브레이킹 배드",
            original_title="Breaking Bad",
            source_id=1396,
            year=2008,
            seasons=5,
            runtime=47,
        ),
        # A film and a series may share a TMDB id (two id spaces).
        "film_1396": MovieFactory(synced=True, title="A Film", source_id=1396),
        "squid": SeriesFactory(
            title="Squid Game", title_ko="오징어 게임", source_id=93405, seasons=2
        ),
    }


def test_it_lists_series_with_kind_tmdb_id_and_korean_title(catalogue, synced):
    body = token_client().get(MOVIES, {"kind": "series", "tmdb_id": 1396}).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": synced["breaking"].pk,
        "source": "tmdb-tv",
        "source_id": 1396,
        "kind": "series",
        "tmdb_id": 1396,
        "title": "Breaking Bad",
        "title_ko": "브레이킹 배드",
        "original_title": "Breaking Bad",
        "year": 2008,
        "seasons": 5,
        "runtime": 47,
        "genres": [],
    }


def test_it_filters_by_kind_and_tmdb_id_for_anyone(owner, catalogue, synced):
    for client in (token_client(), token_client(owner)):
        assert titles(client.get(MOVIES, {"tmdb_id": 1396})) == [
            "A Film",
            "Breaking Bad",
        ]
        assert titles(client.get(MOVIES, {"kind": "film", "tmdb_id": 1396})) == [
            "A Film"
        ]
        series = titles(client.get(MOVIES, {"kind": "series"}))
        assert series == ["Breaking Bad", "Squid Game"]
        assert len(titles(client.get(MOVIES, {"kind": "film"}))) == 5
        assert titles(client.get(MOVIES, {"search": "squid", "kind": "film"})) == []
        assert titles(client.get(MOVIES, {"search": "오징어", "kind": "series"})) == [
            "Squid Game"
        ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "movie"}, "use film or series"),
        ({"kind": ""}, "use film or series"),
        ({"kind": "SERIES"}, "use film or series"),
        ({"tmdb_id": "0"}, "positive whole number"),
        ({"tmdb_id": "-1396"}, "positive whole number"),
        ({"tmdb_id": "tt0903747"}, "positive whole number"),
        ({"tmdb_id": "1.5"}, "positive whole number"),
        ({"tmdb_id": str(2**63)}, "positive whole number"),
    ],
)
def test_it_rejects_a_bad_kind_or_tmdb_id_with_a_clear_message(query, message):
    response = token_client().get(MOVIES, query, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error(response, 400, next(iter(query)))
    assert message in body["detail"]


def test_it_says_what_kind_takes_in_korean_too():
    body = token_client().get(MOVIES, {"kind": "tv"}, HTTP_ACCEPT_LANGUAGE="ko").json()
    assert body["detail"] == "“tv”: 종류는 film 또는 series만 쓸 수 있습니다."


def test_it_searches_with_the_ranked_fuzzy_search(catalogue):
    client = token_client()
    # Equal prefix matches without ratings keep catalogue order.
    assert titles(client.get(MOVIES, {"search": "star"})) == [
        "Star Wars",
        "Star Trek: First Contact",
    ]
    assert titles(client.get(MOVIES, {"search": "usual suspect"})) == [
        "The Usual Suspects"
    ]
    assert titles(client.get(MOVIES, {"search": "fargoo"})) == ["Fargo"]


def test_it_filters_by_genre_year_platform_and_region(catalogue):
    AvailabilityFactory(movie=catalogue["fargo"])  # Netflix KR
    client = token_client()
    assert titles(client.get(MOVIES, {"genre": "crime", "year": 1996})) == ["Fargo"]
    assert titles(client.get(MOVIES, {"platform": "netflix", "region": "KR"})) == [
        "Fargo"
    ]
    assert titles(client.get(MOVIES, {"platform": "netflix", "region": "US"})) == []
    assert titles(client.get(MOVIES, {"search": "star", "year": 1977})) == ["Star Wars"]


def test_it_pages_up_to_500_movies(catalogue):
    MovieFactory.create_batch(6)
    body = token_client().get(MOVIES, {"page_size": 500}).json()
    assert len(body["results"]) == 10
    assert body["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "nineteen"}, "year"),
        ({"region": "JP"}, "region"),
        ({"region": ""}, "region"),
        ({"platform": "not a slug"}, "platform"),
        ({"search": "x" * 201}, "search"),
    ],
)
def test_it_rejects_bad_filters_naming_them(query, field):
    assert_error(token_client().get(MOVIES, query), 400, field)


def test_it_shows_a_movie_with_its_offers_in_the_region_and_similar_movies(catalogue):
    wars, trek = catalogue["wars"], catalogue["trek"]
    pad = [0.0] * (SIMILAR_VECTOR_DIM - 2)
    Movie.objects.filter(pk=wars.pk).update(similar_vector=[1.0, 0.0, *pad])
    Movie.objects.filter(pk=trek.pk).update(similar_vector=[0.9, 0.1, *pad])
    Movie.objects.filter(pk=catalogue["fargo"].pk).update(
        similar_vector=[0.0, 1.0, *pad]
    )
    AvailabilityFactory(movie=wars, link="https://www.netflix.com/title/1")
    # Similar movies leave out rarely rated ones: give the candidates 20 ratings.
    for n in range(20):
        rater = DatasetUser.objects.create(source="t", source_id=n)
        for movie in (trek, catalogue["fargo"]):
            Rating.objects.create(
                user=rater, movie=movie, rating=4, rated_at=timezone.now()
            )
    body = token_client().get(f"{MOVIES}{wars.pk}/").json()
    assert body["title"] == "Star Wars"
    assert body["region"] == "KR"
    assert [o["platform_slug"] for o in body["availability"]] == ["netflix"]
    # Nearest first (an approximate HNSW search: the far one may be left out).
    similar = [m["title"] for m in body["similar"]]
    assert similar[0] == "Star Trek: First Contact"
    assert "Star Wars" not in similar
    us = token_client().get(f"{MOVIES}{wars.pk}/", {"region": "US"}).json()
    assert us["availability"] == []


def test_it_answers_404_for_an_unknown_movie():
    assert_error(token_client().get(f"{MOVIES}999999/"), 404)


def test_it_lists_active_platforms_by_region():
    Platform.objects.filter(slug="watcha").update(is_active=False)
    body = token_client().get(PLATFORMS, {"region": "KR"}).json()
    slugs = [p["slug"] for p in body]
    assert "netflix" in slugs and "hulu" not in slugs and "watcha" not in slugs
    assert all(p["currency"] == "KRW" for p in body)
    assert_error(token_client().get(PLATFORMS, {"region": "XX"}), 400, "region")


WRITES = [
    ("post", MOVIES, {"title": "New"}),
    ("patch", "{movie}", {"title": "Renamed"}),
    ("delete", "{movie}", None),
    ("post", PLATFORMS, {"name": "Mubi", "slug": "mubi", "region": "KR"}),
    ("patch", "{platform}", {"monthly_price": 1}),
    ("delete", "{platform}", None),
]


def _url(template: str, movie: Movie) -> str:
    platform = Platform.objects.get(region="KR", slug="netflix")
    return template.format(
        movie=f"{MOVIES}{movie.pk}/", platform=f"{PLATFORMS}{platform.pk}/"
    )


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_it_lets_only_staff_write(owner, catalogue, method, url, body):
    url = _url(url, catalogue["wars"])
    before = (Movie.objects.count(), Platform.objects.count())
    assert_error(send(token_client(), method, url, body), 401)
    assert_error(send(token_client(owner), method, url, body), 403)
    assert (Movie.objects.count(), Platform.objects.count()) == before
    assert Movie.objects.filter(title="Star Wars").exists()


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_it_applies_staff_writes(staff, catalogue, method, url, body):
    response = send(token_client(staff), method, _url(url, catalogue["wars"]), body)
    assert response.status_code in (200, 201, 204), response.content


def test_it_creates_a_movie_that_staff_can_then_read(staff):
    MovieFactory(genres=["Drama"])
    body = {"title": "Parasite", "year": 2019, "genres": ["drama"]}
    created = send(token_client(staff), "post", MOVIES, body).json()
    assert created["source"] == "manual"
    assert created["genres"] == ["Drama"]
    assert token_client().get(f"{MOVIES}{created['id']}/").json()["year"] == 2019


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("post", MOVIES, {}, "title"),
        ("post", MOVIES, {"title": "X", "year": "soon"}, "year"),
        ("post", MOVIES, {"title": "X", "genres": ["Telenovela"]}, "genres"),
        ("patch", "{movie}", {"title": ""}, "title"),
        ("post", PLATFORMS, {"name": "Mubi", "slug": "mubi"}, "region"),
        ("post", PLATFORMS, {"name": "N", "slug": "netflix", "region": "KR"}, "slug"),
        # U+001D is whitespace to str.strip(): blank once trimmed.
        ("post", PLATFORMS, {"name": "\x1d", "slug": "jl", "region": "US"}, "name"),
        ("patch", "{platform}", {"monthly_price": -3}, "monthly_price"),
        ("patch", "{platform}", {"currency": "won"}, "currency"),
    ],
)
def test_it_rejects_bad_staff_writes_and_changes_nothing(
    staff, catalogue, method, url, body, field
):
    before = list(Movie.objects.values()), list(Platform.objects.values())
    response = send(token_client(staff), method, _url(url, catalogue["wars"]), body)
    assert response.status_code in (400, 409)
    assert_error(response, response.status_code, field)
    assert (list(Movie.objects.values()), list(Platform.objects.values())) == before


@pytest.mark.parametrize(
    ("method", "url"), [("put", MOVIES), ("delete", MOVIES), ("post", "{movie}")]
)
def test_it_refuses_wrong_methods(staff, catalogue, method, url):
    assert_error(send(token_client(staff), method, _url(url, catalogue["wars"])), 405)


def test_it_refuses_an_overlong_search_with_a_clear_message(client):
    response = client.get(
        "/api/movies/", {"search": "x" * 1000}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "search"
    assert "at most 100 characters" in body["detail"]
