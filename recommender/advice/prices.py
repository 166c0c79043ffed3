"""Prices as the advice shows them."""

from __future__ import annotations

from decimal import Decimal

_CURRENCY_SYMBOLS = {"KRW": "₩", "USD": "$"}
_ZERO_DECIMAL_CURRENCIES = {"KRW", "JPY"}


def price_str(price: Decimal | None) -> str | None:
    return None if price is None else f"{price:.2f}"


def format_price(price: Decimal | None, currency: str) -> str:
    """₩13,900 for KRW, $9.99 for USD, '12.00 EUR' otherwise; '?' when unknown."""
    if price is None:
        return "?"
    if currency in _ZERO_DECIMAL_CURRENCIES:
        amount = f"{price.quantize(Decimal(1)):,}"
    else:
        amount = f"{price.quantize(Decimal('0.01')):,}"
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def price_key(price: Decimal | None) -> Decimal:
    # Unknown prices sort after every known one.
    return Decimal("Infinity") if price is None else price


def region_currency(region: str) -> str:
    return {"KR": "KRW", "US": "USD"}.get(region, "USD")
