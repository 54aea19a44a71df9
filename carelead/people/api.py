"""The people API under /api/v1/people/: the same selectors and services as the pages.

Each view reads top to bottom: who may (`required_perm`, then the selector's scope) → fetch →
validate (`InputSerializer`) → change (a service) → answer (`OutputSerializer`). Reads are
audited here, writes by the services. A person or record the user may not reach is a 404,
whatever the method, so the API never confirms that it exists.
"""

from uuid import UUID

from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import HasRequiredPerm, service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.organisations.models import Location
from carelead.organisations.selectors import holds_anywhere, location_for
from carelead.people import rules
from carelead.people.models import (
    AboutMe, CommunicationNeed, ConsentRecord, Contact, EquipmentItem, Person, PersonStatus,
)
from carelead.people.selectors import about_me_of, person_for, record_for, records_of, search_people
from carelead.people.services import (
    PROFILE_FIELDS, add_person_record, create_person, remove_person_record, save_about_me,
    update_person_profile, update_person_record,
)

LOCATION_NOT_ALLOWED_MESSAGE = "Choose a location where you can add people"
LOCATION_FILTER_MESSAGE = "Choose one of the locations you can see"
VERSION_HELP = "Required. The version you last read; if someone has saved since, the answer is 409 Conflict."
MAX_VERSION = 2_147_483_647  # PositiveIntegerField's ceiling: a larger number is a 400, not a database error

TAGS = ["people"]
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No such person or record, or not one you may reach with this request")
STALE = OpenApiResponse(description="Someone saved since the version you sent: read it again, then change it")
WRONG_ROLE = OpenApiResponse(description="None of your roles allows this")


# --- Plumbing: errors, input, schema names ----------------------------------------------------------


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP)


# --- People ---------------------------------------------------------------------------------------


class LocationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["public_id", "name"]


class PersonProfileSerializer(serializers.ModelSerializer):
    """A person's profile. An NHS number may be sent as 943 476 5919; it is kept as ten digits."""

    nhs_number = serializers.CharField(max_length=12, required=False, allow_blank=True)

    class Meta:
        model = Person
        fields = PROFILE_FIELDS

    def validate_nhs_number(self, value: str) -> str:
        if value and not rules.is_valid_nhs_number(value):
            raise serializers.ValidationError(rules.NHS_NUMBER_MESSAGE)
        return rules.normalise_nhs_number(value)


class PersonOutputSerializer(serializers.ModelSerializer):
    location = LocationSummarySerializer()

    class Meta:
        model = Person
        fields = ["public_id", "version", "display_name", *PROFILE_FIELDS, "location", "created_at", "updated_at"]


class PersonListApi(GenericAPIView):
    """The people the user may see; recording someone newly supported."""

    required_perm = Perm.PERSON_VIEW

    class FilterSerializer(serializers.Serializer):
        search = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                       help_text="Name, preferred name or the first digits of an NHS number")
        status = serializers.ChoiceField(choices=PersonStatus.choices, required=False, allow_blank=True)
        location = serializers.UUIDField(required=False, help_text="A location's public_id")

    class InputSerializer(PersonProfileSerializer):
        location = serializers.UUIDField(help_text="The public_id of a location where you can add people")

        class Meta(PersonProfileSerializer.Meta):
            fields = ["location", *PROFILE_FIELDS]

    class OutputSerializer(serializers.ModelSerializer):
        location = LocationSummarySerializer()

        class Meta:
            model = Person
            fields = ["public_id", "version", "display_name", "given_name", "family_name", "preferred_name",
                      "date_of_birth", "nhs_number", "status", "location"]

    @extend_schema(tags=TAGS, summary="List the people you support", parameters=[FilterSerializer],
                   responses={200: OutputSerializer(many=True), 400: INVALID, 403: WRONG_ROLE})
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        location = None
        if wanted.get("location"):
            try:
                location = location_for(request.user, wanted["location"], perm=Perm.PERSON_VIEW)
            except Http404:
                raise exceptions.ValidationError({"location": [LOCATION_FILTER_MESSAGE]}) from None
        people = search_people(request.user, text=wanted.get("search", ""), status=wanted.get("status", ""),
                               location=location)
        page = self.paginate_queryset(people)
        audit.record_list(Actor.from_request(request), page, what="people.Person")
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Record someone newly supported", request=InputSerializer,
                   responses={201: PersonOutputSerializer, 400: INVALID, 403: WRONG_ROLE})
    def post(self, request):
        if not holds_anywhere(request.user, Perm.PERSON_CREATE):  # more than this view's required_perm
            raise exceptions.PermissionDenied(HasRequiredPerm.message)
        fields = valid_body(self.InputSerializer, request.data)
        try:
            location = location_for(request.user, fields.pop("location"), perm=Perm.PERSON_CREATE)
        except Http404:
            raise exceptions.ValidationError({"location": [LOCATION_NOT_ALLOWED_MESSAGE]}) from None
        with service_errors():
            person = create_person(actor=Actor.from_request(request), location=location, **fields)
        where = reverse("api:api-person-detail", args=[person.public_id])
        return Response(PersonOutputSerializer(person).data, status=status.HTTP_201_CREATED,
                        headers={"Location": where})


