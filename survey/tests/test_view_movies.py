from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.selectors import search_index_clear
from catalog.tests.factories import MovieFactory, SeriesFactory
from recommender.models import RecommendationSet
from survey.drafts import SESSION_KEY
from survey.models import Survey

pytestmark = pytest.mark.django_db
URL = reverse("survey:movies")


@pytest.fixture
def movies():
    return MovieFactory.create_batch(11, genres=["Drama"])


@pytest.fixture
def answered(owner_client):
    owner_client.post(
        reverse("survey:about"),
        {"age": "31", "gender": "F", "occupation": "engineer", "region": "KR"},
    )
    owner_client.post(
        reverse("survey:services"), {"platforms": ["netflix"], "action": "next"}
    )
    return owner_client


def _ids(movies, n):
    return [str(m.pk) for m in movies[:n]]


def test_it_redirects_anonymous_users_to_login(anon_client):
    assert anon_client.get(URL).url.startswith(reverse("accounts:login"))


def test_it_submits_ten_movies_and_shows_the_recommendations(answered, owner, movies):
    response = answered.post(URL, {"movie": _ids(movies, 10), "action": "submit"})
    assert response.url == reverse("recommender:latest")
    survey = Survey.objects.get(user=owner)
    assert survey.favorites.count() == 10
    assert [p.slug for p in survey.platforms.all()] == ["netflix"]
    assert survey.raw_answers["about"]["occupation"] == "engineer"
    assert RecommendationSet.objects.filter(survey=survey).exists()
    assert SESSION_KEY not in answered.session


