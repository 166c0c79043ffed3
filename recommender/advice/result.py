"""What the advice is made of: services, additions, bundles and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from recommender.advice.prices import format_price, price_str


@dataclass(frozen=True)
class PlatformInfo:
    slug: str
    name: str
    monthly_price: Decimal | None
    currency: str


@dataclass(frozen=True)
class PlatformCoverage:
    slug: str
    name: str
    monthly_price: Decimal | None
    currency: str
    covered_count: int
    covered_value: float
    movie_ids: list[int]
    is_subscribed: bool


@dataclass(frozen=True)
class Addition:
    slug: str
    name: str
    monthly_price: Decimal | None
    currency: str
    added_count: int
    added_value: float
    movie_ids: list[int]


@dataclass(frozen=True)
class Bundle:
    slugs: list[str]
    total_price: Decimal
    covered_count: int
    covered_value: float
    movie_ids: list[int]


@dataclass(frozen=True)
class CancelCandidate:
    slug: str
    name: str
    unique_count: int
    monthly_price: Decimal | None
    currency: str


@dataclass(frozen=True)
class PlatformAdvice:
    region: str
    currency: str
    k: int
    subscribed: list[str]
    watchable_now: list[int]
    per_platform: list[PlatformCoverage]
    best_addition: Addition | None
    best_bundle: Bundle | None
    budget: Decimal | None
    cancel_candidate: CancelCandidate | None
    known_count: int = 0
    min_known: int = 0
    current_price: Decimal = Decimal(0)
    addition_tie: list[str] = field(default_factory=list)
    cancel_tie: list[str] = field(default_factory=list)
    sentence: str = field(default="")
    # "pool": counted over the whole catalogue's best matches (the set's pool);
    # "shown": over the shown items (a set built before the pool existed).
    scope: str = "shown"
    # The first few titles each service carries, best first, by slug:
    # [{"movie_id", "title", "title_ko"}].
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def has_verdict(self) -> bool:
        """Enough of the list is known to advise paying, switching or cancelling."""
        return self.k > 0 and self.known_count >= self.min_known

    @property
    def is_over_pool(self) -> bool:
        return self.scope == "pool"

    @property
    def unknown_count(self) -> int:
        """Titles whose availability here nobody has established either way."""
        return self.k - self.known_count

    @property
    def is_over_budget(self) -> bool:
        return self.budget is not None and self.current_price > self.budget

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form: prices as decimal strings plus a formatted display."""
        return {
            "region": self.region,
            "currency": self.currency,
            "k": self.k,
            "scope": self.scope,
            "unknown_count": self.unknown_count,
            "subscribed": list(self.subscribed),
            "watchable_now": {
                "count": len(self.watchable_now),
                "movie_ids": list(self.watchable_now),
            },
            "per_platform": [
                {
                    "slug": p.slug,
                    "name": p.name,
                    "monthly_price": price_str(p.monthly_price),
                    "price_display": format_price(p.monthly_price, p.currency),
                    "covered_count": p.covered_count,
                    "covered_value": round(p.covered_value, 3),
                    "movie_ids": list(p.movie_ids),
                    "is_subscribed": p.is_subscribed,
                    "examples": list(self.examples.get(p.slug, [])),
                }
                for p in self.per_platform
            ],
            "best_addition": None
            if self.best_addition is None
            else {
                "slug": self.best_addition.slug,
                "name": self.best_addition.name,
                "monthly_price": price_str(self.best_addition.monthly_price),
                "price_display": format_price(
                    self.best_addition.monthly_price, self.best_addition.currency
                ),
                "added_count": self.best_addition.added_count,
                "added_value": round(self.best_addition.added_value, 3),
                "movie_ids": list(self.best_addition.movie_ids),
            },
            "best_bundle": None
            if self.best_bundle is None
            else {
                "slugs": list(self.best_bundle.slugs),
                "total_price": price_str(self.best_bundle.total_price),
                "price_display": format_price(
                    self.best_bundle.total_price, self.currency
                ),
                "covered_count": self.best_bundle.covered_count,
                "covered_value": round(self.best_bundle.covered_value, 3),
                "movie_ids": list(self.best_bundle.movie_ids),
            },
            "budget": price_str(self.budget),
            "cancel_candidate": None
            if self.cancel_candidate is None
            else {
                "slug": self.cancel_candidate.slug,
                "name": self.cancel_candidate.name,
                "unique_count": self.cancel_candidate.unique_count,
                "monthly_price": price_str(self.cancel_candidate.monthly_price),
                "price_display": format_price(
                    self.cancel_candidate.monthly_price, self.cancel_candidate.currency
                ),
            },
            "known_count": self.known_count,
            "min_known": self.min_known,
            "has_verdict": self.has_verdict,
            "current_price": price_str(self.current_price),
            "current_price_display": format_price(self.current_price, self.currency),
            "budget_display": None
            if self.budget is None
            else format_price(self.budget, self.currency),
            "is_over_budget": self.is_over_budget,
            "addition_tie": list(self.addition_tie),
            "cancel_tie": list(self.cancel_tie),
            "sentence": self.sentence,
        }
