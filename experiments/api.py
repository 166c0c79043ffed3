"""Experiment events for REST clients: list satisfaction and a batch of events."""

from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experiments.events import events_batch_record, satisfaction_set
from experiments.models import Event
from ottsite.lib.api import MAX_ID, InputSerializer
from ottsite.lib.api_guards import AnonThrottle, ScopedThrottle, UserThrottle

MAX_BATCH = 50
BATCH_KINDS = [Event.Kind.IMPRESSION, Event.Kind.CLICK_OUT, Event.Kind.DETAIL_VIEW]


class SatisfactionInputSerializer(InputSerializer):
    score = serializers.IntegerField(
        min_value=1, max_value=5, help_text="How good is this list for you? 1-5."
    )


class SatisfactionSerializer(serializers.Serializer):
    recommendation_set_id = serializers.IntegerField()
    score = serializers.IntegerField(source="value")
    updated_at = serializers.DateTimeField()


class EventInputSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=BATCH_KINDS)
    recommendation_set_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False
    )
    movie_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    platform = serializers.CharField(
        max_length=64,
        required=False,
        validators=[RegexValidator(r"^[-a-zA-Z0-9_]+$", "A service slug.")],
    )

    def validate(self, attrs: dict) -> dict:
        needs = {
            Event.Kind.IMPRESSION: ["recommendation_set_id"],
            Event.Kind.CLICK_OUT: ["recommendation_set_id", "movie_id", "platform"],
            Event.Kind.DETAIL_VIEW: ["movie_id"],
        }[attrs["kind"]]
        missing = {
            name: ["This field is required."] for name in needs if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class EventBatchInputSerializer(InputSerializer):
    events = EventInputSerializer(many=True, min_length=1, max_length=MAX_BATCH)


class EventBatchSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()


class SatisfactionApi(APIView):
    @extend_schema(
        tags=["feedback"],
        request=SatisfactionInputSerializer,
        responses=SatisfactionSerializer,
        summary="How good is this list for you? (1-5; answering again changes it)",
    )
    def post(self, request: Request, set_id: int) -> Response:
        data = SatisfactionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = satisfaction_set(
            user=request.user,
            set_id=set_id,
            score=data.validated_data["score"],
            surface=Event.Surface.API,
        )
        return Response(SatisfactionSerializer(event).data)


class EventBatchApi(APIView):
    throttle_classes = [AnonThrottle, UserThrottle, ScopedThrottle]
    throttle_scope = "events"

    @extend_schema(
        tags=["feedback"],
        request=EventBatchInputSerializer,
        responses={201: EventBatchSerializer},
        summary="Report impressions, click-outs and detail views (up to 50)",
    )
    def post(self, request: Request) -> Response:
        data = EventBatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accepted = events_batch_record(
            user=request.user, events=data.validated_data["events"]
        )
        return Response({"accepted": accepted}, status.HTTP_201_CREATED)
