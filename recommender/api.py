"""Recommendations API: poll a survey's results, refresh them, give feedback."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ottsite.lib.api import Pagination, paginated_response
from recommender import signals
from recommender.selectors import recommendations_payload, watchlist_list
from recommender.serializers import (
    DismissalSerializer,
    MovieIdInputSerializer,
    RatingInputSerializer,
    RatingSerializer,
    RecommendationsQuerySerializer,
    RecommendationsSerializer,
    RefreshSerializer,
    WatchlistItemSerializer,
)
from recommender.services import (
    dismissal_create,
    rating_create,
    recommendations_refresh,
    watchlist_add,
    watchlist_remove,
)

API = signals.API


def _render_recommendations(page: object) -> bytes:
    # The JSON bytes, rendered once: a cache hit skips serializing and rendering.
    return JSONRenderer().render(RecommendationsSerializer(page).data)


def _recommendations_response(request: Request, survey_id: int | None) -> HttpResponse:
    query = RecommendationsQuerySerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    payload, page = recommendations_payload(
        user=request.user,
        render=_render_recommendations,
        survey_id=survey_id,
        filters=query.filters(),
    )
    if page is not None:
        # Impressions count once per set and surface: a cached answer repeats
        # one already recorded when it was rendered.
        signals.recommendations_shown_send(
            user=request.user, rec_set=page.rec_set, surface=API
        )
    return HttpResponse(payload, content_type="application/json")


class SurveyRecommendationsApi(APIView):
    @extend_schema(
        tags=["recommendations"],
        parameters=[RecommendationsQuerySerializer],
        responses=RecommendationsSerializer,
    )
    def get(self, request: Request, survey_id: int) -> HttpResponse:
        return _recommendations_response(request, survey_id)


class LatestRecommendationsApi(APIView):
    @extend_schema(
        tags=["recommendations"],
        parameters=[RecommendationsQuerySerializer],
        responses=RecommendationsSerializer,
    )
    def get(self, request: Request) -> HttpResponse:
        return _recommendations_response(request, None)


class RefreshRecommendationsApi(APIView):
    @extend_schema(
        tags=["recommendations"],
        request=None,
        responses={202: RefreshSerializer},
        summary="Rebuild recommendations for the latest survey (after feedback)",
    )
    def post(self, request: Request) -> Response:
        rec_set = recommendations_refresh(user=request.user)
        body = RefreshSerializer(rec_set, context={"request": request}).data
        return Response(body, status.HTTP_202_ACCEPTED)


class RatingApi(APIView):
    @extend_schema(
        tags=["feedback"],
        request=RatingInputSerializer,
        responses={201: RatingSerializer},
        summary="Rate a movie 1-5 (rating it again replaces the value)",
    )
    def post(self, request: Request) -> Response:
        data = RatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = rating_create(user=request.user, **data.validated_data)
        signals.feedback_given_send(
            user=request.user,
            kind=signals.RATING,
            movie_id=rating.movie_id,
            value=rating.rating,
            surface=API,
        )
        return Response(RatingSerializer(rating).data, status.HTTP_201_CREATED)


class DismissalApi(APIView):
    @extend_schema(
        tags=["feedback"],
        request=MovieIdInputSerializer,
        responses={201: DismissalSerializer},
        summary="Not interested: never recommend this movie again",
    )
    def post(self, request: Request) -> Response:
        data = MovieIdInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dismissal = dismissal_create(user=request.user, **data.validated_data)
        signals.feedback_given_send(
            user=request.user,
            kind=signals.DISMISSAL,
            movie_id=dismissal.movie_id,
            surface=API,
        )
        return Response(DismissalSerializer(dismissal).data, status.HTTP_201_CREATED)


class WatchlistApi(APIView):
    pagination_class = Pagination

    @extend_schema(tags=["feedback"], responses=WatchlistItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            serializer_class=WatchlistItemSerializer,
            items=watchlist_list(user=request.user),
            request=request,
            view=self,
        )

    @extend_schema(
        tags=["feedback"],
        request=MovieIdInputSerializer,
        responses={201: WatchlistItemSerializer},
    )
    def post(self, request: Request) -> Response:
        data = MovieIdInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = watchlist_add(user=request.user, **data.validated_data)
        signals.feedback_given_send(
            user=request.user,
            kind=signals.WATCHLIST_ADD,
            movie_id=item.movie_id,
            surface=API,
        )
        return Response(WatchlistItemSerializer(item).data, status.HTTP_201_CREATED)


class WatchlistItemApi(APIView):
    @extend_schema(tags=["feedback"], responses={204: None})
    def delete(self, request: Request, movie_id: int) -> Response:
        watchlist_remove(user=request.user, movie_id=movie_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
