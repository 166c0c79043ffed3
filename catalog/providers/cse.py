"""Google Custom Search JSON API client: which OTT sites a title search lands on.

Optional and off unless GOOGLE_CSE_ENABLED: the API is closed to new customers and
existing ones lose it on 2027-01-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from catalog.providers.http import JsonClient, ProviderBadResponse, ProviderError

# Result link host suffix -> Platform.slug.
DOMAIN_PLATFORMS = {
    "netflix.com": "netflix",
    "tving.com": "tving",
    "coupangplay.com": "coupang-play",
    "wavve.com": "wavve",
    "disneyplus.com": "disney-plus",
    "watcha.com": "watcha",
    "tv.apple.com": "apple-tv-plus",
    "primevideo.com": "prime-video",
    "hulu.com": "hulu",
}


@dataclass(frozen=True)
class SearchHit:
    title: str
    link: str
    platform_slug: str


def cse_client(**overrides: Any) -> JsonClient:
    """A JsonClient for the configured Custom Search engine."""
    if not settings.GOOGLE_CSE_ENABLED:
        raise ProviderError("Google Custom Search is disabled (GOOGLE_CSE_ENABLED)")
    if not (settings.GOOGLE_CSE_KEY and settings.GOOGLE_CSE_CX):
        raise ProviderError("GOOGLE_CSE_KEY and GOOGLE_CSE_CX must be set")
    return JsonClient(
        base_url=settings.GOOGLE_CSE_URL,
        params={"key": settings.GOOGLE_CSE_KEY, "cx": settings.GOOGLE_CSE_CX},
        **overrides,
    )


def platform_for_link(link: str) -> str | None:
    """The platform slug whose domain serves this URL, if any."""
    host = (urlsplit(link).hostname or "").lower()
    for domain, slug in DOMAIN_PLATFORMS.items():
        if host == domain or host.endswith("." + domain):
            return slug
    return None


def search_platform_hits(
    client: JsonClient, *, query: str, region: str | None = None
) -> list[SearchHit]:
    """Results of one search whose links point at a known OTT site."""
    params = {"q": query, "num": "10"}
    if region:
        params["gl"] = region.lower()
    body = client.get_json("", params=params)
    if not isinstance(body, dict) or body.get("kind") != "customsearch#search":
        raise ProviderBadResponse("customsearch: not a customsearch#search body")
    items = body.get("items", [])  # omitted when there are no results
    if not isinstance(items, list):
        raise ProviderBadResponse("customsearch: items is not a list")
    hits = []
    for item in items:
        link = item.get("link") if isinstance(item, dict) else None
        if not isinstance(link, str):
            raise ProviderBadResponse("customsearch: a result has no link")
        slug = platform_for_link(link)
        if slug:
            hits.append(
                SearchHit(
                    title=str(item.get("title", "")), link=link, platform_slug=slug
                )
            )
    return hits
