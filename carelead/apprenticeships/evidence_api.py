"""The portfolio evidence API (included by carelead/api/urls.py under /api/v1/), over the same
selectors and services as the pages.

- GET/POST apprenticeships/<id>/evidence/: the portfolio (newest first, paginated; ?status=, ?kind=)
  and adding an item (JSON, or multipart with a `file`): a file or reflective account by the
  apprentice (a draft), an observation or professional discussion by the coach (waiting for assessment).
- GET/PATCH evidence/<id>/: one item; a change names the version it was made from, in
  `If-Match: "<version>"` or a `version` field: 409 when someone saved since.
- POST evidence/<id>/submit/: the apprentice sends it to the coach (at least one mapping).
- POST evidence/<id>/mappings/ and evidence/<id>/mappings/remove/: the coach adds or removes one KSB
  (by code) or Diploma unit (by number) before deciding.
- POST evidence/<id>/assessment/: the coach accepts (locks) or asks for more work (feedback required).
- POST evidence/<id>/unlock/: the coach unlocks accepted evidence, with a reason.
- GET evidence/<id>/file/: the uploaded file, to whoever may see the apprenticeship.
- GET evidence-queue/: the coach's evidence waiting for assessment, oldest first.
Out of reach: 404. The wrong party: 403. Bad input: 400 naming each field. A locked item: 400.
"""

from uuid import UUID

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from carelead.apprenticeships import evidence_selectors, evidence_services, selectors
from carelead.apprenticeships.evidence_views import file_response
from carelead.apprenticeships.models import EvidenceKind, EvidenceStatus, Party
from carelead.apprenticeships.otj_api import IF_MATCH, _seen_version
from carelead.apprenticeships.parties import parties_of
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["portfolio"]
WHAT = "apprenticeships.PortfolioEvidence"
NOT_FOUND = OpenApiResponse(description="No such apprenticeship or evidence, or not one you may see")
INVALID = OpenApiResponse(description="Bad input, or a change the item's state refuses (locked, not waiting): "
                                      "{field: [messages]}")
STALE = OpenApiResponse(description="Someone changed the evidence since the version you sent: nothing was written")
WRONG_PARTY = OpenApiResponse(description="Not the party who may do this: the apprentice writes their files and "
                                          "reflective accounts, the coach observations, discussions and decisions")
COACH_ONLY = OpenApiResponse(description="Only the apprentice's coach assesses, maps or unlocks evidence")
KSB_UNKNOWN = "Not a current KSB code of the apprentice's standard version: {codes}"
UNIT_UNKNOWN = "Not a unit of the apprentice's Diploma: {positions}"
STATUS_FILTER = OpenApiParameter("status", OpenApiTypes.STR, enum=EvidenceStatus.values, required=False,
                                 description="Only evidence with this status")
KIND_FILTER = OpenApiParameter("kind", OpenApiTypes.STR, enum=EvidenceKind.values, required=False,
                               description="Only evidence of this kind")


class PortfolioMappingSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="A KSB code, or 'Unit n'")
    ksb = serializers.CharField(source="ksb.code", allow_null=True, default=None)
    unit = serializers.IntegerField(source="unit.position", allow_null=True, default=None)
    stage = serializers.CharField(help_text="claimed (by the apprentice) or added_by_coach")


