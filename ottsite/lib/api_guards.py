"""Request guards of the API, loaded by DRF's settings (so nothing here may import
rest_framework.views): a JSON parser with a nesting limit, and throttles keyed on the
real client address."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from rest_framework import exceptions, parsers, throttling
from rest_framework.request import Request
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from ottsite.lib.cache import counter_incr
from ottsite.lib.clientip import client_ip

# No request body of this API nests deeper; deeper JSON is refused, not recursed.
MAX_JSON_DEPTH = 20
_SURROGATE = re.compile("[\ud800-\udfff]")


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


def _surrogate_find(value: Any) -> tuple[list[str], str] | None:
    """The path to the first string or key with a lone surrogate, and that character.

    JSON's "\\ud800" escape decodes to a str that cannot be encoded as UTF-8: any
    error message quoting it back (a choice field's "not a valid choice") would make
    the renderer fail with a 500.
    """
    stack: list[tuple[Any, list[str]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if match := _SURROGATE.search(item):
                return path, match.group()
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                name = key.encode("utf-8", "backslashreplace").decode()
                stack.append((key, [*path, name]))
                stack.append((child, [*path, name]))
        elif isinstance(item, list):
            stack.extend(
                (v, [*path, str(i)]) for i, v in reversed(list(enumerate(item)))
            )
    return None


def _nest(path: list[str], message: str) -> Any:
    """["events", "0", "kind"] -> {"events": {"0": {"kind": [message]}}}."""
    detail: Any = [message]
    for name in reversed(path):
        detail = {name: detail}
    return detail


class JSONParser(parsers.JSONParser):
    """JSON with a nesting limit (`[` x 1000 is a 400, not a RecursionError) and
    valid Unicode only (a lone surrogate is a 400 naming the field, not a 500)."""

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
        if found := _surrogate_find(data):
            path, character = found
            message = ProhibitSurrogateCharactersValidator.message.format(
                code_point=ord(character)
            )
            raise exceptions.ValidationError(_nest(path, message))
        return data


class _WindowCounter:
    """Sliding-window rate limiting from two fixed-window counters.

    DRF's stock throttles read and rewrite a pickled list of every request time in
    the window (up to the whole rate) on each request: two round trips and a list
    that grows with the rate. Here each client has one atomic counter per window
    of `duration` seconds; a request counts the current window's hits plus the
    previous window's, weighted by how much of it still lies within the last
    `duration` seconds (the usual sliding-window estimate). One pipelined round
    trip, and no burst of twice the rate across a window edge.
    """

    def get_ident(self, request: Request) -> str:
        return client_ip(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window, into = divmod(now, self.duration)
        key = f"{self.key}:{int(window)}"
        hits, before = counter_incr(
            self.cache, key, f"{self.key}:{int(window) - 1}", 2 * self.duration + 1
        )
        if hits + before * (1.0 - into / self.duration) <= self.num_requests:
            return True
        # A refused request does not count against the client.
        with contextlib.suppress(ValueError):
            self.cache.decr(key)
        self._retry_after = _retry_after(
            hits - 1, before, into, self.duration, self.num_requests - 1
        )
        return False

    def wait(self) -> float | None:
        return getattr(self, "_retry_after", None)


def _retry_after(
    hits: int, before: int, into: float, duration: float, allowed: int
) -> float:
    """Seconds until one more request fits (hits besides it must be <= allowed)."""
    if hits <= allowed and before:
        # Within this window, as the previous one's weight falls.
        wait = duration * (1.0 - (allowed - hits) / before) - into
    else:
        # In the next window, as this one's weight falls.
        wait = duration - into + duration * (1.0 - allowed / max(hits, 1))
    return max(1.0, wait)


class AnonThrottle(_WindowCounter, throttling.AnonRateThrottle):
    """Anonymous requests per real client address (not per X-Forwarded-For)."""


class UserThrottle(_WindowCounter, throttling.UserRateThrottle):
    """Per user; anonymous requests per real client address."""


class ScopedThrottle(_WindowCounter, throttling.ScopedRateThrottle):
    """Per user (or address) and the view's `throttle_scope`."""

    def allow_request(self, request: Request, view: Any) -> bool:
        # As DRF's: the rate comes from the view's scope, known only now.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
