from __future__ import annotations

import pytest
from django.urls import reverse

from recommender.models import RecommendationSet
from recommender.tests.factories import RecommendationSetFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _url(rec_set):
    return reverse("recommender:status", args=[rec_set.pk])


def test_it_reports_status_and_error_as_json(owner_client, owner):
    rec_set = RecommendationSetFactory(
        survey=SurveyFactory(user=owner),
        status=RecommendationSet.Status.FAILED,
        error="no model",
    )
    data = owner_client.get(_url(rec_set)).json()
    assert data == {"id": rec_set.pk, "status": "failed", "error": "no model"}


def test_it_gives_404_for_another_users_set(owner_client, other_user):
    rec_set = RecommendationSetFactory(survey=SurveyFactory(user=other_user))
    assert owner_client.get(_url(rec_set)).status_code == 404


def test_it_redirects_anonymous_users_to_login(anon_client, owner):
    rec_set = RecommendationSetFactory(survey=SurveyFactory(user=owner))
    assert anon_client.get(_url(rec_set)).status_code == 302


def test_it_refuses_post(owner_client, owner):
    rec_set = RecommendationSetFactory(survey=SurveyFactory(user=owner))
    assert owner_client.post(_url(rec_set)).status_code == 405
