"""The care plan API under /api/v1/people/<public_id>/care-plan/: the same services as the pages
(careplans.plan_services), so the same people may do the same things (STYLE.md §8).

- `GET` the current plan with its sections, support actions, linked risk ids, approval and review
  states; `PATCH` the plan's own details (lead practitioners and managers).
- `POST sections/`, `PATCH/DELETE sections/<id>/` (lead practitioners and managers).
- `POST approve/` approves exactly the version named in If-Match (lead practitioners and managers).
- `GET/POST reviews/`: reviews of the plan or of one section (recorded by senior carers and up).
- `GET versions/` and `GET versions/compare/?from=&to=`: what changed between any two versions.

Optimistic locking uses HTTP preconditions (RFC 9110 §8.8.3 ETag, §13.1.1 If-Match; RFC 6585 §3):
every answer about the plan carries `ETag: "<version>"`; every write must send `If-Match:
"<version>"` with the version last read. Without it the answer is 428 Precondition Required; if
someone has saved since, 412 Precondition Failed with the current version and the changes since
the version sent (careplans.diff), so the client can show them and decide; nothing is written.

A person the user may not reach, a person with no current plan, or a section of another plan is a
404, whatever the method; so is a write by a role that may not make it at the person's location.
"""

import re
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.careplans import diff, plan_services
from carelead.careplans.models import (
    CarePlan, CarePlanReview, CarePlanSection, CarePlanVersion, PlanStatus, SupportAction,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import invalid, valid_body
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for

TAB = "plan"
TAGS = ["care plans"]
IF_MATCH_MISSING = 'Send If-Match: "<version>" with the plan version you last read (its ETag)'
IF_MATCH_INVALID = 'If-Match must be one plan version in quotes, as the ETag gave it: "4"'
NO_SUCH_VERSION = "This plan has no such version"
NO_SUCH_SECTION = "Choose a section of this plan"
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='Required. The plan version you last read, as its ETag gave it ("4"). '
                "428 if missing; 412 with the changes since if someone has saved after it.",
)
ETAG = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201, 204],
                        description='The plan version now, in quotes ("5"): send it as If-Match to change the plan')
NOT_FOUND = OpenApiResponse(description="No such person, no current plan, or not one you may reach with this request")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
REQUIRED = OpenApiResponse(description="No If-Match header: read the plan, then send its ETag as If-Match")


# --- Locking: ETag out, If-Match in --------------------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code, default_detail, default_code = 428, IF_MATCH_MISSING, "if_match_required"


class PreconditionFailed(exceptions.APIException):
    status_code, default_code = status.HTTP_412_PRECONDITION_FAILED, "stale_version"
    default_detail = plan_services.STALE_MESSAGE

    def __init__(self, body: dict):
        super().__init__()
        self.detail = body  # as it is: APIException would turn current_version into a string


class ChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="added, removed, changed, linked or unlinked")
    where = serializers.CharField(help_text='"The plan", or \'Section "Skin"\'')
    what = serializers.CharField(help_text="A field's label, or Section, Support action, Risk")
    before = serializers.CharField()
    after = serializers.CharField()
    sentence = serializers.CharField(help_text="The change in plain English")


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text="Send this as If-Match to save over the changes below")
    changes = ChangeSerializer(many=True, help_text="What changed since the version you sent")


STALE = OpenApiResponse(StaleSerializer, description="Someone saved since the version you sent: nothing was written")


def seen_version(request) -> int:
    """The version the client last read, from If-Match: 428 when absent, 400 when not one version."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    match = _ETAG.match(header)
    if not match:
        raise exceptions.ValidationError({"If-Match": [IF_MATCH_INVALID]})
    return int(match[1])


def _snapshot_at(plan: CarePlan, version: int) -> dict | None:
    return CarePlanVersion.objects.filter(plan=plan, version=version).values_list("snapshot", flat=True).first()


def stale(plan: CarePlan, seen: int) -> PreconditionFailed:
    """412 naming the current version and what changed since `seen` (empty if `seen` was never a version)."""
    plan.refresh_from_db(fields=["version"])
    before, after = _snapshot_at(plan, seen), _snapshot_at(plan, plan.version)
    changes = diff.compare(before, after) if before is not None and after is not None else []
    return PreconditionFailed({
        "detail": plan_services.STALE_MESSAGE, "current_version": plan.version,
        "changes": ChangeSerializer(changes, many=True).data,
    })


def write(locked: CarePlan, seen: int, service, **kwargs):
    """Run a plan service on `locked` at version `seen`: 412 if stale (checked first, and again by the
    service), 400 naming the fields it refuses."""
    if seen != locked.version:
        raise stale(locked, seen)
    try:
        return service(seen_version=seen, plan=locked, **kwargs)
    except StaleEdit:
        raise stale(locked, seen) from None
    except ValidationError as error:
        raise invalid(error) from error


def with_etag(response: Response, plan: CarePlan) -> Response:
    response["ETag"] = f'"{plan.version}"'
    return response


# --- Reads -----------------------------------------------------------------------------------------


def current_plan(user, public_id: UUID, *, perm: Perm = Perm.PERSON_VIEW) -> CarePlan:
    """The person's active plan with its sections, actions and risk ids: 404 unless the user holds
    `perm` at the person's location and there is a current plan."""
    person = person_for(user, public_id, perm=perm)
    plan = (CarePlan.objects.filter(person=person, status=PlanStatus.ACTIVE).select_related("approved_by")
            .first())
    if plan is None:
        raise Http404("This person has no current care plan")
    plan.person = person
    return plan


