"""The sessions API (issue 5): sessions for coaches and the apprentices invited, an apprenticeship's
sessions, and attendance imports (upload a Teams or Zoom report, read its per-row report, confirm).

The same scoping as the pages (session_selectors): a session out of reach is a 404; one in reach
that the caller may not change (an invited apprentice, or a coach who is not its organiser) is a
403. Choice fields are plain strings with their values listed in help text, so the schema's enum
names stay stable.
"""

from uuid import UUID

from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from carelead.apprenticeships import attendance_services, selectors, session_selectors, session_services
from carelead.apprenticeships.attendance_services import ImportConflict
from carelead.apprenticeships.models import (
    Apprenticeship, AttendanceImport, AttendanceSource, SessionAttendee, SessionKind, TrainingSession,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import deny_unless_held, service_errors, valid_body
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["apprenticeship sessions"]
NOT_FOUND = OpenApiResponse(description="No such session (or import), or not one you may see")
NOT_ALLOWED = OpenApiResponse(description="Only the session's organiser, a skills coach of its training provider, "
                                          "may do this")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
CONFLICT = OpenApiResponse(description="The import is not proposed any more (already confirmed or discarded)")
KINDS = ", ".join(SessionKind.values)


def _choice(values, name):
    def check(self, value):
        if value not in values:
            raise serializers.ValidationError(f"Enter one of: {', '.join(values)}")
        return value
    check.__name__ = f"validate_{name}"
    return check


class SessionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=f"One of {KINDS}")
    activity_type = serializers.CharField(read_only=True, help_text="What attended minutes count as (off-the-job)")
    provider = serializers.UUIDField(source="provider.public_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    organiser = serializers.EmailField(source="organiser.email", read_only=True)
    organiser_name = serializers.CharField(source="organiser.full_name", read_only=True)
    attendee_count = serializers.IntegerField(read_only=True)
    cancelled = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = ["public_id", "kind", "activity_type", "title", "starts_at", "ends_at", "join_url", "venue",
                  "description", "provider", "provider_name", "organiser", "organiser_name", "attendee_count",
                  "cancelled", "cancelled_at", "sequence", "created_at", "updated_at"]

    def get_cancelled(self, session) -> bool:
        return session.cancelled_at is not None


class AttendeeSerializer(serializers.ModelSerializer):
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id", read_only=True)
    apprentice_name = serializers.CharField(source="apprenticeship.apprentice.full_name", read_only=True)
    attended_minutes = serializers.IntegerField(read_only=True, allow_null=True,
                                                help_text="Null until an attendance report is confirmed")

    class Meta:
        model = SessionAttendee
        fields = ["apprenticeship", "apprentice_name", "attended_minutes"]


class SessionInput(serializers.Serializer):
    kind = serializers.CharField(help_text=f"One of {KINDS}")
    title = serializers.CharField(max_length=200)
    date = serializers.DateField(help_text="The day of the session")
    start_time = serializers.TimeField(help_text="UK time (Europe/London), for example 10:00")
    end_time = serializers.TimeField(help_text="UK time (Europe/London), after the start time")
    join_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000,
                                     help_text="https link on teams.microsoft.com, teams.live.com or *.zoom.us")
    venue = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    attendees = serializers.ListField(child=serializers.UUIDField(), required=False, default=list,
                                      help_text="public_ids of apprenticeships you coach at this provider")

    validate_kind = _choice(SessionKind.values, "kind")


class SessionChange(SessionInput):
    cancelled = serializers.BooleanField(required=False, help_text="true cancels the session (cannot be undone)")


def _apprenticeships(ids) -> list[Apprenticeship]:
    found = list(Apprenticeship.objects.filter(public_id__in=set(ids)))
    if len(found) != len(set(ids)):
        raise exceptions.ValidationError({"attendees": [session_services.NOT_INVITABLE_MESSAGE]})
    return found


def _times(fields: dict, session: TrainingSession | None = None) -> dict:
    """starts_at and ends_at from date, start_time and end_time (London), each defaulting to the session's."""
    if not {"date", "start_time", "end_time"} & set(fields):
        return {}
    starts = timezone.localtime(session.starts_at, session_services.LONDON) if session else None
    ends = timezone.localtime(session.ends_at, session_services.LONDON) if session else None
    day = fields.get("date") or starts.date()
    return {"starts_at": session_services.in_london(day, fields.get("start_time") or starts.time()),
            "ends_at": session_services.in_london(day, fields.get("end_time") or ends.time())}


def _refused(error: NotAllowed) -> exceptions.PermissionDenied:
    return exceptions.PermissionDenied(NOT_ALLOWED.description)


