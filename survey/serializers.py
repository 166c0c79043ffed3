"""API input and output shapes for surveys."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from accounts.models import MAX_AGE, MIN_AGE, Gender, Region
from catalog.movielens import OCCUPATION_CHOICES
from ottsite.lib.api import MAX_ID, InputSerializer, NamesField
from survey.models import MIN_FAVORITES, Survey

MAX_FAVORITES = 200


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        "minItems": MIN_FAVORITES,
        "maxItems": MAX_FAVORITES,
        "uniqueItems": True,
    }
)
class UniqueIdsField(serializers.ListField):
    """Distinct catalogue ids; a repeated id is an error, not silently dropped."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def to_internal_value(self, data):
        ids = super().to_internal_value(data)
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("Each movie can be chosen only once.")
        return ids


class SurveyInputSerializer(InputSerializer):
    age = serializers.IntegerField(min_value=MIN_AGE, max_value=MAX_AGE)
    gender = serializers.ChoiceField(choices=Gender.choices)
    occupation = serializers.ChoiceField(choices=OCCUPATION_CHOICES)
    region = serializers.ChoiceField(choices=Region.choices)
    platforms = serializers.ListField(
        child=serializers.SlugField(max_length=64),
        max_length=50,
        required=False,
        default=list,
        source="platform_slugs",
        help_text="Slugs of the services you pay for in the region (may be empty).",
    )
    monthly_budget = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        required=False,
        coerce_to_string=False,
        help_text="Optional monthly budget in the region's currency; null for none. "
        "Omitted: the profile's budget is kept.",
    )
    favorite_movie_ids = UniqueIdsField(
        min_length=MIN_FAVORITES,
        max_length=MAX_FAVORITES,
        help_text=f"At least {MIN_FAVORITES} distinct catalogue movie ids.",
    )
    share_for_training = serializers.BooleanField(
        required=False,
        help_text="May these answers, your ratings and dismissals train the shared "
        "model (improve recommendations for everyone)? Off leaves you out of the "
        "next training; change it any time on the profile. Omitted: the profile's "
        "current choice is kept (yes for a new account).",
    )


class SurveyCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    recommendations_url = serializers.SerializerMethodField()

    def get_recommendations_url(self, survey: Survey) -> str:
        return reverse(
            "api:survey-recommendations",
            args=[survey.pk],
            request=self.context.get("request"),
        )


class FavoriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="movie.id")
    title = serializers.CharField(source="movie.display_title")
    year = serializers.IntegerField(source="movie.year", allow_null=True)


class SurveySerializer(SurveyCreatedSerializer):
    age = serializers.IntegerField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    occupation = serializers.CharField()
    region = serializers.ChoiceField(choices=Region.choices)
    platforms = NamesField("slug")
    favorites = FavoriteSerializer(many=True)
