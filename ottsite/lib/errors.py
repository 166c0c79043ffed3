"""Domain errors raised by services; views and the API map them to 4xx once."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a request the domain refuses (maps to 400)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}


class ValidationFailed(DomainError):
    """Several fields are wrong at once; `errors` maps field -> messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        first = next(iter(errors.items()))
        super().__init__(first[1][0], field=first[0])
        self.errors = errors

    def as_dict(self) -> dict[str, list[str]]:
        return self.errors


class NotFound(DomainError):
    """The object does not exist or belongs to someone else (maps to 404)."""


class Conflict(DomainError):
    """The object is in a state that does not allow the action (maps to 409)."""
