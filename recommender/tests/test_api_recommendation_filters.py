"""API: filters of the recommendations pick from the set's longer list (issue #24)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from catalog.models import Platform
from catalog.tests.factories import AvailabilityFactory, MovieFactory, SeriesFactory
from ottsite.tests.api_support import api_test_settings, assert_error, token_client
from recommender.tests.factories import pool_entry, pool_set, ready_set

pytestmark = pytest.mark.django_db
LATEST = "/api/recommendations/latest/"


@pytest.fixture(autouse=True)
def _settings(settings):
    api_test_settings(settings)


def recs_url(survey_id: int) -> str:
    return f"/api/surveys/{survey_id}/recommendations/"


def titles(body: dict) -> list[str]:
    return [i["movie"]["title"] for i in body["items"]]


def test_it_picks_series_from_the_whole_list_with_reasons(owner):
    rec_set = pool_set(owner, shown=2, pool=[MovieFactory(title="Film")])
    favourite = rec_set.survey.favorites.first().movie
    series = SeriesFactory(title="Dark")
    rec_set.pool.append(
        pool_entry(series, reason_data={"kind": "resembles", "item_id": favourite.pk})
    )
    rec_set.save()
    client = token_client(owner)
    body = client.get(LATEST, {"kind": "series"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert titles(body) == ["Dark"]
    item = body["items"][0]
    assert item["rank"] == 4
    assert (
        item["reason"] == f"Resembles {favourite.display_title}, one of your favourites"
    )
    assert body["matching"] == 1
    unfiltered = client.get(recs_url(rec_set.survey_id)).json()
    assert len(unfiltered["items"]) == 2 and unfiltered["matching"] is None
    assert len(client.get(LATEST, {"kind": "all"}).json()["items"]) == 2
    korean = client.get(LATEST, {"kind": "series"}, HTTP_ACCEPT_LANGUAGE="ko").json()
    assert korean["items"][0]["reason"].endswith("내용이 닮았어요")


def test_it_picks_what_my_services_carry_and_recent_years(owner):
    netflix = Platform.objects.get(region="KR", slug="netflix")
    old, recent, rented = (
        MovieFactory(title="Old", year=1990),
        MovieFactory(title="Recent", year=2022),
        MovieFactory(title="Rented", year=2023),
    )
    rec_set = pool_set(owner, shown=2, pool=[old, recent, rented])
    rec_set.survey.platforms.set([netflix])
    AvailabilityFactory(movie=old)
    AvailabilityFactory(movie=recent)
    AvailabilityFactory(movie=rented, offer_type="rent")
    client = token_client(owner)
    assert titles(client.get(LATEST, {"only_mine": "true"}).json()) == [
        "Old",
        "Recent",
    ]
    assert titles(client.get(LATEST, {"year_from": "2020"}).json()) == [
        "Recent",
        "Rented",
    ]
    both = client.get(
        recs_url(rec_set.survey_id), {"year_from": "2020", "only_mine": "1"}
    ).json()
    assert titles(both) == ["Recent"]
    # The cached unfiltered answer is not served for a filtered question.
    assert len(client.get(LATEST).json()["items"]) == 2


def test_it_filters_the_shown_items_of_a_set_without_a_list(owner):
    rec_set = ready_set(owner, movies=3)  # 1981, 1982, 1983
    body = token_client(owner).get(LATEST, {"year_from": "1982"}).json()
    assert [i["rank"] for i in body["items"]] == [2, 3]
    assert body["matching"] == 2
    assert rec_set.pool == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "opera"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"only_mine": "perhaps"}, "only_mine"),
        ({"year_from": "recent"}, "year_from"),
        ({"year_from": "1200"}, "year_from"),
        ({"year_from": "99999"}, "year_from"),
        ({"year_to": "2.5"}, "year_to"),
    ],
)
def test_it_names_the_bad_filter(owner, params, field):
    rec_set = pool_set(owner, shown=1)
    client = token_client(owner)
    assert_error(client.get(LATEST, params), 400, field)
    assert_error(client.get(recs_url(rec_set.survey_id), params), 400, field)


def test_it_refuses_filtered_recommendations_to_others_and_anonymous(owner, other_user):
    theirs = pool_set(other_user, shown=1, pool=[SeriesFactory()])
    series = {"kind": "series"}
    assert_error(token_client(owner).get(recs_url(theirs.survey_id), series), 404)
    assert_error(token_client(owner).get(LATEST, series), 404)
    assert_error(token_client().get(recs_url(theirs.survey_id), series), 401)
    assert_error(token_client().get(LATEST, series), 401)


def test_it_documents_the_filters_and_the_advice_scope():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/recommendations/latest/",
        "/api/surveys/{survey_id}/recommendations/",
    ):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert parameters["kind"]["schema"]["enum"] == ["all", "film", "series"]
        assert parameters["only_mine"]["schema"]["type"] == "boolean"
        assert parameters["year_from"]["schema"]["minimum"] == 1900
    components = schema["components"]["schemas"]
    advice = components["PlatformAdvice"]["properties"]
    assert {"scope", "unknown_count"} <= set(advice)
    assert "examples" in components["Coverage"]["properties"]
    assert "matching" in components["Recommendations"]["properties"]
