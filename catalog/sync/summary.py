"""What a sync run reports, its errors, and the client that counts its requests."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.lookup import RateLimitedClient, RateLimiter
from catalog.providers.http import JsonClient


class SyncNotConfigured(Exception):
    """No TMDB key: nothing can be synced (and nothing is changed)."""


class SyncBusy(Exception):
    """Another sync of the region is running now."""


class SyncScopeError(ValueError):
    """The asked providers or media are not ones the region has."""


@dataclass
class SyncSummary:
    region: str
    run_id: int = 0
    resumed: bool = False
    new: int = 0
    updated: int = 0
    matched: int = 0
    offers_added: int = 0
    offers_removed: int = 0
    errors: int = 0
    requests: int = 0
    seconds: float = 0.0
    complete: bool = False
    failed: str = ""
    content: str = ""  # what the Wikidata content fetch did, when it ran
    error_messages: list[str] = field(default_factory=list)

    COUNTS = ("new", "updated", "matched", "offers_added", "offers_removed", "errors")

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}

    def add(self, counts: dict[str, int]) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + int(counts.get(name, 0)))

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.error_messages) < 10:
            self.error_messages.append(message)

    def line(self) -> str:
        text = (
            f"{self.region} sync: titles {self.new:,} new, {self.updated:,} updated "
            f"({self.matched:,} MovieLens films matched); offers {self.offers_added:,} "
            f"added, {self.offers_removed:,} removed; {self.errors:,} errors; "
            f"{self.requests:,} requests in {self.seconds:.1f} s"
        )
        if self.content:
            text += f"; content {self.content}"
        if self.resumed:
            text += " (resumed an interrupted run)"
        if self.failed:
            text += f". Stopped: {self.failed} (the next run resumes)"
        elif not self.complete:
            text += ". Lists cut short by --pages: no offer was removed"
        return text


class CountingClient(RateLimitedClient):
    """Waits its turn under the rate limit and counts requests (threads share it)."""

    def __init__(self, client: JsonClient, limiter: RateLimiter) -> None:
        super().__init__(client, limiter)
        self.requests = 0

    def get_json(self, path: str, *, params=None):  # type: ignore[override]
        self.requests += 1  # a lost increment under threads only blurs a statistic
        return super().get_json(path, params=params)
