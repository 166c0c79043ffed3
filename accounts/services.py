"""Services for accounts: sign up and profile updates."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Profile, Region
from catalog.models import Platform
from ottsite.lib.errors import Conflict, ValidationFailed
from ottsite.lib.generations import user_changed


def user_signup(*, username: str, email: str, password: str) -> AbstractBaseUser:
    """Create a user and their empty profile (region defaults to Korea).

    A taken username is a Conflict naming the field; a weak password is refused
    with the password validators' messages.
    """
    user_model = get_user_model()
    taken = Conflict(_("A user with that username already exists."), field="username")
    if user_model.objects.filter(username__iexact=username).exists():
        raise taken
    try:
        password_validation.validate_password(
            password, user=user_model(username=username, email=email)
        )
    except DjangoValidationError as exc:
        raise ValidationFailed({"password": list(exc.messages)}) from exc
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(
                username=username, email=email, password=password
            )
            Profile.objects.create(user=user)
    except IntegrityError as exc:
        # Two sign-ups with one name can both pass the check above.
        raise taken from exc
    return user


def profile_get_or_create(*, user: AbstractBaseUser) -> Profile:
    """The user's profile, created empty on first use (e.g. for admin-made users)."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(
    *,
    user: AbstractBaseUser,
    age: int | None,
    gender: str,
    occupation: str,
    region: str,
    platform_ids: Sequence[int],
    monthly_budget: Decimal | None,
    has_training_consent: bool | None = None,
    email_alerts: bool | None = None,
) -> Profile:
    """Save the profile; every subscription must be a service of the chosen region."""
    if region not in Region.values:
        raise ValidationFailed({"region": [_("Choose a supported region.")]})
    platforms = list(
        Platform.objects.filter(pk__in=platform_ids, region=region, is_active=True)
    )
    if len(platforms) != len(set(platform_ids)):
        raise ValidationFailed(
            {
                "subscriptions": [
                    _("Choose only services offered in the region you chose.")
                ]
            }
        )
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        profile.age = age
        profile.gender = gender
        profile.occupation = occupation
        profile.region = region
        profile.monthly_budget = monthly_budget
        if has_training_consent is not None:
            profile.has_training_consent = has_training_consent
        if email_alerts is not None:
            profile.email_alerts = email_alerts
        profile.save()
        profile.subscriptions.set(platforms)
        # Budget and subscriptions shape the platform advice of cached payloads.
        user_changed(user_id=user.pk)
    return profile


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


def account_delete(*, user: AbstractBaseUser, password: str) -> None:
    """Delete the account and everything of it, after checking the password.

    Surveys, ratings, dismissals, the watchlist, recommendation sets and the API
    token go with the user (ON DELETE CASCADE); the next training no longer sees
    them, because product training rows are read from these tables.
    """
    if not password or not user.check_password(password):
        raise ValidationFailed({"password": [_("The password is not correct.")]})
    with transaction.atomic():
        user.delete()
