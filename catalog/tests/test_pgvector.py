from __future__ import annotations

import pytest
from django.db import connection
from pgvector.django import CosineDistance

from catalog.models import MOVIE_VECTOR_DIM, Movie

pytestmark = pytest.mark.django_db


def test_it_has_the_vector_extension():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    assert row is not None


def test_it_round_trips_a_vector_and_finds_neighbours():
    base = [0.0] * MOVIE_VECTOR_DIM
    a = Movie.objects.create(
        source="t", source_id=1, title="A", embedding=[1.0, *base[1:]]
    )
    Movie.objects.create(
        source="t", source_id=2, title="B", embedding=[0.0, 1.0, *base[2:]]
    )
    near = [0.9, 0.1, *base[2:]]
    Movie.objects.create(source="t", source_id=3, title="C", embedding=near)
    a.refresh_from_db()
    assert list(a.embedding) == [1.0, *base[1:]]
    with connection.cursor() as cursor:
        # Rolled-back tests leave dead entries in the HNSW graph until a vacuum, and
        # the approximate index scan can then miss live rows; check exact distances.
        cursor.execute("SET LOCAL enable_indexscan = off")
    ranked = Movie.objects.order_by(CosineDistance("embedding", a.embedding))
    assert [m.title for m in ranked] == ["A", "C", "B"]