def test_it_refuses_nine_movies_with_a_message(answered, owner, movies):
    response = answered.post(
        URL,
        {"movie": _ids(movies, 9), "action": "submit"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Choose at least 10 different movies (you chose 9)." in (
        response.content.decode()
    )
    assert not Survey.objects.filter(user=owner).exists()
    # Nothing is lost: the nine picks are still on the page.
    assert len(response.context["chosen"]) == 9


def test_it_refuses_duplicate_movies(answered, owner, movies):
    ids = _ids(movies, 9) + _ids(movies, 1)
    response = answered.post(
        URL, {"movie": ids, "action": "submit"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Each movie can be chosen only once." in response.content.decode()
    assert not Survey.objects.filter(user=owner).exists()


@pytest.mark.parametrize("value", ["abc", "1.5", ""])
def test_it_refuses_malformed_ids_with_a_message(answered, movies, value):
    response = answered.post(URL, {"movie": [*_ids(movies, 10), value]})
    assert response.status_code == 200
    assert response.context["form"].errors["movie"]


def test_it_refuses_unknown_movies(answered, movies):
    response = answered.post(URL, {"movie": [*_ids(movies, 9), "999999"]})
    assert response.status_code == 200
    assert response.context["form"].errors["movie"]


def test_it_sends_you_back_to_a_step_with_a_wrong_answer(owner_client, movies):
    response = owner_client.post(URL, {"movie": _ids(movies, 10)})
    assert response.url == reverse("survey:about")


def test_it_adds_and_removes_movies_without_javascript(answered, movies):
    response = answered.post(URL, {"movie": _ids(movies, 2), "add": movies[5].pk})
    assert response.status_code == 302
    draft = answered.session[SESSION_KEY]["movies"]["movie_ids"]
    assert draft == [*_ids(movies, 2), str(movies[5].pk)]
    answered.post(URL, {"movie": draft, "remove": movies[0].pk})
    assert answered.session[SESSION_KEY]["movies"]["movie_ids"] == [
        str(movies[1].pk),
        str(movies[5].pk),
    ]


@pytest.fixture
def fresh_search_index():
    # The search index is cached in Redis, which outlives the test's database.
    search_index_clear()
    yield
    search_index_clear()


def test_it_searches_without_javascript(answered, movies, fresh_search_index):
    response = answered.post(URL, {"q": movies[3].title, "action": "search"})
    assert response.status_code == 302
    page = answered.get(response.url)
    assert movies[3] in page.context["results"]


def test_it_finds_and_picks_a_series_showing_its_korean_title_and_seasons(
    answered, owner, movies, fresh_search_index
):
    squid = SeriesFactory(title="Squid Game", title_ko="오징어 게임", seasons=2)
    page = answered.get(URL, {"q": "오징어"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert page.context["results"] == [squid]
    results = page.content.decode().split('id="search-results"')[1].split("</ul>")[0]
    assert '<span lang="ko">오징어 게임</span>' in results
    assert "시리즈 · 시즌 2개" in results
    english = answered.get(URL, {"q": "squid"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Series · 2 seasons" in english.content.decode()
    # Picked among ten favourites, it is submitted like a film.
    answered.post(URL, {"movie": _ids(movies, 9), "add": squid.pk, "q": "오징어"})
    chips = answered.get(URL, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'data-title-ko="오징어 게임"' in chips and "· 시리즈 · 시즌 2개" in chips
    chosen = [*_ids(movies, 9), str(squid.pk)]
    response = answered.post(URL, {"movie": chosen, "action": "submit"})
    assert response.url == reverse("recommender:latest")
    survey = Survey.objects.get(user=owner)
    assert squid.pk in survey.favorites.values_list("movie_id", flat=True)


def test_it_keeps_the_picks_when_going_back(answered, movies):
    response = answered.post(URL, {"movie": _ids(movies, 3), "action": "back"})
    assert response.url == reverse("survey:services")
    page = answered.get(URL)
    assert [m.pk for m in page.context["chosen"]] == [m.pk for m in movies[:3]]


def test_it_prefills_the_last_survey_when_answered_again(answered, owner, movies):
    answered.post(URL, {"movie": _ids(movies, 10), "action": "submit"})
    page = answered.get(URL)
    assert len(page.context["chosen"]) == 10
    answered.post(URL, {"movie": _ids(movies, 11), "action": "submit"})
    assert list(
        Survey.objects.filter(user=owner).values_list("version", flat=True)
    ) == [2, 1]


def test_it_refuses_other_methods(answered):
    assert answered.put(URL).status_code == 405


def test_it_stores_the_budget_given_in_the_survey(owner_client, owner, movies):
    owner_client.post(
        reverse("survey:about"),
        {"age": "31", "gender": "F", "occupation": "engineer", "region": "US"},
    )
    owner_client.post(
        reverse("survey:services"),
        {"platforms": ["netflix"], "monthly_budget": "20.50", "action": "next"},
    )
    owner_client.post(URL, {"movie": _ids(movies, 10), "action": "submit"})
    owner.profile.refresh_from_db()
    assert owner.profile.monthly_budget == Decimal("20.50")
    # Answering again with the field left empty means "no budget".
    owner_client.post(
        reverse("survey:services"),
        {"platforms": ["netflix"], "monthly_budget": "", "action": "next"},
    )
    owner_client.post(URL, {"movie": _ids(movies, 10), "action": "submit"})
    owner.profile.refresh_from_db()
    assert owner.profile.monthly_budget is None


def test_it_caps_the_search_with_a_clear_message(answered, movies):
    response = answered.get(URL, {"q": "x" * 5000}, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Search words can be at most 100 characters." in content
    assert 'maxlength="100"' in content
    # The no-JavaScript search posts, then redirects with a short URL.
    response = answered.post(URL, {"q": "y" * 5000, "action": "search"})
    assert len(response.url) < 200


def test_it_says_the_english_title_works_when_a_korean_title_finds_nothing(
    answered, movies, fresh_search_index
):
    MovieFactory(title="Godfather, The", year=1972)
    korean = answered.get(URL, {"q": "대부"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert korean.context["results"] == []
    page = korean.content.decode()
    status = page.split('id="search-status"')[1].split("</p>")[0]
    assert "영어 제목으로 검색해 보세요" in status
    assert "다른 철자로" not in status
    # The search-as-you-type script says the same (its message is on the form).
    assert 'data-no-results-korean="이 한국어 제목으로는 찾지 못했습니다.' in page
    english = answered.get(URL, {"q": "zzqqxx"}, HTTP_ACCEPT_LANGUAGE="en")
    status = english.content.decode().split('id="search-status"')[1]
    assert "Try another spelling." in status.split("</p>")[0]
    titled = answered.get(URL, {"q": "대부"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Search by the English title" in titled.content.decode()
