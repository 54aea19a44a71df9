"""The off-the-job (OTJ) API (included by carelead/api/urls.py under /api/v1/), over the same
selectors and services as the pages.

- GET/POST apprenticeships/<id>/otj-entries/: the entries (newest first, paginated; ?status=) and
  logging one as the apprentice (JSON, or multipart with an `evidence` file).
- GET/PATCH otj-entries/<id>/: one entry; a change names the version it was made from, in
  `If-Match: "<version>"` or a `version` field: 409 when someone saved since.
- POST otj-entries/<id>/decision/: the coach approves or returns (a comment is required to return).
- GET otj-entries/<id>/evidence/: the evidence file, to whoever may see the apprenticeship.
- GET apprenticeships/<id>/otj-figures/: required, planned, actual, expected, forecast, waiting,
  the flags and the month-by-month series.
Out of reach: 404. The wrong party: 403. Bad input: 400 naming each field.
"""

import re
from uuid import UUID

from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from carelead.apprenticeships import otj_selectors, otj_services, selectors
from carelead.apprenticeships.models import ACTIVITY_CHOICES, OffTheJobEntry, OtjStatus
from carelead.apprenticeships.otj_views import evidence_response
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["off-the-job hours"]
NOT_FOUND = OpenApiResponse(description="No such apprenticeship or entry, or not one you may see")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
STALE = OpenApiResponse(description="Someone changed the entry since the version you sent: nothing was written")
APPRENTICE_ONLY = OpenApiResponse(description="Only the apprentice logs and changes their off-the-job hours")
COACH_ONLY = OpenApiResponse(description="Only the apprentice's coach approves or returns entries")
IF_MATCH_INVALID = 'Send one entry version in quotes, as the ETag gave it: "2"'
VERSION_MISSING = 'Send the version you last read, as If-Match: "<version>" or a "version" field'
KSB_UNKNOWN = "Not a current KSB code of the apprentice's standard version: {codes}"
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')
IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                            description='The entry version you last read, in quotes ("2"); or send a "version" field')
STATUS_FILTER = OpenApiParameter("status", OpenApiTypes.STR, enum=OtjStatus.values, required=False,
                                 description="Only entries with this status")


class OtjEntrySerializer(serializers.ModelSerializer):
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id", read_only=True)
    activity_label = serializers.CharField(source="get_activity_type_display", read_only=True)
    ksbs = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code",
                                        help_text="Codes of the knowledge, skills and behaviours covered")
    evidence_url = serializers.SerializerMethodField(help_text="Where to download the evidence file; null when none")
    decided_by = serializers.EmailField(source="decided_by.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = OffTheJobEntry
        fields = ["public_id", "version", "apprenticeship", "entry_date", "minutes", "activity_type", "activity_label",
                  "what_learned", "ksbs", "evidence_url", "status", "source", "decided_by", "decided_at",
                  "decision_comment", "created_at", "updated_at"]

    def get_evidence_url(self, entry) -> str | None:
        return reverse("api:api-otj-evidence", args=[entry.public_id]) if entry.evidence else None


class OtjEntryInputSerializer(serializers.Serializer):
    entry_date = serializers.DateField()
    minutes = serializers.IntegerField(help_text="Minutes spent, 1 to 1440")
    activity_type = serializers.ChoiceField(choices=ACTIVITY_CHOICES,
                                            help_text="An activity that counts as off-the-job training (§4)")
    what_learned = serializers.CharField()
    ksbs = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                 help_text="KSB codes of the apprentice's standard version")
    evidence = serializers.FileField(required=False, help_text="PDF, DOCX, JPG or PNG, up to 10 MB (multipart only)")


def _ksbs(apprenticeship, codes) -> list:
    wanted = set(codes)
    found = list(otj_selectors.current_ksbs(apprenticeship).filter(code__in=wanted)) if wanted else []
    missing = wanted - {ksb.code for ksb in found}
    if missing:
        raise exceptions.ValidationError({"ksbs": [KSB_UNKNOWN.format(codes=", ".join(sorted(missing)))]})
    return found


