"""The MovieLens users and ratings the catalogue was built from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .movies import Movie


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
