"""Model versions, recommendation sets and the feedback that steers them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Movie
from survey.models import Survey


class ModelVersion(models.Model):
    """A trained artifact on disk; exactly one version is active at a time."""

    class Gate(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        UNGATED = "ungated", _("Not gated")

    version = models.CharField(_("version"), max_length=64, unique=True)
    path = models.CharField(_("artifact directory"), max_length=500)
    is_active = models.BooleanField(_("active"), default=False)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    training_seconds = models.FloatField(_("training seconds"), default=0)
    gate_decision = models.CharField(
        _("gate"), max_length=16, choices=Gate.choices, default=Gate.UNGATED
    )
    gate_reason = models.TextField(_("gate reason"), blank=True, default="")
    # {"dataset": {"users": n, "ratings": n}, "product": {...}}: the training rows.
    data_counts = models.JSONField(_("training data by origin"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_active_model_version",
            )
        ]

    def __str__(self) -> str:
        return self.version


class RecommendationSet(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="recommendation_sets"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    method = models.CharField(_("method"), max_length=16, blank=True, default="")
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(_("error"), blank=True, default="")
    timings = models.JSONField(_("timings (ms)"), default=dict, blank=True)
    # The longer list behind the shown items: the best-scored titles of the whole
    # catalogue for this survey (rated ones by the models, unrated ones by their
    # content), best first, as {"movie_id", "score", "predicted_rating",
    # "reason_data"}. Filters narrow it and the service advice counts over it.
    pool = models.JSONField(_("longer list"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The experiment arm the set was built under (None: default configuration).
    experiment = models.ForeignKey(
        "experiments.Experiment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    variant = models.ForeignKey(
        "experiments.Variant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendation_sets",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A running set belongs to the task named lease_owner until lease_expires_at;
    # after that any task (a redelivery, the watchdog's re-queue) may take it over.
    lease_owner = models.CharField(max_length=64, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Last time a build task was published for it (the watchdog re-queues old ones).
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recommendation set")
        verbose_name_plural = _("recommendation sets")
        indexes = [models.Index(fields=["status", "created_at"], name="recset_status")]
        constraints = [
            # Concurrent refreshes of one survey cannot create two sets in flight.
            models.UniqueConstraint(
                fields=["survey"],
                condition=models.Q(status__in=["pending", "running"]),
                name="recset_one_active_per_survey",
            )
        ]

    def __str__(self) -> str:
        return f"recommendations #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class RecommendationItem(models.Model):
    recommendation_set = models.ForeignKey(
        RecommendationSet, on_delete=models.CASCADE, related_name="items"
    )
    rank = models.PositiveSmallIntegerField()
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    predicted_rating = models.FloatField()
    reason = models.CharField(max_length=300)
    reason_data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation_set", "rank"], name="recitem_unique_rank"
            ),
            models.UniqueConstraint(
                fields=["recommendation_set", "movie"], name="recitem_unique_movie"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.movie_id}"


class MovieRating(models.Model):
    """A product user's own 1-5 rating of a movie."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="movie_ratings",
        verbose_name=_("user"),
    )
    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="+", verbose_name=_("movie")
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("movie rating")
        verbose_name_plural = _("movie ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "movie"], name="movierating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1) & models.Q(rating__lte=5),
                name="movierating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} rated {self.movie_id}: {self.rating}"


class Dismissal(models.Model):
    """'Not interested': the movie is never recommended to this user again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dismissals",
        verbose_name=_("user"),
    )
    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="+", verbose_name=_("movie")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissal")
        verbose_name_plural = _("dismissals")
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="dismissal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed {self.movie_id}"


class WatchlistItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="watchlist",
        verbose_name=_("user"),
    )
    movie = models.ForeignKey(
        Movie, on_delete=models.CASCADE, related_name="+", verbose_name=_("movie")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watchlist item")
        verbose_name_plural = _("watchlist items")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "movie"], name="watchlist_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.movie_id}"
