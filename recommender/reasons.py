"""Why a title is recommended, in the current language (cards and the API)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Movie
from ottsite.lib.korean import particles_resolve
from recommender.models import RecommendationItem

# Reasons that name one of the user's favourites by its id.
TITLED_KINDS = ("similar_to", "resembles")


def reason_text(item: RecommendationItem, titles: dict[int, str]) -> str:
    """The reason of one recommendation in the current language."""
    data = item.reason_data or {}
    kind = data.get("kind")
    if kind == "neighbours":
        count = int(data.get("count", 0))
        values = {"count": count, "rating": float(data.get("rating", 0))}
        here = data.get("here")
        if here is not None and int(here) >= count:
            return (
                ngettext(
                    "%(count)d person here who also chose your favourites rated it "
                    "%(rating).1f",
                    "%(count)d people here who also chose your favourites rated it "
                    "%(rating).1f",
                    count,
                )
                % values
            )
        if here is not None and int(here) > 0:
            return _(
                "%(count)d viewers who share your favourites (%(here)d of them "
                "here) rated it %(rating).1f"
            ) % {**values, "here": int(here)}
        if here is not None:
            return (
                ngettext(
                    "%(count)d MovieLens viewer who shares your favourites rated it "
                    "%(rating).1f",
                    "%(count)d MovieLens viewers who share your favourites rated it "
                    "%(rating).1f",
                    count,
                )
                % values
            )
        return ngettext(
            "%(count)d viewer who shares your favourites rated it %(rating).1f",
            "%(count)d viewers who share your favourites rated it %(rating).1f",
            count,
        ) % {"count": count, "rating": float(data.get("rating", 0))}
    if kind == "similar_to" and data.get("item_id") in titles:
        # The Korean particle after the title depends on how the title ends.
        return particles_resolve(
            _("Because you like %(title)s") % {"title": titles[data["item_id"]]}
        )
    if kind == "popular":
        return _("Popular with viewers who like the same kind of films")
    if kind == "resembles" and data.get("item_id") in titles:
        # Nobody has rated it yet: what it is about is close to a favourite's.
        return particles_resolve(
            _("Resembles %(title)s, one of your favourites")
            % {"title": titles[data["item_id"]]}
        )
    if kind == "new":
        return _("New here: close to the genres and years you chose")
    # Every card says why: a stored reason, else what every pick rests on.
    return item.reason or _("Chosen for the favourites you picked")


def reason_titles(items: Iterable[RecommendationItem]) -> dict[int, str]:
    """Titles of the favourites the items' reasons name, by id."""
    ids = {
        (i.reason_data or {}).get("item_id")
        for i in items
        if (i.reason_data or {}).get("kind") in TITLED_KINDS
    }
    ids = {i for i in ids if isinstance(i, int)}
    return {m.pk: m.display_title for m in Movie.objects.filter(pk__in=ids)}
