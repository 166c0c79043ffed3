"""The recommender's events for other apps: what users were shown and what they did.

The pages and the API send them after the write they describe; apps that react (the
experiments' event log) connect a receiver in their AppConfig.ready(), so the
recommender imports none of them. Sent with Signal.send, in the request: a
receiver's error is the request's error, as if the view had called it itself.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.dispatch import Signal

from catalog.models import Movie
from recommender.models import RecommendationSet

# Where the user was (the `surface` of both signals).
PAGE = "page"
API = "api"

# What the user did to a movie (the `kind` of feedback_given).
DETAIL_VIEW = "detail_view"
WATCHLIST_ADD = "watchlist_add"
RATING = "rating"
DISMISSAL = "dismissal"
FEEDBACK_KINDS = (DETAIL_VIEW, WATCHLIST_ADD, RATING, DISMISSAL)

recommendations_shown = Signal()
"""Sent with sender=RecommendationSet when a ready set is shown to its owner.

Keyword arguments:
- user: the set's owner, who is looking at it.
- rec_set: the RecommendationSet shown (its items, possibly prefetched).
- surface: PAGE (the results fragment was rendered) or API (a payload was
  rendered; a cached answer repeats one already sent).
"""

feedback_given = Signal()
"""Sent with sender=Movie when a user opened, saved, rated or dismissed a movie.

Keyword arguments:
- user: who did it (possibly anonymous for DETAIL_VIEW: the movie page is public).
- kind: one of FEEDBACK_KINDS.
- movie_id: int.
- surface: PAGE or API.
- value: float | None: the rating for RATING, else None.
"""


def recommendations_shown_send(
    *, user: AbstractBaseUser, rec_set: RecommendationSet, surface: str
) -> None:
    """Announce that a set was shown (only a ready set counts)."""
    if rec_set.status != RecommendationSet.Status.READY:
        return
    recommendations_shown.send(
        sender=RecommendationSet, user=user, rec_set=rec_set, surface=surface
    )


def feedback_given_send(
    *,
    user: AbstractBaseUser,
    kind: str,
    movie_id: int,
    surface: str,
    value: float | None = None,
) -> None:
    """Announce a detail view, watchlist add, rating or dismissal of a movie."""
    feedback_given.send(
        sender=Movie,
        user=user,
        kind=kind,
        movie_id=movie_id,
        surface=surface,
        value=value,
    )
