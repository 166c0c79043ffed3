from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from catalog.models import DatasetUser, Movie, Rating, TitleContent
from catalog.search import audience_scores, movie_search, search_index_clear
from catalog.tests.factories import MovieFactory, SeriesFactory

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


def rate(movie: Movie, times: int) -> None:
    for n in range(times):
        user, _ = DatasetUser.objects.get_or_create(source="t", source_id=n)
        Rating.objects.create(user=user, movie=movie, rating=4, rated_at=timezone.now())


def test_it_finds_synced_series_by_korean_and_original_titles():
    squid = SeriesFactory(title="Squid Game", title_ko="오징어 게임", seasons=2)
    heist = SeriesFactory(
        title="Money Heist", original_title="La casa de papel", title_ko="종이의 집"
    )
    assert titles("오징어") == ["Squid Game"]
    assert titles("오징어게임") == ["Squid Game"]  # typed without the space
    assert titles("게임") == ["Squid Game"]
    assert titles("casa de papel") == ["Money Heist"]
    assert titles("종이의") == ["Money Heist"]
    assert titles("squid") == ["Squid Game"]
    assert (squid.kind, heist.kind) == ("series", "series")


def test_it_tolerates_typos_in_korean_titles_too():
    SeriesFactory(title="Squid Game", title_ko="오징어 게임")
    assert titles("오징어 개임") == ["Squid Game"]


def test_it_ranks_a_current_hit_series_above_rarely_rated_films():
    for title, times in [("Star Wars", 5), ("Shawshank Redemption, The", 4)]:
        rate(Movie.objects.get(title=title), times)
    rate(Movie.objects.get(title="Usual Suspects, The"), 3)
    rate(MovieFactory(title="Breaking Away", year=1979), 1)
    MovieFactory(title="Breaking Glass", year=1980)  # no signal at all
    SeriesFactory(title="Breaking Bad", vote_count=15_000, popularity=300.0)
    assert titles("breaking") == ["Breaking Bad", "Breaking Away", "Breaking Glass"]


def test_it_weighs_the_top_of_each_scale_alike():
    rate(Movie.objects.get(title="Star Wars"), 3)
    rate(Movie.objects.get(title="Star Trek: First Contact"), 1)
    SeriesFactory(title="Star Blazers", vote_count=40, popularity=2.0)
    SeriesFactory(title="Star Trek", vote_count=2_000, popularity=50.0)
    # The most rated film and the most voted series tie (the older entry first),
    # as do the halfway ones.
    assert titles("star") == [
        "Star Wars",
        "Star Trek",
        "Star Trek: First Contact",
        "Star Blazers",
    ]


def test_it_ranks_whole_names_then_starts_then_word_starts_then_infixes():
    MovieFactory(title="Endgame", year=2001)
    MovieFactory(title="Squid Game Spin-off", year=2002)
    MovieFactory(title="Gamer", year=2009)
    MovieFactory(title="Game, The", year=1997)
    SeriesFactory(title="Squid Game", vote_count=20_000)
    assert titles("game") == [
        "The Game",
        "Gamer",
        "Squid Game",
        "Squid Game Spin-off",
        "Endgame",
    ]


def test_it_scores_audience_as_the_best_percentile_of_each_signal():
    # ratings: 1, 2, 4 (and none); TMDB votes: 10, 10 (and none).
    signals = [[1, 2, 4, None], [None, 10, None, 10]]
    assert audience_scores(signals) == [1 / 3, 1.0, 1.0, 1.0]
    assert audience_scores([[None, 0]]) == [0.0, 0.0]


def test_it_keeps_the_index_in_the_process_until_the_catalogue_changes(
    django_assert_num_queries,
):
    assert titles("usual") == ["The Usual Suspects"]
    with django_assert_num_queries(1):  # the movies themselves, not the index
        assert titles("usual") == ["The Usual Suspects"]
    MovieFactory(title="Usual Business", year=2020)
    assert titles("usual") == ["The Usual Suspects"]  # cached for a while
    search_index_clear()
    assert titles("usual") == ["The Usual Suspects", "Usual Business"]


def test_it_finds_a_film_without_a_korean_title_by_its_hangul_spelling():
    MovieFactory(title="Titanic", year=1997)
    MovieFactory(title="Terminator, The", year=1984)
    MovieFactory(title="Die Hard", year=1988)
    MovieFactory(title="Toy Story", year=1995)
    assert titles("타이타닉") == ["Titanic"]
    assert titles("터미네이터") == ["The Terminator"]
    assert titles("다이 하드") == ["Die Hard"]
    assert titles("스타워즈") == ["Star Wars"]
    assert titles("토이 스토리") == ["Toy Story"]


def test_it_finds_a_numbered_korean_title_by_the_head_of_the_english_one():
    MovieFactory(title="Terminator 2: Judgment Day", year=1991)
    MovieFactory(title="GoldenEye", year=1995)
    assert titles("터미네이터 2") == ["Terminator 2: Judgment Day"]
    # The subtitle translated: the head before the colon still sounds alike.
    assert titles("터미네이터 2: 심판의 날") == ["Terminator 2: Judgment Day"]
    assert titles("007 골든아이") == ["GoldenEye"]


def test_it_ranks_a_korean_name_before_a_title_that_only_sounds_alike():
    MovieFactory(title="Titanic", year=1997)
    SeriesFactory(title="Ocean Liner", title_ko="타이타닉")
    assert titles("타이타닉") == ["Ocean Liner", "Titanic"]


def test_it_does_not_compare_latin_queries_by_sound():
    MovieFactory(title="Titanic", year=1997)
    assert titles("tatanak") == []


def test_it_finds_a_film_by_its_korean_label_from_wikidata():
    godfather = MovieFactory(title="Godfather, The", year=1972)
    TitleContent.objects.create(
        movie=godfather,
        wikidata_id="Q47703",
        label_ko="대부",
        label_en="The Godfather",
        status=TitleContent.Status.FOUND,
        fetched_at=timezone.now(),
    )
    synced = SeriesFactory(title="Harbour Days", title_ko="항구의 나날")
    TitleContent.objects.create(
        movie=synced,
        label_ko="항구의 날들",
        status=TitleContent.Status.FOUND,
        fetched_at=timezone.now(),
    )
    assert titles("대부") == ["The Godfather"]
    assert titles("항구의 나날") == ["Harbour Days"]  # TMDB's title stays a name
    assert titles("항구의 날들") == ["Harbour Days"]
