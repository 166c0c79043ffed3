"""Survey API: submit answers (recommendations follow asynchronously), read them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ottsite.lib.api import Pagination, paginated_response
from survey.selectors import survey_get, survey_list
from survey.serializers import (
    SurveyCreatedSerializer,
    SurveyInputSerializer,
    SurveySerializer,
)
from survey.services import survey_submit


class SurveyListApi(APIView):
    pagination_class = Pagination

    @extend_schema(tags=["survey"], responses=SurveySerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            serializer_class=SurveySerializer,
            items=survey_list(user=request.user),
            request=request,
            view=self,
        )

    @extend_schema(
        tags=["survey"],
        request=SurveyInputSerializer,
        responses={202: SurveyCreatedSerializer},
        summary="Submit the survey; poll recommendations_url for the results",
    )
    def post(self, request: Request) -> Response:
        data = SurveyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        survey = survey_submit(
            user=request.user, raw_answers={"via": "api"}, **data.validated_data
        )
        body = SurveyCreatedSerializer(survey, context={"request": request}).data
        return Response(body, status.HTTP_202_ACCEPTED)


class SurveyDetailApi(APIView):
    @extend_schema(tags=["survey"], responses=SurveySerializer)
    def get(self, request: Request, survey_id: int) -> Response:
        survey = survey_get(user=request.user, survey_id=survey_id)
        return Response(SurveySerializer(survey, context={"request": request}).data)
