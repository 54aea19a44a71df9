"""API endpoints of this app, mounted under /api/v1/ by carelead.api.urls."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from carelead.accounts.selectors import current_memberships
from carelead.core.permissions import Perm


class MeLocationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class MeMembershipSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation_id = serializers.UUIDField(source="organisation.public_id")
    organisation = serializers.CharField(source="organisation.name")
    role = serializers.CharField()
    role_name = serializers.CharField(source="get_role_display")
    all_locations = serializers.BooleanField(help_text="True when the role covers every location, now and future")
    locations = MeLocationSerializer(many=True, help_text="The locations the role names (empty when all_locations)")


class MeOutputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    memberships = MeMembershipSerializer(many=True, help_text="Current roles only; ended ones are left out")


class MeApi(APIView):
    """Who the token or session belongs to, and their current roles. Handy to check a token works."""

    required_perm = Perm.OWN_ACCOUNT

    @extend_schema(responses=MeOutputSerializer, summary="The signed-in user and their current roles")
    def get(self, request):
        user = request.user
        data = {"email": user.email, "full_name": user.full_name, "memberships": current_memberships(user)}
        return Response(MeOutputSerializer(data).data)


urlpatterns = [
    path("me/", MeApi.as_view(), name="api-me"),
]
