"""Accounts API: sign up, obtain a token, read and change your profile."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.limits import (
    login_failure_record,
    login_retry_after,
    login_success_record,
)
from accounts.serializers import (
    AccountDeleteInputSerializer,
    ProfileInputSerializer,
    ProfileOutputSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)
from accounts.services import (
    account_delete,
    api_account_register,
    api_token_issue,
    profile_get_or_create,
    profile_update,
)
from ottsite.lib.api import ERRORS
from ottsite.lib.errors import ValidationFailed


class RegisterApi(APIView):
    # No authentication: a stale token or a session without CSRF must not block it.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["accounts"],
        request=RegisterInputSerializer,
        responses={201: RegisterOutputSerializer, 409: ERRORS["409"]},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = api_account_register(**data.validated_data)
        body = {"user": token.user, "token": token.key}
        return Response(RegisterOutputSerializer(body).data, status.HTTP_201_CREATED)


class TokenApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["accounts"],
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, 429: ERRORS["429"]},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        # The same limiter as the page's login, keyed on the real client address.
        wait = login_retry_after(request=request, username=username)
        if wait:
            raise Throttled(wait=wait)
        try:
            token = api_token_issue(**data.validated_data)
        except ValidationFailed:
            login_failure_record(request=request, username=username)
            raise
        login_success_record(request=request, username=username)
        return Response(TokenOutputSerializer({"token": token.key}).data)


class MeApi(APIView):
    @extend_schema(tags=["accounts"], responses={200: ProfileOutputSerializer})
    def get(self, request: Request) -> Response:
        profile = profile_get_or_create(user=request.user)
        return Response(ProfileOutputSerializer(profile).data)

    @extend_schema(
        tags=["accounts"],
        request=ProfileInputSerializer,
        responses={200: ProfileOutputSerializer},
    )
    def patch(self, request: Request) -> Response:
        current = profile_get_or_create(user=request.user)
        data = ProfileInputSerializer(data=request.data, context={"profile": current})
        data.is_valid(raise_exception=True)
        profile = profile_update(user=request.user, **data.validated_data)
        return Response(ProfileOutputSerializer(profile).data)

    @extend_schema(
        tags=["accounts"],
        request=AccountDeleteInputSerializer,
        responses={204: None, 400: ERRORS["400"]},
        summary="Delete your account and all its data (also from the next model)",
    )
    def delete(self, request: Request) -> Response:
        data = AccountDeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account_delete(user=request.user, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
