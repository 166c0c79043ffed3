"""The movie catalogue and the MovieLens users and ratings it was built from.

One module per part: `movies` (titles, genres), `dataset` (MovieLens users and
ratings), `availability` (platforms, offers, checks, past offers), `content`
(Wikidata and KOBIS content) and `sync` (catalogue sync runs). Every model is
imported here, so `catalog.models.<Model>` and the app's migrations see them all.
"""

from __future__ import annotations

from .availability import Availability, AvailabilityCheck, OfferHistory, Platform
from .content import KobisTitle, TitleContent, WikidataLabel
from .dataset import DatasetUser, Rating
from .movies import MOVIE_VECTOR_DIM, SIMILAR_VECTOR_DIM, Genre, Movie
from .sync import CatalogSync

__all__ = [
    "MOVIE_VECTOR_DIM",
    "SIMILAR_VECTOR_DIM",
    "Availability",
    "AvailabilityCheck",
    "CatalogSync",
    "DatasetUser",
    "Genre",
    "KobisTitle",
    "Movie",
    "OfferHistory",
    "Platform",
    "Rating",
    "TitleContent",
    "WikidataLabel",
]
