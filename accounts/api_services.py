"""API-only account services: tokens. Sign-up and profiles are accounts.services."""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.services import user_signup
from ottsite.lib.errors import Conflict, ValidationFailed


def api_account_register(*, username: str, password: str, email: str = "") -> Token:
    """Sign up through the API: the new user's token (its `.user` is the user).

    A taken username is a Conflict (409) here: the request is well-formed, the
    name is just gone.
    """
    taken = Conflict(_("A user with that username already exists."), field="username")
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise taken
    try:
        with transaction.atomic():
            user = user_signup(username=username, email=email, password=password)
            token, _created = Token.objects.get_or_create(user=user)
    except IntegrityError as exc:
        # Two sign-ups with one name can both pass the check above.
        raise taken from exc
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
