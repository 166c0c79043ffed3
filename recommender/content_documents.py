"""The content documents the content model learns from and scores with.

Only sources whose terms allow a model: MovieLens (genres, years) and Wikidata
(CC0, `TitleContent`). TMDB's details never enter a document: its terms forbid
machine-learning use, so a synced title is documented by what Wikidata says of it,
or not at all (and then it is no candidate until someone rates it).

Wikidata's values are item ids (language-free); its genre labels are also mapped
onto MovieLens's genres, so a current series and a rated film share a genre token
even where Wikidata has no content for the film.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from catalog.models import Movie, TitleContent
from recommender.ml.content_features import Document
from recommender.ml.content_sources import year_tokens

SYNCED_SOURCES = (Movie.SOURCE_TMDB_MOVIE, Movie.SOURCE_TMDB_TV)
CAST_LIMIT = 8
# TitleContent.item_ids key -> document field
FIELDS = {
    "instance_of": "kind",
    "genres": "wd_genre",
    "original_language": "language",
    "countries": "country",
    "directors": "director",
    "cast": "cast",
    "screenwriters": "screenwriter",
    "series": "series",
    "based_on": "based_on",
}
# Words of Wikidata's English genre labels -> MovieLens genres.
GENRE_WORDS = {
    "action": "Action",
    "adventure": "Adventure",
    "animated": "Animation",
    "animation": "Animation",
    "anime": "Animation",
    "children's": "Children's",
    "family": "Children's",
    "comedy": "Comedy",
    "sitcom": "Comedy",
    "crime": "Crime",
    "documentary": "Documentary",
    "drama": "Drama",
    "fantasy": "Fantasy",
    "noir": "Film-Noir",
    "horror": "Horror",
    "musical": "Musical",
    "mystery": "Mystery",
    "romance": "Romance",
    "romantic": "Romance",
    "science": "Sci-Fi",
    "thriller": "Thriller",
    "war": "War",
    "western": "Western",
}
_WORD = re.compile(r"[a-z']+")


def movielens_genres(labels: Iterable[str]) -> list[str]:
    """MovieLens genres named by Wikidata genre labels ('romantic comedy film' ->
    Comedy, Romance)."""
    found = {
        GENRE_WORDS[word]
        for label in labels
        for word in _WORD.findall(str(label).lower())
        if word in GENRE_WORDS
    }
    return sorted(found)


def wikidata_document(row: TitleContent) -> Document:
    """One title's document from its Wikidata content (empty when none found)."""
    if row.status != TitleContent.Status.FOUND:
        return {}
    doc: dict[str, list[str]] = {}
    for key, name in FIELDS.items():
        qids = [str(q) for q in (row.item_ids or {}).get(key, []) if q]
        if key == "cast":
            qids = qids[:CAST_LIMIT]
        if qids:
            doc[name] = qids
    genres = movielens_genres((row.fields or {}).get("genres", []))
    if genres:
        doc["genre"] = genres
    date = str((row.fields or {}).get("date") or "")
    if date[:4].isdigit():
        doc["year"] = year_tokens(int(date[:4]))
    return doc


def _wikidata(rows) -> dict[int, Document]:
    docs = {}
    found = rows.filter(status=TitleContent.Status.FOUND)
    for row in found.only("movie_id", "status", "item_ids", "fields").iterator():
        doc = wikidata_document(row)
        if doc:
            docs[row.movie_id] = doc
    return docs


def rated_documents(movies: pd.DataFrame) -> dict[int, Document]:
    """Documents of the training frame's titles: MovieLens genres and year, merged
    with their Wikidata content where fetched."""
    docs: dict[int, Document] = {}
    for row in movies.itertuples(index=False):
        genres = [str(g) for g in (row.genres or []) if str(g) != "unknown"]
        year = None if pd.isna(row.year) else int(row.year)
        doc = {"genre": genres, "year": year_tokens(year)}
        docs[int(row.movie_id)] = {k: v for k, v in doc.items() if v}
    fetched = TitleContent.objects.filter(movie_id__in=list(docs))
    for movie_id, extra in _wikidata(fetched).items():
        merged = dict(docs[movie_id])
        for name, values in extra.items():
            merged[name] = sorted({*merged.get(name, []), *values})
        docs[movie_id] = merged
    return docs


def unrated_documents(exclude: Iterable[int]) -> dict[int, Document]:
    """Documents of synced titles (films and series) outside `exclude` (the rated
    ones), from Wikidata only."""
    skip = {int(i) for i in exclude}
    synced = TitleContent.objects.filter(movie__source__in=SYNCED_SOURCES)
    return {i: doc for i, doc in _wikidata(synced).items() if i not in skip}
