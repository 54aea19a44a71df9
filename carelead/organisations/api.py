"""The organisation API under /api/v1/: locations and memberships, over the same selectors and services.

Each view reads top to bottom: who may (`required_perm`, then the selector's scope) → fetch →
validate (`InputSerializer`) → change (a service) → answer (`OutputSerializer`). Serializers never
save. A location or membership of another organisation is a 404, whatever the method.
"""


from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.core.actor import Actor
from carelead.core.api import deny_unless_held, service_errors, valid_body
from carelead.core.permissions import Perm, Role
from carelead.organisations import selectors, services
from carelead.organisations.models import SettingType

CHOOSE_ORGANISATION_MESSAGE = "Choose the organisation: you administer more than one"
ORGANISATION_NOT_YOURS_MESSAGE = "Choose an organisation you administer"
UNKNOWN_LOCATIONS_MESSAGE = "Choose locations of this person's organisation"
UNKNOWN_LOCATION_MESSAGE = "Choose a location of an organisation you administer"


BAD_REQUEST = OpenApiResponse(description="Invalid input: an object naming each bad field, {field: [messages]}")
FORBIDDEN = OpenApiResponse(description="Your roles do not allow this")
NOT_FOUND = OpenApiResponse(description="No such record, or not one you may reach")


# --- Locations -----------------------------------------------------------------------------------


class LocationOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation_id = serializers.UUIDField(source="organisation.public_id")
    organisation = serializers.CharField(source="organisation.name")
    name = serializers.CharField()
    setting_type = serializers.ChoiceField(choices=SettingType.choices)
    setting_type_name = serializers.CharField(source="get_setting_type_display")
    cqc_location_id = serializers.CharField(help_text="1- then 9 to 11 digits, or empty")
    address = serializers.CharField()
    postcode = serializers.CharField()
    closed_on = serializers.DateField(allow_null=True)


class LocationFieldsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    setting_type = serializers.ChoiceField(
        choices=SettingType.choices, help_text="A Lead PA's employer's one location is own_home"
    )
    cqc_location_id = serializers.CharField(
        max_length=14, required=False, allow_blank=True, help_text="1- then 9 to 11 digits, like 1-101614546"
    )
    address = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    closed_on = serializers.DateField(required=False, allow_null=True)


class LocationsApi(GenericAPIView):
    """Locations the user works at, and every location of the organisations they administer."""

    required_perm = Perm.LOCATION_VIEW
    serializer_class = LocationOutputSerializer

    class InputSerializer(LocationFieldsSerializer):
        organisation = serializers.UUIDField(
            required=False, help_text="Needed only when you administer more than one organisation"
        )

    class OutputSerializer(LocationOutputSerializer):
        pass

    def get_queryset(self):
        return selectors.api_visible_locations(self.request.user)

    @extend_schema(responses={200: OutputSerializer(many=True), 403: FORBIDDEN}, summary="Locations you can see")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
                   summary="Add a location (organisation admins)")
    def post(self, request):
        deny_unless_held(request.user, Perm.LOCATION_MANAGE)
        fields = valid_body(self.InputSerializer, request.data)
        organisation = self._organisation(fields.pop("organisation", None))
        with service_errors():
            location = services.create_location(
                actor=Actor.from_request(request), organisation=organisation, **fields
            )
        return Response(self.OutputSerializer(location).data, status=status.HTTP_201_CREATED)

    def _organisation(self, public_id):
        administered = list(selectors.organisations_granting(self.request.user, Perm.LOCATION_MANAGE)[:2])
        if public_id is None:
            if len(administered) > 1:
                raise exceptions.ValidationError({"organisation": [CHOOSE_ORGANISATION_MESSAGE]})
            return administered[0]
        chosen = selectors.organisations_granting(self.request.user, Perm.LOCATION_MANAGE).filter(
            public_id=public_id
        ).first()
        if chosen is None:
            raise exceptions.ValidationError({"organisation": [ORGANISATION_NOT_YOURS_MESSAGE]})
        return chosen


class LocationDetailApi(GenericAPIView):
    required_perm = Perm.LOCATION_VIEW
    serializer_class = LocationOutputSerializer

    class InputSerializer(LocationFieldsSerializer):
        pass

    class OutputSerializer(LocationOutputSerializer):
        pass

    @extend_schema(responses={200: OutputSerializer, 404: NOT_FOUND}, summary="One location")
    def get(self, request, public_id):
        location = selectors.api_location_for(request.user, public_id)
        return Response(self.OutputSerializer(location).data)

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 400: BAD_REQUEST, 403: FORBIDDEN,
                                                       404: NOT_FOUND},
                   summary="Change a location (organisation admins)")
    def patch(self, request, public_id):
        location = selectors.api_location_for(request.user, public_id)
        deny_unless_held(request.user, Perm.LOCATION_MANAGE)
        changes = valid_body(self.InputSerializer, request.data, partial=True)
        with service_errors():
            services.update_location(actor=Actor.from_request(request), location=location, **changes)
        return Response(self.OutputSerializer(location).data)


# --- Organisation settings ----------------------------------------------------------------------


class OrganisationSettingsOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    plan_review_interval_days = serializers.IntegerField(
        help_text="Care plans are reviewed every this many days (1 to 366; 28 unless changed)"
    )


