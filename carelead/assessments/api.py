"""API endpoints of the assessments app, mounted under /api/v1/ by carelead.api.urls.

`POST /api/v1/tools/<tool>/score` scores one set of inputs with a standard tool
(`carelead.assessments.tools.score`, DESIGN.md "Contracts"): the tool names and input encodings are
those of reference/clinical-tools.md §11.1. It touches no one's record, so it writes nothing and
audits nothing; it is for staff who may see people's records (`Perm.PERSON_VIEW`), as the scores
are clinical.

`GET/POST /api/v1/people/<public_id>/scores/` lists a person's saved tool scores (paginated, `?tool=`
to choose one tool; audited as a view of the person) and saves a new one through
`assessments.services.record_tool_score`, answering with the record and its category's guidance.
A person the user may not reach is a 404, as everywhere in the API. Saved scores are never changed
or removed: a wrong one is corrected by scoring again.
"""

from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from carelead.assessments.dols_api import DolsApplicationDetailApi, DolsApplicationsApi
from carelead.assessments.models import (
    BestInterestsDecision, CapacityAssessment, NeedsArea, NeedsAssessment, NeedsAssessmentSection, NeedsAssessmentVersion, SupportLevel, ToolScoreRecord,
)
from carelead.assessments.selectors import (
    capacity_assessment_for, capacity_assessments_of, needs_assessment_for, needs_assessments_of, scores_for,
)
from carelead.assessments.services import (
    record_best_interests_decision, record_capacity_assessment, record_tool_score, save_section,
    start_needs_assessment,
)
from carelead.assessments.tools import TOOLS, ToolInputError, score
from carelead.careplans import rules as review_rules
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import deny_unless_held, service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for

UNKNOWN_TOOL_MESSAGE = 'There is no scoring tool called "{tool}". Choose one of: ' + ", ".join(TOOLS)

TAGS = ["tools"]
INVALID = OpenApiResponse(description="Bad or missing inputs: a body naming each bad field, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No scoring tool has this name")
WRONG_ROLE = OpenApiResponse(description="None of your roles allows this")


def json_number(total: int | Decimal) -> int | float | str:
    """A tool's total as JSON writes it: an int as it is; a whole Decimal as an int; a fractional
    Decimal as a JSON number when that number's shortest text is exactly the Decimal (18.5, 0.1),
    else as a string, so no digit is ever lost to binary floating point."""
    if not isinstance(total, Decimal):
        return total
    if total == total.to_integral_value():
        return int(total)
    as_float = float(total)
    return as_float if Decimal(repr(as_float)) == total else str(total)


def version_of(tool: str) -> str | None:
    """The card a score was made on, for a tool with more than one live version (§0.7: Waterlow's
    1985 and 2005 cards); None for the others."""
    if tool == "waterlow":
        from carelead.assessments.tools import waterlow  # lazily, as the registry imports the tools

        return waterlow.VERSION
    return None


@extend_schema_field({"type": "number", "description": (
    "The tool's total. Always a JSON number for today's tools; a fractional total that a double "
    "cannot hold exactly would be sent as a decimal string rather than lose a digit.")})
class TotalField(serializers.Field):
    def to_representation(self, value):
        return json_number(value)


class ToolScoreApi(APIView):
    """Score one set of inputs with a standard tool. Nothing is saved."""

    required_perm = Perm.PERSON_VIEW
    parser_classes = [JSONParser]

    class OutputSerializer(serializers.Serializer):
        tool = serializers.ChoiceField(choices=TOOLS)
        total = TotalField()
        category = serializers.CharField(help_text="A category code of clinical-tools.md §11.1, e.g. low_medium")
        version = serializers.CharField(required=False,
                                        help_text='Waterlow only: the card scored against ("2005")')

    def check_permissions(self, request):
        # Only POST exists here: any other method is a 405 for everyone, signed in or not, before
        # the role check (the public schema already says so, so this reveals nothing).
        if request.method not in self.allowed_methods:
            self.http_method_not_allowed(request)
        super().check_permissions(request)

    @extend_schema(
        tags=TAGS,
        summary="Score a standard assessment tool",
        description="The body is the tool's inputs, named and encoded as in clinical-tools.md §11.1. "
                    "Every bad, missing or unknown input is named in one 400 answer. Nothing is saved.",
        parameters=[OpenApiParameter("tool", OpenApiTypes.STR, OpenApiParameter.PATH, enum=TOOLS,
                                     description="The tool's name")],
        request=OpenApiTypes.OBJECT,
        responses={200: OutputSerializer, 400: INVALID, 403: WRONG_ROLE, 404: NOT_FOUND},
        examples=[OpenApiExample(
            "Abbey Pain Scale",
            request_only=True,
            value={"vocalisation": 2, "facial_expression": 2, "body_language_change": 2, "behavioural_change": 1,
                   "physiological_change": 1, "physical_changes": 0},
        )],
    )
    def post(self, request, tool: str):
        if tool not in TOOLS:
            raise exceptions.NotFound(UNKNOWN_TOOL_MESSAGE.format(tool=tool))
        try:
            result = score(tool, request.data)
        except ToolInputError as error:
            raise exceptions.ValidationError({field: [message] for field, message in error.errors.items()}) from error
        answer = {"tool": tool, "total": result.total, "category": result.category}
        version = version_of(tool)
        if version is not None:
            answer["version"] = version
        return Response(self.OutputSerializer(answer).data)