class PortfolioEvidenceSerializer(serializers.Serializer):
    """An item of any kind; fields another kind does not use are empty. Status and kind are plain
    strings (their values are listed in the help), so they name no second enum in the schema."""

    public_id = serializers.UUIDField()
    version = serializers.IntegerField()
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id")
    kind = serializers.CharField(help_text=", ".join(EvidenceKind.values))
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    occurred_on = serializers.DateField()
    body = serializers.CharField()
    reflection_model = serializers.CharField(help_text="'' (free text) or 'gibbs'")
    reflection = serializers.DictField(child=serializers.CharField(),
                                       help_text="Gibbs' six stages: description, feelings, evaluation, analysis, "
                                                 "conclusion, action_plan")
    file_url = serializers.SerializerMethodField(help_text="Where to download the file; null when none")
    file_name = serializers.CharField()
    source_snapshot = serializers.DictField(help_text="A practice record's redacted summary, as attached")
    witness_name = serializers.CharField()
    witness_role = serializers.CharField()
    witness_confirmed_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField(help_text=", ".join(EvidenceStatus.values))
    submitted_at = serializers.DateTimeField(allow_null=True)
    assessed_by = serializers.EmailField(source="assessed_by.email", allow_null=True, default=None)
    assessed_at = serializers.DateTimeField(allow_null=True)
    feedback = serializers.CharField()
    locked_at = serializers.DateTimeField(allow_null=True)
    mappings = PortfolioMappingSerializer(many=True, source="mappings.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_file_url(self, evidence) -> str | None:
        return reverse("api:api-evidence-file", args=[evidence.public_id]) if evidence.file else None


class MappingTargetSerializer(serializers.Serializer):
    ksb = serializers.CharField(required=False, help_text="A KSB code of the apprentice's standard version")
    unit = serializers.IntegerField(required=False, help_text="A unit number of the apprentice's Diploma")
    version = serializers.IntegerField(required=False, min_value=1, help_text="The version you last read")


class EvidenceInputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="file or reflective_account (the apprentice); observation or "
                                           "professional_discussion (the coach)")
    title = serializers.CharField()
    occurred_on = serializers.DateField()
    body = serializers.CharField(required=False, allow_blank=True, default="")
    reflection_model = serializers.CharField(required=False, allow_blank=True, default="",
                                             help_text="'' (free text) or 'gibbs'")
    reflection = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                       help_text="Gibbs' six stages, by key")
    file = serializers.FileField(required=False, help_text="PDF, DOCX, JPG or PNG, up to 10 MB (multipart only)")
    ksbs = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                 help_text="KSB codes of the apprentice's standard version")
    units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                  help_text="Unit numbers of the apprentice's Diploma")


def targets_by_code(apprenticeship, fields: dict) -> dict:
    """The `ksbs` codes and `units` numbers popped from `fields`, as records (at most two queries); 400
    naming any unknown. The practice and witness API claims through it too."""
    codes, positions = set(fields.pop("ksbs", [])), set(fields.pop("units", []))
    ksbs = list(evidence_selectors.claimable_ksbs(apprenticeship).filter(code__in=codes)) if codes else []
    units = list(evidence_selectors.claimable_units(apprenticeship).filter(position__in=positions)) if positions else []
    errors = {}
    if missing := codes - {ksb.code for ksb in ksbs}:
        errors["ksbs"] = [KSB_UNKNOWN.format(codes=", ".join(sorted(missing)))]
    if missing := positions - {unit.position for unit in units}:
        errors["units"] = [UNIT_UNKNOWN.format(positions=", ".join(str(n) for n in sorted(missing)))]
    if errors:
        raise exceptions.ValidationError(errors)
    return {"ksbs": ksbs, "units": units}


def _evidence_response(request, evidence_id, code=status.HTTP_200_OK, headers=None) -> Response:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    return Response(PortfolioEvidenceSerializer(evidence).data, status=code,
                    headers={"ETag": f'"{evidence.version}"', **(headers or {})})


def _require(request, evidence, refusal: OpenApiResponse, *allowed: str) -> None:
    """403 for the wrong party before the body is read, so it is never told a field or version is missing."""
    if not parties_of(request.user, evidence.apprenticeship) & set(allowed):
        raise exceptions.PermissionDenied(refusal.description)


def _call(service, refusal: OpenApiResponse, **kwargs):
    """Run a service: its refusals as 400/409, the wrong party as 403."""
    with service_errors():
        try:
            return service(**kwargs)
        except NotAllowed as error:
            raise exceptions.PermissionDenied(refusal.description) from error


