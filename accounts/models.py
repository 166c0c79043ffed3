"""A person's profile: demographics, region and the services they pay for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Movie, Platform
from catalog.regions import Region

# The ages a survey or profile may give (shared by the survey app's forms).
MIN_AGE, MAX_AGE = 7, 100


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNDISCLOSED = "X", _("Prefer not to say")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True, default=""
    )
    occupation = models.CharField(
        _("occupation"), max_length=32, blank=True, default=""
    )
    region = models.CharField(
        _("region"), max_length=2, choices=Region.choices, default=Region.KOREA
    )
    subscriptions = models.ManyToManyField(
        Platform,
        blank=True,
        related_name="subscribers",
        verbose_name=_("subscriptions"),
    )
    monthly_budget = models.DecimalField(
        _("monthly budget"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # Consent: the survey answers, ratings and dismissals may train the shared model.
    has_training_consent = models.BooleanField(
        _("improve recommendations for everyone"), default=True
    )
    email_alerts = models.BooleanField(
        _("email me when a saved movie arrives on or leaves my services"),
        default=False,
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"profile of {self.user}"


class Notification(models.Model):
    """An in-app alert: a watchlist movie arrived on or left the user's services."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+")
    region = models.CharField(_("region"), max_length=2)
    # Platform names, so the text survives a platform being renamed or removed.
    arrived_on = models.JSONField(_("arrived on"), default=list, blank=True)
    left = models.JSONField(_("left"), default=list, blank=True)
    # Identifies one change (movie, region, before -> after) so a re-run adds no copy.
    change_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "movie", "change_key"], name="notification_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: movie {self.movie_id} {self.change_key}"
