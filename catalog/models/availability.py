"""Streaming platforms, where a title streams now, when it was checked and what it
was offered before."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .movies import Movie


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
