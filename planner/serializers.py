"""API shapes of the plan: the query and the plan (planner.payload) it answers."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from planner.models import MAX_PACE
from planner.payload import PLAN_STATUSES
from planner.selectors import MONTHS_MAX, MONTHS_MIN

# Slugs only (ASCII), and short: the whole URL must stay under the API's limit.
ANCHORS_PATTERN = r"^[a-z0-9,-]*$"
ANCHORS_MAX_LENGTH = 200
PRICE_HELP = "Decimal string in the region's currency; null when unknown."


class PlanQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(
        required=False,
        min_value=MONTHS_MIN,
        max_value=MONTHS_MAX,
        help_text=f"How many months to plan, {MONTHS_MIN} to {MONTHS_MAX} (default 3).",
    )
    pace = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PACE,
        help_text="Titles watched a month (default: the saved pace, else 4).",
    )
    anchors = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=ANCHORS_MAX_LENGTH,
        validators=[
            RegexValidator(ANCHORS_PATTERN, _("Name services by their slugs."))
        ],
        help_text="Services kept every month, as comma-separated slugs "
        "(`netflix,tving`); empty for none. Default: the saved choice, else the "
        "profile's subscriptions.",
    )

    def validate_anchors(self, value: str) -> list[str]:
        return [s for s in value.split(",") if s]


class PlanServiceSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    monthly_price = serializers.CharField(allow_null=True, help_text=PRICE_HELP)
    price_display = serializers.CharField()
    is_anchor = serializers.BooleanField(help_text="Kept every month.")


class PlanTitleSerializer(serializers.Serializer):
    movie_id = serializers.IntegerField()
    title = serializers.CharField()
    title_ko = serializers.CharField()
    kind = serializers.CharField(help_text="film or series.")
    year = serializers.IntegerField(allow_null=True)
    is_watchlist = serializers.BooleanField()
    predicted_rating = serializers.FloatField(
        allow_null=True, help_text="1-5; null for a watchlist title not predicted."
    )
    via = serializers.CharField(help_text="Slug of the service to watch it on.")
    via_name = serializers.CharField()


class PlanMonthSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="0 is the month containing today.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    label = serializers.CharField()
    services = PlanServiceSerializer(many=True)
    cost = serializers.CharField(help_text=PRICE_HELP)
    cost_display = serializers.CharField()
    keep_all_cost = serializers.CharField(
        help_text="What keeping every carrying service would cost this month."
    )
    saved = serializers.CharField()
    saved_display = serializers.CharField()
    titles = PlanTitleSerializer(many=True, help_text="What to watch, best first.")


class PlanSwitchSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    on = serializers.DateField(help_text="Today for month 0, else the renewal day.")
    is_now = serializers.BooleanField(help_text="Against what you pay for today.")
    start = PlanServiceSerializer(many=True)
    stop = PlanServiceSerializer(many=True)


class PlanCountsSerializer(serializers.Serializer):
    titles = serializers.IntegerField(help_text="Watchlist plus recommendations.")
    known = serializers.IntegerField(help_text="Where they stream is known.")
    unknown = serializers.IntegerField(help_text="We know nothing yet: not planned.")
    no_service = serializers.IntegerField(
        help_text="Known, but in no subscription with a known price."
    )
    plannable = serializers.IntegerField()
    planned = serializers.IntegerField()
    min_known = serializers.IntegerField(help_text="Known titles a plan needs.")


class PlanSerializer(serializers.Serializer):
    region = serializers.CharField()
    currency = serializers.CharField()
    months_count = serializers.IntegerField()
    pace = serializers.IntegerField()
    budget = serializers.CharField(allow_null=True, help_text=PRICE_HELP)
    budget_display = serializers.CharField(allow_null=True)
    anchors = PlanServiceSerializer(many=True)
    status = serializers.ChoiceField(
        choices=PLAN_STATUSES,
        help_text="ok; anchors_over_budget (the kept services alone cost more than "
        "the budget: nothing added); not_enough_known (no plan); no_titles.",
    )
    has_plan = serializers.BooleanField()
    counts = PlanCountsSerializer()
    unknown_movie_ids = serializers.ListField(child=serializers.IntegerField())
    months = PlanMonthSerializer(many=True)
    switches = PlanSwitchSerializer(many=True)
    keep_all = PlanServiceSerializer(
        many=True, help_text="Every service carrying one of the titles, and anchors."
    )
    total_cost = serializers.CharField()
    total_cost_display = serializers.CharField()
    keep_all_cost = serializers.CharField()
    keep_all_cost_display = serializers.CharField()
    saved = serializers.CharField()
    saved_display = serializers.CharField()
    solve_ms = serializers.FloatField(help_text="Time the optimiser took.")
    sentence = serializers.CharField()
