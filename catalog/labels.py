"""Translated display labels for catalogue data stored in English (genres, jobs,
what kind of title a movie is)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from catalog.models import Movie
from catalog.movielens import OCCUPATIONS

GENRE_LABELS: dict[str, Promise] = {
    "Action": _("Action"),
    "Adventure": _("Adventure"),
    "Animation": _("Animation"),
    "Children's": _("Children's"),
    "Comedy": _("Comedy"),
    "Crime": _("Crime"),
    "Documentary": _("Documentary"),
    "Drama": _("Drama"),
    "Fantasy": _("Fantasy"),
    "Film-Noir": _("Film-Noir"),
    "Horror": _("Horror"),
    "Musical": _("Musical"),
    "Mystery": _("Mystery"),
    "Romance": _("Romance"),
    "Sci-Fi": _("Sci-Fi"),
    "Thriller": _("Thriller"),
    "War": _("War"),
    "Western": _("Western"),
    "unknown": pgettext_lazy("genre", "Unknown"),
}

# TMDB's English genre names (films and series) that MovieLens does not use.
TMDB_GENRE_LABELS: dict[str, Promise] = {
    "Action & Adventure": _("Action & Adventure"),
    "Family": _("Family"),
    "History": _("History"),
    "Kids": _("Kids"),
    "Music": _("Music"),
    "News": _("News"),
    "Reality": _("Reality"),
    "Sci-Fi & Fantasy": _("Sci-Fi & Fantasy"),
    "Science Fiction": _("Science Fiction"),
    "Soap": _("Soap"),
    "Talk": _("Talk"),
    "TV Movie": _("TV Movie"),
    "War & Politics": _("War & Politics"),
}

OCCUPATION_LABELS: dict[str, Promise] = {
    "administrator": _("Administrator"),
    "artist": _("Artist"),
    "doctor": _("Doctor"),
    "educator": _("Educator"),
    "engineer": _("Engineer"),
    "entertainment": _("Entertainment"),
    "executive": _("Executive"),
    "healthcare": _("Healthcare"),
    "homemaker": _("Homemaker"),
    "lawyer": _("Lawyer"),
    "librarian": _("Librarian"),
    "marketing": _("Marketing"),
    "none": _("None"),
    "other": pgettext_lazy("occupation", "Other"),
    "programmer": _("Programmer"),
    "retired": _("Retired"),
    "salesman": _("Sales"),
    "scientist": _("Scientist"),
    "student": _("Student"),
    "technician": _("Technician"),
    "writer": _("Writer"),
}

OFFER_TYPE_LABELS: dict[str, Promise] = {
    "subscription": _("Subscription"),
    "rent": _("Rent"),
    "buy": _("Buy"),
    "free": _("Free"),
    "ads": _("Free with ads"),
}


def genre_label(name: str) -> str:
    return str(GENRE_LABELS.get(name) or TMDB_GENRE_LABELS.get(name, name))


def movie_genre_labels(movie: Movie) -> list[str]:
    """Translated genres: the catalogue's own, else TMDB's (shown, never modelled)."""
    names = [g.name for g in movie.genres.all()] or [
        str(name) for name in movie.tmdb_genres or []
    ]
    return [genre_label(name) for name in names]


def movie_facts(movie: Movie, *, runtime: bool = True) -> str:
    """ "Series · 3 seasons", or a film's "142 min" (empty when unknown)."""
    if movie.kind == Movie.Kind.SERIES:
        if not movie.seasons:
            return gettext("Series")
        seasons = ngettext("%(count)d season", "%(count)d seasons", movie.seasons) % {
            "count": movie.seasons
        }
        return f"{gettext('Series')} · {seasons}"
    if runtime and movie.runtime:
        return gettext("%(n)s min") % {"n": movie.runtime}
    return ""


def occupation_choices() -> list[tuple[str, Promise | str]]:
    """(value, translated label) for every MovieLens occupation, in list order."""
    return [(code, OCCUPATION_LABELS.get(code, code)) for code in OCCUPATIONS]


def offer_type_label(offer_type: str) -> str:
    return str(OFFER_TYPE_LABELS.get(offer_type, offer_type))
