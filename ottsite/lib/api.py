"""REST API plumbing shared by every app: errors, pagination, permissions, schema.

Domain errors (ottsite.lib.errors) and DRF's own exceptions become one JSON shape,
here and only here: {"detail": message, "field": name or null, "errors": {field:
[messages]}}. ottsite.lib.api_schema documents that shape on every operation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from ottsite.lib.errors import Conflict, DomainError, NotFound

# The largest id PostgreSQL's bigint holds; bigger ids in a request are invalid.
MAX_ID = 2**63 - 1
NON_FIELD = "non_field_errors"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for people.")
    field = serializers.CharField(
        allow_null=True, help_text="The first offending field, or null."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Every offending field with its messages.",
    )


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class NamesField(serializers.Field):
    """Read-only: a to-many relation as one attribute of each object (genre names)."""

    def __init__(self, attr: str, **kwargs: Any) -> None:
        self.attr = attr
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> list[str]:
        return [getattr(obj, self.attr) for obj in value.all()]


# What str.strip() removes, spelled so that ECMA regexes (where \s lacks the
# information separators and NEL) read the schema's pattern the same way.
_SPACE = r"\s\x1c-\x1f\x85"


class TextField(serializers.CharField):
    """Free text; its schema says what PostgreSQL refuses: NUL characters.

    A trimmed field that may not be blank also says so in its pattern: U+001D
    has length 1 but is blank once trimmed, and the schema must not promise it.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        pattern = r"^[^\x00]*$"
        if self.trim_whitespace and not self.allow_blank:
            pattern = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"
        self.validators.append(
            RegexValidator(pattern, "Null characters are not allowed.")
        )


class InputSerializer(serializers.Serializer):
    """A request body: JSON types must match exactly (no 12 for "12", no "1" for 1).

    DRF coerces loosely; the OpenAPI schema promises types, and a client that sends
    the wrong one has a bug worth a 400 naming the field.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors = {
                name: [message]
                for name, field in self.fields.items()
                if name in data and not field.read_only
                for message in [_type_error(field, data[name])]
                if message
            }
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)


def _type_error(field: serializers.Field, value: Any) -> str | None:
    if value is None:
        return None  # the field's allow_null decides
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return None  # the field says "expected a list"
        return next(
            (
                f"{i}: {error}"
                for i, item in enumerate(value)
                if (error := _type_error(field.child, item))
            ),
            None,
        )
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    checks: list[tuple[type | tuple, bool, str]] = [
        (serializers.BooleanField, isinstance(value, bool), "a boolean"),
        (serializers.IntegerField, is_number and isinstance(value, int), "an integer"),
        ((serializers.FloatField, serializers.DecimalField), is_number, "a number"),
        (
            (serializers.CharField, serializers.ChoiceField),
            isinstance(value, str),
            "a string",
        ),
    ]
    for kind, ok, name in checks:
        if isinstance(field, kind):
            return None if ok else f"Expected {name}."
    return None


def error_body(
    detail: str, *, field: str | None = None, errors: Mapping | None = None
) -> dict[str, Any]:
    return {"detail": detail, "field": field, "errors": dict(errors or {})}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Map domain errors and DRF exceptions to the one error shape."""
    if isinstance(exc, DomainError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, NotFound):
            code = status.HTTP_404_NOT_FOUND
        elif isinstance(exc, Conflict):
            code = status.HTTP_409_CONFLICT
        errors = exc.as_dict()
        field = exc.field if exc.field != NON_FIELD else None
        return Response(error_body(exc.message, field=field, errors=errors), code)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        field, messages = next(iter(errors.items()), (NON_FIELD, ["Invalid input."]))
        return Response(
            error_body(
                messages[0], field=None if field == NON_FIELD else field, errors=errors
            ),
            status.HTTP_400_BAD_REQUEST,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        detail = "Not found."
    elif isinstance(exc, PermissionDenied):
        detail = "You do not have permission to perform this action."
    else:
        detail = str(getattr(exc, "detail", exc))
    errors = {NON_FIELD: [detail]} if response.status_code == 400 else {}
    response.data = error_body(detail, errors=errors)
    return response


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail -> {top-level field: [messages]}."""
    if isinstance(detail, Mapping):
        return {str(k): _messages(v) for k, v in detail.items()}
    return {NON_FIELD: _messages(detail)}


def _messages(detail: Any, prefix: str = "") -> list[str]:
    if isinstance(detail, Mapping):
        out: list[str] = []
        for key, value in detail.items():
            out += _messages(value, f"{prefix}{key}: ")
        return out
    if isinstance(detail, Sequence) and not isinstance(detail, str):
        out = []
        for item in detail:
            out += _messages(item, prefix)
        return out
    return [f"{prefix}{detail}"]


class Pagination(PageNumberPagination):
    """Page numbers with `page_size` up to 500; bad values are a 400, not a guess."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return self._positive(request, self.page_query_param, 1, None)

    def get_page_size(self, request: Request) -> int:
        return self._positive(
            request, self.page_size_query_param, self.page_size, self.max_page_size
        )

    def _positive(
        self, request: Request, name: str, default: int, maximum: int | None
    ) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        field = serializers.IntegerField(min_value=1, max_value=maximum or MAX_ID)
        try:
            return field.run_validation(raw)
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError({name: exc.detail}) from exc

    def get_schema_operation_parameters(self, view: APIView) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
            else:
                parameter["schema"]["maximum"] = MAX_ID
        return parameters


class IsStaffOrReadOnly(BasePermission):
    """Anyone reads; only staff write. Methods the view lacks fall through to 405."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            return True
        return bool(request.user and request.user.is_staff)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    "400": _error("Invalid input; `field` names the offending field."),
    "401": _error("Authentication credentials were missing or wrong."),
    "403": _error("Authenticated, but not allowed to do this."),
    "404": _error("No such object, or it belongs to someone else."),
    "409": _error("The request conflicts with the current state."),
    "415": _error("Unsupported request media type."),
    "429": _error("Too many requests; retry after the `Retry-After` seconds."),
}


def paginated_response(
    *,
    serializer_class: type[serializers.Serializer],
    items: Any,
    request: Request,
    view: APIView,
) -> Response:
    """One page of `items` rendered with the serializer, with count/next/previous."""
    paginator = Pagination()
    page = paginator.paginate_queryset(items, request, view=view)
    data = serializer_class(page, many=True, context={"request": request}).data
    return paginator.get_paginated_response(data)


class IdConverter:
    """Path ids that fit a bigint; longer digit strings are no match (a JSON 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class NotFoundApi(APIView):
    """Any other URL under /api/: a JSON 404 instead of Django's HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Raised before method dispatch, so every method gets the same answer.
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound("No such API endpoint.")
