from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import Profile
from survey.drafts import SESSION_KEY

pytestmark = pytest.mark.django_db
URL = reverse("survey:about")
VALID = {"age": "31", "gender": "F", "occupation": "engineer", "region": "KR"}


def test_it_redirects_anonymous_users_to_login(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_prefills_from_the_profile(owner_client, owner):
    Profile.objects.create(user=owner, age=40, gender="M", occupation="writer")
    response = owner_client.get(URL)
    assert response.context["form"].initial["age"] == "40"
    assert response.context["form"].initial["occupation"] == "writer"


def test_it_offers_translated_occupations(owner_client):
    response = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="ko")
    assert "프로그래머" in response.content.decode()


def test_it_moves_on_when_valid(owner_client):
    response = owner_client.post(URL, VALID)
    assert response.url == reverse("survey:services")
    assert owner_client.session[SESSION_KEY]["about"]["age"] == "31"


@pytest.mark.parametrize("age", ["6", "101", "-1", "abc", ""])
def test_it_refuses_an_age_out_of_range_with_a_message(owner_client, age):
    response = owner_client.post(URL, {**VALID, "age": age}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors["age"]


def test_it_keeps_the_answers_of_an_invalid_step(owner_client):
    owner_client.post(URL, {**VALID, "age": "101"})
    draft = owner_client.session[SESSION_KEY]["about"]
    assert draft == {**VALID, "age": "101", "share_for_training": ""}  # unticked
    response = owner_client.get(URL)
    assert response.context["form"].initial["occupation"] == "engineer"


def test_it_refuses_unknown_choices(owner_client):
    response = owner_client.post(URL, {**VALID, "gender": "Q", "region": "ZZ"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"gender", "region"}


def test_it_refuses_other_methods(owner_client):
    assert owner_client.put(URL).status_code == 405


def test_it_offers_everyday_korean_occupations_first(owner_client):
    page = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    select = page.split('name="occupation"', 1)[1].split("</select>", 1)[0]
    labels = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert labels[1:4] == [
        ("office_worker", "회사원"),
        ("civil_servant", "공무원"),
        ("self_employed", "자영업"),
    ]
    assert labels[-2:] == [("none", "없음"), ("other", "기타")]
    assert len(labels) == 1 + 21 + 6  # "choose", ml-100k's 21, the everyday six


def test_it_keeps_an_everyday_answer_as_chosen(owner_client, owner):
    response = owner_client.post(URL, {**VALID, "occupation": "office_worker"})
    assert response.url == reverse("survey:services")
    assert owner_client.session[SESSION_KEY]["about"]["occupation"] == "office_worker"
