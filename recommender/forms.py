"""Forms of the recommendation pages: list filters and feedback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recommender.pool import ItemFilters


class ItemFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("Only on my services"), required=False)
    genre = forms.ChoiceField(label=_("Genre"), required=False)
    kind = forms.ChoiceField(
        label=_("Films or series"),
        required=False,
        choices=[
            ("", _("Films and series")),
            ("film", _("Only films")),
            ("series", _("Only series")),
        ],
    )
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=1900, max_value=2100
    )

    def __init__(
        self, *args: Any, genres: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["genre"].choices = [("", gettext("All genres")), *genres]

    def filters(self) -> ItemFilters:
        """The valid filters; a bad value is dropped (and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ItemFilters(
            only_mine=bool(data.get("mine")),
            genre=data.get("genre") or "",
            kind=data.get("kind") or "",
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
        )


class RatingForm(forms.Form):
    rating = forms.IntegerField(min_value=1, max_value=5)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        message = gettext("A rating is a whole number from 1 to 5.")
        for code in ("required", "invalid", "min_value", "max_value"):
            self.fields["rating"].error_messages[code] = message
