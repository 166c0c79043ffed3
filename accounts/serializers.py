"""API input and output shapes for accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.models import MAX_AGE, MIN_AGE, Gender, Profile, Region
from catalog.models import Platform
from catalog.movielens import OCCUPATION_CHOICES
from ottsite.lib.api import InputSerializer, NamesField, TextField

MAX_BUDGET = 99_999_999.0


def _username_validate(value: str) -> None:
    # Django's own rule. Not a RegexValidator instance, so the schema shows no
    # `pattern`: an OpenAPI (ECMA) \w is ASCII-only, but Korean names are allowed.
    UnicodeUsernameValidator()(value)


class RegisterInputSerializer(InputSerializer):
    username = serializers.CharField(
        max_length=150,
        validators=[_username_validate],
        help_text="Letters of any script (Korean too), digits and @ . + - _",
    )
    # At least one non-digit: an all-numeric password is refused by the validators.
    password = serializers.RegexField(
        r"\D", min_length=8, max_length=128, write_only=True
    )
    email = serializers.EmailField(required=False, default="", allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = Profile._meta.get_field("user").related_model(
            username=attrs["username"], email=attrs["email"]
        )
        try:
            validate_password(attrs["password"], user=user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": exc.messages}) from exc
        return attrs


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()


class RegisterOutputSerializer(serializers.Serializer):
    user = UserSerializer()
    token = serializers.CharField(help_text='Send as "Authorization: Token <token>".')


class TokenInputSerializer(InputSerializer):
    username = TextField(max_length=150)
    password = TextField(max_length=128, write_only=True)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send as "Authorization: Token <token>".')


class ProfileInputSerializer(InputSerializer):
    """A partial change, completed from `context["profile"]` into a full update."""

    age = serializers.IntegerField(
        min_value=MIN_AGE, max_value=MAX_AGE, allow_null=True, required=False
    )
    gender = serializers.ChoiceField(
        choices=[("", "not given"), *Gender.choices], required=False
    )
    occupation = serializers.ChoiceField(
        choices=["", *OCCUPATION_CHOICES], required=False
    )
    region = serializers.ChoiceField(choices=Region.choices, required=False)
    subscriptions = serializers.ListField(
        child=serializers.SlugField(max_length=64),
        max_length=50,
        required=False,
        help_text="Slugs of the platforms you pay for, in your region.",
    )
    monthly_budget = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        required=False,
        coerce_to_string=False,
    )

    share_for_training = serializers.BooleanField(
        required=False,
        help_text="May your survey answers, ratings and dismissals train the shared "
        "model? Off leaves you out of the next training.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        profile: Profile = self.context["profile"]
        region = attrs.get("region", profile.region)
        if "subscriptions" in attrs:
            slugs = list(dict.fromkeys(attrs.pop("subscriptions")))
            platforms = Platform.objects.filter(
                region=region, slug__in=slugs, is_active=True
            )
            ids = list(platforms.values_list("pk", flat=True))
            if len(ids) != len(slugs):
                raise serializers.ValidationError(
                    {"subscriptions": [_("Unknown service(s) in this region.")]}
                )
        else:
            ids = [p.pk for p in profile.subscriptions.all() if p.region == region]
        return {
            "age": attrs.get("age", profile.age),
            "gender": attrs.get("gender", profile.gender),
            "occupation": attrs.get("occupation", profile.occupation),
            "region": region,
            "platform_ids": ids,
            "monthly_budget": attrs.get("monthly_budget", profile.monthly_budget),
            "has_training_consent": attrs.get(
                "share_for_training", profile.has_training_consent
            ),
        }


class ProfileOutputSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    email = serializers.CharField(source="user.email")
    age = serializers.IntegerField(allow_null=True)
    gender = serializers.CharField()
    occupation = serializers.CharField()
    region = serializers.ChoiceField(choices=Region.choices)
    subscriptions = NamesField("slug")
    monthly_budget = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    share_for_training = serializers.BooleanField(source="has_training_consent")


class AccountDeleteInputSerializer(InputSerializer):
    password = serializers.CharField(
        help_text="Your current password, to confirm the deletion."
    )
