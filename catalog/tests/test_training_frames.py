"""What training reads from the catalogue: synced titles enter only when rated."""

from __future__ import annotations

import pytest
from django.utils import timezone

from catalog.models import DatasetUser, Rating
from catalog.selectors import training_frames
from catalog.tests.factories import MovieFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def test_it_leaves_unrated_synced_titles_out_of_the_model_items():
    unrated_movielens = MovieFactory(source="ml-100k")
    unrated_series = SeriesFactory()
    unrated_film = MovieFactory(synced=True)
    rated_series = SeriesFactory()
    user = DatasetUser.objects.create(source="ml-100k", source_id=1, age=30)
    Rating.objects.create(
        user=user, movie=rated_series, rating=5, rated_at=timezone.now()
    )

    frames = training_frames()

    listed = set(frames["movies"]["movie_id"])
    assert unrated_movielens.pk in listed  # placed by its genres and year
    assert unrated_series.pk not in listed and unrated_film.pk not in listed
    assert rated_series.pk in set(frames["ratings"]["movie_id"])
