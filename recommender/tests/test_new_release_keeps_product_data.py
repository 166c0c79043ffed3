"""Importing a newer MovieLens release keeps the product's own users and their data."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from catalog.models import Movie
from catalog.tests.movielens_files import write_ml1m, write_ml100k
from recommender.models import Dismissal, MovieRating
from recommender.training_data import product_training_frames
from survey.services import survey_submit

pytestmark = pytest.mark.django_db


def test_a_new_release_keeps_product_users_and_adds_its_unrated_movies(tmp_path, owner):
    call_command("import_movielens", str(write_ml100k(tmp_path / "old")), verbosity=0)
    # ml-100k's placeholder entry ("unknown") cannot be a favourite.
    old = list(Movie.objects.exclude(Movie.PLACEHOLDER).order_by("pk"))
    extra = [
        Movie.objects.create(source="admin", source_id=i, title=f"A{i}")
        for i in range(7)
    ]
    survey_submit(
        user=owner,
        age=40,
        gender="M",
        occupation="writer",
        region="KR",
        platform_slugs=[],
        favorite_movie_ids=[m.pk for m in old + extra][:10],
    )
    MovieRating.objects.create(user=owner, movie=old[0], rating=5)
    Dismissal.objects.create(user=owner, movie=old[1])
    before = product_training_frames()["ratings"].sort_values("movie_id")

    call_command("import_movielens", str(write_ml1m(tmp_path / "new")), verbosity=0)

    after = product_training_frames()["ratings"].sort_values("movie_id")
    assert after.to_dict("records") == before.to_dict("records")
    assert owner.surveys.get().favorites.count() == 10
    assert Movie.objects.filter(source="ml-1m").count() == 3