# --- A person's saved scores -------------------------------------------------------------------------

NO_SUCH_TOOL_MESSAGE = 'There is no scoring tool called "{input}". Choose one of: ' + ", ".join(TOOLS)
SCORE_TAGS = ["scores"]
PERSON_NOT_FOUND = OpenApiResponse(description="No such person, or not one you may reach with this request")


class GuidanceSerializer(serializers.Serializer):
    """What a category means and the action its source recommends (tools/guidance.py)."""

    label = serializers.CharField(help_text='The category in words, e.g. "Low-medium risk"')
    colour = serializers.CharField(help_text="An NHS.UK tag colour: green, yellow, orange, red, grey...")
    meaning = serializers.CharField()
    action = serializers.CharField()


class ToolScoreRecordSerializer(serializers.ModelSerializer):
    """A saved score, exactly as scored, with who scored it and its category's guidance."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    tool = serializers.ChoiceField(choices=TOOLS, read_only=True)  # one "Tool" enum in the schema, not two
    tool_name = serializers.CharField(source="info.name", read_only=True)
    total = TotalField()
    scored_by = serializers.CharField(source="scored_by.full_name", read_only=True)
    guidance = GuidanceSerializer(read_only=True)

    class Meta:
        model = ToolScoreRecord
        fields = ["id", "tool", "tool_name", "total", "category", "tool_version", "inputs", "scored_by",
                  "scored_at", "notes", "guidance"]


class PersonScoresApi(GenericAPIView):
    """A person's saved tool scores, newest first; scoring a tool into their record."""

    required_perm = Perm.PERSON_VIEW
    parser_classes = [JSONParser]

    class FilterSerializer(serializers.Serializer):
        tool = serializers.ChoiceField(choices=TOOLS, required=False, allow_blank=True,
                                       error_messages={"invalid_choice": NO_SUCH_TOOL_MESSAGE},
                                       help_text="Only this tool's scores")

    class InputSerializer(serializers.Serializer):
        tool = serializers.ChoiceField(choices=TOOLS, error_messages={"invalid_choice": NO_SUCH_TOOL_MESSAGE})
        inputs = serializers.DictField(help_text="The tool's inputs, named and encoded as in clinical-tools.md §11.1")
        notes = serializers.CharField(required=False, allow_blank=True, default="")
        scored_at = serializers.DateTimeField(required=False, help_text="When it was scored, if not now; "
                                                                        "never in the future")

    OutputSerializer = ToolScoreRecordSerializer

    @extend_schema(tags=SCORE_TAGS, summary="List a person's saved tool scores", parameters=[FilterSerializer],
                   responses={200: OutputSerializer(many=True), 400: INVALID, 404: PERSON_NOT_FOUND})
    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        wanted = valid_body(self.FilterSerializer, request.query_params, strict=False)
        page = self.paginate_queryset(scores_for(request.user, person, tool=wanted.get("tool") or None))
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"part": "scores"})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(
        tags=SCORE_TAGS,
        summary="Score a standard tool into a person's record",
        description="Every bad, missing or unknown input is named in one 400 answer, by its own name "
                    "({field: [messages]}), as are `tool` and `scored_at`. Saved scores are never changed: "
                    "a wrong one is corrected by scoring again.",
        request=InputSerializer,
        responses={201: OutputSerializer, 400: INVALID, 403: WRONG_ROLE, 404: PERSON_NOT_FOUND},
        examples=[OpenApiExample("Abbey Pain Scale", request_only=True, value={
            "tool": "abbey_pain_scale",
            "inputs": {"vocalisation": 2, "facial_expression": 2, "body_language_change": 2, "behavioural_change": 1,
                       "physiological_change": 1, "physical_changes": 0},
            "notes": "Grimacing during pressure-area care",
        })],
    )
    def post(self, request, public_id: UUID):
        deny_unless_held(request.user, Perm.SCORE_RECORD)  # more than this view's required_perm
        person = person_for(request.user, public_id, perm=Perm.SCORE_RECORD)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            record = record_tool_score(actor=Actor.from_request(request), person=person, **fields)
        return Response(self.OutputSerializer(record).data, status=status.HTTP_201_CREATED)


