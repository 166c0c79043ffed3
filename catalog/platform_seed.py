"""The streaming services the product starts with (seeded by migration 0004,
updated with dated, sourced prices by migration 0007).

Prices are secondary-source figures (see shared/reference/external-apis.md, table
"Re-checked 2026-11-27"); they are data, editable in the admin, not code. Search URL
templates are each service's own search page ({query} = the URL-quoted title); they
were not checked against the live sites, which is why they are admin-editable too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

PLATFORMS = [
    ("KR", "netflix", "Netflix", "13500", "KRW", 8, "https://www.netflix.com/kr/"),
    ("KR", "tving", "TVING", "13900", "KRW", 1883, "https://www.tving.com/"),
    (
        "KR",
        "coupang-play",
        "Coupang Play",
        "7890",
        "KRW",
        1881,
        "https://www.coupangplay.com/",
    ),
    ("KR", "wavve", "Wavve", "10900", "KRW", 356, "https://www.wavve.com/"),
    (
        "KR",
        "disney-plus",
        "Disney+",
        "9900",
        "KRW",
        337,
        "https://www.disneyplus.com/ko-kr",
    ),
    ("KR", "watcha", "Watcha", "7900", "KRW", 97, "https://watcha.com/"),
    ("KR", "apple-tv-plus", "Apple TV+", "6500", "KRW", 350, "https://tv.apple.com/kr"),
    (
        "KR",
        "prime-video",
        "Prime Video",
        "5900",
        "KRW",
        119,
        "https://www.primevideo.com/",
    ),
    ("US", "netflix", "Netflix", "17.99", "USD", 8, "https://www.netflix.com/"),
    ("US", "hulu", "Hulu", "9.99", "USD", 15, "https://www.hulu.com/"),
    (
        "US",
        "prime-video",
        "Prime Video",
        "8.99",
        "USD",
        9,
        "https://www.primevideo.com/",
    ),
    ("US", "disney-plus", "Disney+", "9.99", "USD", 337, "https://www.disneyplus.com/"),
]

RECHECKED = date(2026, 11, 27)

# (region, slug) -> the dated facts of the 2026-11-27 re-check. "price" replaces the
# seeded price only where an admin has not changed it since the seed. Users read
# price_source as written, in either language: a publication or its address only,
# dated by price_source_date as precisely as the source is (YYYY, YYYY-MM, YYYY-MM-DD);
# the notes stay here as comments. An empty price_source with no date: no source.
PLATFORM_FACTS: dict[tuple[str, str], dict] = {
    ("KR", "netflix"): {
        "price": "13500",
        "price_checked_on": RECHECKED,
        # Standard; Premium 17,000.
        "price_source": "etnews.com/20231225000102",
        "price_source_date": "2023-12-25",
        "ad_tier_name": "광고형 스탠다드",
        "ad_tier_price": "5500",
        "search_url": "https://www.netflix.com/search?q={query}",
    },
    ("KR", "tving"): {
        "price": "13500",
        "price_checked_on": RECHECKED,
        # Web Standard, in effect from 2023-12-01; in-app prices differ since
        # 2026-02-23 (biz.sbs.co.kr/amp/article/20000286750).
        "price_source": "joongang.co.kr/article/25203717",
        "price_source_date": "2023-12",
        "ad_tier_name": "광고형 스탠다드",
        "ad_tier_price": "5500",
        "search_url": "https://www.tving.com/search?keyword={query}",
    },
    ("KR", "coupang-play"): {
        "price": "7890",
        "price_checked_on": RECHECKED,
        "price_source": "etnews.com/20240709000351",
        "price_source_date": "2024-07-09",
        "bundled_with": "Coupang WOW",
        # Seen in 3 repositories but absent from TMDB's KR provider list (Jan 2026).
        "is_tmdb_id_verified": False,
        "search_url": "https://www.coupangplay.com/search?q={query}",
    },
    ("KR", "wavve"): {
        "price": "10900",
        "price_checked_on": RECHECKED,
        # No 2024-26 source found.
        "price_source": "ottnews.kr",
        "price_source_date": "2022-03-24",
        "search_url": "https://www.wavve.com/search?searchWord={query}",
    },
    ("KR", "disney-plus"): {
        "price": "9900",
        "price_checked_on": RECHECKED,
        # Standard, from 2023-11-01.
        "price_source": "edaily (v.daum.net/v/20231018173231899)",
        "price_source_date": "2023-10-18",
        "search_url": "https://www.disneyplus.com/ko-kr/search?q={query}",
    },
    ("KR", "watcha"): {
        "price": "7900",
        "price_checked_on": RECHECKED,
        # Basic. Our reference dates the article by year only; no 2024-26 source.
        "price_source": "Herald",
        "price_source_date": "2020",
        "search_url": "https://watcha.com/search?query={query}",
    },
    ("KR", "apple-tv-plus"): {
        "price": "6500",
        "price_checked_on": RECHECKED,
        # The KR launch price, from a repost of a news article that names no
        # publisher; no later KR figure found.
        "price_source": "",
        "price_source_date": "2021-11-04",
        "search_url": "https://tv.apple.com/kr/search?term={query}",
    },
    ("KR", "prime-video"): {
        "price_source": "",
        "search_url": "https://www.primevideo.com/search/?phrase={query}",
    },
    ("US", "netflix"): {
        "price_source": "",
        "search_url": "https://www.netflix.com/search?q={query}",
    },
    ("US", "hulu"): {
        "price_source": "",
        "search_url": "https://www.hulu.com/search?q={query}",
    },
    ("US", "prime-video"): {
        "price_source": "",
        "search_url": "https://www.primevideo.com/search/?phrase={query}",
    },
    ("US", "disney-plus"): {
        "price_source": "",
        "search_url": "https://www.disneyplus.com/search?q={query}",
    },
}

# TMDB provider ids that are a variant of a platform we list (a plan, not a service):
# offers under them count for the platform. Netflix with ads 1796 is verified;
# Prime Video with ads 2100 is secondary (external-apis.md §4).
TMDB_PROVIDER_ALIASES = {1796: 8, 2100: 119}


def platforms_seed(platform_model) -> None:
    """Create the starting platforms and apply the re-checked facts (for tests)."""
    platforms_create(platform_model)
    platforms_facts_apply(platform_model)


def platforms_create(platform_model) -> None:
    """Create the starting platforms, keeping rows (and admin edits) that exist."""
    for region, slug, name, price, currency, tmdb_id, homepage in PLATFORMS:
        platform_model.objects.get_or_create(
            slug=slug,
            region=region,
            defaults={
                "name": name,
                "monthly_price": Decimal(price),
                "currency": currency,
                "tmdb_provider_id": tmdb_id,
                "homepage": homepage,
            },
        )


def platforms_facts_apply(platform_model) -> None:
    """Write the re-checked prices, sources, ad tiers and search URLs.

    A price an admin changed since the seed is kept; so is a search URL an admin set.
    """
    seeded = {(r, s): Decimal(p) for r, s, _n, p, *_ in PLATFORMS}
    for (region, slug), facts in PLATFORM_FACTS.items():
        platform = platform_model.objects.filter(region=region, slug=slug).first()
        if platform is None:
            continue
        facts = dict(facts)
        price = facts.pop("price", None)
        if price is not None and platform.monthly_price == seeded[(region, slug)]:
            platform.monthly_price = Decimal(price)
        if platform.search_url:
            facts.pop("search_url", None)
        if "ad_tier_price" in facts:
            facts["ad_tier_price"] = Decimal(facts["ad_tier_price"])
        for name, value in facts.items():
            setattr(platform, name, value)
        platform.save()
