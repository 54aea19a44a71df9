"""`/api/v1/people/<id>/dols-applications/`: a person's Deprivation of Liberty Safeguards
applications (list, record one) and one application (read, record its outcome), through the same
selectors and `dols_services` as the pages. Anyone who may see the person reads (audited); lead
practitioners and registered managers write (Perm.PERSON_CREATE). Mounted by assessments.api.
"""

from uuid import UUID

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from carelead.assessments import dols, dols_services
from carelead.assessments.models import CapacityAssessment, DolsApplication
from carelead.assessments.selectors import dols_application_for, dols_applications_of
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import deny_unless_held, service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for

TAGS = ["deprivation of liberty safeguards"]
INVALID = OpenApiResponse(description="Bad or missing fields: a body naming each, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No such person or application, or not yours to see")
WRONG_ROLE = OpenApiResponse(description="None of your roles allows this")


class DolsApplicationSerializer(serializers.ModelSerializer):
    """An application with its authorisation state (in_force, renewal_due from 28 days before the end,
    expired from the day after it, not_in_force unless granted) and the dates that follow from it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    capacity_assessment = serializers.UUIDField(source="capacity_assessment.public_id", read_only=True,
                                                allow_null=True, default=None)
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)
    authorisation_state = serializers.SerializerMethodField()
    urgent_ends_on = serializers.SerializerMethodField()
    renewal_due_from = serializers.SerializerMethodField()

    class Meta:
        model = DolsApplication
        fields = ["id", "kind", "capacity_assessment", "supervisory_body", "reference", "reason", "applied_on",
                  "urgent_from", "urgent_extended", "urgent_ends_on", "status", "decided_on", "authorised_from",
                  "authorised_until", "authorisation_state", "renewal_due_from", "conditions", "cqc_notified_on",
                  "recorded_by", "version"]

    @extend_schema_field(serializers.ChoiceField(choices=list(dols.STATE_LABELS.items())))
    def get_authorisation_state(self, application) -> str:
        return dols_services.state_of(application, timezone.localdate())

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_urgent_ends_on(self, application):
        return dols_services.urgent_ends_on(application)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_renewal_due_from(self, application):
        if application.status != DolsApplication.Status.GRANTED or not application.authorised_until:
            return None
        return dols.renewal_due_from(application.authorised_until)


def _date(**kwargs):
    return serializers.DateField(required=False, allow_null=True, default=None, **kwargs)


class DolsApplicationsApi(GenericAPIView):
    """A person's DoLS applications, newest request first; recording a new one (care homes only)."""

    required_perm = Perm.PERSON_VIEW
    parser_classes = [JSONParser]
    OutputSerializer = DolsApplicationSerializer

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=DolsApplication.Kind.choices)
        capacity_assessment = serializers.UUIDField(required=False, allow_null=True, default=None,
                                                    help_text="One of this person's capacity assessments")
        supervisory_body = serializers.CharField(max_length=200)
        reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        reason = serializers.CharField()
        applied_on = serializers.DateField()
        urgent_from = _date(help_text="Required for an urgent authorisation, else empty")
        cqc_notified_on = _date()

    @extend_schema(tags=TAGS, summary="List a person's DoLS applications",
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        page = self.paginate_queryset(dols_applications_of(person))
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"part": "dols"})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Record a DoLS application", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: WRONG_ROLE, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        deny_unless_held(request.user, Perm.PERSON_CREATE)
        person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
        fields = valid_body(self.InputSerializer, request.data)
        if fields["capacity_assessment"] is not None:
            fields["capacity_assessment"] = _capacity_assessment(person, fields["capacity_assessment"])
        with service_errors():
            application = dols_services.record_dols_application(actor=Actor.from_request(request), person=person,
                                                                **fields)
        return Response(self.OutputSerializer(application).data, status=status.HTTP_201_CREATED)


def _capacity_assessment(person, public_id: UUID) -> CapacityAssessment:
    found = CapacityAssessment.objects.filter(person=person, public_id=public_id).first()
    if found is None:
        raise serializers.ValidationError({"capacity_assessment": [dols_services.OTHER_PERSON_MESSAGE]})
    return found


class DolsApplicationDetailApi(GenericAPIView):
    """One DoLS application; recording its outcome, an urgent extension, or the CQC notification."""

    required_perm = Perm.PERSON_VIEW
    parser_classes = [JSONParser]
    OutputSerializer = DolsApplicationSerializer

    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=DolsApplication.Status.choices, required=False)
        decided_on = _date()
        authorised_from = _date()
        authorised_until = _date(help_text="No later than the day before the same date a year after authorised_from")
        conditions = serializers.CharField(required=False, allow_blank=True)
        urgent_extended = serializers.BooleanField(required=False)
        reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
        cqc_notified_on = _date()
        version = serializers.IntegerField(min_value=1, help_text=(
            "Required. The version you last read; if someone has saved since, the answer is 409 Conflict."))

    @extend_schema(tags=TAGS, summary="Read a DoLS application", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID, application_id: UUID):
        person, application = dols_application_for(request.user, public_id, application_id)
        audit.record(Actor.from_request(request), Action.VIEW, application, person=person, details={"part": "dols"})
        return Response(self.OutputSerializer(application).data)

    @extend_schema(tags=TAGS, summary="Record what became of a DoLS application", request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 403: WRONG_ROLE, 404: NOT_FOUND,
                              409: OpenApiResponse(description="Someone saved the application since the version "
                                                               "you sent: read it again")})
    def patch(self, request, public_id: UUID, application_id: UUID):
        deny_unless_held(request.user, Perm.PERSON_CREATE)
        _, application = dols_application_for(request.user, public_id, application_id, perm=Perm.PERSON_CREATE)
        changes = {name: value for name, value in valid_body(self.InputSerializer, request.data).items()
                   if name in request.data}
        seen_version = changes.pop("version")
        with service_errors():
            application = dols_services.update_dols_application(actor=Actor.from_request(request),
                                                                application=application, seen_version=seen_version,
                                                                **changes)
        return Response(self.OutputSerializer(application).data)
