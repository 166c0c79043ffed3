from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Platform
from catalog.tests.factories import AvailabilityFactory
from recommender.models import RecommendationSet
from recommender.tests.factories import (
    RecommendationItemFactory,
    RecommendationSetFactory,
    SurveyFactory,
    ready_set,
)

pytestmark = pytest.mark.django_db
URL = reverse("recommender:latest")


def test_it_redirects_anonymous_users_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_invites_to_the_survey_when_there_is_no_set(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert reverse("survey:about").encode() in response.content


def test_it_shows_a_progress_state_that_polls_while_pending(owner_client, owner):
    rec_set = RecommendationSetFactory(
        survey=SurveyFactory(user=owner), status=RecommendationSet.Status.PENDING
    )
    response = owner_client.get(URL)
    content = response.content.decode()
    assert "data-progress" in content
    assert reverse("recommender:status", args=[rec_set.pk]) in content
    assert reverse("recommender:results", args=[rec_set.pk]) in content


def test_it_shows_a_retry_button_when_failed(owner_client, owner):
    rec_set = RecommendationSetFactory(
        survey=SurveyFactory(user=owner),
        status=RecommendationSet.Status.FAILED,
        error="boom",
    )
    content = owner_client.get(URL).content.decode()
    assert reverse("recommender:retry", args=[rec_set.pk]) in content


def test_it_shows_the_items_with_reason_badges_advice_and_chart(owner_client, owner):
    rec_set = ready_set(owner, movies=3, genres=["Comedy"])
    rec_set.survey.platforms.set([Platform.objects.get(region="KR", slug="netflix")])
    first = rec_set.items.get(rank=1).movie
    AvailabilityFactory(movie=first)
    response = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["cards"]) == 3
    assert first.display_title in content
    assert "7 viewers who share your favourites rated it 4.4" in content
    assert 'class="badge mine"' in content
    assert response.context["advice"]["sentence"]
    assert "<svg" in content and "<desc" in content


def test_it_shows_the_newest_set(owner_client, owner):
    ready_set(owner, movies=1)
    newer = RecommendationSetFactory(
        survey=SurveyFactory(user=owner), status=RecommendationSet.Status.RUNNING
    )
    assert owner_client.get(URL).context["rec_set"] == newer


def test_it_filters_by_my_services_genre_and_years(owner_client, owner):
    rec_set = ready_set(owner, movies=3)  # years 1981, 1982, 1983
    rec_set.survey.platforms.set([Platform.objects.get(region="KR", slug="netflix")])
    items = {i.rank: i for i in rec_set.items.all()}
    AvailabilityFactory(movie=items[2].movie)
    RecommendationItemFactory(recommendation_set=rec_set, rank=4).movie.genres.set([])

    def ranks(**params):
        return [c.rank for c in owner_client.get(URL, params).context["cards"]]

    assert ranks(mine="1") == [2]
    assert ranks(genre="Drama") == [1, 2, 3]
    assert ranks(year_from="1982", year_to="1982") == [2]


@pytest.mark.parametrize(
    "params", [{"year_from": "abc"}, {"genre": "Nope"}, {"year_to": "99999"}]
)
def test_it_ignores_malformed_filters(owner_client, owner, params):
    ready_set(owner, movies=2)
    response = owner_client.get(URL, params)
    assert response.status_code == 200
    assert len(response.context["cards"]) == 2


def test_it_refuses_other_methods(owner_client):
    assert owner_client.post(URL).status_code == 405


def test_it_states_known_coverage_and_its_rule_and_advises_nothing_without_data(
    owner_client, owner
):
    rec_set = ready_set(owner, movies=20)
    rec_set.survey.platforms.set(
        Platform.objects.filter(region="KR", slug__in=["netflix", "tving"])
    )
    response = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="ko")
    content = response.content.decode()
    assert "추천 상위 20편 중 0편은" in content
    assert "최소 10편을" in content  # the rule, in the fine print
    assert "data-advice-rule" in content
    assert "해지해도" not in content
    assert "data-best-bundle" not in content
    assert 'class="tag best"' not in content
    # The phone summary and the panel say the same thing; the summary links down.
    assert 'href="#advice-title"' in content
    assert content.index("data-advice-summary") < content.index('class="cards"')
    # ... and to the satisfaction question, which a phone shows below 20 cards.
    jump = content.index('href="#satisfaction-title"')
    assert (
        jump < content.index('class="cards"') < content.index('id="satisfaction-title"')
    )
    assert "이 목록 평가하기" in content


def test_it_puts_a_heading_before_the_card_headings(owner_client, owner):
    ready_set(owner, movies=2)
    content = owner_client.get(URL).content.decode()
    assert content.index('<h2 class="visually-hidden" id="cards-title"') < (
        content.index("<h3")
    )


def test_it_says_what_the_order_is_based_on_next_to_the_stars(owner_client, owner):
    ready_set(owner, movies=2)
    content = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-rank-note" in content
    assert "matches your favourites" in content
    assert "★ is the rating we predict you would give" in content


def test_it_marks_build_messages_so_the_page_drops_them_with_results(
    owner_client, owner
):
    ready_set(owner, movies=1)
    response = owner_client.post(
        reverse("recommender:refresh"), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    content = response.content.decode()
    assert "data-progress-message" in content
    assert "Fresh recommendations are on their way." in content