class OrganisationSettingsApi(GenericAPIView):
    """An organisation admin's settings for their organisation: how often care plans are reviewed."""

    required_perm = Perm.LOCATION_MANAGE
    serializer_class = OrganisationSettingsOutputSerializer

    class InputSerializer(serializers.Serializer):
        plan_review_interval_days = serializers.IntegerField(
            min_value=1, max_value=366, error_messages={
                "min_value": services.REVIEW_INTERVAL_MESSAGE, "max_value": services.REVIEW_INTERVAL_MESSAGE,
                "invalid": services.REVIEW_INTERVAL_MESSAGE, "required": services.REVIEW_INTERVAL_MESSAGE,
            },
        )

    class OutputSerializer(OrganisationSettingsOutputSerializer):
        pass

    @extend_schema(responses={200: OutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
                   summary="An organisation's settings (organisation admins)")
    def get(self, request, public_id):
        organisation = selectors.organisation_for(request.user, public_id, perm=Perm.LOCATION_MANAGE)
        return Response(self.OutputSerializer(organisation).data)

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 400: BAD_REQUEST, 403: FORBIDDEN,
                                                       404: NOT_FOUND},
                   summary="Change an organisation's settings (organisation admins)")
    def patch(self, request, public_id):
        organisation = selectors.organisation_for(request.user, public_id, perm=Perm.LOCATION_MANAGE)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            services.update_care_plan_settings(actor=Actor.from_request(request), organisation=organisation, **fields)
        return Response(self.OutputSerializer(organisation).data)


# --- Memberships ---------------------------------------------------------------------------------


class MembershipLocationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class MembershipOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation_id = serializers.UUIDField(source="organisation.public_id")
    organisation = serializers.CharField(source="organisation.name")
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    role = serializers.ChoiceField(choices=Role.choices)
    role_name = serializers.CharField(source="get_role_display")
    all_locations = serializers.BooleanField(help_text="True when the role covers every location, now and future")
    locations = MembershipLocationSerializer(many=True, help_text="The locations named (empty when all_locations)")
    audit_access = serializers.BooleanField(help_text="Can see who has seen people's records (admins only)")
    job_title = serializers.CharField()
    started_on = serializers.DateField()
    ended_at = serializers.DateTimeField(allow_null=True)


class MembershipsApi(GenericAPIView):
    """Current memberships of the organisations you administer (staff management)."""

    required_perm = Perm.STAFF_MANAGE
    serializer_class = MembershipOutputSerializer

    class FilterSerializer(serializers.Serializer):
        organisation = serializers.UUIDField(required=False, help_text="Only this organisation")
        location = serializers.UUIDField(required=False, help_text="Only people who work at this location")
        role = serializers.ChoiceField(choices=Role.choices, required=False)

    class OutputSerializer(MembershipOutputSerializer):
        pass

    @extend_schema(parameters=[FilterSerializer],
                   responses={200: OutputSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN},
                   summary="Staff of your organisations")
    def get(self, request):
        filters = valid_body(self.FilterSerializer, request.query_params, strict=False)
        location = None
        if "location" in filters:
            location = selectors.managed_locations(request.user).filter(public_id=filters["location"]).first()
            if location is None:
                raise exceptions.ValidationError({"location": [UNKNOWN_LOCATION_MESSAGE]})
        memberships = selectors.staff_memberships(request.user, location=location, role=filters.get("role", ""))
        if "organisation" in filters:
            memberships = memberships.filter(organisation__public_id=filters["organisation"])
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class MembershipDetailApi(GenericAPIView):
    required_perm = Perm.STAFF_MANAGE
    serializer_class = MembershipOutputSerializer

    class InputSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=Role.choices)
        locations = serializers.ListField(
            child=serializers.UUIDField(), help_text="Ids of the locations named; ignored when all_locations"
        )
        all_locations = serializers.BooleanField()
        audit_access = serializers.BooleanField(help_text="Only for organisation admins")
        job_title = serializers.CharField(max_length=120, allow_blank=True)

    class OutputSerializer(MembershipOutputSerializer):
        pass

    @extend_schema(responses={200: OutputSerializer, 404: NOT_FOUND}, summary="One membership")
    def get(self, request, public_id):
        membership = selectors.membership_for(request.user, public_id)
        return Response(self.OutputSerializer(membership).data)

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
                   summary="Change someone's role, locations or grants")
    def patch(self, request, public_id):
        membership = selectors.membership_for(request.user, public_id)
        changes = valid_body(self.InputSerializer, request.data, partial=True)
        if "locations" in changes:
            wanted = set(changes["locations"])
            found = list(membership.organisation.locations.filter(public_id__in=wanted))
            if len(found) != len(wanted):
                raise exceptions.ValidationError({"locations": [UNKNOWN_LOCATIONS_MESSAGE]})
            changes["locations"] = found
        with service_errors():
            services.update_membership(actor=Actor.from_request(request), membership=membership, **changes)
        return Response(self.OutputSerializer(selectors.membership_for(request.user, public_id)).data)


class MembershipEndApi(GenericAPIView):
    """End a membership: the person's access stops from their next request."""

    required_perm = Perm.STAFF_MANAGE
    serializer_class = MembershipOutputSerializer

    class OutputSerializer(MembershipOutputSerializer):
        pass

    @extend_schema(request=None, responses={200: OutputSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
                   summary="End someone's role")
    def post(self, request, public_id):
        membership = selectors.membership_for(request.user, public_id)
        with service_errors():
            services.end_membership(actor=Actor.from_request(request), membership=membership)
        return Response(self.OutputSerializer(membership).data)


urlpatterns = [
    path("locations/", LocationsApi.as_view(), name="api-locations"),
    path("locations/<uuid:public_id>/", LocationDetailApi.as_view(), name="api-location-detail"),
    path("organisations/<uuid:public_id>/settings/", OrganisationSettingsApi.as_view(),
         name="api-organisation-settings"),
    path("memberships/", MembershipsApi.as_view(), name="api-memberships"),
    path("memberships/<uuid:public_id>/", MembershipDetailApi.as_view(), name="api-membership-detail"),
    path("memberships/<uuid:public_id>/end/", MembershipEndApi.as_view(), name="api-membership-end"),
]
