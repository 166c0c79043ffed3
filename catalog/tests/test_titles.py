from __future__ import annotations

from catalog.matching import (
    MatchStatus,
    TitleMatcher,
    alternate_names,
    franchise_prefixes,
    split_year,
    title_matcher,
)
from catalog.titles import display_title, normalise, title_variants

CATALOGUE = [
    (1, "Usual Suspects, The", 1995),
    (2, "Cité des enfants perdus, La (City of Lost Children, The)", 1995),
    (3, "Rosencrantz and Guildenstern Are Dead", 1990),
    (4, "Hamlet", 1990),
    (5, "Hamlet", 1996),
    (6, "Chasing Amy", 1997),
    (7, "Chasing Amy", 1997),
    (8, "Crash", 1996),
    (9, "Scream 2", 1997),
    (10, "Shawshank Redemption, The", 1994),
    (11, "Apollo 13", 1995),
    (12, "Twelve Monkeys", 1995),
    (13, "Twelve Monkeys", 1996),
]


def match(title: str, year: int | None):
    return TitleMatcher(CATALOGUE).match(title, year)


def test_it_moves_articles_and_keeps_alternates():
    assert display_title("Usual Suspects, The") == "The Usual Suspects"
    assert title_variants(
        "Cité des enfants perdus, La (City of Lost Children, The)"
    ) == [
        "La Cité des enfants perdus",
        "The City of Lost Children",
    ]


def test_it_normalises_accents_ampersands_and_articles():
    assert normalise("La Cité des enfants perdus") == "cite des enfants perdus"
    assert normalise("Rosencrantz & Guildenstern Are Dead") == normalise(
        "Rosencrantz and Guildenstern Are Dead"
    )
    assert normalise("Usual Suspects, The") == normalise("THE USUAL SUSPECTS!")


def test_it_splits_a_trailing_year():
    assert split_year("Usual Suspects, The (1995)") == ("Usual Suspects, The", 1995)
    assert split_year("Aladdin") == ("Aladdin", None)


def test_it_matches_titles_with_articles_and_years_in_the_title():
    assert match("The Usual Suspects", 1995).movie_id == 1
    assert match("Usual Suspects, The (1995)", None).movie_id == 1


def test_it_matches_alternate_titles_in_parentheses():
    assert match("The City of Lost Children", 1995).movie_id == 2
    assert match("La cite des enfants perdus", 1995).movie_id == 2


def test_it_matches_ampersands():
    assert match("Rosencrantz & Guildenstern Are Dead", 1990).movie_id == 3


def test_it_tells_the_same_title_in_two_years_apart():
    assert match("Hamlet", 1990).movie_id == 4
    assert match("Hamlet", 1996).movie_id == 5
    assert match("Hamlet", 2000).status is MatchStatus.UNMATCHED


def test_it_allows_one_year_off_only_when_unique():
    result = match("Apollo 13", 1994)
    assert (result.status, result.movie_id, result.how) == (
        MatchStatus.MATCHED,
        11,
        "exact-year-1",
    )
    # With two same-named movies, the exact year decides...
    assert match("Twelve Monkeys", 1995).movie_id == 12
    # ...and with no exact year, two movies a year off are ambiguous.
    twins = [(1, "Hamlet", 1990), (2, "Hamlet", 1992)]
    assert TitleMatcher(twins).match("Hamlet", 1991).status is MatchStatus.AMBIGUOUS


def test_it_never_guesses_between_equal_candidates():
    result = match("Chasing Amy", 1997)
    assert (result.status, result.movie_id) == (MatchStatus.AMBIGUOUS, None)
    assert match("Hamlet", None).status is MatchStatus.AMBIGUOUS


def test_it_matches_near_spellings_of_the_same_year_only():
    assert match("The Shawshank Redemtion", 1994).movie_id == 10
    assert match("The Shawshank Redemtion", 1995).status is MatchStatus.UNMATCHED


def test_it_does_not_match_a_different_sequel_number():
    assert match("Scream 3", 1997).status is MatchStatus.UNMATCHED
    assert match("Scream 2", 1997).movie_id == 9


