"""The risk assessment API under /api/v1/people/<public_id>/risks/: the same selectors and services
as the pages (STYLE.md §8).

`GET/POST /risks/` lists the person's current risk assessments (paginated, audited as a view of the
risks tab) and records one; `GET/PATCH /risks/<risk_id>/` reads one and changes the fields sent,
with the `version` last read (409 when someone saved since). A person or risk the user may not
reach is a 404, whatever the method. Answers carry the NPSA 2008 matrix score and rating before and
after the controls, and whether the review is overdue.
"""

from uuid import UUID

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.careplans import plan_api
from carelead.careplans.models import RiskAssessment
from carelead.careplans.selectors import risk_assessment_for, risk_assessments_of
from carelead.careplans.services import (
    RISK_FIELDS,
    create_risk_assessment,
    update_risk_assessment,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for

TAB = "risks"
TAGS = ["risk assessments"]
VERSION_HELP = "Required. The version you last read; if someone has saved since, the answer is 409 Conflict."
MAX_VERSION = 2_147_483_647
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No such person or risk assessment, or not one you may reach with this request")
STALE = OpenApiResponse(description="Someone saved since the version you sent: read it again, then change it")


class RiskInputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = RiskAssessment, RISK_FIELDS


class RiskOutputSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="current, or archived when it no longer applies")
    score = serializers.IntegerField(read_only=True, help_text="Likelihood x severity (1-25)")
    rating = serializers.CharField(read_only=True, help_text="NPSA 2008: low, moderate, high or extreme")
    residual_score = serializers.IntegerField(read_only=True, help_text="The score with the controls in place")
    residual_rating = serializers.CharField(read_only=True, help_text="The rating with the controls in place")
    review_overdue = serializers.SerializerMethodField(help_text="True from the day after the review date")
    assessed_by = serializers.CharField(source="assessed_by.full_name", read_only=True)

    class Meta:
        model = RiskAssessment
        fields = ["public_id", "version", "status", "created_at", "updated_at", *RISK_FIELDS, "score", "rating",
                  "residual_score", "residual_rating", "review_overdue", "assessed_by"]

    def get_review_overdue(self, risk: RiskAssessment) -> bool:
        return risk.review_overdue


class RiskListApi(GenericAPIView):
    """A person's current risk assessments, the soonest review first; recording a new one."""

    required_perm = Perm.PERSON_VIEW
    InputSerializer, OutputSerializer = RiskInputSerializer, RiskOutputSerializer

    @extend_schema(tags=TAGS, summary="List a person's current risk assessments",
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        page = self.paginate_queryset(risk_assessments_of(person))
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"tab": TAB})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Record a risk assessment (senior carers and up)", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        person = person_for(request.user, public_id, perm=Perm.PERSON_EDIT)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            risk = create_risk_assessment(actor=Actor.from_request(request), person=person, **fields)
        where = reverse("api:api-risk-detail", args=[person.public_id, risk.public_id])
        return Response(self.OutputSerializer(risk).data, status=status.HTTP_201_CREATED, headers={"Location": where})


class RiskDetailApi(GenericAPIView):
    """One risk assessment, with the `version` to send back when changing it."""

    required_perm = Perm.PERSON_VIEW
    OutputSerializer = RiskOutputSerializer

    class InputSerializer(RiskInputSerializer):
        version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP)

        class Meta(RiskInputSerializer.Meta):
            fields = [*RISK_FIELDS, "version"]
            extra_kwargs = {name: {"required": False} for name in RISK_FIELDS}

    @extend_schema(tags=TAGS, summary="Read one of a person's risk assessments",
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID, risk_id: UUID):
        risk = risk_assessment_for(request.user, public_id, risk_id)
        audit.record(Actor.from_request(request), Action.VIEW, risk, person=risk.person, details={"tab": TAB})
        return Response(self.OutputSerializer(risk).data)

    @extend_schema(tags=TAGS, summary="Change a risk assessment (send the version you read)",
                   request=InputSerializer, responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 409: STALE})
    def patch(self, request, public_id: UUID, risk_id: UUID):
        risk = risk_assessment_for(request.user, public_id, risk_id, perm=Perm.PERSON_EDIT)
        changes = valid_body(self.InputSerializer, request.data)
        seen_version = changes.pop("version")
        with service_errors():
            risk = update_risk_assessment(actor=Actor.from_request(request), risk=risk, seen_version=seen_version,
                                          **changes)
        return Response(self.OutputSerializer(risk).data)


urlpatterns = [
    path("people/<uuid:public_id>/risks/", RiskListApi.as_view(), name="api-risks"),
    path("people/<uuid:public_id>/risks/<uuid:risk_id>/", RiskDetailApi.as_view(), name="api-risk-detail"),
] + plan_api.urlpatterns  # the care plan: careplans/plan_api/
