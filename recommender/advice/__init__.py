"""Which streaming services are worth paying for, given a user's best matches.

- choice: the pure advice over plain data (coverage, best addition, bundle within
  the budget, cancel candidate; the rules are in its docstring).
- wording: the advice as translated sentences.
- for_set: the advice for a recommendation set, read from the database.
- result, prices: what the advice is made of and how prices are shown.
"""

from __future__ import annotations

from recommender.advice.choice import (
    CANCEL_MAX_UNIQUE,
    EXACT_LIMIT,
    MIN_KNOWN_SHARE,
    advise,
    min_known_for,
)
from recommender.advice.for_set import KNOWN_STATES, platform_advice_for_set
from recommender.advice.prices import format_price
from recommender.advice.result import (
    Addition,
    Bundle,
    CancelCandidate,
    PlatformAdvice,
    PlatformCoverage,
    PlatformInfo,
)
from recommender.advice.wording import advice_sentence

__all__ = [
    "CANCEL_MAX_UNIQUE",
    "EXACT_LIMIT",
    "KNOWN_STATES",
    "MIN_KNOWN_SHARE",
    "Addition",
    "Bundle",
    "CancelCandidate",
    "PlatformAdvice",
    "PlatformCoverage",
    "PlatformInfo",
    "advice_sentence",
    "advise",
    "format_price",
    "min_known_for",
    "platform_advice_for_set",
]
