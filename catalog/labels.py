"""Translated display labels for catalogue data stored in English (genres, jobs,
what kind of title a movie is)."""

from __future__ import annotations

import re
from datetime import date

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from catalog.models import Movie, Platform
from catalog.movielens import OCCUPATION_CHOICES

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
    # Everyday answers in Korea (catalog.movielens.SURVEY_OCCUPATIONS).
    "office_worker": _("Office worker"),
    "civil_servant": _("Civil servant"),
    "self_employed": _("Self-employed"),
    "freelancer": _("Freelancer"),
    "job_seeker": _("Job seeker"),
    "military": _("Military service"),
}
# The answers most people give come first; "none" and "other" last.
COMMON_OCCUPATIONS = [
    "office_worker",
    "civil_servant",
    "self_employed",
    "student",
    "homemaker",
    "freelancer",
    "job_seeker",
    "military",
]

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
    """(value, translated label) of every answer: the common ones, the rest by
    their translated label, then "none" and "other"."""
    last = ["none", "other"]
    rest = [c for c in OCCUPATION_CHOICES if c not in COMMON_OCCUPATIONS + last]
    rest.sort(key=lambda code: str(OCCUPATION_LABELS.get(code, code)))
    return [
        (code, OCCUPATION_LABELS.get(code, code))
        for code in [*COMMON_OCCUPATIONS, *rest, *last]
    ]


def offer_type_label(offer_type: str) -> str:
    return str(OFFER_TYPE_LABELS.get(offer_type, offer_type))


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date_label(value: str) -> str:
    """'2020', '2023-12' or '2023-12-25' as the reader's language writes a year, a
    month or a day ('2023년 12월', 'December 2023'); anything else as written."""
    match = _PARTIAL_DATE.match(value.strip())
    if not match:
        return value.strip()
    year, month, day = match.groups()
    try:
        if day:
            return date_format(date(int(year), int(month), int(day)), "DATE_FORMAT")
        if month:
            return date_format(date(int(year), int(month), 1), "YEAR_MONTH_FORMAT")
    except ValueError:
        return value.strip()
    return pgettext("a year alone", "%(year)s") % {"year": year}


def price_note(platform: Platform) -> str:
    """Where a service's price comes from, how old it is, and when we last looked
    for a newer one, in the reader's language (the source's name as written)."""
    source = platform.price_source.strip()
    when = partial_date_label(platform.price_source_date)
    if source and when:
        note = gettext("Source: %(source)s, %(when)s.")
    elif source:
        note = gettext("Source: %(source)s (undated).")
    elif when:
        note = gettext("Reported %(when)s; the source is not named.")
    else:
        return gettext("No source confirms this price.")
    note %= {"source": source, "when": when}
    if platform.price_checked_on:
        checked = date_format(platform.price_checked_on, "DATE_FORMAT")
        note += " " + gettext(
            "When we looked on %(date)s, it was the newest figure we found."
        ) % {"date": checked}
    return note
