"""Submitted onboarding surveys, kept as history (one version per submission)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Gender, Region
from catalog.models import Movie, Platform

MIN_FAVORITES = 10


class Survey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="surveys"
    )
    version = models.PositiveIntegerField(_("version"))
    age = models.PositiveSmallIntegerField(_("age"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    occupation = models.CharField(_("occupation"), max_length=32)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    platforms = models.ManyToManyField(Platform, blank=True, related_name="+")
    favorite_movies = models.ManyToManyField(
        Movie, through="SurveyFavorite", related_name="+"
    )
    raw_answers = models.JSONField(_("raw answers"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="survey_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"survey v{self.version} of {self.user}"


class SurveyFavorite(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="favorites"
    )
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "movie"], name="favorite_unique_movie"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.movie_id}"
