"""The plan page's forms: what to plan (GET) and saving it with reminders (POST)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Platform
from planner.models import MAX_PACE
from planner.selectors import MONTHS_MAX, MONTHS_MIN


class _AnchorsForm(forms.Form):
    pace = forms.IntegerField(
        label=_("Titles you watch a month"),
        min_value=1,
        max_value=MAX_PACE,
        required=False,
    )
    anchors = forms.MultipleChoiceField(
        label=_("Services you keep all year"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, platforms: list[Platform], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["anchors"].choices = [(p.slug, p.name) for p in platforms]


class PlanForm(_AnchorsForm):
    """GET: the plan for other months, pace or kept services (not saved)."""

    months = forms.TypedChoiceField(
        label=_("Months"),
        choices=[(n, str(n)) for n in range(MONTHS_MIN, MONTHS_MAX + 1)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    # Present when the form was sent: no box ticked then means "no anchors".
    anchors_set = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def query(self) -> dict[str, Any]:
        """Keyword arguments for planner.selectors.plan_choices."""
        data = self.cleaned_data
        return {
            "months": data.get("months"),
            "pace": data.get("pace"),
            "anchors": list(data["anchors"]) if data.get("anchors_set") else None,
        }


class PlanSettingsForm(_AnchorsForm):
    """POST: keep this pace and these services, with or without reminders."""

    pace = forms.IntegerField(
        label=_("Titles you watch a month"), min_value=1, max_value=MAX_PACE
    )
    has_reminders = forms.BooleanField(
        label=_("Remind me a few days before each switch"), required=False
    )
    email_reminders = forms.BooleanField(label=_("Also by e-mail"), required=False)
