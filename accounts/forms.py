"""Forms of the account pages: sign up and the profile."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import MAX_AGE, MIN_AGE, Gender, Region
from catalog.labels import occupation_choices
from catalog.models import Platform
from ottsite.lib.korean import particles_resolve


def age_messages_set(field: forms.Field) -> None:
    """One clear message for every out-of-range or non-numeric age."""
    message = gettext("Age must be a whole number from %(min)d to %(max)d.") % {
        "min": MIN_AGE,
        "max": MAX_AGE,
    }
    for code in ("min_value", "max_value", "invalid"):
        field.error_messages[code] = message


class LoginForm(AuthenticationForm):
    """Django's login form whose error picks the right Korean particle."""

    def get_invalid_login_error(self) -> ValidationError:
        # Django's own Korean reads "사용자 이름와/과": the particle depends on the
        # field name, so it is chosen after the name is filled in.
        message = gettext(
            "Please enter a correct %(username)s and password. Note that both "
            "fields may be case-sensitive."
        ) % {"username": self.username_field.verbose_name}
        return ValidationError(particles_resolve(message), code="invalid_login")


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional; only used to reset a forgotten password."),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput, strip=False
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class PlatformChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Platform) -> str:
        return obj.name


class ProfileForm(forms.Form):
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=MIN_AGE,
        max_value=MAX_AGE,
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", "---------"), *Gender.choices],
    )
    occupation = forms.ChoiceField(label=_("Occupation"), required=False)
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    subscriptions = PlatformChoiceField(
        label=_("Services you pay for"),
        required=False,
        queryset=Platform.objects.filter(is_active=True).order_by("region", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    monthly_budget = forms.DecimalField(
        label=_("Monthly budget for streaming"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("In your region's currency (won in Korea, dollars in the US)."),
    )
    share_for_training = forms.BooleanField(
        label=_("Use my answers and ratings to improve recommendations for everyone"),
        required=False,
        initial=True,
    )
    email_alerts = forms.BooleanField(
        label=_(
            "E-mail me when a movie on my watchlist arrives on or leaves my services"
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [("", "---------"), *occupation_choices()]
        age_messages_set(self.fields["age"])

    def clean(self) -> dict:
        cleaned = super().clean()
        region = cleaned.get("region")
        wrong = [p for p in cleaned.get("subscriptions") or [] if p.region != region]
        if region and wrong:
            self.add_error(
                "subscriptions",
                _("Choose only services offered in the region you chose."),
            )
        return cleaned
