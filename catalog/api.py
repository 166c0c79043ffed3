"""Catalogue API: movies and platforms, readable by anyone, written by staff."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.selectors import (
    movie_detail,
    movie_list,
    platform_get,
    platform_list,
)
from catalog.serializers import (
    MovieDetailSerializer,
    MovieFilterSerializer,
    MovieInputSerializer,
    MovieSerializer,
    PlatformFilterSerializer,
    PlatformInputSerializer,
    PlatformSerializer,
    RegionQuerySerializer,
)
from catalog.services import (
    movie_create,
    movie_delete,
    movie_update,
    platform_create,
    platform_delete,
    platform_update,
)
from ottsite.lib.api import ERRORS, IsStaffOrReadOnly, Pagination, paginated_response


class MovieListApi(APIView):
    permission_classes = [IsStaffOrReadOnly]
    pagination_class = Pagination

    @extend_schema(
        tags=["catalog"],
        parameters=[MovieFilterSerializer],
        responses=MovieSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = MovieFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        movies = movie_list(**filters.validated_data)
        return paginated_response(
            serializer_class=MovieSerializer, items=movies, request=request, view=self
        )

    @extend_schema(
        tags=["catalog"],
        request=MovieInputSerializer,
        responses={201: MovieSerializer, 409: ERRORS["409"]},
        summary="Add a movie (staff only)",
    )
    def post(self, request: Request) -> Response:
        data = MovieInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        movie = movie_create(**data.validated_data)
        return Response(MovieSerializer(movie).data, status.HTTP_201_CREATED)


class MovieDetailApi(APIView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(
        tags=["catalog"],
        parameters=[RegionQuerySerializer],
        responses=MovieDetailSerializer,
    )
    def get(self, request: Request, movie_id: int) -> Response:
        query = RegionQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        detail = movie_detail(movie_id=movie_id, **query.validated_data)
        return Response(MovieDetailSerializer(detail).data)

    @extend_schema(
        tags=["catalog"],
        request=MovieInputSerializer(partial=True),
        responses=MovieSerializer,
        summary="Change a movie (staff only)",
    )
    def patch(self, request: Request, movie_id: int) -> Response:
        data = MovieInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        movie = movie_update(movie_id=movie_id, data=data.validated_data)
        return Response(MovieSerializer(movie).data)

    @extend_schema(tags=["catalog"], responses={204: None}, summary="Delete a movie")
    def delete(self, request: Request, movie_id: int) -> Response:
        movie_delete(movie_id=movie_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlatformListApi(APIView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(
        tags=["catalog"],
        parameters=[PlatformFilterSerializer],
        responses=PlatformSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = PlatformFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        platforms = platform_list(**query.validated_data)
        return Response(PlatformSerializer(platforms, many=True).data)

    @extend_schema(
        tags=["catalog"],
        request=PlatformInputSerializer,
        responses={201: PlatformSerializer, 409: ERRORS["409"]},
        summary="Add a platform (staff only)",
    )
    def post(self, request: Request) -> Response:
        data = PlatformInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        platform = platform_create(data=data.validated_data)
        return Response(PlatformSerializer(platform).data, status.HTTP_201_CREATED)


class PlatformDetailApi(APIView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(tags=["catalog"], responses=PlatformSerializer)
    def get(self, request: Request, platform_id: int) -> Response:
        platform = platform_get(platform_id=platform_id)
        return Response(PlatformSerializer(platform).data)

    @extend_schema(
        tags=["catalog"],
        request=PlatformInputSerializer(partial=True),
        responses={200: PlatformSerializer, 409: ERRORS["409"]},
        summary="Change a platform (staff only)",
    )
    def patch(self, request: Request, platform_id: int) -> Response:
        data = PlatformInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        platform = platform_update(platform_id=platform_id, data=data.validated_data)
        return Response(PlatformSerializer(platform).data)

    @extend_schema(tags=["catalog"], responses={204: None}, summary="Delete a platform")
    def delete(self, request: Request, platform_id: int) -> Response:
        platform_delete(platform_id=platform_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
