"""Experiments, their variants, sticky assignments and the events users produce.

They moved here from the recommender app (issue #27) and keep its tables
(Meta.db_table), so the move changed no table: see migrations/0001_initial.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Experiment(models.Model):
    """An A/B test of recommender configurations; at most one runs at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Running")
        STOPPED = "stopped", _("Stopped")

    class Metric(models.TextChoices):
        SATISFACTION = "satisfaction", _("List satisfaction (1-5)")
        CONVERSION = "conversion", _("Conversion to a service not paid for")
        CTR = "ctr", _("Click-through (sets with a click-out)")
        SAVE_RATE = "save_rate", _("Save rate")
        DISMISSAL_RATE = "dismissal_rate", _("Dismissal rate")
        MEAN_RATING = "mean_rating", _("Mean rating of recommended movies")

    name = models.CharField(_("name"), max_length=100, unique=True)
    hypothesis = models.TextField(_("hypothesis"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    primary_metric = models.CharField(
        _("primary metric"),
        max_length=32,
        choices=Metric.choices,
        default=Metric.SATISFACTION,
    )
    minimum_detectable_effect = models.FloatField(
        _("minimum detectable effect"),
        default=0.05,
        help_text=_("Relative to control: 0.05 means a 5% change."),
    )
    planned_sample_size = models.PositiveIntegerField(
        _("planned sample size"),
        default=1000,
        help_text=_("Exposed users per variant before a winner may be called."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "recommender_experiment"
        ordering = ["-created_at"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")

    def __str__(self) -> str:
        return self.name


class Variant(models.Model):
    """One arm: a traffic weight and the recommender configuration it builds with."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="variants"
    )
    name = models.CharField(_("name"), max_length=64)
    is_control = models.BooleanField(_("control"), default=False)
    weight = models.PositiveIntegerField(_("traffic weight"), default=1)
    # Keys: method ("seed"/"foldin"), use_demographics, diversity (0..1), k.
    config = models.JSONField(_("recommender configuration"), default=dict, blank=True)

    class Meta:
        db_table = "recommender_variant"
        ordering = ["experiment_id", "pk"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "name"], name="variant_unique_name"
            ),
            models.UniqueConstraint(
                fields=["experiment"],
                condition=models.Q(is_control=True),
                name="variant_one_control",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experiment.name}/{self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from experiments.config import ConfigError, variant_config_parse

        try:
            variant_config_parse(self.config)
        except ConfigError as exc:
            raise ValidationError({"config": str(exc)}) from exc


class Assignment(models.Model):
    """A user's variant, written once at first exposure (a set built under it)."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="assignments"
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("first exposure"), auto_now_add=True)

    class Meta:
        db_table = "recommender_assignment"
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "user"], name="assignment_unique_user"
            )
        ]
        indexes = [
            models.Index(fields=["experiment", "created_at"], name="assignment_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.variant}"


class Event(models.Model):
    """Something a user did with a recommendation set (no personal data but the id)."""

    class Kind(models.TextChoices):
        IMPRESSION = "impression", _("Impression")
        DETAIL_VIEW = "detail_view", _("Detail view")
        WATCHLIST_ADD = "watchlist_add", _("Watchlist add")
        RATING = "rating", _("Rating")
        DISMISSAL = "dismissal", _("Dismissal")
        CLICK_OUT = "click_out", _("Platform click-out")
        SATISFACTION = "satisfaction", _("List satisfaction")

    class Surface(models.TextChoices):
        PAGE = "page", _("Web page")
        API = "api", _("API")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    surface = models.CharField(_("surface"), max_length=8, choices=Surface.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recommendation_set = models.ForeignKey(
        "recommender.RecommendationSet",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    experiment = models.ForeignKey(
        Experiment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    movie = models.ForeignKey(
        "catalog.Movie",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    platform_slug = models.CharField(max_length=64, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    # impression: {"items": [[movie_id, rank], ...]}; click_out: offer and whether
    # the user pays for the platform.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "recommender_event"
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation_set", "surface"],
                condition=models.Q(kind="impression"),
                name="event_one_impression_per_surface",
            ),
            models.UniqueConstraint(
                fields=["recommendation_set"],
                condition=models.Q(kind="satisfaction"),
                name="event_one_satisfaction_per_set",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["satisfaction", "rating"])
                | (models.Q(value__gte=1) & models.Q(value__lte=5)),
                name="event_score_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["experiment", "kind"], name="event_experiment_kind"),
            models.Index(fields=["user", "kind"], name="event_user_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}"


class SyntheticUser(models.Model):
    """Marks a user made by simulate_traffic; reports leave them out by default."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="synthetic"
    )
    run = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "recommender_syntheticuser"

    def __str__(self) -> str:
        return f"synthetic {self.user_id} ({self.run})"
