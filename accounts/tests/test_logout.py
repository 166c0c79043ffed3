from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("accounts:logout")


def test_it_logs_out_on_post(owner_client):
    response = owner_client.post(URL)
    assert response.status_code == 302
    assert owner_client.get(reverse("accounts:profile")).status_code == 302


def test_it_asks_before_logging_out_on_get(owner_client):
    # A typed or bookmarked /accounts/logout/ was a blank 405; it must still not log
    # out by itself (any link or image elsewhere could).
    for language, question, button in [
        ("en", "Log out?", "Log out"),
        ("ko", "로그아웃할까요?", "로그아웃"),
    ]:
        response = owner_client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        page = response.content.decode()
        assert question in page and "owner" in page
        form = page.split("data-logout-page", 1)[1]
        assert f'<form method="post" action="{URL}">' in form
        assert f'class="button primary">{button}</button>' in form
    assert owner_client.get(reverse("accounts:profile")).status_code == 200


def test_it_sends_an_anonymous_get_home(anon_client):
    response = anon_client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_it_refuses_a_post_without_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(URL).status_code == 403
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_refuses_other_methods(owner_client):
    assert owner_client.put(URL).status_code == 405
