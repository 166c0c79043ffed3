"""The three steps of the survey: about you, your services, your favourite movies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import age_messages_set
from accounts.models import MAX_AGE, MIN_AGE, Gender, Region
from catalog.labels import occupation_choices
from catalog.models import Platform
from survey.history import MAX_BYTES
from survey.models import MIN_FAVORITES


class AboutForm(forms.Form):
    age = forms.IntegerField(label=_("Age"), min_value=MIN_AGE, max_value=MAX_AGE)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect
    )
    occupation = forms.ChoiceField(label=_("Occupation"))
    region = forms.ChoiceField(
        label=_("Where do you watch?"),
        choices=Region.choices,
        widget=forms.RadioSelect,
        help_text=_("We show the services and prices of this region."),
    )
    share_for_training = forms.BooleanField(
        label=_("Use my answers and ratings to improve recommendations for everyone"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [
            ("", gettext("Choose…")),
            *occupation_choices(),
        ]
        age_messages_set(self.fields["age"])
        for name in ("gender", "occupation", "region"):
            self.fields[name].error_messages["required"] = gettext("Please choose one.")
        self.fields["age"].error_messages["required"] = gettext(
            "Please enter your age."
        )


class ServicesForm(forms.Form):
    platforms = forms.MultipleChoiceField(
        label=_("Which streaming services do you pay for?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if you have none yet."),
    )

    monthly_budget = forms.DecimalField(
        label=_("Monthly budget for streaming (optional)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "In your region's currency (won in Korea, dollars in the US). We keep "
            "our advice within it; leave it empty for no limit."
        ),
    )

    def __init__(self, *args: Any, platforms: list[Platform], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["platforms"].choices = [(p.slug, p.name) for p in platforms]
        self.fields["platforms"].error_messages["invalid_choice"] = gettext(
            "%(value)s is not a service of the region you chose."
        )


class MovieIdsField(forms.Field):
    """A list of movie ids from repeated hidden inputs (one per chosen movie)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return [int(str(v).strip()) for v in values]
        except ValueError:
            raise ValidationError(
                gettext("Movie ids must be whole numbers."), code="invalid"
            ) from None


class MoviesForm(forms.Form):
    movie = MovieIdsField(label=_("Your favourite movies"), required=False)

    def clean_movie(self) -> list[int]:
        ids = self.cleaned_data["movie"]
        if len(set(ids)) != len(ids):
            raise ValidationError(gettext("Each movie can be chosen only once."))
        if len(ids) < MIN_FAVORITES:
            raise ValidationError(
                gettext("Choose at least %(n)d different movies (you chose %(got)d).")
                % {"n": MIN_FAVORITES, "got": len(ids)}
            )
        return ids


class HistoryUploadForm(forms.Form):
    export = forms.FileField(
        label=_("Your export file (CSV)"),
        # The phone's picker offers CSV files first (the server still checks).
        widget=forms.FileInput(
            attrs={"accept": ".csv,text/csv,text/comma-separated-values"}
        ),
        help_text=_(
            "Netflix: Account → Viewing activity → Download all. Letterboxd: "
            "Settings → Import & Export → Export your data (ratings.csv or "
            "watched.csv). IMDb: Your ratings → Export. At most 2 MB."
        ),
    )

    def clean_export(self) -> bytes:
        upload = self.cleaned_data["export"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                gettext("The file is larger than %(mb)d MB.")
                % {"mb": MAX_BYTES // 2**20}
            )
        return upload.read()


class HistoryConfirmForm(forms.Form):
    movie = MovieIdsField(label=_("Favourites to use"), required=False)
