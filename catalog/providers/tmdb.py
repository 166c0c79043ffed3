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


def watch_providers(
    client: JsonClient, *, tmdb_id: int, media: str = "movie"
) -> dict[str, RegionOffers]:
    """All regions' offers of a film (media "movie") or a series ("tv")."""
    body = client.get_json(f"/3/{_media(media)}/{int(tmdb_id)}/watch/providers")
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


# Our Movie.kind -> TMDB's media type in paths ("movie" and "tv" id spaces overlap).
MEDIA_OF_KIND = {"film": "movie", "series": "tv"}
# Discover's monetization types that cost nothing beyond a subscription.
INCLUDED_MONETIZATION = ("flatrate", "free", "ads")


def _media(media: str) -> str:
    if media not in ("movie", "tv"):
        raise ValueError(f"unknown TMDB media type {media!r}")
    return media


@dataclass(frozen=True)
class DiscoverRow:
    """One title of a discover page (enough to create or refresh a catalogue entry)."""

    media: str
    id: int
    title: str
    original_title: str
    original_language: str
    date: str  # release date (films) or first air date (series), "" when unknown
    popularity: float | None
    vote_average: float | None
    vote_count: int | None
    poster_path: str

    @property
    def year(self) -> int | None:
        return _year(self.date)


@dataclass(frozen=True)
class DiscoverPage:
    page: int
    total_pages: int
    rows: list[DiscoverRow]


def discover(
    client: JsonClient,
    *,
    media: str,
    region: str,
    provider_id: int,
    monetization: str,
    page: int = 1,
    language: str = "en-US",
) -> DiscoverPage:
    """One page of /3/discover/{movie,tv}: a provider's titles of one offer type in a
    region, most popular first."""
    body = client.get_json(
        f"/3/discover/{_media(media)}",
        params={
            "watch_region": region,
            "with_watch_providers": str(int(provider_id)),
            "with_watch_monetization_types": monetization,
            "sort_by": "popularity.desc",
            "include_adult": "false",
            "language": language,
            "page": str(int(page)),
        },
    )
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise ProviderBadResponse(f"discover/{media}: no 'results' list")
    total = body.get("total_pages")
    rows = [_discover_row(media, row) for row in body["results"]]
    return DiscoverPage(
        page=int(body.get("page") or page),
        total_pages=total if isinstance(total, int) and total >= 0 else 0,
        rows=rows,
    )


def _discover_row(media: str, row: Any) -> DiscoverRow:
    if not isinstance(row, Mapping) or not isinstance(row.get("id"), int):
        raise ProviderBadResponse(f"discover/{media}: a result has no integer id")
    title_key, original_key, date_key = _title_keys(media)
    title = _text(row.get(title_key))
    poster = row.get("poster_path")
    return DiscoverRow(
        media=media,
        id=row["id"],
        title=title,
        original_title=_text(row.get(original_key)) or title,
        original_language=_text(row.get("original_language"))[:8],
        date=_text(row.get(date_key)),
        popularity=_number(row.get("popularity")),
        vote_average=_number(row.get("vote_average")),
        vote_count=_count(row.get("vote_count")),
        poster_path=poster if isinstance(poster, str) else "",
    )


@dataclass(frozen=True)
class TitleDetails:
    """/3/{movie,tv}/{id} in one language, with keywords and external ids."""

    media: str
    id: int
    title: str
    original_title: str
    original_language: str
    overview: str
    date: str
    runtime: int | None
    seasons: int | None
    genres: list[str]
    origin_countries: list[str]
    keywords: list[str]
    popularity: float | None
    vote_average: float | None
    vote_count: int | None
    poster_path: str
    imdb_id: str
    wikidata_id: str

    @property
    def year(self) -> int | None:
        return _year(self.date)


def title_details(
    client: JsonClient, *, media: str, tmdb_id: int, language: str, extras: bool = True
) -> TitleDetails:
    """A film's or series' details in a language (TMDB falls back to the original
    title and an empty overview where it has no translation)."""
    params = {"language": language}
    if extras:
        params["append_to_response"] = "keywords,external_ids"
    body = client.get_json(f"/3/{_media(media)}/{int(tmdb_id)}", params=params)
    if not isinstance(body, dict) or not isinstance(body.get("id"), int):
        raise ProviderBadResponse(f"details of {media} {tmdb_id}: no integer id")
    title_key, original_key, date_key = _title_keys(media)
    title = _text(body.get(title_key))
    external = (
        body.get("external_ids") if isinstance(body.get("external_ids"), dict) else {}
    )
    keywords = body.get("keywords") if isinstance(body.get("keywords"), dict) else {}
    # A real TMDB quirk: films list keywords under "keywords", series under "results".
    keyword_rows = keywords.get("keywords" if media == "movie" else "results") or []
    if media == "movie":
        runtime, seasons = _count(body.get("runtime")), None
        countries = body.get("origin_country") or [
            c.get("iso_3166_1")
            for c in body.get("production_countries") or []
            if isinstance(c, Mapping)
        ]
    else:
        run_times = body.get("episode_run_time") or []
        runtime = (
            _count(run_times[0]) if isinstance(run_times, list) and run_times else None
        )
        seasons = _count(body.get("number_of_seasons"))
        countries = body.get("origin_country") or []
    poster = body.get("poster_path")
    imdb = _text(body.get("imdb_id") or external.get("imdb_id"))
    return TitleDetails(
        media=media,
        id=body["id"],
        title=title,
        original_title=_text(body.get(original_key)) or title,
        original_language=_text(body.get("original_language"))[:8],
        overview=_text(body.get("overview")),
        date=_text(body.get(date_key)),
        runtime=runtime or None,
        seasons=seasons,
        genres=_names(body.get("genres")),
        origin_countries=[str(c)[:2] for c in countries if isinstance(c, str)],
        keywords=_names(keyword_rows),
        popularity=_number(body.get("popularity")),
        vote_average=_number(body.get("vote_average")),
        vote_count=_count(body.get("vote_count")),
        poster_path=poster if isinstance(poster, str) else "",
        imdb_id=imdb if imdb.startswith("tt") else "",
        wikidata_id=_text(external.get("wikidata_id")),
    )


def changed_ids(
    client: JsonClient,
    *,
    media: str,
    start_date: str,
    end_date: str,
    max_pages: int = 50,
) -> set[int]:
    """Ids whose TMDB data changed between two dates (at most 14 days apart)."""
    ids: set[int] = set()
    page, total = 1, 1
    while page <= min(total, max_pages):
        body = client.get_json(
            f"/3/{_media(media)}/changes",
            params={"start_date": start_date, "end_date": end_date, "page": str(page)},
        )
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise ProviderBadResponse(f"{media}/changes: no 'results' list")
        ids |= {
            row["id"]
            for row in body["results"]
            if isinstance(row, Mapping) and isinstance(row.get("id"), int)
        }
        total = (
            body.get("total_pages") if isinstance(body.get("total_pages"), int) else 1
        )
        page += 1
    return ids


def _title_keys(media: str) -> tuple[str, str, str]:
    if media == "movie":
        return "title", "original_title", "release_date"
    return "name", "original_name", "first_air_date"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    return (
        float(value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else None
    )


def _count(value: Any) -> int | None:
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else None
    )


def _names(rows: Any) -> list[str]:
    if not isinstance(rows, list):
        return []
    return [
        str(row["name"]).strip()
        for row in rows
        if isinstance(row, Mapping)
        and isinstance(row.get("name"), str)
        and row["name"].strip()
    ]


def _year(date: str) -> int | None:
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None
