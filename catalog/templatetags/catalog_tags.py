"""Template helpers for movies: TMDB posters and the credit of availability data."""

from __future__ import annotations

from django import template
from django.conf import settings

from catalog.pages import source_credit as _source_credit

register = template.Library()


@register.filter
def poster_url(movie) -> str:
    """The TMDB image URL of the movie's poster; empty without a TMDB key."""
    path = getattr(movie, "poster_path", "")
    if not (settings.TMDB_API_KEY and path):
        return ""
    return settings.TMDB_IMAGE_URL.rstrip("/") + "/" + path.lstrip("/")


@register.filter
def source_credit(source: str) -> str:
    """Who an availability answer comes from ("JustWatch via TMDB", ...)."""
    return _source_credit(source) if source else ""