def _entry_response(request, entry_id, code=status.HTTP_200_OK, headers=None) -> Response:
    entry = otj_selectors.entry_for(request.user, entry_id)
    return Response(OtjEntrySerializer(entry).data, status=code,
                    headers={"ETag": f'"{entry.version}"', **(headers or {})})


class OtjEntryListApi(GenericAPIView):
    """An apprenticeship's OTJ entries, newest first; the apprentice logs one."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [JSONParser, MultiPartParser]
    OutputSerializer = OtjEntrySerializer
    InputSerializer = OtjEntryInputSerializer

    @extend_schema(tags=TAGS, summary="List an apprenticeship's off-the-job entries", parameters=[STATUS_FILTER],
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in OtjStatus.values:
            raise exceptions.ValidationError({"status": [f"Choose one of {', '.join(OtjStatus.values)}"]})
        entries = otj_selectors.entries_of(apprenticeship, status=wanted).select_related("apprenticeship", "decided_by")
        page = self.paginate_queryset(entries)
        if page:
            audit.record_list(Actor.from_request(request), page, what="apprenticeships.OffTheJobEntry",
                              details={"apprenticeship": str(apprenticeship.public_id)})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Log off-the-job hours (the apprentice)", request={
        "application/json": InputSerializer, "multipart/form-data": InputSerializer},
        responses={201: OutputSerializer, 400: INVALID, 403: APPRENTICE_ONLY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        fields["ksbs"] = _ksbs(apprenticeship, fields.get("ksbs", []))
        with service_errors():
            try:
                entry = otj_services.log_off_the_job_hours(actor=Actor.from_request(request),
                                                           apprenticeship=apprenticeship, **fields)
            except NotAllowed as error:
                raise exceptions.PermissionDenied(APPRENTICE_ONLY.description) from error
        where = reverse("api:api-otj-entry", args=[entry.public_id])
        return _entry_response(request, entry.public_id, status.HTTP_201_CREATED, {"Location": where})


def _seen_version(request, body_version) -> int:
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = _ETAG.match(header)
        if not match:
            raise exceptions.ValidationError({"If-Match": [IF_MATCH_INVALID]})
        return int(match[1])
    if body_version is None:
        raise exceptions.ValidationError({"version": [VERSION_MISSING]})
    return body_version


class OtjEntryDetailApi(GenericAPIView):
    """One OTJ entry; the apprentice changes a waiting or returned one (a returned one is resubmitted)."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [JSONParser, MultiPartParser]
    OutputSerializer = OtjEntrySerializer

    class InputSerializer(OtjEntryInputSerializer):
        version = serializers.IntegerField(required=False, min_value=1,
                                           help_text="The version you last read (or send If-Match)")
        remove_evidence = serializers.BooleanField(required=False, default=False)

    @extend_schema(tags=TAGS, summary="Read an off-the-job entry", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, entry_id: UUID):
        entry = otj_selectors.entry_for(request.user, entry_id)
        audit.record(Actor.from_request(request), Action.VIEW, entry)
        return Response(self.OutputSerializer(entry).data, headers={"ETag": f'"{entry.version}"'})

    @extend_schema(tags=TAGS, summary="Change an off-the-job entry (the apprentice)", parameters=[IF_MATCH],
                   request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
                   responses={200: OutputSerializer, 400: INVALID, 403: APPRENTICE_ONLY, 404: NOT_FOUND, 409: STALE})
    def patch(self, request, entry_id: UUID):
        entry = otj_selectors.entry_for(request.user, entry_id)
        fields = valid_body(self.InputSerializer, request.data, partial=True)
        seen = _seen_version(request, fields.pop("version", None))
        current = {"entry_date": entry.entry_date, "minutes": entry.minutes, "activity_type": entry.activity_type,
                   "what_learned": entry.what_learned, "ksbs": list(entry.ksbs.all())}
        if "ksbs" in fields:
            fields["ksbs"] = _ksbs(entry.apprenticeship, fields["ksbs"])
        with service_errors():
            try:
                otj_services.edit_off_the_job_entry(actor=Actor.from_request(request), entry=entry,
                                                    seen_version=seen, **{**current, **fields})
            except NotAllowed as error:
                raise exceptions.PermissionDenied(APPRENTICE_ONLY.description) from error
        return _entry_response(request, entry_id)