def test_it_leaves_unknown_titles_unmatched():
    assert match("Dick Johnson Is Dead", 2020).status is MatchStatus.UNMATCHED
    assert match("", 2020).status is MatchStatus.UNMATCHED


SAGA = [
    (50, "Star Wars (1977)", None),
    (172, "Empire Strikes Back, The (1980)", None),
    (181, "Return of the Jedi (1983)", None),
    (678, "Volcano (1997)", None),
    (288, "Scream (1996)", None),
    (94, "Home Alone (1990)", None),
    (185, "Psycho (1960)", None),
]
OUTSIDE = [
    "Star Wars: A New Hope",
    "Star Wars: The Last Jedi",
    "Volcano: Fire on the Mountain",
    "Home Alone 2: Lost in New York",
]


def saga(title: str, year: int | None):
    return TitleMatcher(SAGA, franchises=franchise_prefixes(OUTSIDE)).match(title, year)


def test_it_matches_subtitle_and_episode_forms_of_the_same_film():
    assert saga("Star Wars: A New Hope", 1977).movie_id == 50
    assert saga("Star Wars: A New Hope (Episode IV)", 1977).movie_id == 50
    assert saga("Star Wars: Episode IV - A New Hope", 1977).movie_id == 50
    assert saga("Star Wars: The Empire Strikes Back", 1980).movie_id == 172
    assert saga("Star Wars: Return of the Jedi (Episode VI)", 1983).movie_id == 181
    assert saga("Star Wars: Return of the Jedi", 1983).how == "alternate"


def test_it_refuses_sequels_remakes_and_other_years_with_alternate_forms():
    assert saga("Star Wars: The Force Awakens", 2015).movie_id is None
    assert saga("Star Wars: A New Hope", 1997).movie_id is None  # not +-1
    assert saga("Star Wars: A New Hope", 1978).movie_id is None
    assert saga("Home Alone 2: Lost in New York", 1992).movie_id is None
    assert saga("Scream 2", 1996).movie_id is None
    assert saga("Psycho", 1998).movie_id is None
    # A prefix that starts only one outside title is not a franchise.
    assert saga("Volcano: Fire on the Mountain", 1997).movie_id is None


def test_it_gives_later_parts_no_alternate_names():
    assert alternate_names("Kill Bill: Vol. 2") == set()
    assert alternate_names("Harry Potter and the Deathly Hallows: Part 2") == set()
    assert alternate_names("Star Wars: A New Hope (Episode IV)") == {"new hope"}
    assert franchise_prefixes(["Star Wars: A", "Star Wars: B", "Volcano: C"]) == {
        "star wars"
    }


def test_a_synced_title_is_shown_as_tmdb_writes_it():
    from catalog.models import Movie

    synced = Movie(source=Movie.SOURCE_TMDB_MOVIE, title="(500) Days of Summer")
    movielens = Movie(source="ml-100k", title="Usual Suspects, The (1995)")

    assert synced.display_title == "(500) Days of Summer"
    assert movielens.display_title == "The Usual Suspects (1995)"


def test_it_knows_franchises_from_one_outside_title_and_the_catalogue():
    # A viewing history names one Star Wars film; the catalogue names another.
    catalogue = [*SAGA, (999, "Star Wars: The Last Jedi (2017)", None)]
    matcher = title_matcher(catalogue, outside=["Star Wars: A New Hope"])
    assert matcher.match("Star Wars: A New Hope", 1977).movie_id == 50
    assert matcher.match("Star Wars: Episode IV - A New Hope", 1977).movie_id == 50
    assert matcher.match("Star Wars: The Last Jedi", 2017).movie_id == 999
    # Without a second title nothing makes "Volcano" a franchise.
    alone = title_matcher(SAGA, outside=["Volcano: Fire on the Mountain"])
    assert alone.match("Volcano: Fire on the Mountain", 1997).movie_id is None
    assert alone.match("Star Wars: A New Hope", 1977).movie_id is None
