"""A person's profile: demographics, region and the services they pay for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Platform


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNDISCLOSED = "X", _("Prefer not to say")


class Region(models.TextChoices):
    KOREA = "KR", _("South Korea")
    UNITED_STATES = "US", _("United States")


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

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"profile of {self.user}"
