from __future__ import annotations

import pytest

from catalog.models import Movie
from ottsite.lib.errors import ValidationFailed
from recommender.models import RecommendationSet
from survey.models import Survey
from survey.services import survey_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def movies():
    return [
        Movie.objects.create(source="t", source_id=i, title=f"Movie {i}", year=1990 + i)
        for i in range(12)
    ]


def answers(movies, **overrides):
    data = {
        "age": 30,
        "gender": "X",
        "occupation": "engineer",
        "region": "KR",
        "platform_slugs": ["netflix", "tving"],
        "favorite_movie_ids": [m.pk for m in movies[:10]],
    }
    data.update(overrides)
    return data


def test_it_stores_a_survey_with_platforms_favourites_and_a_set(
    owner, movies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        survey = survey_submit(user=owner, **answers(movies), raw_answers={"step": 3})
    assert survey.version == 1
    assert sorted(survey.platforms.values_list("slug", flat=True)) == [
        "netflix",
        "tving",
    ]
    assert [f.movie_id for f in survey.favorites.all()] == [m.pk for m in movies[:10]]
    assert survey.raw_answers == {"step": 3}
    assert RecommendationSet.objects.filter(survey=survey).count() == 1
    owner.profile.refresh_from_db()
    assert (owner.profile.age, owner.profile.occupation) == (30, "engineer")
    assert owner.profile.subscriptions.count() == 2


def test_it_makes_a_new_version_when_answered_again(owner, movies):
    survey_submit(user=owner, **answers(movies))
    second = survey_submit(user=owner, **answers(movies, age=31))
    assert second.version == 2
    assert Survey.objects.filter(user=owner).count() == 2


def test_it_returns_the_stored_survey_when_the_same_answers_are_resubmitted(
    owner, movies
):
    first = survey_submit(user=owner, **answers(movies))
    again = survey_submit(user=owner, **answers(movies))
    assert again.pk == first.pk
    assert Survey.objects.filter(user=owner).count() == 1
    assert RecommendationSet.objects.filter(survey__user=owner).count() == 1


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"favorite_movie_ids": list(range(9))}, "favorite_movie_ids"),
        ({"age": 6}, "age"),
        ({"age": 101}, "age"),
        ({"age": "30"}, "age"),
        ({"gender": "Q"}, "gender"),
        ({"occupation": "astronaut"}, "occupation"),
        ({"region": "FR"}, "region"),
        ({"platform_slugs": ["hulu"]}, "platforms"),
    ],
)
def test_it_refuses_bad_answers_naming_the_field(owner, movies, override, field):
    with pytest.raises(ValidationFailed) as info:
        survey_submit(user=owner, **answers(movies, **override))
    assert field in info.value.errors
    assert not Survey.objects.exists()


def test_it_refuses_duplicate_and_unknown_movies(owner, movies):
    ids = [m.pk for m in movies[:9]]
    with pytest.raises(ValidationFailed, match="only once"):
        survey_submit(user=owner, **answers(movies, favorite_movie_ids=[*ids, ids[0]]))
    with pytest.raises(ValidationFailed, match="Unknown movie"):
        survey_submit(user=owner, **answers(movies, favorite_movie_ids=[*ids, 999999]))
    assert not Survey.objects.exists()


def test_it_fails_the_set_clearly_when_no_model_is_trained(
    owner, movies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        survey = survey_submit(user=owner, **answers(movies))
    rec_set = survey.recommendation_sets.get()
    assert rec_set.status == RecommendationSet.Status.FAILED
    assert "No recommendation model" in rec_set.error


def test_it_stores_an_everyday_occupation_the_model_reads_as_its_category(
    owner, movies
):
    from recommender.ml.data import occupation_code

    survey = survey_submit(user=owner, **answers(movies, occupation="office_worker"))
    assert survey.occupation == "office_worker"
    assert occupation_code("office_worker") == occupation_code("administrator") > 0
    assert occupation_code("job_seeker") == occupation_code("none") > 0