class SessionListApi(GenericAPIView):
    """Sessions you may see (upcoming first, then past); arranging one (skills coaches)."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = SessionSerializer
    InputSerializer = SessionInput

    @extend_schema(tags=TAGS, summary="List the sessions you may see", responses={200: OutputSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(session_selectors.upcoming_first(session_selectors.sessions_for(request.user)))
        if page:
            audit.record_list(Actor.from_request(request), page, what="apprenticeships.TrainingSession")
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Arrange a session (skills coaches)", request=InputSerializer,
                   responses={201: OutputSerializer, 400: INVALID, 403: NOT_ALLOWED})
    def post(self, request):
        deny_unless_held(request.user, Perm.APPRENTICESHIP_MANAGE)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            try:
                session = session_services.create_session(
                    actor=Actor.from_request(request), kind=fields["kind"], title=fields["title"],
                    join_url=fields["join_url"], venue=fields["venue"], description=fields["description"],
                    attendees=_apprenticeships(fields["attendees"]), **_times(fields))
            except NotAllowed as error:
                raise _refused(error) from error
        session = session_selectors.session_for(request.user, session.public_id)
        return Response(self.OutputSerializer(session).data, status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:api-session-detail", args=[session.public_id])})


class SessionDetailApi(GenericAPIView):
    """One session with its attendees: the organiser sees everyone invited; another coach of the
    provider, the apprentices they coach; an apprentice, themselves. Only the organiser changes it."""

    required_perm = Perm.OWN_ACCOUNT
    InputSerializer = SessionChange

    class OutputSerializer(SessionSerializer):
        attendees = AttendeeSerializer(many=True, read_only=True, source="attendee_list")

        class Meta(SessionSerializer.Meta):
            fields = [*SessionSerializer.Meta.fields, "attendees"]

    def _render(self, request, session):
        session.attendee_list = session_selectors.attendees_visible_to(request.user, session)
        return Response(self.OutputSerializer(session).data)

    @extend_schema(tags=TAGS, summary="Read one session", responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        session = session_selectors.session_for(request.user, public_id)
        audit.record(Actor.from_request(request), Action.VIEW, session)
        return self._render(request, session)

    @extend_schema(tags=TAGS, summary="Change or cancel a session (its organiser)",
                   request=InputSerializer, responses={200: OutputSerializer, 400: INVALID, 403: NOT_ALLOWED,
                                                       404: NOT_FOUND})
    def patch(self, request, public_id: UUID):
        session = _managed(request, public_id)
        fields = valid_body(self.InputSerializer, request.data, partial=True)
        actor = Actor.from_request(request)
        with service_errors():
            try:
                if fields.pop("cancelled", False):
                    session_services.require_manager(actor, session)
                    if not session.cancelled_at:
                        session_services.cancel_session(actor=actor, session=session)
                changes = {name: fields[name] for name in ("kind", "title", "join_url", "venue", "description")
                           if name in fields} | _times(fields, session)
                if changes or "attendees" in fields:
                    session_services.update_session(
                        actor=actor, session=session, **changes,
                        attendees=_apprenticeships(fields["attendees"]) if "attendees" in fields else None)
            except NotAllowed as error:
                raise _refused(error) from error
        return self._render(request, session_selectors.session_for(request.user, public_id))


class ApprenticeshipSessionsApi(GenericAPIView):
    """One apprenticeship's sessions, upcoming first, with the minutes attended."""

    required_perm = Perm.OWN_ACCOUNT

    class OutputSerializer(serializers.ModelSerializer):
        session = serializers.UUIDField(source="session.public_id", read_only=True)
        title = serializers.CharField(source="session.title", read_only=True)
        kind = serializers.CharField(source="session.kind", read_only=True, help_text=f"One of {KINDS}")
        starts_at = serializers.DateTimeField(source="session.starts_at", read_only=True)
        ends_at = serializers.DateTimeField(source="session.ends_at", read_only=True)
        join_url = serializers.CharField(source="session.join_url", read_only=True)
        cancelled_at = serializers.DateTimeField(source="session.cancelled_at", read_only=True, allow_null=True)
        organiser_name = serializers.CharField(source="session.organiser.full_name", read_only=True)
        attended_minutes = serializers.IntegerField(read_only=True, allow_null=True)

        class Meta:
            model = SessionAttendee
            fields = ["session", "title", "kind", "starts_at", "ends_at", "join_url", "cancelled_at",
                      "organiser_name", "attended_minutes"]

    @extend_schema(tags=TAGS, summary="List one apprenticeship's sessions",
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        page = self.paginate_queryset(session_selectors.attendances_of(apprenticeship))
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={
            "tab": "sessions", "sessions": [str(a.session.public_id) for a in page]})
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ReportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's line number in the file")
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(help_text="counted, attendance_only, combined, unknown_email, not_apprentice, "
                                              "already_recorded, locked, duplicate, outside, malformed")
    detail = serializers.CharField(allow_blank=True, help_text="The outcome in words")
    minutes = serializers.IntegerField(allow_null=True, help_text="Minutes proposed for this apprentice")
    otj = serializers.BooleanField(help_text="Whether confirming makes an approved off-the-job entry")
    apprenticeship = serializers.UUIDField(allow_null=True)


class ImportSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text="teams or zoom")
    status = serializers.CharField(read_only=True, help_text="proposed, confirmed or discarded")
    session = serializers.UUIDField(source="session.public_id", read_only=True)
    report = ReportRowSerializer(many=True, read_only=True)

    class Meta:
        model = AttendanceImport
        fields = ["public_id", "session", "source", "filename", "status", "report", "created_at", "confirmed_at"]


def _managed(request, public_id) -> TrainingSession:
    session = session_selectors.session_for(request.user, public_id)
    if not session_selectors.can_manage(request.user, session):
        raise exceptions.PermissionDenied(NOT_ALLOWED.description)
    return session


class AttendanceImportListApi(GenericAPIView):
    """Upload a Teams attendance report or Zoom participants report (CSV, at most 2 MB): every row is
    checked and reported; nothing is saved until the import is confirmed."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [MultiPartParser, FormParser]
    OutputSerializer = ImportSerializer

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(help_text="The report as exported, .csv")
        source = serializers.CharField(help_text="teams or zoom")

        validate_source = _choice(AttendanceSource.values, "source")

    @extend_schema(tags=TAGS, summary="Upload an attendance report for checking", request={
        "multipart/form-data": InputSerializer}, responses={201: OutputSerializer, 400: INVALID, 403: NOT_ALLOWED,
                                                            404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        session = _managed(request, public_id)
        fields = valid_body(self.InputSerializer, request.data)
        upload = fields["file"]
        errors = attendance_services.check_upload(filename=upload.name, size=upload.size, source=fields["source"])
        if errors:
            raise exceptions.ValidationError(errors)
        with service_errors():
            attendance = attendance_services.propose_import(
                actor=Actor.from_request(request), session=session, source=fields["source"], filename=upload.name,
                data=upload.read())
        where = reverse("api:api-attendance-import", args=[session.public_id, attendance.public_id])
        return Response(self.OutputSerializer(attendance).data, status=status.HTTP_201_CREATED,
                        headers={"Location": where})


class AttendanceImportDetailApi(GenericAPIView):
    """One attendance import with its per-row report."""

    required_perm = Perm.OWN_ACCOUNT
    OutputSerializer = ImportSerializer

    @extend_schema(tags=TAGS, summary="Read an attendance import",
                   responses={200: OutputSerializer, 403: NOT_ALLOWED, 404: NOT_FOUND})
    def get(self, request, public_id: UUID, import_id: UUID):
        attendance = session_selectors.import_for(_managed(request, public_id), import_id)
        audit.record(Actor.from_request(request), Action.VIEW, attendance)
        return Response(self.OutputSerializer(attendance).data)


class AttendanceImportConfirmApi(GenericAPIView):
    """Save every proposed row of an import, or none: attended minutes and approved OTJ entries."""

    required_perm = Perm.OWN_ACCOUNT
    parser_classes = [JSONParser]
    OutputSerializer = ImportSerializer

    @extend_schema(tags=TAGS, summary="Confirm an attendance import", request=None,
                   responses={200: OutputSerializer, 400: INVALID, 403: NOT_ALLOWED, 404: NOT_FOUND, 409: CONFLICT})
    def post(self, request, public_id: UUID, import_id: UUID):
        attendance = session_selectors.import_for(_managed(request, public_id), import_id)
        try:
            with service_errors():
                attendance_services.confirm_import(actor=Actor.from_request(request), attendance=attendance)
        except ImportConflict as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        attendance.refresh_from_db()
        return Response(self.OutputSerializer(attendance).data)


urlpatterns = [
    path("sessions/", SessionListApi.as_view(), name="api-sessions"),
    path("sessions/<uuid:public_id>/", SessionDetailApi.as_view(), name="api-session-detail"),
    path("apprenticeships/<uuid:public_id>/sessions/", ApprenticeshipSessionsApi.as_view(),
         name="api-apprenticeship-sessions"),
    path("sessions/<uuid:public_id>/attendance-imports/", AttendanceImportListApi.as_view(),
         name="api-attendance-imports"),
    path("sessions/<uuid:public_id>/attendance-imports/<uuid:import_id>/", AttendanceImportDetailApi.as_view(),
         name="api-attendance-import"),
    path("sessions/<uuid:public_id>/attendance-imports/<uuid:import_id>/confirm/",
         AttendanceImportConfirmApi.as_view(), name="api-attendance-import-confirm"),
]
