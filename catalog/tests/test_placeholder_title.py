"""ml-100k's placeholder entry titled "unknown" is never offered to pick or watch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Movie
from catalog.selectors import movie_search
from catalog.tests.factories import MovieFactory
from ottsite.lib.errors import ValidationFailed
from recommender.building import survey_input_for
from recommender.tests.factories import ready_set
from survey.drafts import draft_movies
from survey.services import survey_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def placeholder():
    # As ml-100k has it: item 267, "unknown", no date.
    return MovieFactory(source="ml-100k", source_id=267, title="unknown", year=None)


@pytest.fixture
def unknown_2011():
    return MovieFactory(title="Unknown", year=2011)


def test_search_leaves_the_placeholder_out(placeholder, unknown_2011):
    assert placeholder.is_placeholder and not unknown_2011.is_placeholder
    assert movie_search(query="unknown") == [unknown_2011]
    titles = [
        m["title"]
        for m in Client().get("/api/movies/", {"search": "unknown"}).json()["results"]
    ]
    assert titles == ["Unknown"]
    listing = Client().get("/api/movies/", {"page_size": 100}).json()["results"]
    assert placeholder.pk not in [m["id"] for m in listing]


def test_the_survey_search_never_offers_it(owner_client, placeholder, unknown_2011):
    page = owner_client.get(reverse("survey:movies"), {"q": "unknown"}).content
    assert f'value="{unknown_2011.pk}"'.encode() in page
    assert f'value="{placeholder.pk}"'.encode() not in page


def test_it_cannot_be_picked(owner, placeholder):
    others = MovieFactory.create_batch(9)
    with pytest.raises(ValidationFailed) as error:
        survey_submit(
            user=owner,
            age=30,
            gender="X",
            occupation="other",
            region="KR",
            platform_slugs=[],
            favorite_movie_ids=[placeholder.pk, *[m.pk for m in others]],
        )
    assert "favorite_movie_ids" in error.value.errors
    assert draft_movies([placeholder.pk, others[0].pk]) == [others[0]]


def test_it_is_never_recommended(owner, placeholder):
    rec_set = ready_set(owner, movies=1)
    assert placeholder.pk in survey_input_for(rec_set, k=20).excluded_ids
    assert Movie.objects.filter(Movie.PLACEHOLDER).get() == placeholder
