"""API input and output shapes for recommendations and feedback."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from catalog.serializers import MovieBriefSerializer, OfferSerializer
from ottsite.lib.api import MAX_ID, InputSerializer
from recommender.models import RecommendationSet
from recommender.pool import ItemFilters


class MovieIdInputSerializer(InputSerializer):
    movie_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class RatingInputSerializer(MovieIdInputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)


class RecommendationsQuerySerializer(serializers.Serializer):
    """Filters of the recommendations: they pick from the set's longer list."""

    kind = serializers.ChoiceField(
        choices=["all", "film", "series"],
        required=False,
        help_text="Only films or only series (all: both).",
    )
    only_mine = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only titles a service of the survey includes (no rent or buy).",
    )
    year_from = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="Only titles from this year on (titles without a year are left out).",
    )
    year_to = serializers.IntegerField(
        required=False, min_value=1900, max_value=2100, help_text="Up to this year."
    )

    def filters(self) -> ItemFilters:
        """The validated query as ItemFilters."""
        data = self.validated_data
        kind = data.get("kind", "all")
        return ItemFilters(
            only_mine=data.get("only_mine", False),
            kind="" if kind == "all" else kind,
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
        )


class RatingSerializer(serializers.Serializer):
    movie_id = serializers.IntegerField()
    rating = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class DismissalSerializer(serializers.Serializer):
    movie_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class WatchlistItemSerializer(serializers.Serializer):
    movie = MovieBriefSerializer()
    created_at = serializers.DateTimeField()


class AvailabilityStatusSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["available", "checking", "none", "unknown"],
        help_text="available: offers below; checking: a look-up is under way; "
        "none: a live source found no service we know; unknown: not checked yet "
        "or the check failed.",
    )
    checked_at = serializers.DateTimeField(allow_null=True)
    source = serializers.CharField(help_text="Source of the newest answer, if any.")


class SearchLinkSerializer(serializers.Serializer):
    platform_slug = serializers.CharField(help_text='"justwatch" for JustWatch.')
    name = serializers.CharField()
    url = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    movie = MovieBriefSerializer()
    predicted_rating = serializers.FloatField(help_text="On the 1-5 scale.")
    score = serializers.FloatField()
    reason = serializers.CharField()
    availability = serializers.SerializerMethodField(
        help_text="Offers in the survey's region, subscription first."
    )

    availability_status = serializers.SerializerMethodField()
    search_links = serializers.SerializerMethodField(
        help_text="Where to search yourself when no offer is known: the user's "
        "services, then JustWatch."
    )

    @extend_schema_field(OfferSerializer(many=True))
    def get_availability(self, item) -> list[dict]:
        offers = self.context["availability"].get(item.movie_id, [])
        return OfferSerializer(offers, many=True).data

    @extend_schema_field(AvailabilityStatusSerializer)
    def get_availability_status(self, item) -> dict:
        status = self.context["statuses"].get(item.movie_id)
        if status is None:
            return {"state": "unknown", "checked_at": None, "source": ""}
        return AvailabilityStatusSerializer(status).data

    @extend_schema_field(SearchLinkSerializer(many=True))
    def get_search_links(self, item) -> list[dict]:
        links = self.context["search_links"].get(item.movie_id, [])
        return SearchLinkSerializer(links, many=True).data


class ExampleSerializer(serializers.Serializer):
    movie_id = serializers.IntegerField()
    title = serializers.CharField()
    title_ko = serializers.CharField(help_text="Blank when no Korean title is known.")


class CoverageSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    monthly_price = serializers.CharField(allow_null=True)
    price_display = serializers.CharField()
    covered_count = serializers.IntegerField()
    covered_value = serializers.FloatField()
    movie_ids = serializers.ListField(child=serializers.IntegerField())
    is_subscribed = serializers.BooleanField()
    examples = ExampleSerializer(
        many=True, help_text="The first few titles it carries, best match first."
    )


class AdditionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    monthly_price = serializers.CharField(allow_null=True)
    price_display = serializers.CharField()
    added_count = serializers.IntegerField()
    added_value = serializers.FloatField()
    movie_ids = serializers.ListField(child=serializers.IntegerField())


