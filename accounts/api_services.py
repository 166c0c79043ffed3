"""API-only account services: tokens. Sign-up and profiles are accounts.services."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.services import user_signup
from ottsite.lib.errors import ValidationFailed


def api_account_register(*, username: str, password: str, email: str = "") -> Token:
    """Sign up through the API: the new user's token (its `.user` is the user)."""
    with transaction.atomic():
        user = user_signup(username=username, email=email, password=password)
        token, _created = Token.objects.get_or_create(user=user)
    return token


def api_token_issue(*, username: str, password: str) -> Token:
    """The user's API token (created on first use) for a correct password."""
    user = authenticate(username=username, password=password)
    if user is None:
        raise ValidationFailed(
            {"non_field_errors": [_("Unable to log in with those credentials.")]}
        )
    token, _created = Token.objects.get_or_create(user=user)
    return token
