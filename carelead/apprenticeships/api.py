"""The apprenticeships API under /api/v1/apprenticeships/ (the same scoping as the pages), and the
reference-data API: standards with their versions, one version with its KSBs,
and a qualification with its units. Read-only public reference data: any signed-in user
(Perm.OWN_ACCOUNT); an unknown id is a 404. Written only by the import commands."""

from decimal import Decimal
from uuid import UUID

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import selectors, services
from carelead.apprenticeships.models import (
    Apprenticeship, EnglishMaths, Ksb, Qualification, QualificationUnit, Standard, StandardVersion, WeeklyHours,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import deny_unless_held, service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
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


# --- Apprenticeships: the same scoping as the pages (selectors.apprenticeships_for) ---

APPRENTICESHIP_TAGS = ["apprenticeships"]
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
NOT_ALLOWED = OpenApiResponse(description="You do not enrol apprentices (a skills coach of a training provider does)")
APPRENTICESHIP_NOT_FOUND = OpenApiResponse(description="No such apprenticeship, or not one you may see")


class WeeklyHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = WeeklyHours
        fields = ["hours", "from_date"]


class ApprenticeshipSerializer(serializers.ModelSerializer):
    apprentice = serializers.EmailField(source="apprentice.email", read_only=True)
    apprentice_name = serializers.CharField(source="apprentice.full_name", read_only=True)
    employer = serializers.UUIDField(source="employer.public_id", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    provider = serializers.UUIDField(source="provider.public_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    coach = serializers.EmailField(source="coach.email", read_only=True)
    coach_name = serializers.CharField(source="coach.full_name", read_only=True)
    standard_version = serializers.UUIDField(source="standard_version.public_id", read_only=True)
    standard = serializers.CharField(source="standard_version.__str__", read_only=True,
                                     help_text="The standard and version, for example ST0007 v1.1")
    qualification = serializers.UUIDField(source="qualification.public_id", read_only=True, allow_null=True,
                                          help_text="The Level 4 Diploma the apprentice is registered for, if known")

    class Meta:
        model = Apprenticeship
        fields = ["public_id", "version", "apprentice", "apprentice_name", "employer", "employer_name", "provider",
                  "provider_name", "coach", "coach_name", "standard_version", "standard", "qualification", "start_date",
                  "practical_period_end", "gateway_date", "status", "english_maths", "english_maths_decision",
                  "rpl_hours", "epao_name", "epao_named_on", "created_at", "updated_at"]


class ApprenticeshipListApi(GenericAPIView):
    """The apprenticeships in your reach (your own, those you coach, your organisation's); enrolling one."""

    required_perm = Perm.OWN_ACCOUNT  # an apprentice reads their own by relationship, with no role permission
    OutputSerializer = ApprenticeshipSerializer

    class InputSerializer(serializers.Serializer):
        apprentice = serializers.EmailField(help_text="The apprentice's email: a current member of the employer's staff")
        employer = serializers.UUIDField(help_text="The employer organisation's public_id")
        coach = serializers.EmailField(help_text="A skills coach of your training provider")
        start_date = serializers.DateField()
        practical_period_end = serializers.DateField(help_text="Planned end of the practical period")
        weekly_hours = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.5"),
                                                max_value=Decimal(168), help_text="Contracted hours a week")
        english_maths = serializers.ChoiceField(choices=EnglishMaths.choices)
        english_maths_decision = serializers.CharField(required=False, allow_blank=True, default="")
        rpl_hours = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal(0), required=False,
                                             default=Decimal(0), help_text="Recognised prior learning, hours")
        epao_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        employer_contacts = serializers.ListField(child=serializers.EmailField(), required=False, default=list,
                                                  help_text="Emails of current staff of the employer")
        qualification = serializers.UUIDField(required=False, allow_null=True, default=None,
                                              help_text="The Level 4 Diploma's public_id (see /api/v1/qualifications/)")

    @extend_schema(tags=APPRENTICESHIP_TAGS, summary="List the apprenticeships you may see",
                   responses={200: OutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(selectors.apprenticeships_for(request.user)
                                      .order_by("apprentice__full_name", "start_date", "pk"))
        if page:
            audit.record_list(Actor.from_request(request), page, what="apprenticeships.Apprenticeship")
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=APPRENTICESHIP_TAGS, summary="Enrol an apprentice (skills coaches)", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: NOT_ALLOWED})
    def post(self, request):
        deny_unless_held(request.user, Perm.APPRENTICESHIP_MANAGE)
        fields = valid_body(self.InputSerializer, request.data)
        users = get_user_model().objects
        employer = selectors.employers_for_enrolment().filter(public_id=fields["employer"]).first()
        errors = {}
        if employer is None:
            errors["employer"] = ["Enter the public_id of a care organisation or individual employer"]
        staff = selectors.enrollable_staff(employer) if employer else users.none()
        apprentice = staff.filter(email__iexact=fields["apprentice"]).first()
        if employer and apprentice is None:
            errors["apprentice"] = [services.NOT_STAFF_MESSAGE]
        contacts = selectors.staff_with_emails(employer, fields["employer_contacts"]) if employer else []
        if contacts is None:
            errors["employer_contacts"] = [services.CONTACT_MESSAGE]
        qualification = None
        if fields["qualification"]:
            qualification = selectors.qualifications().filter(public_id=fields["qualification"]).first()
            if qualification is None:
                errors["qualification"] = ["Enter the public_id of a qualification carelead holds"]
        if errors:
            raise exceptions.ValidationError(errors)
        coach = users.filter(email__iexact=fields["coach"]).first()
        with service_errors():
            try:
                apprenticeship = services.enrol(
                    actor=Actor.from_request(request), apprentice=apprentice, employer=employer, coach=coach,
                    start_date=fields["start_date"], practical_period_end=fields["practical_period_end"],
                    weekly_hours=fields["weekly_hours"], english_maths=fields["english_maths"],
                    english_maths_decision=fields["english_maths_decision"], rpl_hours=fields["rpl_hours"],
                    epao_name=fields["epao_name"], employer_contacts=contacts, qualification=qualification)
            except NotAllowed as error:
                raise exceptions.PermissionDenied(NOT_ALLOWED.description) from error
        apprenticeship = selectors.apprenticeship_for(request.user, apprenticeship.public_id)
        where = reverse("api:api-apprenticeship-detail", args=[apprenticeship.public_id])
        return Response(self.OutputSerializer(apprenticeship).data, status=status.HTTP_201_CREATED,
                        headers={"Location": where})


class ApprenticeshipDetailApi(GenericAPIView):
    """One apprenticeship in your reach, with its contracted hours history (latest first)."""

    required_perm = Perm.OWN_ACCOUNT

    class OutputSerializer(ApprenticeshipSerializer):
        weekly_hours = WeeklyHoursSerializer(many=True, read_only=True, source="hours_history")
        employer_contacts = serializers.SlugRelatedField(many=True, read_only=True, slug_field="email")

        class Meta(ApprenticeshipSerializer.Meta):
            fields = [*ApprenticeshipSerializer.Meta.fields, "employer_contacts", "weekly_hours"]

    @extend_schema(tags=APPRENTICESHIP_TAGS, summary="Read one apprenticeship",
                   responses={200: OutputSerializer, 404: APPRENTICESHIP_NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        apprenticeship.hours_history = selectors.weekly_hours_history(apprenticeship)
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, person=None)
        return Response(self.OutputSerializer(apprenticeship).data)


urlpatterns = [
    path("apprenticeships/", ApprenticeshipListApi.as_view(), name="api-apprenticeships"),
    path("apprenticeships/<uuid:public_id>/", ApprenticeshipDetailApi.as_view(), name="api-apprenticeship-detail"),
    path("standards/", StandardListApi.as_view(), name="api-standards"),
    path("standards/<uuid:version_id>/", StandardDetailApi.as_view(), name="api-standard-version"),
    path("qualifications/<uuid:qualification_id>/", QualificationDetailApi.as_view(), name="api-qualification"),
]