class PersonDetailApi(GenericAPIView):
    """One person's profile, with the `version` to send back when changing it."""

    required_perm = Perm.PERSON_VIEW

    class InputSerializer(PersonProfileSerializer):
        version = version_field()

        class Meta(PersonProfileSerializer.Meta):
            fields = [*PROFILE_FIELDS, "version"]
            extra_kwargs = {name: {"required": False} for name in PROFILE_FIELDS}

    OutputSerializer = PersonOutputSerializer

    @extend_schema(tags=TAGS, summary="Read a person's profile", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"part": "profile"})
        return Response(self.OutputSerializer(person).data)

    @extend_schema(tags=TAGS, summary="Change a person's profile (send the version you read)",
                   request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 409: STALE})
    def patch(self, request, public_id: UUID):
        person = person_for(request.user, public_id, perm=Perm.PERSON_EDIT)
        changes = valid_body(self.InputSerializer, request.data)
        seen_version = changes.pop("version")
        with service_errors():
            person = update_person_profile(actor=Actor.from_request(request), person=person,
                                           seen_version=seen_version, **changes)
        return Response(self.OutputSerializer(person).data)


class AboutMeApi(GenericAPIView):
    """The person's About Me (PRSB), in their own words. A PUT sends every section, blank if empty."""

    required_perm = Perm.PERSON_VIEW

    class InputSerializer(serializers.ModelSerializer):
        version = version_field()

        class Meta:
            model = AboutMe
            fields = [*AboutMe.SECTIONS, "supported_by", "version"]
            extra_kwargs = {name: {"required": True} for name in [*AboutMe.SECTIONS, "supported_by"]}

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = AboutMe
            fields = [*AboutMe.SECTIONS, "supported_by", "last_updated_on", "version"]

    @extend_schema(tags=TAGS, summary="Read a person's About Me", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        about = about_me_of(person)
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"part": "about-me"})
        return Response(self.OutputSerializer(about).data)

    @extend_schema(tags=TAGS, summary="Replace a person's About Me (send the version you read)",
                   request=InputSerializer,
                   responses={200: OutputSerializer, 400: INVALID, 404: NOT_FOUND, 409: STALE})
    def put(self, request, public_id: UUID):
        person = person_for(request.user, public_id, perm=Perm.ABOUT_ME_EDIT)
        changes = valid_body(self.InputSerializer, request.data)
        seen_version = changes.pop("version")
        with service_errors():
            about = save_about_me(actor=Actor.from_request(request), person=person,
                                  seen_version=seen_version, **changes)
        return Response(self.OutputSerializer(about).data)


# --- A person's records: contacts, communication needs, consents, equipment ---------------------
# One generic pair of views; each kind below names its URL part, model and serializers.


