"""API input and output shapes for the catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalog.links import poster_url
from catalog.models import Movie
from catalog.regions import Region
from catalog.selectors import SEARCH_MAX_LENGTH
from ottsite.lib.api import MAX_ID, InputSerializer, NamesField, TextField

SEARCH_TOO_LONG = _(
    "Search words can be at most {max_length} characters. Try a shorter part of "
    "the title."
)

MAX_PRICE = 99_999_999.0
MAX_PROVIDER_ID = 2_147_483_647
BAD_KIND = _("“{input}” is not a kind: use film or series.")
BAD_TMDB_ID = _("A TMDB id is a positive whole number, such as 1396.")


class MovieFilterSerializer(serializers.Serializer):
    search = TextField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": SEARCH_TOO_LONG},
        help_text="Words of the title (fuzzy); blank means no search.",
    )
    genre = TextField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=64,
        help_text="A genre name; blank means any.",
    )
    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)
    platform = serializers.SlugField(
        required=False, max_length=64, help_text="Only movies with an offer there."
    )
    region = serializers.ChoiceField(
        choices=Region.choices, required=False, help_text="Only offers in the region."
    )
    kind = serializers.ChoiceField(
        choices=Movie.Kind.choices,
        required=False,
        error_messages={"invalid_choice": BAD_KIND},
        help_text="Only films or only series.",
    )
    tmdb_id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "invalid": BAD_TMDB_ID,
            "min_value": BAD_TMDB_ID,
            "max_value": BAD_TMDB_ID,
            "max_string_length": BAD_TMDB_ID,
        },
        help_text="Only the title with this TMDB id (a film's and a series' may "
        "be equal: add `kind`).",
    )


class RegionQuerySerializer(serializers.Serializer):
    region = serializers.ChoiceField(choices=Region.choices, default=Region.KOREA)


class PlatformFilterSerializer(serializers.Serializer):
    region = serializers.ChoiceField(choices=Region.choices, required=False)


KIND_HELP = "film or series."
TMDB_ID_HELP = "The TMDB id (of /movie for films, /tv for series); null when unknown."
TITLE_KO_HELP = "Korean title from TMDB (ko-KR); empty when unknown."
ORIGINAL_TITLE_HELP = "The title in its original language (TMDB); empty when unknown."
SEASONS_HELP = "Number of seasons of a series (TMDB); null for films or when unknown."
RUNTIME_HELP = (
    "Running time in minutes: a film's length, a series' typical episode (TMDB); "
    "null when unknown."
)


class MovieSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField(
        help_text='The dataset, e.g. "ml-100k", or the TMDB catalogue sync '
        '("tmdb-movie", "tmdb-tv").'
    )
    source_id = serializers.IntegerField(help_text="The id in the dataset.")
    kind = serializers.ChoiceField(choices=Movie.Kind.choices, help_text=KIND_HELP)
    tmdb_id = serializers.IntegerField(allow_null=True, help_text=TMDB_ID_HELP)
    title = serializers.CharField(source="display_title")
    title_ko = serializers.CharField(help_text=TITLE_KO_HELP)
    original_title = serializers.CharField(help_text=ORIGINAL_TITLE_HELP)
    year = serializers.IntegerField(allow_null=True)
    seasons = serializers.IntegerField(allow_null=True, help_text=SEASONS_HELP)
    runtime = serializers.IntegerField(allow_null=True, help_text=RUNTIME_HELP)
    genres = NamesField("name")


class MovieBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Movie.Kind.choices, help_text=KIND_HELP)
    title = serializers.CharField(source="display_title")
    title_ko = serializers.CharField(help_text=TITLE_KO_HELP)
    year = serializers.IntegerField(allow_null=True)
    genres = NamesField("name")
    poster_url = serializers.SerializerMethodField(
        help_text="TMDB poster image; empty without a TMDB key or poster."
    )

    def get_poster_url(self, movie) -> str:
        return poster_url(movie)


class OfferSerializer(serializers.Serializer):
    platform_slug = serializers.CharField()
    platform_name = serializers.CharField()
    offer_type = serializers.CharField(help_text="subscription, free, ads, rent, buy")
    link = serializers.CharField()
    source = serializers.CharField()
    last_checked = serializers.DateTimeField()


class MovieDetailSerializer(serializers.Serializer):
    """A catalog.selectors.MovieDetail: the movie, its offers, similar movies."""

    id = serializers.IntegerField(source="movie.id")
    source = serializers.CharField(source="movie.source")
    source_id = serializers.IntegerField(source="movie.source_id")
    kind = serializers.ChoiceField(
        choices=Movie.Kind.choices, source="movie.kind", help_text=KIND_HELP
    )
    tmdb_id = serializers.IntegerField(
        source="movie.tmdb_id", allow_null=True, help_text=TMDB_ID_HELP
    )
    title = serializers.CharField(source="movie.display_title")
    title_ko = serializers.CharField(source="movie.title_ko", help_text=TITLE_KO_HELP)
    original_title = serializers.CharField(
        source="movie.original_title", help_text=ORIGINAL_TITLE_HELP
    )
    year = serializers.IntegerField(source="movie.year", allow_null=True)
    seasons = serializers.IntegerField(
        source="movie.seasons", allow_null=True, help_text=SEASONS_HELP
    )
    runtime = serializers.IntegerField(
        source="movie.runtime", allow_null=True, help_text=RUNTIME_HELP
    )
    genres = NamesField("name", source="movie.genres")
    region = serializers.CharField(help_text="The region of `availability`.")
    availability = OfferSerializer(many=True)
    similar = MovieBriefSerializer(many=True)


class MovieInputSerializer(InputSerializer):
    title = TextField(max_length=300)
    year = serializers.IntegerField(
        min_value=1, max_value=9999, allow_null=True, required=False
    )
    genres = serializers.ListField(
        child=TextField(max_length=64), max_length=30, required=False
    )


class PlatformSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()
    monthly_price = serializers.FloatField(allow_null=True)
    currency = serializers.CharField()
    homepage = serializers.CharField()
    logo_url = serializers.CharField()
    tmdb_provider_id = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()


class PlatformInputSerializer(InputSerializer):
    name = TextField(max_length=64)
    slug = serializers.SlugField(max_length=64)
    region = serializers.ChoiceField(choices=Region.choices)
    monthly_price = serializers.FloatField(
        min_value=0, max_value=MAX_PRICE, allow_null=True, required=False
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    # A pattern, not URLField: Django's URL validator is stricter than OpenAPI's "uri".
    # The host is plain letters, digits, dots and hyphens (no "[" that would make the
    # stored value an unparseable URL).
    homepage = serializers.RegexField(
        r"^(https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
        r"(?:[/?#][!-~]*)?)?$",
        max_length=200,
        allow_blank=True,
        required=False,
        trim_whitespace=False,
    )
    tmdb_provider_id = serializers.IntegerField(
        min_value=1, max_value=MAX_PROVIDER_ID, allow_null=True, required=False
    )
    is_active = serializers.BooleanField(required=False)


class IdPathSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
