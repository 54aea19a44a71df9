"""The training plan API (issue 5, §5.2), over the same selectors and services as the pages: the
current version with every version listed, the coach starting a version and adding activities to
the draft, and signatures (online, or recorded as obtained offline). Programme changes and contracted
hours are in change_api (included below).

An apprenticeship out of reach is a 404; someone who is not the party who may do something is a
403; bad input is a 400 naming each field.
"""

from uuid import UUID

from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import change_api, plan_selectors, plan_services, selectors
from carelead.apprenticeships.models import (
    ACTIVITY_CHOICES, Party, ResponsibleParty, Signature, SignatureMethod, TrainingPlanActivity, TrainingPlanVersion,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["training plans"]
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No such apprenticeship or plan version, or not one you may see")
WRONG_PARTY = OpenApiResponse(description="You are not the party who may do this on this apprenticeship")
# Who delivers an activity. Worded apart from Party (same values): the schema names each choice set once.
RESPONSIBLE_CHOICES = [(value, f"Delivered by the {label.lower()}") for value, label in ResponsibleParty.choices]
STATE_HELP = "draft (no signature yet: its activities may change), signing (frozen), or agreed (all three signed)"


class PlanSignatureSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.full_name", read_only=True,
                                      help_text="Who signed online, or who recorded a signature obtained offline")

    class Meta:
        model = Signature
        fields = ["party", "method", "signed_by", "signed_at", "signatory_name", "obtained_on", "obtained_how"]


class ActivitySerializer(serializers.ModelSerializer):
    ksbs = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code",
                                        help_text="Codes of the KSBs the activity covers")
    responsible = serializers.ChoiceField(choices=RESPONSIBLE_CHOICES, read_only=True)
    counts_as_otj = serializers.BooleanField(read_only=True, help_text="By §4: reviews, English and maths, "
                                                                       "onboarding and normal work never count")

    class Meta:
        model = TrainingPlanActivity
        fields = ["id", "activity_type", "title", "planned_hours", "planned_from", "planned_to", "counts_as_otj",
                  "responsible", "ksbs", "position"]


class PlanVersionSummarySerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    signature_count = serializers.IntegerField(read_only=True)
    created_by = serializers.CharField(source="created_by.full_name", read_only=True)

    class Meta:
        model = TrainingPlanVersion
        fields = ["number", "state", "change_summary", "created_by", "created_at", "signature_count"]


class PlanVersionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    created_by = serializers.CharField(source="created_by.full_name", read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)
    signatures = PlanSignatureSerializer(many=True, read_only=True)
    planned_hours = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)
    planned_otj_hours = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)
    next_party = serializers.CharField(
        read_only=True, allow_null=True,
        help_text="Whose signature is awaited (provider, apprentice or employer); null when agreed")

    class Meta:
        model = TrainingPlanVersion
        fields = ["number", "state", "change_summary", "created_by", "created_at", "planned_hours",
                  "planned_otj_hours", "next_party", "activities", "signatures"]


def _described(version: TrainingPlanVersion) -> TrainingPlanVersion:
    """Set what the serializer reads from an already loaded version (no further queries)."""
    totals = plan_selectors.plan_totals(version.activities.all())
    version.state = plan_selectors.plan_state(version)
    version.next_party = plan_selectors.next_party(version)
    version.planned_hours, version.planned_otj_hours = totals.planned_hours, totals.planned_otj_hours
    return version