class PersonRecordsApi(GenericAPIView):
    """A person's records of one kind, paginated; adding one."""

    required_perm = Perm.PERSON_VIEW
    part: str
    model: type
    InputSerializer: type[serializers.ModelSerializer]
    OutputSerializer: type[serializers.ModelSerializer]

    def get(self, request, public_id: UUID):
        person = person_for(request.user, public_id)
        records = records_of(person, self.model).order_by(*self.model._meta.ordering, "id")  # stable pages
        page = self.paginate_queryset(records)
        audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"part": self.part})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    def post(self, request, public_id: UUID):
        person = person_for(request.user, public_id, perm=Perm.PERSON_EDIT)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            record = add_person_record(actor=Actor.from_request(request), person=person, model=self.model, **fields)
        return Response(self.OutputSerializer(record).data, status=status.HTTP_201_CREATED)


class PersonRecordApi(GenericAPIView):
    """One of a person's records: read, change the fields sent, or remove one entered in error."""

    required_perm = Perm.PERSON_VIEW
    part: str
    model: type
    InputSerializer: type[serializers.ModelSerializer]
    OutputSerializer: type[serializers.ModelSerializer]

    def get(self, request, public_id: UUID, record_id: UUID):
        record = self.record(request, public_id, record_id, perm=Perm.PERSON_VIEW)
        audit.record(Actor.from_request(request), Action.VIEW, record, person=record.person,
                     details={"part": self.part})
        return Response(self.OutputSerializer(record).data)

    def patch(self, request, public_id: UUID, record_id: UUID):
        record = self.record(request, public_id, record_id, perm=Perm.PERSON_EDIT)
        changes = valid_body(self.InputSerializer, request.data, partial=True)
        with service_errors():
            record = update_person_record(actor=Actor.from_request(request), record=record, **changes)
        return Response(self.OutputSerializer(record).data)

    def delete(self, request, public_id: UUID, record_id: UUID):
        record = self.record(request, public_id, record_id, perm=Perm.PERSON_EDIT)
        remove_person_record(actor=Actor.from_request(request), record=record)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def record(self, request, public_id: UUID, record_id: UUID, *, perm: Perm):
        """404 unless the record is this person's and the user holds `perm` at their location."""
        record = record_for(request.user, self.model, record_id, perm=perm)
        if record.person.public_id != public_id:
            raise Http404
        return record


def documented(view):
    """Each kind documents the generic views with its own serializers (they cannot name them)."""
    noun, output = view.part.replace("-", " "), view.OutputSerializer
    if issubclass(view, PersonRecordsApi):
        return extend_schema_view(
            get=extend_schema(tags=TAGS, summary=f"List a person's {noun}",
                              responses={200: output(many=True), 404: NOT_FOUND}),
            post=extend_schema(tags=TAGS, summary=f"Add to a person's {noun}", request=view.InputSerializer,
                               responses={201: output, 400: INVALID, 404: NOT_FOUND}),
        )(view)
    return extend_schema_view(
        get=extend_schema(tags=TAGS, summary=f"Read one of a person's {noun}",
                          responses={200: output, 404: NOT_FOUND}),
        patch=extend_schema(tags=TAGS, summary=f"Change one of a person's {noun}", request=view.InputSerializer,
                            responses={200: output, 400: INVALID, 404: NOT_FOUND}),
        delete=extend_schema(tags=TAGS, summary=f"Remove one of a person's {noun} entered in error",
                             responses={204: None, 404: NOT_FOUND}),
    )(view)


RECORD_STAMPS = ["public_id", "created_at", "updated_at"]
CONTACT_FIELDS = ["kind", "name", "relationship", "phone", "email", "address", "ods_code", "lpa_registered_on",
                  "notes"]
COMMUNICATION_NEED_FIELDS = ["need", "information_format", "support", "preferred_contact", "details",
                             "share_with_others"]
CONSENT_FIELDS = ["subject", "decision", "given_by", "given_by_name", "capacity", "recorded_on", "review_on",
                  "notes"]
EQUIPMENT_FIELDS = ["item", "category", "supplier", "installed_on", "next_service_due", "notes"]


class ContactInputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = Contact, CONTACT_FIELDS


class ContactOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = Contact, [*RECORD_STAMPS, *CONTACT_FIELDS]


class CommunicationNeedInputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = CommunicationNeed, COMMUNICATION_NEED_FIELDS


class CommunicationNeedOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = CommunicationNeed, [*RECORD_STAMPS, *COMMUNICATION_NEED_FIELDS]


class ConsentInputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = ConsentRecord, CONSENT_FIELDS


class ConsentOutputSerializer(serializers.ModelSerializer):
    review_overdue = serializers.SerializerMethodField(help_text="True from the day after the review date")

    class Meta:
        model, fields = ConsentRecord, [*RECORD_STAMPS, *CONSENT_FIELDS, "review_overdue"]

    def get_review_overdue(self, consent: ConsentRecord) -> bool:
        return rules.is_review_overdue(review_on=consent.review_on, today=timezone.localdate())


class EquipmentInputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = EquipmentItem, EQUIPMENT_FIELDS


class EquipmentOutputSerializer(serializers.ModelSerializer):
    service_overdue = serializers.SerializerMethodField(help_text="True from the day after the next service is due")

    class Meta:
        model, fields = EquipmentItem, [*RECORD_STAMPS, *EQUIPMENT_FIELDS, "service_overdue"]

    def get_service_overdue(self, item: EquipmentItem) -> bool:
        return rules.is_service_overdue(due=item.next_service_due, today=timezone.localdate())


@documented
class ContactListApi(PersonRecordsApi):
    part, model = "contacts", Contact
    InputSerializer, OutputSerializer = ContactInputSerializer, ContactOutputSerializer


@documented
class ContactDetailApi(PersonRecordApi):
    part, model = "contacts", Contact
    InputSerializer, OutputSerializer = ContactInputSerializer, ContactOutputSerializer


@documented
class CommunicationNeedListApi(PersonRecordsApi):
    part, model = "communication-needs", CommunicationNeed
    InputSerializer, OutputSerializer = CommunicationNeedInputSerializer, CommunicationNeedOutputSerializer


@documented
class CommunicationNeedDetailApi(PersonRecordApi):
    part, model = "communication-needs", CommunicationNeed
    InputSerializer, OutputSerializer = CommunicationNeedInputSerializer, CommunicationNeedOutputSerializer


@documented
class ConsentListApi(PersonRecordsApi):
    part, model = "consents", ConsentRecord
    InputSerializer, OutputSerializer = ConsentInputSerializer, ConsentOutputSerializer


@documented
class ConsentDetailApi(PersonRecordApi):
    part, model = "consents", ConsentRecord
    InputSerializer, OutputSerializer = ConsentInputSerializer, ConsentOutputSerializer


@documented
class EquipmentListApi(PersonRecordsApi):
    part, model = "equipment", EquipmentItem
    InputSerializer, OutputSerializer = EquipmentInputSerializer, EquipmentOutputSerializer


@documented
class EquipmentDetailApi(PersonRecordApi):
    part, model = "equipment", EquipmentItem
    InputSerializer, OutputSerializer = EquipmentInputSerializer, EquipmentOutputSerializer


def record_urls(records: type[PersonRecordsApi], record: type[PersonRecordApi], *, names: tuple[str, str]) -> list:
    """The list and detail URLs of one kind of a person's records."""
    return [
        path(f"people/<uuid:public_id>/{records.part}/", records.as_view(), name=names[0]),
        path(f"people/<uuid:public_id>/{record.part}/<uuid:record_id>/", record.as_view(), name=names[1]),
    ]


urlpatterns = [
    path("people/", PersonListApi.as_view(), name="api-people"),
    path("people/<uuid:public_id>/", PersonDetailApi.as_view(), name="api-person-detail"),
    path("people/<uuid:public_id>/about-me/", AboutMeApi.as_view(), name="api-about-me"),
    *record_urls(ContactListApi, ContactDetailApi, names=("api-contacts", "api-contact-detail")),
    *record_urls(CommunicationNeedListApi, CommunicationNeedDetailApi,
                 names=("api-communication-needs", "api-communication-need-detail")),
    *record_urls(ConsentListApi, ConsentDetailApi, names=("api-consents", "api-consent-detail")),
    *record_urls(EquipmentListApi, EquipmentDetailApi, names=("api-equipment", "api-equipment-detail")),
]
