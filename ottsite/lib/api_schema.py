"""OpenAPI schema generation: every operation documents the error shape it can give.

Apart from ottsite.lib.api because drf-spectacular's AutoSchema imports DRF's generic
views, which import the pagination class named in settings (a cycle).
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS

from ottsite.lib.api import ERRORS, IsStaffOrReadOnly


class AutoSchema(SpectacularAutoSchema):
    """Documents the error responses each operation can give, in the error shape."""

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ERRORS[code], code, direction=direction
                )
        return responses

    def _insert_field_validators(self, field: Any, schema: dict) -> None:
        super()._insert_field_validators(field, schema)
        _fix_blank_branch(schema)

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        staff_writes = any(
            isinstance(p, IsStaffOrReadOnly) for p in self.view.get_permissions()
        )
        if staff_writes and self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _error_codes(self) -> list[str]:
        # An invalid token is a 401 and a session without CSRF a 403 even where
        # anonymous reads are allowed, so every operation can give them.
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        return codes


BLANK = {"type": "string", "maxLength": 0}


def _fix_blank_branch(schema: dict) -> None:
    """Make drf-spectacular's "or blank" alternative true to the field.

    For a blank-allowed string with a pattern it writes oneOf [field, blank]. When
    the field's own pattern accepts "" (our TextField's "no NUL"), "" matches both
    branches and so violates oneOf: the schema then forbids the blank value the API
    accepts. Such a branch is redundant and is dropped; any other becomes anyOf,
    which is what "the field or blank" means.
    """
    branches = schema.get("oneOf")
    if not branches or len(branches) != 2 or branches[1] != BLANK:
        return
    inner = branches[0]
    accepts_blank = (
        inner.get("type") == "string"
        and "format" not in inner
        and not inner.get("minLength")
        and re.search(inner.get("pattern", ""), "") is not None
    )
    if accepts_blank:
        del schema["oneOf"]
        schema.update(inner)
    else:
        schema["anyOf"] = schema.pop("oneOf")
