"""The coverage API (included by carelead/api/urls.py under /api/v1/), over the same selectors as the page.

- GET apprenticeships/<id>/coverage/: every current KSB and Diploma unit with its claimed and
  accepted item counts and status (missing, claimed, accepted), and the summary by kind; ?gaps=true
  lists only the gaps (the summary still counts everything). Four queries whatever the portfolio.
Out of reach: 404.
"""

from uuid import UUID

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import coverage_selectors, selectors
from carelead.apprenticeships.coverage import ACCEPTED, CLAIMED, MISSING
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["portfolio coverage"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship, or not one you may see")
GAPS = OpenApiParameter("gaps", OpenApiTypes.BOOL, required=False,
                        description="true: list only KSBs and units with no evidence (the summary counts all)")
COVERAGE_STATUSES = [(MISSING, "No evidence yet"), (CLAIMED, "Claimed (working towards)"), (ACCEPTED, "Accepted")]


class CoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="target.code", help_text='A KSB code ("K1") or "Unit 3"')
    text = serializers.CharField(source="target.text", help_text="The KSB's statement or the unit's title")
    kind = serializers.CharField(source="target.kind", help_text="knowledge, skill, behaviour or unit")
    theme = serializers.CharField(source="target.theme", help_text="The KSB's theme; blank for a unit or none")
    mandatory = serializers.BooleanField(source="target.mandatory", allow_null=True,
                                         help_text="A unit: mandatory or optional; null for a KSB")
    credits = serializers.IntegerField(source="target.credits", allow_null=True)
    claimed = serializers.IntegerField(help_text="Items mapped that wait for the coach or need more work")
    accepted = serializers.IntegerField(help_text="Items mapped that the coach accepted")
    status = serializers.ChoiceField(choices=COVERAGE_STATUSES, help_text="accepted if any item is accepted")


class CoverageSummarySerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="knowledge, skill, behaviour, all (every KSB) or unit")
    total = serializers.IntegerField()
    accepted = serializers.IntegerField()
    claimed = serializers.IntegerField()
    missing = serializers.IntegerField()
    percent_accepted = serializers.IntegerField(allow_null=True,
                                                help_text="Whole percent, rounded down; null when there are none")


class CoverageApi(GenericAPIView):
    """An apprentice's KSB and Diploma-unit coverage, for the apprentice, their coach and employer contacts."""

    required_perm = Perm.OWN_ACCOUNT  # the apprentice reads their own by relationship: the selector decides

    class OutputSerializer(serializers.Serializer):
        ksbs = CoverageRowSerializer(many=True)
        units = CoverageRowSerializer(many=True)
        by_kind = CoverageSummarySerializer(many=True)
        overall = CoverageSummarySerializer()
        units_summary = CoverageSummarySerializer()
        gaps_only = serializers.BooleanField()

    @extend_schema(tags=TAGS, summary="Read an apprentice's KSB and Diploma-unit coverage", parameters=[GAPS],
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        gaps_only = request.query_params.get("gaps", "").lower() in ("true", "1")
        result = coverage_selectors.coverage_of(apprenticeship, gaps_only=gaps_only, with_items=False)
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship,
                     details={"tab": "coverage", "api": True, "gaps_only": gaps_only})
        return Response(self.OutputSerializer(result).data)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/coverage/", CoverageApi.as_view(), name="api-coverage"),
]
