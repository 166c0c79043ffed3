"""Results page filters pick from the set's longer list (issue #24 item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Platform
from catalog.tests.factories import AvailabilityFactory, MovieFactory, SeriesFactory
from recommender.models import Dismissal
from recommender.tests.factories import pool_entry, pool_set, ready_set

pytestmark = pytest.mark.django_db
LATEST = reverse("recommender:latest")


def titles(response) -> list[str]:
    return [card.movie.title for card in response.context["cards"]]


def test_it_finds_series_beyond_the_shown_items(owner_client, owner):
    series = [SeriesFactory(title=f"Series {n}") for n in range(3)]
    films = [MovieFactory(title=f"Film {n}") for n in range(2)]
    pool_set(owner, shown=2, pool=[films[0], series[0], films[1], series[1], series[2]])
    response = owner_client.get(LATEST, {"kind": "series"})
    assert titles(response) == ["Series 0", "Series 1", "Series 2"]
    # Ranked by their place in the longer list (2 shown items come first).
    assert [c.rank for c in response.context["cards"]] == [4, 6, 7]
    films_only = titles(owner_client.get(LATEST, {"kind": "film"}))
    assert films_only[2:] == ["Film 0", "Film 1"] and len(films_only) == 4


def test_it_keeps_the_shown_items_without_filters(owner_client, owner):
    rec_set = pool_set(owner, shown=2, pool=[SeriesFactory(), MovieFactory()])
    response = owner_client.get(LATEST)
    assert [c.movie.pk for c in response.context["cards"]] == [
        i.movie_id for i in rec_set.items.all()
    ]
    assert "data-pool-count" not in response.content.decode()


def test_it_takes_the_first_twenty_that_match_in_pool_order(
    owner_client, owner, settings
):
    settings.RECOMMENDATIONS_K = 20
    series = [SeriesFactory(title=f"S{n:02d}") for n in range(25)]
    pool_set(owner, shown=2, pool=series)
    response = owner_client.get(LATEST, {"kind": "series"}, HTTP_ACCEPT_LANGUAGE="en")
    assert titles(response) == [f"S{n:02d}" for n in range(20)]
    content = response.content.decode()
    assert (
        "Showing 20 of the 25 titles that fit these filters among your 27 best "
        "matches across the catalogue." in content
    )
    korean = owner_client.get(LATEST, {"kind": "series"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert "가장 잘 맞는 27편 중 이 조건에 맞는 25편" in korean.content.decode()


def test_it_finds_what_my_services_carry_in_the_whole_list(owner_client, owner):
    on_netflix = MovieFactory(title="On Netflix")
    rented = MovieFactory(title="Rent only")
    elsewhere = MovieFactory(title="On Wavve")
    rec_set = pool_set(owner, shown=2, pool=[rented, elsewhere, on_netflix])
    rec_set.survey.platforms.set([Platform.objects.get(region="KR", slug="netflix")])
    AvailabilityFactory(movie=on_netflix)
    AvailabilityFactory(movie=rented, offer_type="rent")
    AvailabilityFactory(
        movie=elsewhere, platform=Platform.objects.get(region="KR", slug="wavve")
    )
    response = owner_client.get(LATEST, {"mine": "1"})
    assert titles(response) == ["On Netflix"]
    assert response.context["cards"][0].is_watchable_now


def test_it_finds_recent_years_and_leaves_out_titles_without_one(owner_client, owner):
    pool_set(
        owner,
        shown=2,  # 1981, 1982
        pool=[
            MovieFactory(title="Old", year=1990),
            MovieFactory(title="Recent", year=2021),
            MovieFactory(title="No year", year=None),
            SeriesFactory(title="Recent series", year=2023),
        ],
    )
    assert titles(owner_client.get(LATEST, {"year_from": "2015"})) == [
        "Recent",
        "Recent series",
    ]
    both = owner_client.get(LATEST, {"year_from": "2015", "kind": "series"})
    assert titles(both) == ["Recent series"]


def test_it_offers_the_genres_of_the_whole_list(owner_client, owner):
    pool_set(owner, shown=1, pool=[MovieFactory(title="War film", genres=["War"])])
    response = owner_client.get(LATEST)
    assert "War" in dict(response.context["filter_form"].fields["genre"].choices)
    assert titles(owner_client.get(LATEST, {"genre": "War"})) == ["War film"]


def test_it_gives_every_card_from_the_list_a_reason(owner_client, owner):
    rec_set = pool_set(owner, shown=1)
    favourite = rec_set.survey.favorites.first().movie
    favourite.title = "Heat"
    favourite.save()
    unrated, similar, popular, bare = (SeriesFactory() for _ in range(4))
    rec_set.pool += [
        pool_entry(unrated, reason_data={"kind": "resembles", "item_id": favourite.pk}),
        pool_entry(
            similar, reason_data={"kind": "similar_to", "item_id": favourite.pk}
        ),
        pool_entry(popular, reason_data={"kind": "popular"}),
        pool_entry(bare, reason_data={}),
    ]
    rec_set.save()
    english = owner_client.get(
        LATEST, {"kind": "series"}, HTTP_ACCEPT_LANGUAGE="en"
    ).context["cards"]
    assert [c.reason for c in english] == [
        "Resembles Heat, one of your favourites",
        "Because you like Heat",
        "Popular with viewers who like the same kind of films",
        "Chosen for the favourites you picked",
    ]
    korean = owner_client.get(LATEST, {"kind": "series"}, HTTP_ACCEPT_LANGUAGE="ko")
    content = korean.content.decode()
    assert "좋아하는 작품 〈Heat〉와 내용이 닮았어요" in content
    assert all(c.reason for c in korean.context["cards"])


def test_it_leaves_dismissed_titles_out_of_the_list(owner_client, owner):
    gone, kept = SeriesFactory(title="Gone"), SeriesFactory(title="Kept")
    pool_set(owner, shown=1, pool=[gone, kept])
    Dismissal.objects.create(user=owner, movie=gone)
    assert titles(owner_client.get(LATEST, {"kind": "series"})) == ["Kept"]


def test_it_filters_the_shown_items_of_a_set_without_a_list(owner_client, owner):
    rec_set = ready_set(owner, movies=2)
    assert rec_set.pool == []
    series = SeriesFactory()
    rec_set.items.filter(rank=2).update(movie=series)
    response = owner_client.get(LATEST, {"kind": "series"})
    assert [c.movie.pk for c in response.context["cards"]] == [series.pk]
    assert "data-pool-count" not in response.content.decode()


def test_it_ignores_an_unknown_kind(owner_client, owner):
    pool_set(owner, shown=2, pool=[SeriesFactory()])
    response = owner_client.get(LATEST, {"kind": "opera"})
    assert response.status_code == 200
    assert len(response.context["cards"]) == 2


def test_it_filters_the_results_fragment_only_for_the_owner(
    owner_client, anon_client, owner, other_user
):
    mine = pool_set(owner, shown=1, pool=[SeriesFactory(title="Mine")])
    theirs = pool_set(other_user, shown=1, pool=[SeriesFactory(title="Theirs")])
    url = reverse("recommender:results", args=[mine.pk])
    response = owner_client.get(url, {"kind": "series"})
    assert titles(response) == ["Mine"]
    other = reverse("recommender:results", args=[theirs.pk])
    assert owner_client.get(other, {"kind": "series"}).status_code == 404
    owner_client.logout()
    response = anon_client.get(url, {"kind": "series"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
