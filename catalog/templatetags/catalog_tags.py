"""Template helpers for movies: TMDB posters and the credit of availability data."""

from __future__ import annotations

from django import template

from catalog.links import poster_url as _poster_url
from catalog.pages import source_credit as _source_credit

register = template.Library()


@register.filter
def poster_url(movie) -> str:
    """The TMDB image URL of the movie's poster; empty without a TMDB key."""
    return _poster_url(movie)


@register.filter
def source_credit(source: str) -> str:
    """Who an availability answer comes from ("JustWatch via TMDB", ...)."""
    return _source_credit(source) if source else ""
