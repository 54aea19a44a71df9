"""The timeline API (included by carelead/api/urls.py under /api/v1/), over the same selectors as the page.

- GET apprenticeships/<id>/timeline/: what the apprentice led in practice, learned and had assessed,
  newest first, six calendar months a page (?page=1 is this month and the five before), narrowed by
  ?strand=led&strand=learned&strand=assessed (none: all). One bounded query per kind of thing.
Out of reach: 404.
"""

from uuid import UUID

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import selectors, timeline_selectors
from carelead.apprenticeships.timeline import STRAND_LABELS, STRANDS, months_of, parse_strands
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["portfolio timeline"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship, or not one you may see")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
STRAND_UNKNOWN = "Choose from {choices}"
PAGE_INVALID = "A page is a whole number from 1"
STRAND = OpenApiParameter("strand", OpenApiTypes.STR, enum=list(STRANDS), many=True, required=False,
                          description="Only these strands (repeat for more than one); none: all three")
PAGE = OpenApiParameter("page", OpenApiTypes.INT, required=False,
                        description="1 (the default) is this month and the five before (for a completed or withdrawn apprenticeship, its last month with anything on it and the five before); 2 the six before those; a page past the oldest is the oldest")


class TimelineEventSerializer(serializers.Serializer):
    strand = serializers.ChoiceField(choices=list(STRAND_LABELS.items()))
    on = serializers.DateField()
    kind = serializers.CharField(help_text='What sort of thing, in words ("Practice record", "Progress review")')
    title = serializers.CharField()
    detail = serializers.CharField(help_text="A practice record's redacted summary, or what was learned")
    status = serializers.CharField()
    url = serializers.CharField(help_text="The page where the thing is read")


class TimelineApi(GenericAPIView):
    """An apprentice's timeline, for the apprentice, their coach and employer contacts."""

    required_perm = Perm.OWN_ACCOUNT  # the apprentice reads their own by relationship: the selector decides

    class OutputSerializer(serializers.Serializer):
        since = serializers.DateField(help_text="The first day of the page's oldest month")
        until = serializers.DateField(help_text="The last day of the page's newest month")
        page = serializers.IntegerField()
        newer = serializers.IntegerField(allow_null=True, help_text="The page of later months; null on the first")
        older = serializers.IntegerField(allow_null=True, help_text="The page of earlier months; null on the last")
        strands = serializers.ListField(child=serializers.CharField())
        events = TimelineEventSerializer(many=True, help_text="Newest first")

    @extend_schema(tags=TAGS, summary="Read an apprentice's timeline", parameters=[STRAND, PAGE],
                   responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        asked = request.query_params.getlist("strand")
        if set(asked) - set(STRANDS):
            raise exceptions.ValidationError({"strand": [STRAND_UNKNOWN.format(choices=", ".join(STRANDS))]})
        page = request.query_params.get("page", "1")
        if not page.isdigit() or int(page) < 1:
            raise exceptions.ValidationError({"page": [PAGE_INVALID]})
        strands = parse_strands(asked)
        span = timeline_selectors.timeline_window(apprenticeship, today=timezone.localdate(), page=int(page))
        events = timeline_selectors.events_of(apprenticeship, since=span.since, until=span.until, strands=strands)
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={
            "tab": "timeline", "api": True, "strands": list(strands), "since": span.since.isoformat(),
            "until": span.until.isoformat()})
        ordered = [event for month in months_of(events) for event in month.events]
        return Response(self.OutputSerializer({
            "since": span.since, "until": span.until, "page": span.page, "newer": span.newer, "older": span.older,
            "strands": list(strands), "events": ordered}).data)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/timeline/", TimelineApi.as_view(), name="api-timeline"),
]
