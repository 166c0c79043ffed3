"""The streaming services the product starts with (seeded by migration 0004).

Prices are secondary-source figures (see shared/reference/external-apis.md); they are
data, editable in the admin, not code.
"""

from __future__ import annotations

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


def platforms_seed(platform_model) -> None:
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
