"""The catalogue's titles and genres."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Upper
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
