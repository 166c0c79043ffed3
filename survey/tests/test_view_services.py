from __future__ import annotations

import pytest
from django.urls import reverse

from survey.drafts import SESSION_KEY

pytestmark = pytest.mark.django_db
URL = reverse("survey:services")


@pytest.fixture
def answered(owner_client):
    owner_client.post(
        reverse("survey:about"),
        {"age": "31", "gender": "F", "occupation": "engineer", "region": "US"},
    )
    return owner_client


def test_it_redirects_anonymous_users_to_login(anon_client):
    assert anon_client.get(URL).url.startswith(reverse("accounts:login"))


def test_it_lists_the_services_of_the_chosen_region(answered):
    content = answered.get(URL).content.decode()
    assert "Hulu" in content
    assert "TVING" not in content


def test_it_moves_on_with_the_chosen_services(answered):
    response = answered.post(URL, {"platforms": ["netflix", "hulu"], "action": "next"})
    assert response.url == reverse("survey:movies")
    draft = answered.session[SESSION_KEY]["services"]
    assert draft["platforms"] == ["netflix", "hulu"]


def test_it_refuses_a_service_of_another_region(answered):
    response = answered.post(URL, {"platforms": ["tving"], "action": "next"})
    assert response.status_code == 200
    assert response.context["form"].errors["platforms"]


def test_it_goes_back_keeping_the_answers(answered):
    response = answered.post(URL, {"platforms": ["hulu"], "action": "back"})
    assert response.url == reverse("survey:about")
    assert answered.session[SESSION_KEY]["services"]["platforms"] == ["hulu"]
    assert answered.session[SESSION_KEY]["about"]["region"] == "US"


def test_it_refuses_other_methods(answered):
    assert answered.delete(URL).status_code == 405


def test_it_asks_for_an_optional_budget(answered):
    content = answered.get(URL).content.decode()
    assert 'name="monthly_budget"' in content
    response = answered.post(URL, {"platforms": ["hulu"], "action": "next"})
    assert response.url == reverse("survey:movies")
    response = answered.post(
        URL, {"platforms": ["hulu"], "monthly_budget": "20", "action": "next"}
    )
    assert response.url == reverse("survey:movies")
    assert answered.session[SESSION_KEY]["services"]["monthly_budget"] == "20"


def test_it_refuses_a_negative_budget_with_a_message(answered):
    response = answered.post(
        URL, {"platforms": ["hulu"], "monthly_budget": "-5", "action": "next"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["monthly_budget"]


def test_it_picks_the_korean_particle_in_the_wrong_service_message(answered):
    response = answered.post(
        URL,
        {"platforms": ["watcha"], "action": "next"},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    content = response.content.decode()
    assert "watcha는 선택한 지역의 서비스가 아닙니다." in content
    assert "은(는)" not in content