# --- Holistic needs assessments -----------------------------------------------------------------

NEEDS_TAGS = ["needs assessments"]
STALE = OpenApiResponse(description="Someone saved the assessment since the version you sent: read it again")


class NeedsSectionSerializer(serializers.ModelSerializer):
    """One area of a needs assessment, with who wrote it."""

    area = serializers.ChoiceField(choices=NeedsArea.choices, read_only=True)
    area_name = serializers.CharField(source="get_area_display", read_only=True)
    contributed_by = serializers.CharField(source="contributed_by.full_name", read_only=True, default="")

    class Meta:
        model = NeedsAssessmentSection
        fields = ["area", "area_name", "persons_view", "strengths", "needs", "support_level", "tools_used",
                  "contributed_by", "updated_at"]


class NeedsAssessmentSerializer(serializers.ModelSerializer):
    """A needs assessment: who led it, its status and version."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    led_by = serializers.CharField(source="led_by.full_name", read_only=True)
    review_on = serializers.DateField(read_only=True, allow_null=True,
                                      help_text="Reassess by: set on completion, the organisation's review cycle later")
    review_state = serializers.SerializerMethodField(help_text=(
        "in_date; due from 7 days before review_on up to and on it; overdue from the day after; "
        "null until completed"))

    class Meta:
        model = NeedsAssessment
        fields = ["id", "led_by", "status", "started_at", "completed_on", "review_on", "review_state", "version"]

    @extend_schema_field(serializers.ChoiceField(choices=list(review_rules.REVIEW_STATE_LABELS.items()),
                                                 allow_null=True))
    def get_review_state(self, assessment) -> str | None:
        if assessment.review_on is None:
            return None
        return review_rules.review_state(assessment.review_on, timezone.localdate())


class PersonNeedsAssessmentsApi(GenericAPIView):
    """A person's needs assessments, newest first; starting one (leading it)."""

    required_perm = Perm.PERSON_VIEW
    parser_classes = [JSONParser]
    OutputSerializer = NeedsAssessmentSerializer

    class InputSerializer(serializers.Serializer):
        pass

    @extend_schema(tags=NEEDS_TAGS, summary="List a person's needs assessments",
                   responses={200: OutputSerializer(many=True), 404: PERSON_NOT_FOUND})
    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        page = self.paginate_queryset(needs_assessments_of(person))
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"part": "assessments"})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=NEEDS_TAGS, summary="Start a needs assessment, led by you", request=InputSerializer,
                   responses={201: OutputSerializer, 403: WRONG_ROLE, 404: PERSON_NOT_FOUND})
    def post(self, request, public_id: UUID):
        deny_unless_held(request.user, Perm.PERSON_CREATE)
        person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
        valid_body(self.InputSerializer, request.data or {})
        with service_errors():
            assessment = start_needs_assessment(actor=Actor.from_request(request), person=person)
        return Response(self.OutputSerializer(assessment).data, status=status.HTTP_201_CREATED)


class NeedsVersionSerializer(serializers.ModelSerializer):
    """What every section said at one saved version of the assessment."""

    saved_by = serializers.CharField(source="saved_by.full_name", read_only=True)

    class Meta:
        model = NeedsAssessmentVersion
        fields = ["version", "saved_by", "saved_at", "sections"]


class NeedsAssessmentDetailApi(APIView):
    """One needs assessment with every section written so far and every saved version, newest first."""

    required_perm = Perm.PERSON_VIEW

    class OutputSerializer(NeedsAssessmentSerializer):
        sections = NeedsSectionSerializer(many=True, read_only=True)
        versions = NeedsVersionSerializer(many=True, read_only=True)

        class Meta(NeedsAssessmentSerializer.Meta):
            fields = [*NeedsAssessmentSerializer.Meta.fields, "sections", "versions"]

    @extend_schema(tags=NEEDS_TAGS, summary="Read a needs assessment with its sections",
                   responses={200: OutputSerializer, 404: PERSON_NOT_FOUND})
    def get(self, request, public_id: UUID, assessment_id: UUID):
        person, assessment = needs_assessment_for(request.user, public_id, assessment_id)
        prefetch_related_objects(
            [assessment],
            Prefetch("sections", NeedsAssessmentSection.objects.select_related("contributed_by").order_by("area")),
            Prefetch("versions", NeedsAssessmentVersion.objects.select_related("saved_by").order_by("-version")),
        )
        audit.record(Actor.from_request(request), Action.VIEW, assessment, person=person,
                     details={"part": "assessments"})
        return Response(self.OutputSerializer(assessment).data)


