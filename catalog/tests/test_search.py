from __future__ import annotations

import pytest
from django.core.cache import cache

from catalog.models import Movie
from catalog.selectors import movie_search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def movies():
    cache.clear()
    titles = [
        "Usual Suspects, The",
        "Shawshank Redemption, The",
        "Star Wars",
        "Star Trek: First Contact",
        "Cité des enfants perdus, La (City of Lost Children, The)",
        "Suspect",
    ]
    for i, title in enumerate(titles):
        Movie.objects.create(source="t", source_id=i, title=title, year=1990 + i)
    yield
    cache.clear()


def titles(query: str) -> list[str]:
    return [m.display_title for m in movie_search(query=query, limit=5)]


def test_it_finds_titles_with_the_article_moved_to_the_end():
    assert titles("the usual sus") == ["The Usual Suspects"]
    assert titles("usual") == ["The Usual Suspects"]


def test_it_ranks_prefix_matches_before_infix_matches():
    assert titles("susp") == ["Suspect", "The Usual Suspects"]


def test_it_finds_alternate_titles_and_ignores_accents():
    expected = ["La Cité des enfants perdus (The City of Lost Children)"]
    assert titles("city of lost") == expected
    assert titles("cite des enfants") == expected


def test_it_tolerates_typos():
    assert titles("shawshank redemtion") == ["The Shawshank Redemption"]


def test_it_returns_nothing_for_blank_queries():
    assert titles("   ") == []