class OtjDecisionApi(GenericAPIView):
    """The coach approves a waiting entry or returns it with a reason (an approved one, before gateway)."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = OtjEntrySerializer

    class InputSerializer(serializers.Serializer):
        # Text, not a choice: "decision" names another enum in the schema (a consent decision); the service
        # answers 400 {"decision": [...]} for anything but these two words.
        decision = serializers.CharField(help_text='"approve" or "return"')
        comment = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text="Required to return: what the apprentice should change")
        version = serializers.IntegerField(required=False, min_value=1,
                                           help_text="The version you decided on; a newer one is a 409")

    @extend_schema(tags=TAGS, summary="Approve or return an off-the-job entry (the coach)", request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, entry_id: UUID):
        entry = otj_selectors.entry_for(request.user, entry_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            try:
                otj_services.decide_off_the_job_entry(actor=Actor.from_request(request), entry=entry,
                                                      decision=fields["decision"], comment=fields["comment"],
                                                      seen_version=fields.get("version"))
            except NotAllowed as error:
                raise exceptions.PermissionDenied(COACH_ONLY.description) from error
        return _entry_response(request, entry_id)


class OtjEvidenceApi(GenericAPIView):
    """An entry's evidence file, streamed to whoever may see the apprenticeship (audited as an export)."""

    required_perm = Perm.OWN_ACCOUNT

    @extend_schema(tags=TAGS, summary="Download an off-the-job entry's evidence file",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND})
    def get(self, request, entry_id: UUID):
        return evidence_response(request, otj_selectors.entry_for(request.user, entry_id))


class OtjFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class OtjMonthSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    until = serializers.DateField(help_text="The figures are as they stood at the end of this day")
    actual = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True,
                                      help_text="Cumulative approved hours; null for a month not yet begun")
    expected = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    planned = serializers.DecimalField(max_digits=8, decimal_places=1)


class OtjFiguresApi(GenericAPIView):
    """An apprentice's OTJ figures side by side (hours, to 0.1) with the flags and the monthly series."""

    required_perm = Perm.OWN_ACCOUNT

    class OutputSerializer(serializers.Serializer):
        required = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True,
                                            help_text="The §4 minimum; null when it cannot be known")
        required_reason = serializers.CharField(help_text="Why the minimum is not known; empty when it is")
        planned = serializers.DecimalField(max_digits=8, decimal_places=1)
        plan_state = serializers.ChoiceField(choices=[otj_selectors.PLAN_SIGNED, otj_selectors.PLAN_UNSIGNED,
                                                      otj_selectors.PLAN_NONE])
        plan_note = serializers.CharField()
        actual = serializers.DecimalField(max_digits=8, decimal_places=1, help_text="Approved hours")
        waiting = serializers.DecimalField(max_digits=8, decimal_places=1, help_text="Submitted, not yet approved")
        expected = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
        forecast = serializers.DecimalField(max_digits=8, decimal_places=1)
        flags = OtjFlagSerializer(many=True)
        months = OtjMonthSerializer(many=True)

    @extend_schema(tags=TAGS, summary="Read an apprentice's off-the-job figures",
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        figures = otj_selectors.otj_figures(apprenticeship, timezone.localdate())
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"tab": "otj", "figures": True})
        return Response(self.OutputSerializer(figures).data)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/otj-entries/", OtjEntryListApi.as_view(), name="api-otj-entries"),
    path("apprenticeships/<uuid:public_id>/otj-figures/", OtjFiguresApi.as_view(), name="api-otj-figures"),
    path("otj-entries/<uuid:entry_id>/", OtjEntryDetailApi.as_view(), name="api-otj-entry"),
    path("otj-entries/<uuid:entry_id>/decision/", OtjDecisionApi.as_view(), name="api-otj-decision"),
    path("otj-entries/<uuid:entry_id>/evidence/", OtjEvidenceApi.as_view(), name="api-otj-evidence"),
]
