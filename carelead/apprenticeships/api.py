"""The reference-data API under /api/v1/: standards with their versions, one version with its KSBs,
and a qualification with its units. Read-only public reference data: any signed-in user
(Perm.OWN_ACCOUNT); an unknown id is a 404. Written only by the import commands."""

from uuid import UUID

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import selectors
from carelead.apprenticeships.models import Ksb, Qualification, QualificationUnit, Standard, StandardVersion
from carelead.core.permissions import Perm

TAGS = ["apprenticeship reference data"]
NOT_FOUND = OpenApiResponse(description="No such standard version or qualification")

VERSION_FIELDS = ["public_id", "version", "typical_duration_months", "epa_length_months", "funding_status",
                  "funding_note", "earliest_start_date", "latest_start_date", "latest_end_date", "minimum_otj_hours",
                  "source_url", "notes", "imported_at"]


class KsbSerializer(serializers.ModelSerializer):
    carelead_code = serializers.BooleanField(
        read_only=True, help_text="True while the code is carelead's own (CL-K1...), not the standard's official code")
    retired = serializers.BooleanField(read_only=True, help_text="No longer in the imported list; kept, never deleted")

    class Meta:
        model = Ksb
        fields = ["id", "kind", "theme", "code", "text", "carelead_code", "position", "retired"]


class VersionSummarySerializer(serializers.ModelSerializer):
    minimum_otj_hours = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True,
        help_text="Published minimum off-the-job hours for starts from 1 Aug 2025; null when not known")

    class Meta:
        model = StandardVersion
        fields = VERSION_FIELDS


class StandardSerializer(serializers.ModelSerializer):
    versions = VersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Standard
        fields = ["public_id", "reference", "title", "level", "route", "occupation", "versions"]


class StandardListApi(GenericAPIView):
    """Every standard carelead holds, with its versions and their funding status."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = StandardSerializer

    @extend_schema(tags=TAGS, summary="List apprenticeship standards and their versions",
                   responses={200: OutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(selectors.standards())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class StandardDetailApi(GenericAPIView):
    """One version of a standard with its knowledge, skills and behaviours (retired ones included, flagged)."""

    required_perm = Perm.OWN_ACCOUNT

    class OutputSerializer(VersionSummarySerializer):
        reference = serializers.CharField(source="standard.reference", read_only=True)
        title = serializers.CharField(source="standard.title", read_only=True)
        level = serializers.IntegerField(source="standard.level", read_only=True)
        ksbs = KsbSerializer(many=True, read_only=True, source="ordered_ksbs")

        class Meta(VersionSummarySerializer.Meta):
            fields = ["reference", "title", "level", *VERSION_FIELDS, "ksbs"]

    @extend_schema(tags=TAGS, summary="Read one standard version with its KSBs",
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, version_id: UUID):
        version = selectors.standard_version(version_id)
        version.ordered_ksbs = list(selectors.ksbs_of(version))
        return Response(self.OutputSerializer(version).data)


class UnitSerializer(serializers.ModelSerializer):
    loaded = serializers.BooleanField(read_only=True, help_text="False when the source could not be read: no title")

    class Meta:
        model = QualificationUnit
        fields = ["position", "title", "credits", "level", "mandatory", "loaded", "retired"]


class QualificationDetailApi(GenericAPIView):
    """A qualification with its units, credits and rule of combination."""

    required_perm = Perm.OWN_ACCOUNT

    class OutputSerializer(serializers.ModelSerializer):
        units = UnitSerializer(many=True, read_only=True)

        class Meta:
            model = Qualification
            fields = ["public_id", "title", "awarding_organisation", "specification_number", "level", "credits",
                      "glh", "tqt", "rule_of_combination", "source_url", "notes", "imported_at", "units"]

    @extend_schema(tags=TAGS, summary="Read a qualification with its units",
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, qualification_id: UUID):
        return Response(self.OutputSerializer(selectors.qualification(qualification_id)).data)


urlpatterns = [
    path("standards/", StandardListApi.as_view(), name="api-standards"),
    path("standards/<uuid:version_id>/", StandardDetailApi.as_view(), name="api-standard-version"),
    path("qualifications/<uuid:qualification_id>/", QualificationDetailApi.as_view(), name="api-qualification"),
]
