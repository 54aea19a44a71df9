"""The care plan API's endpoints (see the package docstring): each fetches the person in the user's
scope, calls careplans.plan_services, and answers with the plan's ETag."""

from uuid import UUID

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.assessments.models import NeedsAssessment
from carelead.careplans import diff, plan_services, selectors
from carelead.careplans.models import CarePlan, CarePlanReview, CarePlanSection, CarePlanVersion
from carelead.careplans.plan_api.locking import ETAG, IF_MATCH, REQUIRED, STALE, seen_version, with_etag, write
from carelead.careplans.plan_api.serializers import (
    ChangeSerializer, CompareOutputSerializer, CompareQuerySerializer, PlanBuildInputSerializer, PlanInputSerializer,
    PlanOutputSerializer, ReviewInputSerializer, ReviewOutputSerializer, SectionInputSerializer, SectionOutputSerializer,
    SectionPatchSerializer, VersionOutputSerializer,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for

TAB = "plan"
TAGS = ["care plans"]
NO_SUCH_VERSION = "This plan has no such version"
NO_SUCH_SECTION = "Choose a section of this plan"
NOT_FOUND = OpenApiResponse(description="No such person, no current plan, or not one you may reach with this request")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
NOT_BUILDABLE = OpenApiResponse(description="No such person, or not one you may build a plan for")


# --- Reads -----------------------------------------------------------------------------------------


def _with_sections(plan: CarePlan) -> CarePlan:
    plan.loaded_sections = list(selectors.plan_sections(plan))
    return plan


def _read(request, plan: CarePlan, **details) -> None:
    audit.record(Actor.from_request(request), Action.VIEW, plan, person=plan.person, details={"tab": TAB, **details})


# --- Views -----------------------------------------------------------------------------------------


class PlanApi(GenericAPIView):
    """A person's current care plan: building it from an assessment, reading it, changing its own details."""

    required_perm = Perm.PERSON_VIEW
    InputSerializer, OutputSerializer = PlanInputSerializer, PlanOutputSerializer

    @extend_schema(tags=TAGS, summary="Build the plan from a completed needs assessment (lead practitioners and "
                   "managers)", parameters=[ETAG], request=PlanBuildInputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 404: NOT_BUILDABLE})
    def post(self, request, public_id: UUID):
        """400 {"assessment": [...]} for an assessment that is not this person's, not completed, or when the
        person already has a current plan; {"areas": [...]} for areas the assessment did not cover."""
        person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
        fields = valid_body(PlanBuildInputSerializer, request.data)
        assessment = NeedsAssessment.objects.filter(person=person, public_id=fields["assessment"]).first()
        if assessment is None:  # another person's reads the same as none at all: nothing about them leaks
            raise exceptions.ValidationError({"assessment": [plan_services.NOT_COMPLETED_MESSAGE]})
        with service_errors():
            plan = plan_services.build_plan(actor=Actor.from_request(request), person=person, assessment=assessment,
                                            areas=fields.get("areas"))
        plan.person = person
        where = reverse("api:api-care-plan", args=[person.public_id])
        return with_etag(Response(self.OutputSerializer(_with_sections(plan)).data, status=status.HTTP_201_CREATED,
                                  headers={"Location": where}), plan)

    @extend_schema(tags=TAGS, summary="Read a person's current care plan", parameters=[ETAG],
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        plan = selectors.plan_for(request.user, public_id)
        _read(request, plan)
        return with_etag(Response(self.OutputSerializer(_with_sections(plan)).data), plan)

    @extend_schema(tags=TAGS, summary="Change the plan's details (lead practitioners and managers)",
                   parameters=[IF_MATCH, ETAG], request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def patch(self, request, public_id: UUID):
        plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
        seen = seen_version(request)
        changes = valid_body(self.InputSerializer, request.data)
        write(plan, seen, plan_services.update_plan, actor=Actor.from_request(request), **changes)
        return with_etag(Response(self.OutputSerializer(_with_sections(plan)).data), plan)


def _section_data(plan: CarePlan, section: CarePlanSection) -> dict:
    return SectionOutputSerializer(selectors.plan_sections(plan).get(pk=section.pk)).data


class SectionListApi(GenericAPIView):
    """Adding a section to the plan, with its support actions and linked risks."""

    required_perm = Perm.PERSON_VIEW
    InputSerializer, OutputSerializer = SectionInputSerializer, SectionOutputSerializer

    @extend_schema(tags=TAGS, summary="Add a section (lead practitioners and managers)", parameters=[IF_MATCH, ETAG],
                   request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def post(self, request, public_id: UUID):
        plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
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
        plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
        section = selectors.plan_section_for(plan, section_id)
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
        plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
        section = selectors.plan_section_for(plan, section_id)
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
        plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
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
        plan = selectors.plan_for(request.user, public_id)
        reviews = CarePlanReview.objects.filter(plan=plan).select_related("reviewed_by", "section")
        page = self.paginate_queryset(reviews.order_by("-reviewed_on", "-id"))
        _read(request, plan, list="reviews")
        return with_etag(self.get_paginated_response(self.OutputSerializer(page, many=True).data), plan)

    @extend_schema(tags=TAGS, summary="Record a review of the plan or one section (senior carers and up)",
                   parameters=[IF_MATCH, ETAG], request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 412: STALE, 428: REQUIRED})
    def post(self, request, public_id: UUID):
        plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_EDIT)
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
        plan = selectors.plan_for(request.user, public_id)
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
        plan = selectors.plan_for(request.user, public_id)
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
