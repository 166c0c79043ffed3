"""A small JSON-over-HTTP client with timeouts, retries and clear errors."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (3.05, 10.0)  # (connect, read) seconds


class ProviderError(Exception):
    """An outside source could not answer; nothing should be written."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ProviderNotFound(ProviderError):
    """The outside source does not know the resource (404)."""


class ProviderAuthError(ProviderError):
    """The key is missing, wrong or not allowed (401/403)."""


class ProviderRateLimited(ProviderError):
    """Still 429 after the allowed retries, or asked to wait longer than the cap."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    """5xx or connection failures after the allowed retries."""


class ProviderBadResponse(ProviderError):
    """The body is not the JSON shape the source documents."""


class JsonClient:
    """GET JSON with backoff on 5xx/connection errors and Retry-After on 429."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = 30.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        busy: Callable[[Any], str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers or {})
        self.params = dict(params or {})
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.session = session or requests.Session()
        self.sleep = sleep
        # Says why a 200 body means "try again later" ("" = it does not): MediaWiki
        # answers its maxlag refusal with 200, an error body and Retry-After.
        self.busy = busy

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET base_url + path and return the decoded JSON body."""
        url = f"{self.base_url}/{path.lstrip('/')}" if path else self.base_url
        query = {**self.params, **(params or {})}
        attempt = 0
        while True:
            try:
                response = self.session.get(
                    url, params=query, headers=self.headers, timeout=self.timeout
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= self.max_retries:
                    raise ProviderUnavailable(f"{url}: {exc}") from exc
                self._wait_backoff(attempt, url, str(exc))
                attempt += 1
                continue
            status = response.status_code
            if status == 429:
                wait = _retry_after(response.headers.get("Retry-After"))
                if attempt >= self.max_retries or (
                    wait is not None and wait > self.max_retry_after
                ):
                    raise ProviderRateLimited(
                        f"{url}: rate limited ({_message(response)})", retry_after=wait
                    )
                delay = wait if wait is not None else self._backoff_delay(attempt)
                logger.info("429 from %s, waiting %.1f s", url, delay)
                self.sleep(delay)
                attempt += 1
                continue
            if status >= 500:
                if attempt >= self.max_retries:
                    raise ProviderUnavailable(
                        f"{url}: HTTP {status} ({_message(response)})", status=status
                    )
                self._wait_backoff(attempt, url, f"HTTP {status}")
                attempt += 1
                continue
            if status == 404:
                raise ProviderNotFound(f"{url}: {_message(response)}", status=404)
            if status in (401, 403):
                raise ProviderAuthError(f"{url}: {_message(response)}", status=status)
            if status >= 400:
                raise ProviderError(
                    f"{url}: HTTP {status} ({_message(response)})", status=status
                )
            try:
                body = response.json()
            except ValueError as exc:
                raise ProviderBadResponse(f"{url}: body is not JSON") from exc
            why = self.busy(body) if self.busy is not None else ""
            if not why:
                return body
            if attempt >= self.max_retries:
                raise ProviderUnavailable(f"{url}: {why}")
            wait = _retry_after(response.headers.get("Retry-After"))
            delay = (
                min(wait, self.max_retry_after)
                if wait is not None
                else self._backoff_delay(attempt)
            )
            logger.info("%s from %s, waiting %.1f s", why, url, delay)
            self.sleep(delay)
            attempt += 1

    def _backoff_delay(self, attempt: int) -> float:
        # Jitter spreads the retries of several workers hitting the same outage.
        return self.backoff * (2**attempt) * (1 + random.random() / 4)

    def _wait_backoff(self, attempt: int, url: str, why: str) -> None:
        delay = self._backoff_delay(attempt)
        logger.info("%s from %s, retrying in %.2f s", why, url, delay)
        self.sleep(delay)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form; dates are ignored)."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


def _message(response: requests.Response) -> str:
    """The error text of a TMDB or Google error body, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        if "status_message" in body:
            return str(body["status_message"])
        error = body.get("error")
        if isinstance(error, dict) and "message" in error:
            return str(error["message"])
        if isinstance(error, dict) and "info" in error:  # MediaWiki
            return str(error["info"])
    return str(body)[:200]
