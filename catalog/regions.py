"""The regions the catalogue knows where titles stream: every app's word for one.

A catalogue fact (offers, platforms and prices are per region), so it lives in the
lowest app that uses it; accounts, survey and recommender import it from here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    KOREA = "KR", _("South Korea")
    UNITED_STATES = "US", _("United States")
