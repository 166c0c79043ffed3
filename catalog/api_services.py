"""Staff edits of the catalogue through the REST API (movies and platforms).

Kept apart from catalog/services.py only because that module has other owners.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import Region
from catalog.models import Genre, Movie, Platform
from catalog.selectors import search_index_clear
from ottsite.lib.errors import Conflict, NotFound, ValidationFailed

# Movies added by hand get ids of their own, apart from any dataset's.
MANUAL_SOURCE = "manual"
PLATFORM_FIELDS = (
    "name",
    "slug",
    "region",
    "monthly_price",
    "currency",
    "homepage",
    "tmdb_provider_id",
    "is_active",
)


def _genres_resolve(names: Sequence[str]) -> list[Genre]:
    # A handful of genres exist; matching them case-insensitively in Python is simplest.
    found = {g.name.lower(): g for g in Genre.objects.all()}
    unknown = [n for n in names if n.lower() not in found]
    if unknown:
        raise ValidationFailed(
            {
                "genres": [
                    _("Unknown genre(s): %(names)s") % {"names": ", ".join(unknown)}
                ]
            }
        )
    return [found[n.lower()] for n in dict.fromkeys(names)]


def movie_create(
    *, title: str, year: int | None = None, genres: Sequence[str] = ()
) -> Movie:
    """Add a movie by hand (source 'manual', next free id)."""
    genre_objs = _genres_resolve(genres)
    try:
        with transaction.atomic():
            last = Movie.objects.filter(source=MANUAL_SOURCE).aggregate(
                m=Max("source_id")
            )
            movie = Movie.objects.create(
                source=MANUAL_SOURCE,
                source_id=(last["m"] or 0) + 1,
                title=title,
                year=year,
            )
            movie.genres.set(genre_objs)
    except IntegrityError as exc:
        # Two staff members adding a movie at once can pick the same next id.
        raise Conflict(_("Another movie was added at the same time; retry.")) from exc
    transaction.on_commit(search_index_clear)
    return movie


def movie_update(*, movie_id: int, data: Mapping[str, Any]) -> Movie:
    """Change a movie's title, year or genres."""
    with transaction.atomic():
        movie = Movie.objects.select_for_update().filter(pk=movie_id).first()
        if movie is None:
            raise NotFound(_("No such movie."))
        genre_objs = _genres_resolve(data["genres"]) if "genres" in data else None
        for name in ("title", "year"):
            if name in data:
                setattr(movie, name, data[name])
        movie.save()
        if genre_objs is not None:
            movie.genres.set(genre_objs)
        transaction.on_commit(search_index_clear)
    return movie


def movie_delete(*, movie_id: int) -> None:
    """Remove a movie and everything that points at it."""
    deleted, _rows = Movie.objects.filter(pk=movie_id).delete()
    if not deleted:
        raise NotFound(_("No such movie."))
    transaction.on_commit(search_index_clear)


def _platform_check(platform: Platform, *, exclude_pk: int | None = None) -> None:
    if platform.region not in Region.values:
        raise ValidationFailed({"region": [_("Choose a supported region.")]})
    if platform.monthly_price is not None and platform.monthly_price < 0:
        raise ValidationFailed({"monthly_price": [_("A price cannot be negative.")]})
    taken = Platform.objects.filter(slug=platform.slug, region=platform.region)
    if taken.exclude(pk=exclude_pk).exists():
        raise Conflict(
            _("A platform with this slug already exists in the region."), field="slug"
        )


def platform_create(*, data: Mapping[str, Any]) -> Platform:
    """Add a streaming platform to a region."""
    fields = {k: v for k, v in data.items() if k in PLATFORM_FIELDS}
    if "monthly_price" in fields and fields["monthly_price"] is not None:
        fields["monthly_price"] = Decimal(str(fields["monthly_price"]))
    platform = Platform(**fields)
    with transaction.atomic():
        _platform_check(platform)
        platform.save()
    return platform


def platform_update(*, platform_id: int, data: Mapping[str, Any]) -> Platform:
    """Change a platform's name, price, TMDB id, activity and so on."""
    with transaction.atomic():
        platform = Platform.objects.select_for_update().filter(pk=platform_id).first()
        if platform is None:
            raise NotFound(_("No such platform."))
        for name, value in data.items():
            if name in PLATFORM_FIELDS:
                if name == "monthly_price" and value is not None:
                    value = Decimal(str(value))
                setattr(platform, name, value)
        _platform_check(platform, exclude_pk=platform.pk)
        platform.save()
    return platform


def platform_delete(*, platform_id: int) -> None:
    """Remove a platform (its offers and subscriptions go with it)."""
    deleted, _rows = Platform.objects.filter(pk=platform_id).delete()
    if not deleted:
        raise NotFound(_("No such platform."))