def _with_sections(plan: CarePlan) -> CarePlan:
    plan.loaded_sections = list(plan_services.sections_of(plan))
    return plan


def _section_of(plan: CarePlan, section_id: UUID) -> CarePlanSection:
    section = get_object_or_404(CarePlanSection.objects.filter(plan=plan), public_id=section_id)
    section.plan = plan
    return section


def _read(request, plan: CarePlan, **details) -> None:
    audit.record(Actor.from_request(request), Action.VIEW, plan, person=plan.person, details={"tab": TAB, **details})


# --- Serializers -----------------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = SupportAction, ["public_id", *plan_services.ACTION_FIELDS]
        read_only_fields = ["public_id"]


class SectionOutputSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)
    risks = serializers.SlugRelatedField(slug_field="public_id", many=True, read_only=True,
                                         help_text="Ids of the linked risk assessments (/risks/<id>/)")
    review_state = serializers.SerializerMethodField(help_text="in_date, due (within 7 days) or overdue")

    class Meta:
        model = CarePlanSection
        fields = ["public_id", "position", *plan_services.SECTION_FIELDS, "review_state", "actions", "risks"]

    def get_review_state(self, section: CarePlanSection) -> str:
        return section.review_state


class PlanOutputSerializer(serializers.ModelSerializer):
    sections = SectionOutputSerializer(source="loaded_sections", many=True, read_only=True)
    review_state = serializers.SerializerMethodField(help_text="in_date, due (within 7 days) or overdue")
    approved = serializers.BooleanField(source="is_approved", read_only=True,
                                        help_text="True when the current version is the one approved")
    approved_by = serializers.CharField(source="approved_by.full_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CarePlan
        fields = ["public_id", "version", "status", *plan_services.PLAN_FIELDS, "review_state", "last_reviewed_on",
                  "approved", "approved_version", "approved_by", "approved_at", "created_at", "updated_at", "sections"]

    def get_review_state(self, plan: CarePlan) -> str:
        return plan.review_state


class PlanInputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = CarePlan, plan_services.PLAN_FIELDS
        extra_kwargs = {name: {"required": False} for name in plan_services.PLAN_FIELDS}


class ActionInputSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(required=False, help_text="An existing action's public_id, to keep and change it")

    class Meta:
        model, fields = SupportAction, ["id", *plan_services.ACTION_FIELDS]
        extra_kwargs = {"how": {"required": False}}


class SectionInputSerializer(serializers.ModelSerializer):
    actions = ActionInputSerializer(many=True, required=False,
                                    help_text="Every action wanted, in order; existing ones not listed are removed")
    risks = serializers.ListField(child=serializers.UUIDField(), required=False,
                                  help_text="Ids of the person's current risk assessments to link (replaces the links)")

    class Meta:
        model = CarePlanSection
        fields = [*plan_services.SECTION_FIELDS, "actions", "risks"]
        extra_kwargs = {"review_on": {"required": False}, "strengths": {"required": False}}


class SectionPatchSerializer(SectionInputSerializer):
    class Meta(SectionInputSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in SectionInputSerializer.Meta.fields}


class ReviewInputSerializer(serializers.ModelSerializer):
    section = serializers.UUIDField(required=False, allow_null=True,
                                    help_text="A section's public_id for a review of that section; empty for the whole plan")

    class Meta:
        model = CarePlanReview
        fields = [*plan_services.REVIEW_FIELDS, "next_review_on", "section"]
        extra_kwargs = {"reviewed_on": {"required": False}, "next_review_on": {"required": False},
                        "person_views": {"required": False}, "changes_made": {"required": False}}


class ReviewOutputSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.CharField(source="reviewed_by.full_name", read_only=True)
    section = serializers.SlugRelatedField(slug_field="public_id", read_only=True, allow_null=True,
                                           help_text="Null for a review of the whole plan")

    class Meta:
        model = CarePlanReview
        fields = ["public_id", "section", "section_title", *plan_services.REVIEW_FIELDS, "next_review_on",
                  "plan_version", "reviewed_by"]


class VersionOutputSerializer(serializers.ModelSerializer):
    saved_by = serializers.CharField(source="saved_by.full_name", read_only=True)

    class Meta:
        model, fields = CarePlanVersion, ["version", "saved_at", "saved_by", "change"]


MAX_VERSION = 2_147_483_647


class CompareQuerySerializer(serializers.Serializer):
    """?from=&to=: "from" is a Python keyword, so the fields are named here."""

    def get_fields(self):
        return {name: serializers.IntegerField(min_value=1, max_value=MAX_VERSION) for name in ("from", "to")}


class CompareOutputSerializer(serializers.Serializer):
    def get_fields(self):
        return {"from": serializers.IntegerField(), "to": serializers.IntegerField(),
                "changes": ChangeSerializer(many=True)}


# --- Views -----------------------------------------------------------------------------------------


class PlanApi(GenericAPIView):
    """A person's current care plan, and changes to its own details."""

    required_perm = Perm.PERSON_VIEW
    InputSerializer, OutputSerializer = PlanInputSerializer, PlanOutputSerializer

    @extend_schema(tags=TAGS, summary="Read a person's current care plan", parameters=[ETAG],
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id)
        _read(request, plan)
        return with_etag(Response(self.OutputSerializer(_with_sections(plan)).data), plan)

    @extend_schema(tags=TAGS, summary="Change the plan's details (lead practitioners and managers)",
                   parameters=[IF_MATCH, ETAG], request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def patch(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id, perm=Perm.PERSON_CREATE)
        seen = seen_version(request)
        changes = valid_body(self.InputSerializer, request.data)
        write(plan, seen, plan_services.update_plan, actor=Actor.from_request(request), **changes)
        return with_etag(Response(self.OutputSerializer(_with_sections(plan)).data), plan)


def _section_data(plan: CarePlan, section: CarePlanSection) -> dict:
    return SectionOutputSerializer(plan_services.sections_of(plan).get(pk=section.pk)).data


class SectionListApi(GenericAPIView):
    """Adding a section to the plan, with its support actions and linked risks."""

    required_perm = Perm.PERSON_VIEW
    InputSerializer, OutputSerializer = SectionInputSerializer, SectionOutputSerializer

    @extend_schema(tags=TAGS, summary="Add a section (lead practitioners and managers)", parameters=[IF_MATCH, ETAG],
                   request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def post(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id, perm=Perm.PERSON_CREATE)
        seen = seen_version(request)
        fields = valid_body(self.InputSerializer, request.data)
        actions, risks = fields.pop("actions", []), fields.pop("risks", [])
        section = write(plan, seen, plan_services.save_section, actor=Actor.from_request(request),
                        actions=actions, risk_ids=risks, **fields)
        return with_etag(Response(_section_data(plan, section), status=status.HTTP_201_CREATED), plan)


class SectionDetailApi(GenericAPIView):
    """Changing or removing one section of the plan."""

    required_perm = Perm.PERSON_VIEW
    InputSerializer, OutputSerializer = SectionPatchSerializer, SectionOutputSerializer

    @extend_schema(tags=TAGS, summary="Change a section; actions and risks, when sent, replace the old ones",
                   parameters=[IF_MATCH, ETAG], request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def patch(self, request, public_id: UUID, section_id: UUID):
        plan = current_plan(request.user, public_id, perm=Perm.PERSON_CREATE)
        section = _section_of(plan, section_id)
        seen = seen_version(request)
        fields = valid_body(self.InputSerializer, request.data)
        actions = fields.pop("actions", None)
        if actions is None:  # not sent: keep the section's actions as they are
            actions = [{"id": action.public_id, **{name: getattr(action, name) for name in plan_services.ACTION_FIELDS}}
                       for action in section.actions.all()]
        risks = fields.pop("risks", None)
        if risks is None:
            risks = list(section.risks.values_list("public_id", flat=True))
        write(plan, seen, plan_services.save_section, actor=Actor.from_request(request), section=section,
              actions=actions, risk_ids=risks, **fields)
        return with_etag(Response(_section_data(plan, section)), plan)

    @extend_schema(tags=TAGS, summary="Remove a section and its support actions", parameters=[IF_MATCH, ETAG],
                   request=None, responses={204: None, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def delete(self, request, public_id: UUID, section_id: UUID):
        plan = current_plan(request.user, public_id, perm=Perm.PERSON_CREATE)
        section = _section_of(plan, section_id)
        write(plan, seen_version(request), plan_services.remove_section, actor=Actor.from_request(request),
              section=section)
        return with_etag(Response(status=status.HTTP_204_NO_CONTENT), plan)


class ApproveApi(GenericAPIView):
    """Approving the plan at exactly the version named in If-Match."""

    required_perm = Perm.PERSON_VIEW
    OutputSerializer = PlanOutputSerializer

    @extend_schema(tags=TAGS, summary="Approve the plan (lead practitioners and managers)", parameters=[IF_MATCH, ETAG],
                   request=None,
                   responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def post(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id, perm=Perm.PERSON_CREATE)
        seen = seen_version(request)
        valid_body(serializers.Serializer, request.data)  # a body, if any, must be empty
        write(plan, seen, plan_services.approve_plan, actor=Actor.from_request(request))
        return with_etag(Response(self.OutputSerializer(_with_sections(plan)).data), plan)


class ReviewListApi(GenericAPIView):
    """Reviews of the plan and its sections, the latest first; recording one."""

    required_perm = Perm.PERSON_VIEW
    InputSerializer, OutputSerializer = ReviewInputSerializer, ReviewOutputSerializer

    @extend_schema(tags=TAGS, summary="List the plan's reviews", parameters=[ETAG],
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id)
        reviews = CarePlanReview.objects.filter(plan=plan).select_related("reviewed_by", "section")
        page = self.paginate_queryset(reviews.order_by("-reviewed_on", "-id"))
        _read(request, plan, list="reviews")
        return with_etag(self.get_paginated_response(self.OutputSerializer(page, many=True).data), plan)

    @extend_schema(tags=TAGS, summary="Record a review of the plan or one section (senior carers and up)",
                   parameters=[IF_MATCH, ETAG], request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def post(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id, perm=Perm.PERSON_EDIT)
        seen = seen_version(request)
        fields = valid_body(self.InputSerializer, request.data)
        section_id = fields.pop("section", None)
        section = CarePlanSection.objects.filter(plan=plan, public_id=section_id).first() if section_id else None
        if section_id and section is None:
            raise exceptions.ValidationError({"section": [NO_SUCH_SECTION]})
        review = write(plan, seen, plan_services.record_review, actor=Actor.from_request(request),
                       section=section, **fields)
        return with_etag(Response(self.OutputSerializer(review).data, status=status.HTTP_201_CREATED), plan)


class VersionListApi(GenericAPIView):
    """Every saved version of the plan, the latest first: who saved it, when, and what they changed."""

    required_perm = Perm.PERSON_VIEW
    OutputSerializer = VersionOutputSerializer

    @extend_schema(tags=TAGS, summary="List the plan's versions", parameters=[ETAG],
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id)
        versions = CarePlanVersion.objects.filter(plan=plan).select_related("saved_by").defer("snapshot")
        page = self.paginate_queryset(versions.order_by("-version"))
        _read(request, plan, list="versions")
        return with_etag(self.get_paginated_response(self.OutputSerializer(page, many=True).data), plan)


class VersionCompareApi(GenericAPIView):
    """What changed from one version of the plan to another (careplans.diff), in reading order."""

    required_perm = Perm.PERSON_VIEW

    @extend_schema(tags=TAGS, summary="Compare two versions of the plan",
                   parameters=[OpenApiParameter("from", int, required=True, description="The earlier version"),
                               OpenApiParameter("to", int, required=True, description="The later version")],
                   responses={200: CompareOutputSerializer, 400: INVALID, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        plan = current_plan(request.user, public_id)
        query = valid_body(CompareQuerySerializer, request.query_params, strict=False)
        snapshots = dict(CarePlanVersion.objects.filter(plan=plan, version__in=query.values())
                         .values_list("version", "snapshot"))
        missing = {name: [NO_SUCH_VERSION] for name, version in query.items() if version not in snapshots}
        if missing:
            raise exceptions.ValidationError(missing)
        _read(request, plan, compare=[query["from"], query["to"]])
        changes = diff.compare(snapshots[query["from"]], snapshots[query["to"]])
        return Response({"from": query["from"], "to": query["to"],
                         "changes": ChangeSerializer(changes, many=True).data})


_PLAN = "people/<uuid:public_id>/care-plan/"
urlpatterns = [
    path(_PLAN, PlanApi.as_view(), name="api-care-plan"),
    path(f"{_PLAN}sections/", SectionListApi.as_view(), name="api-care-plan-sections"),
    path(f"{_PLAN}sections/<uuid:section_id>/", SectionDetailApi.as_view(), name="api-care-plan-section"),
    path(f"{_PLAN}approve/", ApproveApi.as_view(), name="api-care-plan-approve"),
    path(f"{_PLAN}reviews/", ReviewListApi.as_view(), name="api-care-plan-reviews"),
    path(f"{_PLAN}versions/", VersionListApi.as_view(), name="api-care-plan-versions"),
    path(f"{_PLAN}versions/compare/", VersionCompareApi.as_view(), name="api-care-plan-compare"),
]