class TrainingPlanApi(GenericAPIView):
    """The apprenticeship's training plan: the current version and the list of versions; the coach
    starts version 1, or a new draft copied from the latest signed version."""

    required_perm = Perm.OWN_ACCOUNT  # the apprentice reads their own by relationship

    class OutputSerializer(serializers.Serializer):
        current = PlanVersionSerializer(allow_null=True, help_text="The latest version; null before version 1")
        versions = PlanVersionSummarySerializer(many=True, help_text="Every version, latest first")
        minimum_otj_hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True,
                                                     help_text="The §4 minimum; null when it cannot be known")
        minimum_otj_reason = serializers.CharField(allow_blank=True, help_text="Why the minimum is not known")

    class InputSerializer(serializers.Serializer):
        change_summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                               help_text="What changed; required for version 2 onwards")

    def _body(self, apprenticeship) -> dict:
        current = plan_selectors.current_plan(apprenticeship)
        versions = plan_selectors.plan_versions(apprenticeship)
        for row in versions:
            row.state = plan_selectors.plan_state(row)
        history = selectors.weekly_hours_history(apprenticeship)
        minimum = selectors.minimum_otj(apprenticeship, selectors.current_weekly_hours(history, timezone.localdate()))
        return self.OutputSerializer({"current": _described(current) if current else None, "versions": versions,
                                      "minimum_otj_hours": minimum["hours"],
                                      "minimum_otj_reason": minimum["reason"]}).data

    @extend_schema(tags=TAGS, summary="Read the training plan", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"tab": "plan"})
        return Response(self._body(apprenticeship))

    @extend_schema(tags=TAGS, summary="Start a version of the training plan (the coach)", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            plan_services.start_plan_version(actor=Actor.from_request(request), apprenticeship=apprenticeship,
                                             change_summary=fields["change_summary"])
        return Response(self._body(apprenticeship), status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:api-training-plan", args=[public_id])})


class ActivityListApi(GenericAPIView):
    """Add an activity, with the KSBs it covers, to the draft version (the coach)."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = ActivitySerializer

    class InputSerializer(serializers.Serializer):
        activity_type = serializers.ChoiceField(choices=ACTIVITY_CHOICES)
        title = serializers.CharField(max_length=200)
        planned_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
        planned_from = serializers.DateField(help_text="On or after the start date")
        planned_to = serializers.DateField(help_text="On or before the planned end of the practical period")
        responsible = serializers.ChoiceField(choices=RESPONSIBLE_CHOICES)
        ksbs = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text="ids of current KSBs of the apprentice's standard version")

    @extend_schema(tags=TAGS, summary="Add an activity to the draft training plan", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            activity = plan_services.add_activity(actor=Actor.from_request(request), apprenticeship=apprenticeship,
                                                  ksb_ids=fields.pop("ksbs"), **fields)
        return Response(self.OutputSerializer(activity).data, status=status.HTTP_201_CREATED)


class SignatureApi(GenericAPIView):
    """Sign a version online as yourself, or (the coach) record the apprentice's or the employer's
    signature obtained offline, in the order provider, apprentice, employer."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = PlanSignatureSerializer

    class InputSerializer(serializers.Serializer):
        method = serializers.ChoiceField(choices=SignatureMethod.choices, default=SignatureMethod.ONLINE)
        party = serializers.ChoiceField(choices=Party.choices, required=False, allow_null=True, default=None,
                                        help_text="Online: the party you sign for (default: whose turn it is). "
                                                  "Offline: apprentice or employer")
        signatory_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        obtained_on = serializers.DateField(required=False, allow_null=True, default=None)
        obtained_how = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    @extend_schema(tags=TAGS, summary="Sign a training plan version", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID, number: int):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        version = plan_selectors.plan_version_for(apprenticeship, number)
        fields = valid_body(self.InputSerializer, request.data)
        actor = Actor.from_request(request)
        with service_errors():
            if fields["method"] == SignatureMethod.OFFLINE:
                signature = plan_services.record_offline_signature(
                    actor=actor, version=version, party=fields["party"] or "", signatory_name=fields["signatory_name"],
                    obtained_on=fields["obtained_on"], obtained_how=fields["obtained_how"])
            else:
                signature = plan_services.sign_plan(actor=actor, version=version, party=fields["party"])
        return Response(self.OutputSerializer(signature).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/training-plan/", TrainingPlanApi.as_view(), name="api-training-plan"),
    path("apprenticeships/<uuid:public_id>/training-plan/activities/", ActivityListApi.as_view(),
         name="api-training-plan-activities"),
    path("apprenticeships/<uuid:public_id>/training-plan/<int:number>/signatures/", SignatureApi.as_view(),
         name="api-training-plan-signatures"),
    *change_api.urlpatterns,
]
