"""A catalogue sync run."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