class NeedsSectionApi(APIView):
    """Write one area of a draft needs assessment."""

    required_perm = Perm.PERSON_EDIT
    parser_classes = [JSONParser]

    class InputSerializer(serializers.Serializer):
        version = serializers.IntegerField(help_text="Required. The assessment's version you last read; if someone "
                                                     "has saved since, the answer is 409 Conflict.")
        persons_view = serializers.CharField(required=False, allow_blank=True, default="")
        strengths = serializers.CharField(required=False, allow_blank=True, default="")
        needs = serializers.CharField(required=False, allow_blank=True, default="")
        support_level = serializers.ChoiceField(choices=SupportLevel.choices, required=False, allow_blank=True,
                                                default="")
        tools_used = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    OutputSerializer = NeedsSectionSerializer

    @extend_schema(tags=NEEDS_TAGS, summary="Write one area of a needs assessment", request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 404: PERSON_NOT_FOUND, 409: STALE})
    def put(self, request, public_id: UUID, assessment_id: UUID, area: str):
        _, assessment = needs_assessment_for(request.user, public_id, assessment_id, perm=Perm.PERSON_EDIT)
        if area not in NeedsArea.values:
            raise Http404
        fields = valid_body(self.InputSerializer, request.data)
        seen_version = fields.pop("version")
        with service_errors():
            section = save_section(actor=Actor.from_request(request), assessment=assessment, area=area,
                                   seen_version=seen_version, **fields)
        return Response(self.OutputSerializer(section).data)


# --- Mental Capacity Act 2005 -------------------------------------------------------------------

MCA_TAGS = ["mental capacity"]


class BestInterestsSerializer(serializers.ModelSerializer):
    """A best-interests decision (MCA 2005 s4), with who made it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    decision_maker = serializers.CharField(source="decision_maker.full_name", read_only=True)

    class Meta:
        model = BestInterestsDecision
        fields = ["id", "decided_at", "decision_maker", "participation", "persons_wishes_and_feelings",
                  "beliefs_and_values", "consultees", "options_considered", "least_restrictive_rationale",
                  "decision"]


class CapacityAssessmentSerializer(serializers.ModelSerializer):
    """Whether the person has capacity for one specific decision at one time; the outcome is
    derived from the answers ("has_capacity" or "lacks_capacity", always for this decision)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    assessor = serializers.CharField(source="assessor.full_name", read_only=True)
    outcome_text = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = CapacityAssessment
        fields = ["id", "decision", "assessed_at", "assessor", "practicable_steps",
                  "can_understand", "understand_evidence", "can_retain", "retain_evidence",
                  "can_use_or_weigh", "use_or_weigh_evidence", "can_communicate", "communicate_evidence",
                  "impairment_present", "impairment_evidence", "causal_link", "causal_link_evidence",
                  "outcome", "outcome_text", "review_on"]


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class PersonCapacityAssessmentsApi(GenericAPIView):
    """A person's capacity assessments, newest first; recording one (lead practitioners and managers)."""

    required_perm = Perm.PERSON_VIEW
    parser_classes = [JSONParser]
    OutputSerializer = CapacityAssessmentSerializer

    class InputSerializer(serializers.Serializer):
        decision = _text(help_text="The specific decision to be made")
        assessed_at = serializers.DateTimeField(required=False, help_text="Now unless given; not in the future")
        practicable_steps = _text(help_text="What was done to help them decide")
        can_understand = serializers.BooleanField(allow_null=True, required=False, default=None)
        understand_evidence = _text()
        can_retain = serializers.BooleanField(allow_null=True, required=False, default=None)
        retain_evidence = _text()
        can_use_or_weigh = serializers.BooleanField(allow_null=True, required=False, default=None)
        use_or_weigh_evidence = _text()
        can_communicate = serializers.BooleanField(allow_null=True, required=False, default=None)
        communicate_evidence = _text()
        impairment_present = serializers.BooleanField(allow_null=True, required=False, default=None)
        impairment_evidence = _text()
        causal_link = serializers.BooleanField(allow_null=True, required=False, default=None)
        causal_link_evidence = _text()
        review_on = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(tags=MCA_TAGS, summary="List a person's capacity assessments",
                   responses={200: OutputSerializer(many=True), 404: PERSON_NOT_FOUND})
    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        page = self.paginate_queryset(capacity_assessments_of(person))
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"part": "mca"})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=MCA_TAGS, summary="Record a capacity assessment for one decision", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_ROLE, 404: PERSON_NOT_FOUND})
    def post(self, request, public_id: UUID):
        deny_unless_held(request.user, Perm.PERSON_CREATE)
        person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            assessment = record_capacity_assessment(actor=Actor.from_request(request), person=person, **fields)
        return Response(self.OutputSerializer(assessment).data, status=status.HTTP_201_CREATED)


