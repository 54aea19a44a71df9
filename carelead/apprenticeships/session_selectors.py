"""Reads of sessions, their attendees, attendance imports and calendar feeds (issue 5, "Sessions,
Teams and Zoom").

Who sees a session: its organiser; a coach of its training provider (APPRENTICESHIP_MANAGE there)
only when an apprentice they coach is invited; and the apprentices invited to it. Who is listed as
invited (`attendees_visible_to`): the organiser sees everyone; another coach, only the apprentices
they coach; an apprentice, only themselves (a coach sees only their own apprentices' records).
Only the organiser, while still a coach of the provider, changes a session or imports its
attendance (`can_manage`). An employer sees its apprentices' sessions through the
apprenticeship's Sessions tab (`attendances_of`), reached by `selectors.apprenticeship_for`.
Anything else is a 404. Programme records, never care records.
"""

from uuid import UUID

from django.db.models import (
    Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.apprenticeships.models import (
    Apprenticeship, AttendanceImport, SessionAttendee, TrainingSession,
)
from carelead.apprenticeships.parties import LOCKED_STATUSES
from carelead.apprenticeships.selectors import providers_enrolling_for


def _attendee_count():
    counted = (SessionAttendee.objects.filter(session=OuterRef("pk")).order_by()
               .values("session").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def sessions_for(user) -> QuerySet[TrainingSession]:
    """The sessions this user may see (one query, no duplicates): organised by them; run by a
    training provider where they coach with at least one apprentice they coach invited; or one they
    are invited to as an apprentice."""
    if not getattr(user, "is_authenticated", False):
        return TrainingSession.objects.none()
    invited = SessionAttendee.objects.filter(session=OuterRef("pk"), apprenticeship__apprentice=user)
    coached = SessionAttendee.objects.filter(session=OuterRef("pk"), apprenticeship__coach=user)
    reach = (Q(organiser=user) | Q(Exists(invited))
             | (Q(provider__in=providers_enrolling_for(user).values("pk")) & Q(Exists(coached))))
    return TrainingSession.objects.filter(reach).select_related("provider", "organiser").annotate(
        attendee_count=_attendee_count())


def session_for(user, public_id: UUID) -> TrainingSession:
    """One session in the user's reach; 404 whether it does not exist or is out of reach."""
    return get_object_or_404(sessions_for(user), public_id=public_id)


def can_manage(user, session: TrainingSession) -> bool:
    """Whether the user may change this session (edit, cancel, invite, upload, confirm or discard
    attendance): its organiser, while they still coach at its provider. Colleagues may not."""
    return (session.organiser_id == getattr(user, "pk", None)
            and providers_enrolling_for(user).filter(pk=session.provider_id).exists())


def upcoming_first(sessions: QuerySet[TrainingSession], now=None) -> QuerySet[TrainingSession]:
    """Sessions not yet ended, soonest first, then past ones, latest first."""
    now = now or timezone.now()
    return sessions.annotate(
        is_past=Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
        upcoming_start=Case(When(ends_at__gte=now, then=F("starts_at")), default=None),
    ).order_by("is_past", F("upcoming_start").asc(nulls_last=True), "-starts_at", "-pk")


def attendees_visible_to(user, session: TrainingSession) -> list[SessionAttendee]:
    """The invited apprentices this user may see listed (one query): all of them for the organiser;
    for another coach of the provider, those they coach; for an apprentice, themselves."""
    attendees = session.attendees.select_related("apprenticeship__apprentice", "apprenticeship__employer")
    if session.organiser_id != getattr(user, "pk", None):
        coached = Q(apprenticeship__coach=user, session__provider__in=providers_enrolling_for(user).values("pk"))
        attendees = attendees.filter(coached | Q(apprenticeship__apprentice=user))
    return list(attendees.order_by("apprenticeship__apprentice__full_name", "pk"))


def attendances_of(apprenticeship: Apprenticeship, now=None) -> QuerySet[SessionAttendee]:
    """One apprenticeship's sessions (upcoming first, then past) with the minutes they attended."""
    now = now or timezone.now()
    return apprenticeship.session_attendances.select_related("session__organiser").annotate(
        is_past=Case(When(session__ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
        upcoming_start=Case(When(session__ends_at__gte=now, then=F("session__starts_at")), default=None),
    ).order_by("is_past", F("upcoming_start").asc(nulls_last=True), "-session__starts_at", "-pk")


def attended_minutes_total(apprenticeship: Apprenticeship) -> int:
    """Minutes this apprentice attended across their sessions, summed in the database."""
    return apprenticeship.session_attendances.aggregate(total=Coalesce(Sum("attended_minutes"), 0))["total"]


def invitable_apprenticeships(user, provider) -> QuerySet[Apprenticeship]:
    """The apprenticeships a coach may invite to their provider's sessions (or to any of a list of
    providers'): those they coach there, not withdrawn or completed."""
    at = Q(provider__in=provider) if isinstance(provider, list | tuple) else Q(provider=provider)
    return (Apprenticeship.objects.filter(at, coach=user).exclude(status__in=LOCKED_STATUSES)
            .select_related("apprentice", "employer").order_by("apprentice__full_name", "pk"))


def attendee_choices(user, session: TrainingSession) -> QuerySet[Apprenticeship]:
    """Whom the change page offers: those already invited, and those the coach may invite."""
    invitable = Q(provider=session.provider_id, coach=user) & ~Q(status__in=LOCKED_STATUSES)
    return (Apprenticeship.objects.filter(invitable | Q(pk__in=session.attendees.values("apprenticeship")))
            .select_related("apprentice", "employer").order_by("apprentice__full_name", "pk"))


def imports_of(session: TrainingSession) -> list[AttendanceImport]:
    return list(session.attendance_imports.select_related("uploaded_by", "confirmed_by").order_by("-created_at"))


def import_for(session: TrainingSession, import_id: UUID) -> AttendanceImport:
    """One attendance import of this session; 404 for another session's."""
    return get_object_or_404(session.attendance_imports.select_related("uploaded_by", "confirmed_by"),
                             public_id=import_id)
