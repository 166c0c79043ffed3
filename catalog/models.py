"""The movie catalogue and the MovieLens users and ratings it was built from."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField

from catalog.titles import display_title

# Item embeddings written by the recommender (recommender.ml.model.ITEM_VECTOR_DIM).
MOVIE_VECTOR_DIM = 32
# Co-liked vectors for similar titles (recommender.ml.similar.SIMILAR_VECTOR_DIM).
SIMILAR_VECTOR_DIM = 128


class Genre(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("genre")
        verbose_name_plural = _("genres")

    def __str__(self) -> str:
        return self.name


class Movie(models.Model):
    """A film or a series: from MovieLens (with ratings), from a TMDB catalogue sync
    (what the services carry now), or added by an admin."""

    class Kind(models.TextChoices):
        FILM = "film", _("film")
        SERIES = "series", _("series")

    # Movie.source of titles a catalogue sync created (one per TMDB id space).
    SOURCE_TMDB_MOVIE = "tmdb-movie"
    SOURCE_TMDB_TV = "tmdb-tv"
    # ml-100k's item 267 is a placeholder titled "unknown" (no year, no date): it
    # keeps its ratings for training but is never offered to search, pick or watch.
    PLACEHOLDER = models.Q(title="unknown", year__isnull=True)

    source = models.CharField(_("source dataset"), max_length=32, db_index=True)
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.FILM,
        db_default=Kind.FILM,
    )
    source_id = models.BigIntegerField(_("id in the source"))
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    genres = models.ManyToManyField(Genre, related_name="movies", blank=True)
    imdb_id = models.CharField(_("IMDb id"), max_length=16, blank=True, default="")
    tmdb_id = models.BigIntegerField(_("TMDB id"), null=True, blank=True)
    # From TMDB's ko-KR details; TMDB's terms cap caching at six months, hence the date.
    title_ko = models.CharField(
        _("Korean title"), max_length=300, blank=True, default="", db_default=""
    )
    overview_ko = models.TextField(
        _("Korean overview"), blank=True, default="", db_default=""
    )
    poster_path = models.CharField(
        _("poster path"), max_length=200, blank=True, default="", db_default=""
    )
    details_fetched_at = models.DateTimeField(
        _("TMDB details fetched at"), null=True, blank=True
    )
    # Display facts from TMDB details (never model input: TMDB's terms forbid it).
    original_title = models.CharField(
        _("original title"), max_length=300, blank=True, default="", db_default=""
    )
    original_language = models.CharField(
        _("original language"), max_length=8, blank=True, default="", db_default=""
    )
    origin_countries = models.JSONField(
        _("countries of origin"), blank=True, default=list, db_default=[]
    )
    overview_en = models.TextField(
        _("English overview"), blank=True, default="", db_default=""
    )
    tmdb_genres = models.JSONField(
        _("TMDB genres"), blank=True, default=list, db_default=[]
    )
    keywords = models.JSONField(_("keywords"), blank=True, default=list, db_default=[])
    runtime = models.PositiveIntegerField(_("runtime (minutes)"), null=True, blank=True)
    seasons = models.PositiveIntegerField(_("seasons"), null=True, blank=True)
    popularity = models.FloatField(_("TMDB popularity"), null=True, blank=True)
    vote_average = models.FloatField(_("TMDB vote average"), null=True, blank=True)
    vote_count = models.PositiveIntegerField(_("TMDB votes"), null=True, blank=True)
    # The active model's NCF item factors (rating prediction).
    embedding = VectorField(dimensions=MOVIE_VECTOR_DIM, null=True, blank=True)
    # Cosine ~ how often the same people liked both titles: the movie page's
    # similar titles (recommender.ml.similar), written when a model is activated.
    similar_vector = VectorField(
        dimensions=SIMILAR_VECTOR_DIM, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "year"]
        verbose_name = _("movie")
        verbose_name_plural = _("movies")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="movie_unique_source_id"
            )
        ]
        indexes = [
            models.Index(Upper("title"), name="movie_title_upper"),
            models.Index(fields=["year"], name="movie_year"),
            models.Index(fields=["kind", "tmdb_id"], name="movie_kind_tmdb"),
            HnswIndex(
                name="movie_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            HnswIndex(
                name="movie_similar_vector_hnsw",
                fields=["similar_vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def is_placeholder(self) -> bool:
        return self.title == "unknown" and self.year is None

    @property
    def display_title(self) -> str:
        # MovieLens writes "Usual Suspects, The (1995)"; a synced title is as TMDB
        # writes it ("(500) Days of Summer" must stay as it is).
        if self.source in (self.SOURCE_TMDB_MOVIE, self.SOURCE_TMDB_TV):
            return self.title
        return display_title(self.title)


class DatasetUser(models.Model):
    """A MovieLens rater; demographics are absent in the ml-latest formats."""

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    source = models.CharField(_("source dataset"), max_length=32, db_index=True)
    source_id = models.BigIntegerField(_("id in the source"))
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True, default=""
    )
    occupation = models.CharField(
        _("occupation"), max_length=32, blank=True, default=""
    )
    zip_code = models.CharField(_("zip code"), max_length=16, blank=True, default="")

    class Meta:
        ordering = ["source", "source_id"]
        verbose_name = _("dataset user")
        verbose_name_plural = _("dataset users")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="datasetuser_unique_source_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} user {self.source_id}"

    @property
    def has_demographics(self) -> bool:
        return self.age is not None


class Rating(models.Model):
    user = models.ForeignKey(
        DatasetUser, on_delete=models.CASCADE, related_name="ratings"
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="ratings")
    rating = models.FloatField(_("rating"))
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "movie"], name="rating_unique_user_movie"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=0.5) & models.Q(rating__lte=5),
                name="rating_in_range",
            ),
        ]
        indexes = [models.Index(fields=["movie"], name="rating_movie")]

    def __str__(self) -> str:
        return f"{self.user} rated {self.movie_id}: {self.rating}"


class Platform(models.Model):
    """A streaming service in one region; prices and TMDB ids are admin-editable."""

    name = models.CharField(_("name"), max_length=64)
    slug = models.SlugField(_("slug"), max_length=64)
    region = models.CharField(_("region"), max_length=2, db_index=True)
    monthly_price = models.DecimalField(
        _("monthly price"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="KRW")
    logo_url = models.CharField(_("logo"), max_length=300, blank=True, default="")
    homepage = models.URLField(_("homepage"), blank=True, default="")
    tmdb_provider_id = models.PositiveIntegerField(
        _("TMDB provider id"), null=True, blank=True
    )
    is_tmdb_id_verified = models.BooleanField(
        _("TMDB provider id verified"), default=True
    )
    # Where a user can search the service themselves; {query} is the URL-quoted title.
    search_url = models.CharField(
        _("search URL template"), max_length=300, blank=True, default=""
    )
    price_checked_on = models.DateField(
        _("price checked on"),
        null=True,
        blank=True,
        help_text=_("When we last looked for a newer figure than the source's."),
    )
    price_source = models.CharField(
        _("price source"),
        max_length=300,
        blank=True,
        default="",
        help_text=_(
            "Who gives the price (a publication or its address), shown to users as "
            "written: no notes in one language."
        ),
    )
    # A source may date its figure only by year or month: no made-up day.
    price_source_date = models.CharField(
        _("date of the source"),
        max_length=10,
        blank=True,
        default="",
        validators=[
            RegexValidator(
                r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$",
                _("Write YYYY, YYYY-MM or YYYY-MM-DD."),
            )
        ],
        help_text=_("The year, month or day the source gives the price for."),
    )
    bundled_with = models.CharField(
        _("included in membership"), max_length=64, blank=True, default=""
    )
    ad_tier_name = models.CharField(
        _("ad-supported plan"), max_length=64, blank=True, default=""
    )
    ad_tier_price = models.DecimalField(
        _("ad-supported plan price"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "region"], name="platform_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"


class Availability(models.Model):
    """One way to watch a movie on a platform (latest observation per source)."""

    class OfferType(models.TextChoices):
        SUBSCRIPTION = "subscription", _("Subscription")
        RENT = "rent", _("Rent")
        BUY = "buy", _("Buy")
        FREE = "free", _("Free")
        ADS = "ads", _("Free with ads")

    class Source(models.TextChoices):
        SNAPSHOT = "snapshot", _("Dataset snapshot")
        TMDB = "tmdb", _("TMDB (JustWatch)")
        CSE = "cse", _("Google search")
        ADMIN = "admin", _("Admin")

    # Offer types that cost nothing beyond the platform's monthly price.
    INCLUDED_OFFER_TYPES = (OfferType.SUBSCRIPTION, OfferType.FREE, OfferType.ADS)

    movie = models.ForeignKey(
        Movie,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("movie"),
    )
    platform = models.ForeignKey(
        Platform,
        on_delete=models.CASCADE,
        related_name="availabilities",
        verbose_name=_("platform"),
    )
    # Denormalised from the platform so region filters need no join.
    region = models.CharField(_("region"), max_length=2)
    offer_type = models.CharField(
        _("offer type"), max_length=16, choices=OfferType.choices
    )
    link = models.URLField(_("link"), max_length=500, blank=True, default="")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # An admin adding an offer has usually just checked it.
    last_checked = models.DateTimeField(_("last checked"), default=timezone.now)

    class Meta:
        ordering = ["movie_id", "platform_id", "offer_type"]
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.UniqueConstraint(
                fields=["movie", "platform", "offer_type"],
                name="availability_unique_offer",
            )
        ]
        indexes = [
            models.Index(fields=["region", "movie"], name="availability_region_movie"),
            models.Index(fields=["last_checked"], name="availability_last_checked"),
        ]

    def __str__(self) -> str:
        return f"{self.movie} on {self.platform.name} ({self.get_offer_type_display()})"

    @property
    def is_included(self) -> bool:
        return self.offer_type in self.INCLUDED_OFFER_TYPES


class AvailabilityCheck(models.Model):
    """When a live source last answered for a movie (also when it found no offers)."""

    class Status(models.TextChoices):
        OK = "ok", _("OK")
        NOT_FOUND = "not_found", _("Not found")
        ERROR = "error", _("Error")

    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="availability_checks"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Availability.Source.choices
    )
    checked_at = models.DateTimeField(_("checked at"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    message = models.CharField(_("message"), max_length=300, blank=True, default="")
    offers = models.PositiveIntegerField(_("offers written"), default=0)

    class Meta:
        verbose_name = _("availability check")
        verbose_name_plural = _("availability checks")
        constraints = [
            models.UniqueConstraint(
                fields=["movie", "source"], name="availabilitycheck_unique"
            )
        ]
        indexes = [
            models.Index(fields=["source", "checked_at"], name="availcheck_due"),
        ]

    def __str__(self) -> str:
        return f"{self.movie_id} via {self.source}: {self.status}"


class OfferHistory(models.Model):
    """An offer a source stopped listing: kept as history, never shown as current."""

    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="past_offers"
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, related_name="past_offers"
    )
    region = models.CharField(_("region"), max_length=2)
    offer_type = models.CharField(
        _("offer type"), max_length=16, choices=Availability.OfferType.choices
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Availability.Source.choices
    )
    last_seen = models.DateTimeField(_("last seen"))
    ended_at = models.DateTimeField(_("ended at"))

    class Meta:
        ordering = ["-ended_at"]
        verbose_name = _("past offer")
        verbose_name_plural = _("past offers")
        indexes = [
            models.Index(fields=["movie", "ended_at"], name="offerhistory_movie")
        ]

    def __str__(self) -> str:
        return f"{self.movie_id} left {self.platform_id} ({self.offer_type})"


class CatalogSync(models.Model):
    """One run of the TMDB catalogue sync of a region; resumable from its cursor."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    region = models.CharField(_("region"), max_length=2)
    # What was asked: {"providers": [...], "media": [...], "pages": N}.
    scope = models.JSONField(_("scope"), default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    heartbeat_at = models.DateTimeField(_("heartbeat"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Discover lists done: {"<media>:<provider>:<type>": last page done}.
    cursor = models.JSONField(_("cursor"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("catalogue sync")
        verbose_name_plural = _("catalogue syncs")
        indexes = [
            models.Index(fields=["region", "status"], name="catalogsync_region_status")
        ]

    def __str__(self) -> str:
        return f"{self.region} sync {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class TitleContent(models.Model):
    """What Wikidata (CC0) says about a title: may feed the recommender, unlike
    TMDB's details. A title Wikidata has no item for says so (status not_found)."""

    class Status(models.TextChoices):
        FOUND = "found", _("found")
        NOT_FOUND = "not_found", _("not found")
        ERROR = "error", _("error")

    SOURCE_WIKIDATA = "wikidata"

    movie = models.OneToOneField(
        Movie, on_delete=models.CASCADE, primary_key=True, related_name="content"
    )
    source = models.CharField(_("source"), max_length=16, default=SOURCE_WIKIDATA)
    wikidata_id = models.CharField(_("Wikidata id"), max_length=16, blank=True)
    label_ko = models.CharField(_("Korean label"), max_length=300, blank=True)
    label_en = models.CharField(_("English label"), max_length=300, blank=True)
    # {"genres": [labels], "cast": [...], ..., "date": "YYYY-MM-DD"}; item_ids holds
    # the same lists as item ids (language-free, for a model).
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    item_ids = models.JSONField(_("item ids"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    message = models.CharField(_("message"), max_length=300, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        verbose_name = _("title content")
        verbose_name_plural = _("title contents")
        indexes = [models.Index(fields=["fetched_at"], name="titlecontent_fetched")]

    def __str__(self) -> str:
        return f"{self.movie_id} from {self.source}: {self.status}"


class WikidataLabel(models.Model):
    """Korean and English labels of the items title content refers to (genres,
    people, countries...), kept so a later fetch need not ask again."""

    qid = models.CharField(_("Wikidata id"), max_length=16, primary_key=True)
    label_ko = models.CharField(_("Korean label"), max_length=300, blank=True)
    label_en = models.CharField(_("English label"), max_length=300, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        verbose_name = _("Wikidata label")
        verbose_name_plural = _("Wikidata labels")

    def __str__(self) -> str:
        return f"{self.qid}: {self.label_en or self.label_ko}"


class KobisTitle(models.Model):
    """A film's entry in KOBIS, the Korean Film Council's register: its Korean
    release title, asked only for films no other source names in Korean. One more
    name for search; never replaces TMDB's Korean title or Wikidata's label."""

    class Status(models.TextChoices):
        FOUND = "found", _("found")
        NOT_FOUND = "not_found", _("not found")
        ERROR = "error", _("error")

    movie = models.OneToOneField(
        Movie, on_delete=models.CASCADE, primary_key=True, related_name="kobis"
    )
    movie_cd = models.CharField(_("KOBIS film code"), max_length=16, blank=True)
    title_ko = models.CharField(_("Korean title"), max_length=300, blank=True)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    message = models.CharField(_("message"), max_length=300, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        verbose_name = _("KOBIS title")
        verbose_name_plural = _("KOBIS titles")

    def __str__(self) -> str:
        return f"{self.movie_id} in KOBIS: {self.title_ko or self.status}"