class EvidenceListApi(GenericAPIView):
    """An apprenticeship's portfolio, newest first; the apprentice or the coach adds an item."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [JSONParser, MultiPartParser]
    OutputSerializer = PortfolioEvidenceSerializer
    InputSerializer = EvidenceInputSerializer

    @extend_schema(tags=TAGS, summary="List an apprenticeship's portfolio evidence",
                   parameters=[STATUS_FILTER, KIND_FILTER], responses={200: OutputSerializer(many=True),
                                                                       400: INVALID, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        wanted = {name: request.query_params.get(name, "") for name in ("status", "kind")}
        allowed = {"status": EvidenceStatus.values, "kind": EvidenceKind.values}
        bad = {name: [f"Choose one of {', '.join(allowed[name])}"] for name, value in wanted.items()
               if value and value not in allowed[name]}
        if bad:
            raise exceptions.ValidationError(bad)
        page = self.paginate_queryset(evidence_selectors.evidence_of(apprenticeship, **wanted).select_related(
            "assessed_by"))
        if page:
            audit.record_list(Actor.from_request(request), page, what=WHAT,
                              details={"apprenticeship": str(apprenticeship.public_id)})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Add portfolio evidence", request={
        "application/json": InputSerializer, "multipart/form-data": InputSerializer},
        responses={201: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        fields.update(targets_by_code(apprenticeship, fields))
        evidence = _call(evidence_services.create_evidence, WRONG_PARTY, actor=Actor.from_request(request),
                         apprenticeship=apprenticeship, **fields)
        where = reverse("api:api-evidence", args=[evidence.public_id])
        return _evidence_response(request, evidence.public_id, status.HTTP_201_CREATED, {"Location": where})


class EvidenceDetailApi(GenericAPIView):
    """One item; its writer changes it while it is theirs to change (never once locked)."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [JSONParser, MultiPartParser]
    OutputSerializer = PortfolioEvidenceSerializer

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(required=False)
        occurred_on = serializers.DateField(required=False)
        body = serializers.CharField(required=False, allow_blank=True)
        reflection_model = serializers.CharField(required=False, allow_blank=True)
        reflection = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
        file = serializers.FileField(required=False, help_text="A new file to replace the one there (multipart)")
        ksbs = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="The KSB codes claimed (all of them: this replaces the claims)")
        units = serializers.ListField(child=serializers.IntegerField(), required=False,
                                      help_text="The unit numbers claimed (all of them)")
        version = serializers.IntegerField(required=False, min_value=1,
                                           help_text="The version you last read (or send If-Match)")

    @extend_schema(tags=TAGS, summary="Read portfolio evidence", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, evidence_id: UUID):
        evidence = evidence_selectors.evidence_for(request.user, evidence_id)
        audit.record(Actor.from_request(request), Action.VIEW, evidence)
        return Response(self.OutputSerializer(evidence).data, headers={"ETag": f'"{evidence.version}"'})

    @extend_schema(tags=TAGS, summary="Change portfolio evidence (its writer)", parameters=[IF_MATCH],
                   request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
                   responses={200: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND, 409: STALE})
    def patch(self, request, evidence_id: UUID):
        evidence = evidence_selectors.evidence_for(request.user, evidence_id)
        _require(request, evidence, WRONG_PARTY, Party.APPRENTICE, Party.PROVIDER)
        fields = valid_body(self.InputSerializer, request.data, partial=True)
        seen = _seen_version(request, fields.pop("version", None))
        mappings = list(evidence.mappings.all())
        claimed = {"ksbs": [m.ksb.code for m in mappings if m.ksb_id],
                   "units": [m.unit.position for m in mappings if m.unit_id]}
        fields.update(targets_by_code(evidence.apprenticeship,
                                      {**claimed, **{k: fields[k] for k in claimed if k in fields}}))
        _call(evidence_services.edit_evidence, WRONG_PARTY, actor=Actor.from_request(request), evidence=evidence,
              seen_version=seen, **fields)
        return _evidence_response(request, evidence_id)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="The version you last read (or send If-Match)")


