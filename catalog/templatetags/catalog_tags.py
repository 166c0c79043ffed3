"""Template helpers for movies: TMDB posters, the credit of availability data, what
kind of title it is and its genres; where a service's price comes from."""

from __future__ import annotations

from django import template

from catalog.labels import movie_facts, movie_genre_labels
from catalog.labels import price_note as _price_note
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


@register.filter
def title_facts(movie, what: str = "") -> str:
    """ "Series · 3 seasons" or a film's running time; `"series"`: series only."""
    return movie_facts(movie, runtime=what != "series")


@register.filter
def genre_labels(movie) -> list[str]:
    """The movie's translated genres (TMDB's when it has none of its own)."""
    return movie_genre_labels(movie)


@register.filter
def price_note(platform) -> str:
    """Where the service's price comes from and how old it is, translated."""
    return _price_note(platform)
