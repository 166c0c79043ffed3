"""Title content from Wikidata and KOBIS, and Wikidata's item labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .movies import Movie


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
