"""Programme changes through the API (issue 5): breaks in learning, returns and withdrawals asked
for, decided by someone other than the requester and processed by the provider; new contracted
weekly hours. Included by plan_api. 404 out of reach, 403 wrong party, 400 naming each field."""

from uuid import UUID

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import change_services, plan_selectors, selectors
from carelead.apprenticeships.models import ChangeKind, ProgrammeChange, WeeklyHours
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.permissions import Perm

TAGS = ["programme changes"]
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No such apprenticeship or change, or not one you may see")
WRONG_PARTY = OpenApiResponse(description="You are not the party who may do this on this apprenticeship")


class ProgrammeChangeSerializer(serializers.ModelSerializer):
    """A change as read, and (its writable fields) as asked for: one schema component, so the kind's
    choices get one name (ProgrammeChangeKindEnum)."""

    requested_by = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", read_only=True, allow_null=True, default=None)
    processed_by = serializers.CharField(source="processed_by.full_name", read_only=True, allow_null=True,
                                         default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ProgrammeChange
        fields = ["public_id", "kind", "status", "status_label", "effective_date", "expected_return",
                  "new_practical_period_end", "reason", "requested_by", "requested_at", "decided_by", "decided_at",
                  "decision_comment", "processed_by", "processed_at"]
        read_only_fields = ["status", "new_practical_period_end", "requested_at", "decided_at", "decision_comment",
                            "processed_at"]
        extra_kwargs = {"expected_return": {"help_text": "Required for a break in learning"}}


class ChangeListApi(GenericAPIView):
    """The apprenticeship's breaks, returns and withdrawals, latest first; the coach or the employer asks for one."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = ProgrammeChangeSerializer

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ChangeKind.choices)
        reason = serializers.CharField(max_length=4000)
        effective_date = serializers.DateField()
        expected_return = serializers.DateField(required=False, allow_null=True, default=None,
                                                help_text="Required for a break in learning")

    @extend_schema(tags=TAGS, summary="List the programme changes", responses={200: OutputSerializer(many=True),
                                                                                404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        changes = plan_selectors.programme_changes(apprenticeship)
        audit.record_list(Actor.from_request(request), changes, what="apprenticeships.ProgrammeChange",
                          details={"apprenticeship": str(apprenticeship.public_id)})
        return Response(self.OutputSerializer(changes, many=True).data)

    @extend_schema(tags=TAGS, summary="Ask for a break in learning, a return or a withdrawal",
                   request=ProgrammeChangeSerializer,  # its writable fields are exactly InputSerializer's
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            change = change_services.request_change(actor=Actor.from_request(request), apprenticeship=apprenticeship,
                                                    **fields)
        return Response(self.OutputSerializer(change).data, status=status.HTTP_201_CREATED)


class ChangeDecisionApi(GenericAPIView):
    """Approve or reject a change: someone other than the requester, the coach or an employer party."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = ProgrammeChangeSerializer

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000,
                                        help_text="Required when not approved")

    @extend_schema(tags=TAGS, summary="Approve or reject a programme change", request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID, change_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        change = plan_selectors.change_for(apprenticeship, change_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            change = change_services.decide_change(actor=Actor.from_request(request), change=change, **fields)
        return Response(self.OutputSerializer(plan_selectors.change_for(apprenticeship, change.public_id)).data)


class ChangeProcessApi(GenericAPIView):
    """The provider applies an approved change to the apprenticeship's status (and planned end, on a return)."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = ProgrammeChangeSerializer

    class InputSerializer(serializers.Serializer):
        new_practical_period_end = serializers.DateField(
            required=False, allow_null=True, default=None,
            help_text="A return only; default: the old planned end moved on by the length of the break")

    @extend_schema(tags=TAGS, summary="Process an approved programme change", request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID, change_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        change = plan_selectors.change_for(apprenticeship, change_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            change_services.process_change(actor=Actor.from_request(request), change=change, **fields)
        return Response(self.OutputSerializer(plan_selectors.change_for(apprenticeship, change.public_id)).data)


class WeeklyHoursApi(GenericAPIView):
    """Record new contracted weekly hours from a date (the coach or the employer); the history is kept."""

    required_perm = Perm.OWN_ACCOUNT

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = WeeklyHours
            fields = ["hours", "from_date"]

    class InputSerializer(serializers.Serializer):
        hours = serializers.DecimalField(max_digits=5, decimal_places=2)
        from_date = serializers.DateField()

    @extend_schema(tags=TAGS, summary="Record new contracted weekly hours", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            entry = change_services.record_weekly_hours(actor=Actor.from_request(request),
                                                        apprenticeship=apprenticeship, **fields)
        return Response(self.OutputSerializer(entry).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/changes/", ChangeListApi.as_view(), name="api-programme-changes"),
    path("apprenticeships/<uuid:public_id>/changes/<uuid:change_id>/decision/", ChangeDecisionApi.as_view(),
         name="api-programme-change-decision"),
    path("apprenticeships/<uuid:public_id>/changes/<uuid:change_id>/process/", ChangeProcessApi.as_view(),
         name="api-programme-change-process"),
    path("apprenticeships/<uuid:public_id>/weekly-hours/", WeeklyHoursApi.as_view(), name="api-weekly-hours"),
]