class EvidenceSubmitApi(GenericAPIView):
    """The apprentice sends a draft, or evidence needing more work, to their coach."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = PortfolioEvidenceSerializer
    InputSerializer = VersionSerializer

    @extend_schema(tags=TAGS, summary="Send portfolio evidence to the coach (the apprentice)", parameters=[IF_MATCH],
                   request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, evidence_id: UUID):
        evidence = evidence_selectors.evidence_for(request.user, evidence_id)
        _require(request, evidence, WRONG_PARTY, Party.APPRENTICE)
        fields = valid_body(self.InputSerializer, request.data)
        _call(evidence_services.submit_evidence, WRONG_PARTY, actor=Actor.from_request(request), evidence=evidence,
              seen_version=_seen_version(request, fields.get("version")))
        return _evidence_response(request, evidence_id)


def _one_target(evidence, fields: dict) -> dict:
    if ("ksb" in fields) == ("unit" in fields):
        raise exceptions.ValidationError({"non_field_errors": [evidence_services.ONE_TARGET_MESSAGE]})
    found = targets_by_code(evidence.apprenticeship, {"ksbs": [fields["ksb"]] if "ksb" in fields else [],
                                                      "units": [fields["unit"]] if "unit" in fields else []})
    return {"ksb": found["ksbs"][0] if found["ksbs"] else None, "unit": found["units"][0] if found["units"] else None}


class EvidenceMappingsApi(GenericAPIView):
    """The coach maps evidence waiting for them to one more KSB or unit (stage two)."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = PortfolioEvidenceSerializer
    InputSerializer = MappingTargetSerializer

    @extend_schema(tags=TAGS, summary="Add a KSB or unit to evidence (the coach)", parameters=[IF_MATCH],
                   request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, evidence_id: UUID):
        evidence = evidence_selectors.evidence_for(request.user, evidence_id)
        _require(request, evidence, COACH_ONLY, Party.PROVIDER)
        fields = valid_body(self.InputSerializer, request.data)
        seen = _seen_version(request, fields.pop("version", None))
        _call(evidence_services.add_mapping, COACH_ONLY, actor=Actor.from_request(request), evidence=evidence,
              seen_version=seen, **_one_target(evidence, fields))
        return _evidence_response(request, evidence_id)


class EvidenceMappingRemoveApi(GenericAPIView):
    """The coach removes one KSB or unit, claimed or their own, from evidence waiting for them."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = PortfolioEvidenceSerializer
    InputSerializer = MappingTargetSerializer

    @extend_schema(tags=TAGS, summary="Remove a KSB or unit from evidence (the coach)", parameters=[IF_MATCH],
                   request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, evidence_id: UUID):
        evidence = evidence_selectors.evidence_for(request.user, evidence_id)
        _require(request, evidence, COACH_ONLY, Party.PROVIDER)
        fields = valid_body(self.InputSerializer, request.data)
        seen = _seen_version(request, fields.pop("version", None))
        target = _one_target(evidence, fields)
        mapping = next((m for m in evidence.mappings.all()
                        if (target["ksb"] and m.ksb_id == target["ksb"].pk)
                        or (target["unit"] and m.unit_id == target["unit"].pk)), None)
        _call(evidence_services.remove_mapping, COACH_ONLY, actor=Actor.from_request(request), evidence=evidence,
              seen_version=seen, mapping_id=mapping.pk if mapping else 0)
        return _evidence_response(request, evidence_id)


class EvidenceAssessmentApi(GenericAPIView):
    """The coach accepts evidence waiting for them (it is locked) or asks for more work with feedback."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = PortfolioEvidenceSerializer

    class InputSerializer(serializers.Serializer):
        # Text, not a choice: a choice named "decision" would clash with other enums in the schema; the
        # service answers 400 {"decision": [...]} for anything but these two words.
        decision = serializers.CharField(help_text='"accepted" or "needs_more_work"')
        feedback = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text="Required for needs_more_work: what to add or change")
        version = serializers.IntegerField(required=False, min_value=1, help_text="The version you assessed")

    @extend_schema(tags=TAGS, summary="Assess portfolio evidence (the coach)", parameters=[IF_MATCH],
                   request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, evidence_id: UUID):
        evidence = evidence_selectors.evidence_for(request.user, evidence_id)
        _require(request, evidence, COACH_ONLY, Party.PROVIDER)
        fields = valid_body(self.InputSerializer, request.data)
        _call(evidence_services.assess_evidence, COACH_ONLY, actor=Actor.from_request(request), evidence=evidence,
              seen_version=_seen_version(request, fields.get("version")), decision=fields["decision"],
              feedback=fields["feedback"])
        return _evidence_response(request, evidence_id)


