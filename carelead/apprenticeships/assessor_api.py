"""The end-point assessor API (included by carelead/api/urls.py under /api/v1/), over the same selectors
and services as the pages (issue 6 "End-point assessment").

The coach's side, on an apprenticeship the user may see (`selectors.apprenticeship_for`):
- GET/POST apprenticeships/<id>/assessor-access/: who has been given access (every party); giving an
  End-point assessor access by email from a start to an end date (the coach).
- POST apprenticeships/<id>/assessor-access/<grant_id>/revoke/: stopping it with a reason (the coach).
The assessor's side, only through an open grant (`assessor_selectors.grant_for`, else 404):
- GET assessor/apprenticeships/: the assessor's grants open today.
- GET assessor/apprenticeships/<id>/portfolio/: the accepted evidence with its mappings (practice
  records as their redacted snapshot), approved OTJ hours and the EPA result so far.
- GET assessor/apprenticeships/<id>/evidence/<evidence_id>/file/: an accepted item's file.
Out of reach: 404. The wrong party: 403. Bad input: 400 naming each field. Every read is audited.
"""

from uuid import UUID

from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import assessor_selectors, assessor_services, epa_selectors, gateway_selectors, selectors
from carelead.apprenticeships.evidence_views import file_response
from carelead.apprenticeships.models import AssessorAccess, PortfolioEvidence
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["end-point assessor access"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship, grant or item, or not one you may see")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
COACH_ONLY = OpenApiResponse(description="Only the apprentice's coach gives or stops an assessor's access")
# A practice record's redacted snapshot as the assessor reads it: never the source record's id.
SNAPSHOT_FIELDS = ("title", "summary", "themes", "source_label", "occurred_on", "taken_at")


class GrantSerializer(serializers.ModelSerializer):
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id", read_only=True)
    assessor_name = serializers.CharField(source="assessor.full_name", read_only=True)
    assessor_email = serializers.EmailField(source="assessor.email", read_only=True)
    granted_by = serializers.CharField(source="granted_by.full_name", read_only=True)

    class Meta:
        model = AssessorAccess
        fields = ["public_id", "apprenticeship", "assessor_name", "assessor_email", "starts_on", "ends_on",
                  "granted_by", "revoked_at", "revoke_reason", "created_at"]


def _coach_only(call, **kwargs):
    with service_errors():
        try:
            return call(**kwargs)
        except NotAllowed as error:
            raise exceptions.PermissionDenied(COACH_ONLY.description) from error


class AssessorAccessListApi(GenericAPIView):
    """Who has been given access to an apprenticeship's gateway portfolio; the coach gives it."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = GrantSerializer

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField(help_text="The email of an account holding the role End-point assessor")
        starts_on = serializers.DateField(help_text="On or after the gateway date and today")
        ends_on = serializers.DateField(help_text="On or after the start, at most 6 calendar months after it")

    @extend_schema(tags=TAGS, summary="List who has been given access", responses={200: OutputSerializer(many=True),
                                                                                   404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        grants = assessor_selectors.grants_of(apprenticeship)
        for grant in grants:
            grant.apprenticeship = apprenticeship
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"page": "assessor-access"})
        return Response(self.OutputSerializer(grants, many=True).data)

    @extend_schema(tags=TAGS, summary="Give an end-point assessor access (the coach)", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        grant = _coach_only(assessor_services.grant_assessor_access, actor=Actor.from_request(request),
                            apprenticeship=apprenticeship, **fields)
        return Response(self.OutputSerializer(grant).data, status=status.HTTP_201_CREATED)


class AssessorAccessRevokeApi(GenericAPIView):
    """The coach stops an assessor's access at once, with a reason."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = GrantSerializer

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=1000)

    @extend_schema(tags=TAGS, summary="Stop an assessor's access (the coach)", request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID, grant_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        grant = assessor_selectors.grant_on(apprenticeship, grant_id)
        fields = valid_body(self.InputSerializer, request.data)
        grant = _coach_only(assessor_services.revoke_assessor_access, actor=Actor.from_request(request), grant=grant,
                            **fields)
        return Response(self.OutputSerializer(grant).data)


class OpenGrantSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id")
    apprentice = serializers.CharField(source="apprenticeship.apprentice.full_name")
    standard = serializers.CharField(source="apprenticeship.standard_version")
    gateway_date = serializers.DateField(source="apprenticeship.gateway_date")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    portfolio_url = serializers.SerializerMethodField()

    def get_portfolio_url(self, grant) -> str:
        return reverse("api:api-assessor-portfolio", args=[grant.apprenticeship.public_id])


class AssessorGrantsApi(GenericAPIView):
    """The signed-in assessor's grants open today (anyone else: an empty list)."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = OpenGrantSerializer

    @extend_schema(tags=TAGS, summary="The gateway portfolios you can see today",
                   responses={200: OutputSerializer(many=True)})
    def get(self, request):
        grants = list(assessor_selectors.active_grants(request.user, timezone.localdate()))
        if grants:
            audit.record_list(Actor.from_request(request), grants, what="apprenticeships.AssessorAccess")
        return Response(self.OutputSerializer(grants, many=True).data)


class MappingSerializer(serializers.Serializer):
    code = serializers.CharField(source="label", help_text="A KSB code, or 'Unit <n>' of the Diploma")
    text = serializers.SerializerMethodField()

    def get_text(self, mapping) -> str:
        return mapping.ksb.text if mapping.ksb_id else mapping.unit.title


class GatewayItemSerializer(serializers.ModelSerializer):
    mappings = MappingSerializer(many=True, read_only=True)
    snapshot = serializers.SerializerMethodField(help_text="A practice record's redacted summary; null otherwise")
    file_url = serializers.SerializerMethodField(help_text="Where to download the file; null when none")

    class Meta:
        model = PortfolioEvidence
        fields = ["public_id", "kind", "title", "occurred_on", "body", "reflection_model", "reflection",
                  "witness_name", "witness_role", "witness_confirmed_at", "assessed_at", "feedback", "mappings",
                  "snapshot", "file_url"]

    def get_snapshot(self, item) -> dict | None:
        if item.kind != "practice_record":
            return None
        snapshot = item.source_snapshot or {}
        return {key: snapshot.get(key) for key in SNAPSHOT_FIELDS}

    def get_file_url(self, item) -> str | None:
        return reverse("api:api-assessor-evidence-file", args=[item.apprenticeship.public_id, item.public_id]) \
            if item.file else None


class GatewayPortfolioSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    apprentice = serializers.CharField()
    access_until = serializers.DateField()
    otj_approved_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    otj_minimum_hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    epa_overall = serializers.CharField(allow_null=True)
    epa_status = serializers.CharField()
    items = GatewayItemSerializer(many=True)


class AssessorPortfolioApi(GenericAPIView):
    """One granted apprenticeship's gateway portfolio, read-only, while the grant is open."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = GatewayPortfolioSerializer

    @extend_schema(tags=TAGS, summary="Read a gateway portfolio (the assessor, within the grant's dates)",
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        today = timezone.localdate()
        grant = assessor_selectors.grant_for(request.user, public_id, today)
        apprenticeship = grant.apprenticeship
        items = list(assessor_selectors.gateway_portfolio(apprenticeship))
        actor = Actor.from_request(request)
        audit.record(actor, Action.VIEW, apprenticeship, details={"assessor_grant": str(grant.public_id),
                                                                  "page": "portfolio"})
        if items:
            audit.record_list(actor, items, what="apprenticeships.PortfolioEvidence",
                              details={"assessor_grant": str(grant.public_id)})
        for item in items:
            item.apprenticeship = apprenticeship
        otj = gateway_selectors.otj_progress(apprenticeship, today)
        result = epa_selectors.epa_result(epa_selectors.attempts_of(apprenticeship))
        return Response(self.OutputSerializer({
            "apprenticeship": apprenticeship.public_id, "apprentice": apprenticeship.apprentice.full_name,
            "access_until": grant.ends_on, "otj_approved_hours": otj["actual"], "otj_minimum_hours": otj["minimum"],
            "epa_overall": result.overall, "epa_status": result.status, "items": items}).data)


class AssessorEvidenceFileApi(GenericAPIView):
    """An accepted item's file, streamed within the grant (audited as an export)."""

    required_perm = Perm.OWN_ACCOUNT

    @extend_schema(tags=TAGS, summary="Download an accepted item's file (the assessor)",
                   responses={(200, "application/octet-stream"): bytes, 404: NOT_FOUND})
    def get(self, request, public_id: UUID, evidence_id: UUID):
        grant = assessor_selectors.grant_for(request.user, public_id, timezone.localdate())
        return file_response(request, assessor_selectors.gateway_item_for(grant, evidence_id))


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/assessor-access/", AssessorAccessListApi.as_view(),
         name="api-assessor-access"),
    path("apprenticeships/<uuid:public_id>/assessor-access/<uuid:grant_id>/revoke/", AssessorAccessRevokeApi.as_view(),
         name="api-assessor-access-revoke"),
    path("assessor/apprenticeships/", AssessorGrantsApi.as_view(), name="api-assessor-grants"),
    path("assessor/apprenticeships/<uuid:public_id>/portfolio/", AssessorPortfolioApi.as_view(),
         name="api-assessor-portfolio"),
    path("assessor/apprenticeships/<uuid:public_id>/evidence/<uuid:evidence_id>/file/",
         AssessorEvidenceFileApi.as_view(), name="api-assessor-evidence-file"),
]
