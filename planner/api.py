"""Plan API: the coming months' services, titles and savings, as the page shows."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from planner.selectors import plan_choices, plan_get
from planner.serializers import PlanQuerySerializer, PlanSerializer


class PlanApi(APIView):
    @extend_schema(
        tags=["plan"],
        parameters=[PlanQuerySerializer],
        responses=PlanSerializer,
        summary="Which services to have each month, what to watch, what it saves",
        description="Chosen by an exact optimiser within the profile's monthly "
        "budget; titles are the watchlist (first) and the newest recommendations. "
        "Titles whose availability is unknown are counted, never planned; with "
        "too few known titles `has_plan` is false and `months` empty.",
    )
    def get(self, request: Request) -> Response:
        query = PlanQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        choices = plan_choices(user=request.user, **query.validated_data)
        payload = plan_get(user=request.user, choices=choices)
        return Response(PlanSerializer(payload).data)