class EvidenceUnlockApi(GenericAPIView):
    """The coach unlocks accepted evidence with a reason: it waits for assessment again."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = PortfolioEvidenceSerializer

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(allow_blank=True, help_text="Why it is unlocked (required), kept in its history")
        version = serializers.IntegerField(required=False, min_value=1, help_text="The version you last read")

    @extend_schema(tags=TAGS, summary="Unlock accepted evidence (the coach)", parameters=[IF_MATCH],
                   request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: COACH_ONLY, 404: NOT_FOUND, 409: STALE})
    def post(self, request, evidence_id: UUID):
        evidence = evidence_selectors.evidence_for(request.user, evidence_id)
        _require(request, evidence, COACH_ONLY, Party.PROVIDER)
        fields = valid_body(self.InputSerializer, request.data)
        _call(evidence_services.unlock_evidence, COACH_ONLY, actor=Actor.from_request(request), evidence=evidence,
              seen_version=_seen_version(request, fields.get("version")), reason=fields["reason"])
        return _evidence_response(request, evidence_id)


class EvidenceFileApi(GenericAPIView):
    """An item's uploaded file, streamed to whoever may see the apprenticeship (audited as an export)."""

    required_perm = Perm.OWN_ACCOUNT

    @extend_schema(tags=TAGS, summary="Download portfolio evidence's file",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND})
    def get(self, request, evidence_id: UUID):
        return file_response(request, evidence_selectors.evidence_for(request.user, evidence_id))


class EvidenceQueueApi(GenericAPIView):
    """The coach's evidence waiting for assessment across their apprentices, oldest sent first."""

    required_perm = Perm.APPRENTICESHIP_MANAGE
    OutputSerializer = PortfolioEvidenceSerializer

    @extend_schema(tags=TAGS, summary="List evidence waiting for your assessment (coaches)",
                   responses={200: OutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(evidence_selectors.evidence_awaiting_assessment_by(request.user).select_related(
            "assessed_by"))
        if page:
            audit.record_list(Actor.from_request(request), page, what=WHAT, details={"queue": True})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/evidence/", EvidenceListApi.as_view(), name="api-evidence-list"),
    path("evidence/<uuid:evidence_id>/", EvidenceDetailApi.as_view(), name="api-evidence"),
    path("evidence/<uuid:evidence_id>/submit/", EvidenceSubmitApi.as_view(), name="api-evidence-submit"),
    path("evidence/<uuid:evidence_id>/mappings/", EvidenceMappingsApi.as_view(), name="api-evidence-mappings"),
    path("evidence/<uuid:evidence_id>/mappings/remove/", EvidenceMappingRemoveApi.as_view(),
         name="api-evidence-mapping-remove"),
    path("evidence/<uuid:evidence_id>/assessment/", EvidenceAssessmentApi.as_view(), name="api-evidence-assessment"),
    path("evidence/<uuid:evidence_id>/unlock/", EvidenceUnlockApi.as_view(), name="api-evidence-unlock"),
    path("evidence/<uuid:evidence_id>/file/", EvidenceFileApi.as_view(), name="api-evidence-file"),
    path("evidence-queue/", EvidenceQueueApi.as_view(), name="api-evidence-queue"),
]
