from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("accounts:login")


def test_it_logs_in(anon_client, owner):
    response = anon_client.post(
        URL, {"username": "owner", "password": "pw-owner-12345"}
    )
    assert response.status_code == 302
    assert anon_client.get(reverse("accounts:profile")).status_code == 200


def test_it_shows_a_message_for_a_wrong_password(anon_client, owner):
    response = anon_client.post(URL, {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_it_follows_next(anon_client, owner):
    response = anon_client.post(
        URL + "?next=/watchlist/",
        {"username": "owner", "password": "pw-owner-12345", "next": "/watchlist/"},
    )
    assert response.url == "/watchlist/"


def test_it_rate_limits_attempts_per_ip_and_username(
    anon_client, django_user_model, settings
):
    # Five a day, not a minute: a window boundary mid-test would reset the count.
    settings.LOGIN_RATE_LIMIT = "5/d"
    # A fresh username each run: the counters live in the shared Redis cache.
    username = f"rl-{uuid.uuid4().hex[:10]}"
    django_user_model.objects.create_user(username=username, password="right-pw-123")
    for _ in range(5):
        response = anon_client.post(URL, {"username": username, "password": "wrong"})
        assert response.status_code == 200
    response = anon_client.post(
        URL,
        {"username": username, "password": "right-pw-123"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert b"Too many login attempts" in response.content
    assert not response.wsgi_request.user.is_authenticated
    other = f"rl-{uuid.uuid4().hex[:10]}"
    assert (
        anon_client.post(URL, {"username": other, "password": "x"}).status_code == 200
    )


def test_it_refuses_other_methods(anon_client):
    assert anon_client.delete(URL).status_code == 405


def test_it_sends_a_user_to_their_recommendations_after_log_in(anon_client, owner):
    response = anon_client.post(
        URL, {"username": "owner", "password": "pw-owner-12345"}
    )
    assert response.url == reverse("recommender:latest")


def test_it_ignores_an_unsafe_next(anon_client, owner):
    response = anon_client.post(
        URL,
        {
            "username": "owner",
            "password": "pw-owner-12345",
            "next": "https://evil.example/",
        },
    )
    assert response.url == reverse("recommender:latest")


def test_it_picks_the_korean_particle_in_the_wrong_password_message(anon_client):
    # A fresh username: the rate limiter's counters outlive the test database.
    username = f"kr-{uuid.uuid4().hex[:10]}"
    response = anon_client.post(
        URL, {"username": username, "password": "nope"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    content = response.content.decode()
    assert "사용자 이름과 비밀번호" in content
    assert "와/과" not in content and "와(과)" not in content


def _guess(client, username: str, password: str, address: str):
    return client.post(
        URL,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_it_lets_the_owner_in_from_elsewhere_after_guesses_from_one_address(
    client, django_user_model, settings
):
    settings.LOGIN_RATE_LIMIT = "5/d"
    settings.LOGIN_RATE_LIMIT_USERNAME = "100/d"
    username = f"lo-{uuid.uuid4().hex[:10]}"
    django_user_model.objects.create_user(username=username, password="right-pw-123")
    codes = [
        _guess(client, username, "wrong", "198.51.100.1").status_code for _ in range(6)
    ]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    # The guessing address stays stopped, even with the right password.
    assert _guess(client, username, "right-pw-123", "198.51.100.1").status_code == 429
    response = _guess(client, username, "right-pw-123", "203.0.113.7")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_it_stops_guesses_from_many_addresses_at_the_username_ceiling(
    client, django_user_model, settings
):
    settings.LOGIN_RATE_LIMIT = "5/d"
    settings.LOGIN_RATE_LIMIT_USERNAME = "8/d"
    username = f"dg-{uuid.uuid4().hex[:10]}"
    django_user_model.objects.create_user(username=username, password="right-pw-123")
    assert _guess(client, username, "right-pw-123", "203.0.113.7").status_code == 302
    device = client.cookies["ott_login_device"].value
    client.logout()  # and forget every cookie
    codes = [
        _guess(client, username, "wrong", f"198.51.100.{i}").status_code
        for i in range(1, 11)
    ]
    assert codes[:8] == [200] * 8 and set(codes[8:]) == {429}
    response = _guess(client, username, "right-pw-123", "192.0.2.50")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 86400
    # The owner's own browser (its device cookie) and address still get in.
    client.cookies["ott_login_device"] = device
    assert _guess(client, username, "right-pw-123", "192.0.2.51").status_code == 302
    client.logout()
    assert _guess(client, username, "right-pw-123", "203.0.113.7").status_code == 302


def test_it_does_not_trust_a_device_cookie_of_another_username(
    client, django_user_model, settings
):
    settings.LOGIN_RATE_LIMIT_USERNAME = "1/d"
    mine, target = (f"dc-{uuid.uuid4().hex[:10]}" for _ in range(2))
    django_user_model.objects.create_user(username=mine, password="right-pw-123")
    django_user_model.objects.create_user(username=target, password="right-pw-456")
    assert _guess(client, mine, "right-pw-123", "203.0.113.8").status_code == 302
    client.logout()
    assert _guess(client, target, "wrong", "198.51.100.20").status_code == 200
    response = _guess(client, target, "right-pw-456", "198.51.100.21")
    assert response.status_code == 429
    assert b"Please try again in" in response.content