class BundleSerializer(serializers.Serializer):
    slugs = serializers.ListField(child=serializers.CharField())
    total_price = serializers.CharField()
    price_display = serializers.CharField()
    covered_count = serializers.IntegerField()
    covered_value = serializers.FloatField()
    movie_ids = serializers.ListField(child=serializers.IntegerField())


class CancelSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    unique_count = serializers.IntegerField()
    monthly_price = serializers.CharField(allow_null=True)
    price_display = serializers.CharField()


class WatchableSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    movie_ids = serializers.ListField(child=serializers.IntegerField())


class PlatformAdviceSerializer(serializers.Serializer):
    """Documents recommender.advice.PlatformAdvice.as_dict() (prices as strings)."""

    region = serializers.CharField()
    currency = serializers.CharField()
    k = serializers.IntegerField(help_text="How many titles the advice counts.")
    scope = serializers.ChoiceField(
        choices=["pool", "shown"],
        help_text="pool: the k titles are the whole catalogue's best matches; "
        "shown: the shown items (a set built before the longer list existed).",
    )
    unknown_count = serializers.IntegerField(
        help_text="Of the k titles, how many have unknown availability here (not "
        "counted for any service)."
    )
    subscribed = serializers.ListField(child=serializers.CharField())
    watchable_now = WatchableSerializer()
    per_platform = CoverageSerializer(many=True)
    best_addition = AdditionSerializer(allow_null=True)
    best_bundle = BundleSerializer(allow_null=True)
    budget = serializers.CharField(allow_null=True)
    cancel_candidate = CancelSerializer(allow_null=True)
    known_count = serializers.IntegerField(
        help_text="How many of the k movies have any known offer in the region."
    )
    min_known = serializers.IntegerField(
        help_text="Known movies needed before the advice adds, bundles or cancels."
    )
    has_verdict = serializers.BooleanField()
    current_price = serializers.CharField(
        help_text="What the subscribed services cost a month."
    )
    current_price_display = serializers.CharField()
    budget_display = serializers.CharField(allow_null=True)
    is_over_budget = serializers.BooleanField()
    addition_tie = serializers.ListField(
        child=serializers.CharField(),
        help_text="Names of services that tie as best addition (none is named).",
    )
    cancel_tie = serializers.ListField(
        child=serializers.CharField(),
        help_text="Names of subscriptions that tie as cancel candidate.",
    )
    sentence = serializers.CharField()


class RecommendationsSerializer(serializers.Serializer):
    """A RecommendationsPage: items and advice appear once the status is ready."""

    id = serializers.IntegerField(source="rec_set.pk")
    survey_id = serializers.IntegerField(source="rec_set.survey_id")
    status = serializers.ChoiceField(
        source="rec_set.status", choices=RecommendationSet.Status.choices
    )
    error = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="rec_set.created_at")
    finished_at = serializers.DateTimeField(
        source="rec_set.finished_at", allow_null=True
    )
    items = serializers.SerializerMethodField(
        help_text="The shown titles; with filters, the first ones of the set's "
        "longer list (the whole catalogue's best matches) that pass them, ranked by "
        "their place in it."
    )
    matching = serializers.IntegerField(
        allow_null=True,
        help_text="With filters: how many titles of the longer list pass them; "
        "null without filters.",
    )
    platform_advice = serializers.SerializerMethodField()

    def get_error(self, page) -> str:
        # Stored in English (the worker has no request language), shown translated.
        return gettext(page.rec_set.error) if page.rec_set.error else ""

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, page) -> list[dict]:
        context = {
            "availability": page.availability,
            "statuses": page.statuses,
            "search_links": page.search_links,
        }
        return ItemSerializer(page.items, many=True, context=context).data

    @extend_schema_field(PlatformAdviceSerializer(allow_null=True))
    def get_platform_advice(self, page) -> dict | None:
        return page.platform_advice


class RefreshSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    survey_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RecommendationSet.Status.choices)
    recommendations_url = serializers.SerializerMethodField()

    def get_recommendations_url(self, rec_set: RecommendationSet) -> str:
        return reverse(
            "api:survey-recommendations",
            args=[rec_set.survey_id],
            request=self.context.get("request"),
        )
