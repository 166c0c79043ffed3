from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("accounts:logout")


def test_it_logs_out_on_post(owner_client):
    response = owner_client.post(URL)
    assert response.status_code == 302
    assert owner_client.get(reverse("accounts:profile")).status_code == 302


def test_it_refuses_get(owner_client):
    assert owner_client.get(URL).status_code == 405
