from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_mails_a_reset_link_that_works(anon_client, owner):
    response = anon_client.post(
        reverse("accounts:password_reset"), {"email": "owner@example.com"}
    )
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/password/reset/" in w)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = anon_client.get("/" + path, follow=True)
    assert confirm.status_code == 200
    assert confirm.context["validlink"]


def test_it_changes_the_password(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pw-owner-12345",
            "new_password1": "a-New-pass-987",
            "new_password2": "a-New-pass-987",
        },
    )
    assert response.url == reverse("accounts:password_change_done")
    owner.refresh_from_db()
    assert owner.check_password("a-New-pass-987")


def test_it_requires_login_to_change_the_password(anon_client):
    response = anon_client.get(reverse("accounts:password_change"))
    assert response.url.startswith(reverse("accounts:login"))