class CapacityAssessmentDetailApi(APIView):
    """One capacity assessment with its best-interests decision, if one was made (else null)."""

    required_perm = Perm.PERSON_VIEW

    class OutputSerializer(CapacityAssessmentSerializer):
        best_interests_decision = BestInterestsSerializer(read_only=True, allow_null=True)

        class Meta(CapacityAssessmentSerializer.Meta):
            fields = [*CapacityAssessmentSerializer.Meta.fields, "best_interests_decision"]

    @extend_schema(tags=MCA_TAGS, summary="Read a capacity assessment with its best-interests decision",
                   responses={200: OutputSerializer, 404: PERSON_NOT_FOUND})
    def get(self, request, public_id: UUID, assessment_id: UUID):
        person, assessment = capacity_assessment_for(request.user, public_id, assessment_id)
        audit.record(Actor.from_request(request), Action.VIEW, assessment, person=person, details={"part": "mca"})
        return Response(self.OutputSerializer(assessment).data)


class BestInterestsApi(APIView):
    """Record the best-interests decision for an assessment that found the person lacks capacity for it."""

    required_perm = Perm.PERSON_VIEW
    parser_classes = [JSONParser]
    OutputSerializer = BestInterestsSerializer

    class InputSerializer(serializers.Serializer):
        decided_at = serializers.DateTimeField(required=False, help_text="Now unless given; not in the future")
        participation = _text(help_text="How the person was helped to take part")
        persons_wishes_and_feelings = _text()
        beliefs_and_values = _text()
        consultees = _text(help_text="Who was consulted and their views")
        options_considered = _text()
        least_restrictive_rationale = _text()
        decision = _text()

    @extend_schema(tags=MCA_TAGS, summary="Record a best-interests decision", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_ROLE, 404: PERSON_NOT_FOUND})
    def post(self, request, public_id: UUID, assessment_id: UUID):
        deny_unless_held(request.user, Perm.PERSON_CREATE)
        _, assessment = capacity_assessment_for(request.user, public_id, assessment_id, perm=Perm.PERSON_CREATE)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            decision = record_best_interests_decision(actor=Actor.from_request(request), assessment=assessment,
                                                      **fields)
        return Response(self.OutputSerializer(decision).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("tools/<str:tool>/score", ToolScoreApi.as_view(), name="api-tool-score"),
    path("people/<uuid:public_id>/scores/", PersonScoresApi.as_view(), name="api-person-scores"),
    path("people/<uuid:public_id>/assessments/", PersonNeedsAssessmentsApi.as_view(), name="api-needs-assessments"),
    path("people/<uuid:public_id>/assessments/<uuid:assessment_id>/", NeedsAssessmentDetailApi.as_view(),
         name="api-needs-assessment-detail"),
    path("people/<uuid:public_id>/assessments/<uuid:assessment_id>/sections/<str:area>/", NeedsSectionApi.as_view(),
         name="api-needs-section"),
    path("people/<uuid:public_id>/capacity-assessments/", PersonCapacityAssessmentsApi.as_view(),
         name="api-capacity-assessments"),
    path("people/<uuid:public_id>/capacity-assessments/<uuid:assessment_id>/", CapacityAssessmentDetailApi.as_view(),
         name="api-capacity-assessment-detail"),
    path("people/<uuid:public_id>/capacity-assessments/<uuid:assessment_id>/best-interests/",
         BestInterestsApi.as_view(), name="api-best-interests"),
    path("people/<uuid:public_id>/dols-applications/", DolsApplicationsApi.as_view(), name="api-dols-applications"),
    path("people/<uuid:public_id>/dols-applications/<uuid:application_id>/", DolsApplicationDetailApi.as_view(),
         name="api-dols-application-detail"),
]
