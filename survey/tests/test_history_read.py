"""Reading Netflix, Letterboxd and IMDb exports (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from survey.history import (
    IMDB,
    LETTERBOXD_RATINGS,
    LETTERBOXD_WATCHED,
    MAX_BYTES,
    NETFLIX,
    HistoryFileError,
    episode_show,
    favourites_propose,
    history_read,
    is_episode,
)
from survey.tests import history_files as files


def test_it_reads_a_netflix_export_with_a_bom_and_a_korean_title():
    history = history_read(files.NETFLIX)
    assert history.format == NETFLIX
    titles = [e.title for e in history.entries if e.kind == "film"]
    assert titles == ["Fargo", "기생충", "Heat", "Toy Story"]
    assert history.entries[0].watched_on == date(2024, 3, 2)


def test_it_reads_netflix_episodes_as_watching_their_series():
    history = history_read(files.NETFLIX)
    series = [(e.title, e.watched_on) for e in history.entries if e.kind == "series"]
    assert series == [
        ("Stranger Things", date(2024, 2, 27)),
        ("오징어 게임", date(2024, 2, 26)),
    ]
    assert history.skipped_episodes == 0


def test_it_reads_letterboxd_ratings_and_watched():
    ratings = history_read(files.LETTERBOXD_RATINGS)
    assert ratings.format == LETTERBOXD_RATINGS
    assert [(e.title, e.year, e.rating) for e in ratings.entries][:2] == [
        ("Fargo", 1996, 5.0),
        ("Heat", 1995, 3.5),
    ]
    watched = history_read(files.LETTERBOXD_WATCHED)
    assert watched.format == LETTERBOXD_WATCHED
    assert watched.entries[1].watched_on == date(2024, 2, 1)


def test_it_reads_imdb_ratings_on_a_five_point_scale_with_series_not_episodes():
    history = history_read(files.IMDB)
    assert history.format == IMDB
    assert [(e.imdb_id, e.rating, e.kind) for e in history.entries] == [
        ("tt0116282", 5.0, "film"),
        ("tt0113277", 3.0, "film"),
        ("tt4574334", 4.5, "series"),
    ]
    assert history.skipped_episodes == 1


def test_it_proposes_the_highest_rated_then_the_most_recent():
    entries = history_read(files.LETTERBOXD_RATINGS).entries
    assert [e.title for e in favourites_propose(entries, 2)] == ["Fargo", "Toy Story"]
    watched = history_read(files.LETTERBOXD_WATCHED).entries
    assert [e.title for e in favourites_propose(watched, 1)] == ["Fargo"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.WRONG_COLUMNS, "Line 1: unknown columns (movie;stars)"),
        (files.BAD_DATE_LINE_3, "Line 3: “yesterday” is not a date."),
        (files.LATIN1, "Line 2: the file is not UTF-8"),
        (b"", "The file is empty."),
        (b"Title,Date\n", "The file has no films in it"),
        (b"Title,Date\nFargo\n", "Line 2: 1 columns, expected 2."),
        (
            b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Heat,1995,u,9\n",
            "Line 2: the rating 9 is outside 0-5.",
        ),
        (b"Title,Date\n" + b"x" * MAX_BYTES, "larger than 2 MB"),
    ],
)
def test_it_refuses_a_bad_file_naming_the_line(data, message):
    with pytest.raises(HistoryFileError) as info:
        history_read(data)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("title", "episode"),
    [
        ("Stranger Things: Season 4: Chapter One", True),
        ("오징어 게임: 시즌 1: 무궁화 꽃이 피었습니다", True),
        ("The Queen's Gambit: Limited Series: Openings", True),
        ("Mission: Impossible", False),
        ("Star Wars: Episode IV", False),
        ("Kill Bill: Volume 1", False),
        ("Harry Potter and the Deathly Hallows: Part 1", False),
        ("Black Mirror: Episode 3", True),
        ("나의 아저씨: 12화", True),
        ("기생충", False),
    ],
)
def test_it_tells_series_episodes_from_films(title, episode):
    assert is_episode(title) is episode


@pytest.mark.parametrize(
    ("title", "show"),
    [
        (
            "Stranger Things: Season 4: Chapter One: The Hellfire Club",
            "Stranger Things",
        ),
        ("오징어 게임: 시즌 1: 무궁화 꽃이 피었습니다", "오징어 게임"),
        (
            "Money Heist: Korea - Joint Economic Area: Part 1: Episode 1",
            "Money Heist: Korea - Joint Economic Area",
        ),
        ("The Crown: Limited Series: Pilot", "The Crown"),
        ("Black Mirror: Episode 5", "Black Mirror"),
        ("무빙: 3화", "무빙"),
        ("Kill Bill: Volume 1", None),
    ],
)
def test_it_names_the_series_of_an_episode(title, show):
    assert episode_show(title) == show
