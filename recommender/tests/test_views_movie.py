from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import SIMILAR_VECTOR_DIM, DatasetUser, Platform, Rating
from catalog.tests.factories import AvailabilityFactory, MovieFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def _url(movie):
    return reverse("recommender:movie", args=[movie.pk])


def test_it_shows_the_movie_with_offers_and_credits(anon_client):
    movie = MovieFactory(title="Fargo", year=1996, genres=["Crime"])
    AvailabilityFactory(movie=movie, source="tmdb")
    AvailabilityFactory(
        movie=movie,
        platform=Platform.objects.get(region="KR", slug="watcha"),
        offer_type="rent",
        source="snapshot",
    )
    response = anon_client.get(_url(movie), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Fargo" in content and "1996" in content
    assert "Netflix" in content and "Watcha" in content
    assert "JustWatch via TMDB" in content
    assert "Rent" in content


def _rated(movie, times):
    for _ in range(times):
        user = DatasetUser.objects.create(
            source="test", source_id=DatasetUser.objects.count() + 1
        )
        Rating.objects.create(user=user, movie=movie, rating=4, rated_at=timezone.now())
    return movie


def _vector(x: float, y: float) -> list[float]:
    return [x, y] + [0.0] * (SIMILAR_VECTOR_DIM - 2)


def test_it_lists_well_rated_similar_movies_by_their_co_liked_vectors(anon_client):
    movie = MovieFactory(similar_vector=_vector(1.0, 0.0))
    close = _rated(MovieFactory(similar_vector=_vector(0.9, 0.1)), 20)
    far = _rated(MovieFactory(similar_vector=_vector(0.0, 1.0)), 20)
    _rated(MovieFactory(similar_vector=_vector(1.0, 0.0)), 2)  # closest, rarely rated
    # The NCF embedding no longer decides what is similar.
    _rated(MovieFactory(embedding=[1.0] + [0.0] * 31), 20)
    response = anon_client.get(_url(movie))
    assert response.context["similar"] == [close, far]


def test_it_uses_the_region_asked_for(anon_client):
    movie = MovieFactory()
    AvailabilityFactory(
        movie=movie, platform=Platform.objects.get(region="US", slug="hulu")
    )
    assert b"Hulu" in anon_client.get(_url(movie), {"region": "US"}).content
    assert b"Hulu" not in anon_client.get(_url(movie)).content


def test_it_gives_404_for_an_unknown_movie(anon_client):
    assert anon_client.get("/movies/999999/").status_code == 404


def test_it_refuses_post(anon_client):
    assert anon_client.post(_url(MovieFactory())).status_code == 405


def test_it_shows_a_snapshot_offer_with_the_snapshot_year(anon_client):
    from datetime import UTC, datetime

    movie = MovieFactory(title="Fargo", year=1996)
    AvailabilityFactory(
        movie=movie,
        source="snapshot",
        last_checked=datetime(2021, 9, 25, tzinfo=UTC),
    )
    content = anon_client.get(_url(movie), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "listed in a catalogue snapshot of Sept. 25, 2021" in content
    assert "checked" not in content.split("Where to watch")[1].split("</section>")[0]


def test_it_shows_only_the_year_unless_a_real_release_date_is_known(anon_client):
    from datetime import date

    raiders = MovieFactory(title="Raiders", year=1981, release_date=None)
    content = anon_client.get(_url(raiders), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Released" not in content and b"1981" in content
    volcano = MovieFactory(title="Volcano", year=1997, release_date=date(1997, 4, 25))
    content = anon_client.get(_url(volcano), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"Released April 25, 1997" in content


def test_it_offers_rate_watchlist_and_not_interested_to_a_signed_in_user(
    owner_client, owner
):
    from recommender.models import Dismissal, MovieRating

    movie = MovieFactory(title="Fargo", year=1996)
    content = owner_client.get(_url(movie)).content.decode()
    for name in ("rate", "save", "dismiss"):
        assert reverse(f"recommender:{name}", args=[movie.pk]) in content
    # The forms work from here and come back to the movie page.
    response = owner_client.post(
        reverse("recommender:rate", args=[movie.pk]),
        {"rating": "4", "next": _url(movie)},
    )
    assert response.url == _url(movie)
    assert MovieRating.objects.get(user=owner, movie=movie).rating == 4
    content = owner_client.get(_url(movie)).content.decode()
    assert content.count('class="star on"') == 4
    Dismissal.objects.create(user=owner, movie=movie)
    content = owner_client.get(_url(movie)).content.decode()
    assert reverse("recommender:undismiss", args=[movie.pk]) in content


def test_it_shows_no_feedback_actions_to_anonymous_visitors(anon_client):
    movie = MovieFactory()
    content = anon_client.get(_url(movie)).content.decode()
    assert "data-movie-feedback" not in content


def test_it_shows_a_series_with_its_seasons_tmdb_genres_and_original_title(
    anon_client,
):
    series = SeriesFactory(
        title="Money Heist",
        title_ko="종이의 집",
        original_title="La casa de papel",
        original_language="es",
        seasons=3,
        tmdb_genres=["Crime", "Action & Adventure"],
        overview_en="Eight thieves take hostages.",
    )
    english = anon_client.get(_url(series), HTTP_ACCEPT_LANGUAGE="en")
    text = english.content.decode()
    assert "Series · 3 seasons</span> · Crime · Action &amp; Adventure" in text
    assert "La casa de papel" in text and "Eight thieves" in text
    korean = anon_client.get(_url(series), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "시리즈 · 시즌 3개</span> · 범죄 · 액션·모험" in korean
    assert "종이의 집" in korean


def test_it_shows_a_films_running_time_and_its_own_genres_first(anon_client):
    film = MovieFactory(
        title="Fargo", genres=["Crime"], runtime=98, tmdb_genres=["Drama"]
    )
    text = anon_client.get(_url(film), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "98 min</span> · Crime" in text and "Drama" not in text
    korean = anon_client.get(_url(film), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "98분</span> · 범죄" in korean
