"""The practice-record and witness API (included by carelead/api/urls.py under /api/v1/), over the
same selectors and services as the pages.

- GET apprenticeships/<id>/practice-records/: the apprentice's own practice records not yet in their
  portfolio (newest first, paginated; ?source=, ?since=, ?until=), each with its REDACTED summary.
- POST the same: attach one ({source, record_id, title?, ksbs: [codes], units: [positions]}): 201
  with the draft item and its snapshot; 400 when it is not theirs or already attached.
- POST apprenticeships/<id>/witness-testimonies/: ask a colleague for witness testimony: 201 with the
  item and `witness_url`, the one-time link (returned this once; it is never stored).
Only the apprentice: anyone else who sees the apprenticeship gets 403; out of reach, 404.
"""

from uuid import UUID

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import practice_evidence, selectors, witness_services
from carelead.apprenticeships.evidence_api import targets_by_code
from carelead.apprenticeships.models import EvidenceMapping
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["portfolio"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship, or not one you may see")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
APPRENTICE_ONLY = OpenApiResponse(description="Only the apprentice adds their own practice and witnesses")


class PracticeRecordSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="The kind of record (registry key)")
    source_label = serializers.CharField()
    record_id = serializers.CharField()
    occurred_on = serializers.DateField()
    title = serializers.CharField()
    summary = serializers.CharField(help_text="Redacted: no names, dates of birth, NHS numbers or addresses")
    themes = serializers.ListField(child=serializers.CharField())


class EvidenceCreatedSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    version = serializers.IntegerField()
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id")
    kind = serializers.CharField()
    title = serializers.CharField()
    occurred_on = serializers.DateField()
    status = serializers.CharField()
    body = serializers.CharField()
    source_snapshot = serializers.JSONField(help_text="The redacted practice record as it was when attached")
    witness_name = serializers.CharField()
    witness_role = serializers.CharField()
    witness_link_expires_at = serializers.DateTimeField(allow_null=True)
    mappings = serializers.SerializerMethodField(help_text="KSB codes and 'Unit n' claimed")

    def get_mappings(self, evidence) -> list[str]:
        return sorted(row.ksb.code if row.ksb_id else f"Unit {row.unit.position}"
                      for row in EvidenceMapping.objects.filter(evidence=evidence).select_related("ksb", "unit"))


class ClaimsSerializer(serializers.Serializer):
    ksbs = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                 help_text="KSB codes of the apprentice's standard version")
    units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                  help_text="Unit numbers of the apprentice's Diploma")


def _apprentice_only(request, public_id):
    """The apprenticeship, for its apprentice only (403 for others who see it; 404 out of reach)."""
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    if request.user.pk != apprenticeship.apprentice_id:
        raise exceptions.PermissionDenied(APPRENTICE_ONLY.description)
    return apprenticeship


class PracticeRecordsApi(GenericAPIView):
    """The apprentice's practice records not yet in their portfolio; attaching one."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = PracticeRecordSerializer

    class FilterSerializer(serializers.Serializer):
        source = serializers.CharField(required=False, default="")
        since = serializers.DateField(required=False, default=None)
        until = serializers.DateField(required=False, default=None)

    class InputSerializer(ClaimsSerializer):
        source = serializers.CharField(help_text="The record's kind, as listed")
        record_id = serializers.CharField(max_length=64)
        title = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)

    @extend_schema(tags=TAGS, summary="List your practice records that can become evidence",
                   parameters=[FilterSerializer], responses={200: OutputSerializer(many=True), 403: APPRENTICE_ONLY,
                                                              404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = _apprentice_only(request, public_id)
        filters = valid_body(self.FilterSerializer, request.query_params, strict=False)
        records = practice_evidence.candidate_records(apprenticeship, **filters)
        page = self.paginate_queryset(records)
        audit.record(Actor.from_request(request), Action.LIST, apprenticeship, details={
            "practice_records": [f"{item.source}:{item.record_id}" for item in page]})
        labels = practice_evidence.source_labels()
        rows = [{**item.__dict__, "source_label": labels.get(item.source, item.source)} for item in page]
        return self.get_paginated_response(self.OutputSerializer(rows, many=True).data)

    @extend_schema(tags=TAGS, summary="Attach one of your practice records to your portfolio",
                   request=InputSerializer, responses={201: EvidenceCreatedSerializer, 400: INVALID,
                                                       403: APPRENTICE_ONLY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = _apprentice_only(request, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        claims = targets_by_code(apprenticeship, fields)
        with service_errors():
            try:
                evidence = practice_evidence.attach_practice_record(
                    actor=Actor.from_request(request), apprenticeship=apprenticeship, key=fields["source"],
                    record_id=fields["record_id"], title=fields["title"], **claims)
            except NotAllowed as error:
                raise exceptions.PermissionDenied(APPRENTICE_ONLY.description) from error
        return Response(EvidenceCreatedSerializer(evidence).data, status=status.HTTP_201_CREATED)


class WitnessTestimoniesApi(GenericAPIView):
    """Ask a colleague to witness your practice: they confirm it through a one-time link."""

    required_perm = Perm.OWN_ACCOUNT

    class InputSerializer(ClaimsSerializer):
        witness_name = serializers.CharField(max_length=200)
        witness_role = serializers.CharField(max_length=200, help_text="The witness's job title")
        witness_email = serializers.EmailField()
        title = serializers.CharField(max_length=200)
        occurred_on = serializers.DateField()
        body = serializers.CharField(required=False, default="", allow_blank=True,
                                     help_text="A draft for the witness to correct, or empty for them to write")

    class OutputSerializer(EvidenceCreatedSerializer):
        witness_url = serializers.CharField(help_text="The witness's one-time link: returned only this once")

    @extend_schema(tags=TAGS, summary="Ask a colleague for witness testimony", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: APPRENTICE_ONLY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = _apprentice_only(request, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        claims = targets_by_code(apprenticeship, fields)
        with service_errors():
            try:
                evidence, token = witness_services.request_witness_testimony(
                    actor=Actor.from_request(request), apprenticeship=apprenticeship, **fields, **claims)
            except NotAllowed as error:
                raise exceptions.PermissionDenied(APPRENTICE_ONLY.description) from error
        evidence.witness_url = witness_services.witness_url(token)
        response = Response(self.OutputSerializer(evidence).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/practice-records/", PracticeRecordsApi.as_view(),
         name="api-practice-records"),
    path("apprenticeships/<uuid:public_id>/witness-testimonies/", WitnessTestimoniesApi.as_view(),
         name="api-witness-testimonies"),
]
