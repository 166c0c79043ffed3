"""Request guards of the API, loaded by DRF's settings (so nothing here may import
rest_framework.views): a JSON parser with a nesting limit, and throttles keyed on the
real client address."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, parsers, throttling
from rest_framework.request import Request

from ottsite.lib.clientip import client_ip

# No request body of this API nests deeper; deeper JSON is refused, not recursed.
MAX_JSON_DEPTH = 20


def _depth(value: Any) -> int:
    # Iterative: the point is not to recurse on hostile input.
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


class JSONParser(parsers.JSONParser):
    """JSON with a nesting limit: `[` x 1000 is a 400, not a RecursionError."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = _depth(data) > MAX_JSON_DEPTH
        if too_deep:
            raise exceptions.ParseError(
                f"JSON nested deeper than {MAX_JSON_DEPTH} levels."
            )
        return data


class AnonThrottle(throttling.AnonRateThrottle):
    """Anonymous requests per real client address (not per X-Forwarded-For)."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class UserThrottle(throttling.UserRateThrottle):
    """Per user; anonymous requests per real client address."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)
