"""Every outbound link a movie card shows is built here, in `outbound_url`.

Keeping one function means a later click-out redirect (to count clicks) changes one
place: offer links, "search on <service>" links and the JustWatch search link.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings

JUSTWATCH_SEARCH = "https://www.justwatch.com/{region}/search?q={query}"


@dataclass(frozen=True)
class SearchLink:
    platform_slug: str  # "justwatch" for the JustWatch link
    name: str
    url: str


def outbound_url(
    *,
    kind: str,
    movie_id: int,
    title: str,
    region: str,
    platform_slug: str = "",
    template: str = "",
    target: str = "",
) -> str:
    """The URL a card links to.

    kind "offer": `target` is the offer's own link (TMDB's watch page).
    kind "search": `template` is the platform's search URL, {query} = the title.
    kind "justwatch": JustWatch's search in the region.
    movie_id and platform_slug identify the click for a future redirect endpoint.
    """
    query = quote(title, safe="")
    if kind == "offer":
        return target
    if kind == "search":
        return template.replace("{query}", query) if "{query}" in template else ""
    if kind == "justwatch":
        return JUSTWATCH_SEARCH.format(region=region.lower(), query=query)
    raise ValueError(f"unknown outbound link kind {kind!r}")


def search_links(
    *, movie_id: int, title: str, region: str, platforms: list
) -> list[SearchLink]:
    """'Search on <service>' for the given platforms, then JustWatch."""
    links = []
    for platform in platforms:
        url = outbound_url(
            kind="search",
            movie_id=movie_id,
            title=title,
            region=region,
            platform_slug=platform.slug,
            template=platform.search_url,
        )
        if url:
            links.append(SearchLink(platform.slug, platform.name, url))
    url = outbound_url(kind="justwatch", movie_id=movie_id, title=title, region=region)
    links.append(SearchLink("justwatch", "JustWatch", url))
    return links


def movie_search_links(*, movie, region: str, platforms: list) -> list[SearchLink]:
    """Search links for a movie: its Korean title on KR services, else the English."""
    title = movie.title_ko if region == "KR" and movie.title_ko else None
    title = title or movie.display_title.split(" (")[0]
    return search_links(
        movie_id=movie.pk, title=title, region=region, platforms=platforms
    )


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL (never javascript:, data: or a relative path)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def offer_click_url(*, link: str, movie, region: str, platform) -> str:
    """Where a click on a card's service badge goes.

    The offer's own page when we have one; else the service's search for the title,
    since its home page leaves the user to search for it; else the home page. Empty
    when there is no web URL at all.
    """
    if is_web_url(link):
        return link
    for search in movie_search_links(movie=movie, region=region, platforms=[platform]):
        if search.platform_slug == platform.slug and is_web_url(search.url):
            return search.url
    return platform.homepage if is_web_url(platform.homepage) else ""


def links_variant() -> str:
    """What a rendering with posters and search links depends on beyond the data
    (part of cache keys): whether a TMDB key is configured."""
    return "tmdb" if settings.TMDB_API_KEY else "notmdb"


def poster_url(movie) -> str:
    """The TMDB image URL of the movie's poster; empty without a TMDB key.

    Not a click-out: the browser loads it as an image (TMDB's image server).
    """
    path = getattr(movie, "poster_path", "")
    if not (settings.TMDB_API_KEY and path):
        return ""
    return settings.TMDB_IMAGE_URL.rstrip("/") + "/" + path.lstrip("/")
