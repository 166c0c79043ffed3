"""TMDB client: resolve a movie's TMDB id and read its watch providers (JustWatch).

Data attribution: TMDB's watch providers come from JustWatch; pages showing them
must credit JustWatch and TMDB.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from catalog.providers.http import JsonClient, ProviderBadResponse, ProviderError

# TMDB's key in a region entry -> our Availability.offer_type.
OFFER_TYPES = {
    "flatrate": "subscription",
    "free": "free",
    "ads": "ads",
    "rent": "rent",
    "buy": "buy",
}


@dataclass(frozen=True)
class RegionOffers:
    region: str
    link: str
    offers: list[tuple[int, str]]  # (TMDB provider id, our offer type)
    names: dict[int, str] = field(default_factory=dict)  # provider id -> name


@dataclass(frozen=True)
class TmdbMovie:
    id: int
    title: str
    original_title: str
    year: int | None


def tmdb_client(**overrides: Any) -> JsonClient:
    """A JsonClient for the configured TMDB API (v4 token as Bearer, else api_key)."""
    key = settings.TMDB_API_KEY
    if not key:
        raise ProviderError("TMDB_API_KEY is not set")
    # v4 read tokens are JWTs; v3 keys are 32 hex characters.
    if key.startswith("eyJ"):
        auth = {"headers": {"Authorization": f"Bearer {key}"}}
    else:
        auth = {"params": {"api_key": key}}
    return JsonClient(
        base_url=settings.TMDB_API_URL,
        **{"headers": {"Accept": "application/json"}, **auth, **overrides},
    )


def watch_providers(client: JsonClient, *, tmdb_id: int) -> dict[str, RegionOffers]:
    """All regions' offers of a movie from /3/movie/{id}/watch/providers."""
    body = client.get_json(f"/3/movie/{int(tmdb_id)}/watch/providers")
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, dict):
        raise ProviderBadResponse(f"watch/providers of {tmdb_id}: no 'results' object")
    parsed: dict[str, RegionOffers] = {}
    for region, entry in results.items():
        if not isinstance(entry, dict):
            raise ProviderBadResponse(f"watch/providers of {tmdb_id}: bad {region}")
        offers: list[tuple[int, str]] = []
        names: dict[int, str] = {}
        for key, offer_type in OFFER_TYPES.items():
            providers = entry.get(key) or []
            if not isinstance(providers, list):
                raise ProviderBadResponse(f"{region}.{key} of {tmdb_id} is not a list")
            for provider in providers:
                provider_id = (
                    provider.get("provider_id") if isinstance(provider, dict) else None
                )
                if not isinstance(provider_id, int):
                    raise ProviderBadResponse(f"{region}.{key}: bad provider_id")
                offers.append((provider_id, offer_type))
                names[provider_id] = str(provider.get("provider_name") or "")
        link = entry.get("link")
        parsed[str(region).upper()] = RegionOffers(
            region=str(region).upper(),
            link=link if isinstance(link, str) else "",
            offers=offers,
            names=names,
        )
    return parsed


@dataclass(frozen=True)
class TmdbDetails:
    id: int
    title: str
    original_title: str
    overview: str
    poster_path: str


def movie_details(
    client: JsonClient, *, tmdb_id: int, language: str = "ko-KR"
) -> TmdbDetails:
    """Title, overview and poster of /3/movie/{id} in a language (falls back to the
    original language where TMDB has no translation)."""
    body = client.get_json(f"/3/movie/{int(tmdb_id)}", params={"language": language})
    if not isinstance(body, dict) or not isinstance(body.get("id"), int):
        raise ProviderBadResponse(f"details of {tmdb_id}: no integer id")
    poster = body.get("poster_path")
    return TmdbDetails(
        id=body["id"],
        title=str(body.get("title") or ""),
        original_title=str(body.get("original_title") or ""),
        overview=str(body.get("overview") or ""),
        poster_path=poster if isinstance(poster, str) else "",
    )


def find_by_imdb(client: JsonClient, *, imdb_id: str) -> list[TmdbMovie]:
    """Movies TMDB links to an IMDb id (tt-prefixed, zero-padded to 7 digits)."""
    digits = imdb_id.removeprefix("tt")
    body = client.get_json(
        f"/3/find/tt{digits.zfill(7)}", params={"external_source": "imdb_id"}
    )
    if not isinstance(body, dict):
        raise ProviderBadResponse("find: body is not an object")
    return _movies(body.get("movie_results"), "find")


def search_movies(
    client: JsonClient, *, query: str, year: int | None = None
) -> list[TmdbMovie]:
    """First page of /3/search/movie for a title (and year when known)."""
    params: dict[str, Any] = {"query": query, "include_adult": "false"}
    if year:
        params["year"] = str(year)
    body = client.get_json("/3/search/movie", params=params)
    if not isinstance(body, dict):
        raise ProviderBadResponse("search: body is not an object")
    return _movies(body.get("results"), "search")


def _movies(rows: Any, what: str) -> list[TmdbMovie]:
    if rows is None:
        return []
    if not isinstance(rows, list):
        raise ProviderBadResponse(f"{what}: results is not a list")
    movies = []
    for row in rows:
        if not isinstance(row, Mapping) or not isinstance(row.get("id"), int):
            raise ProviderBadResponse(f"{what}: a result has no integer id")
        date = row.get("release_date") or ""
        year = int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None
        title = str(row.get("title") or "")
        movies.append(
            TmdbMovie(
                id=row["id"],
                title=title,
                original_title=str(row.get("original_title") or title),
                year=year,
            )
        )
    return movies
