from __future__ import annotations

import pytest
from django.urls import reverse

from recommender.models import RecommendationSet
from recommender.tests.factories import RecommendationSetFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _failed(user):
    return RecommendationSetFactory(
        survey=SurveyFactory(user=user), status=RecommendationSet.Status.FAILED
    )


def test_it_requeues_a_failed_set(owner_client, owner):
    rec_set = _failed(owner)
    response = owner_client.post(reverse("recommender:retry", args=[rec_set.pk]))
    assert response.url == reverse("recommender:detail", args=[rec_set.pk])
    rec_set.refresh_from_db()
    assert rec_set.status == RecommendationSet.Status.PENDING


def test_it_explains_when_the_set_did_not_fail(owner_client, owner):
    rec_set = RecommendationSetFactory(survey=SurveyFactory(user=owner))
    response = owner_client.post(
        reverse("recommender:retry", args=[rec_set.pk]), follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])


def test_it_gives_404_for_another_users_set(owner_client, other_user):
    rec_set = _failed(other_user)
    url = reverse("recommender:retry", args=[rec_set.pk])
    assert owner_client.post(url).status_code == 404
    rec_set.refresh_from_db()
    assert rec_set.status == RecommendationSet.Status.FAILED


def test_it_refuses_get(owner_client, owner):
    url = reverse("recommender:retry", args=[_failed(owner).pk])
    assert owner_client.get(url).status_code == 405


def test_it_redirects_anonymous_users_to_login(anon_client, owner):
    url = reverse("recommender:retry", args=[_failed(owner).pk])
    assert anon_client.post(url).url.startswith(reverse("accounts:login"))
