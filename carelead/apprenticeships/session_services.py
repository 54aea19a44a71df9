"""Writes of sessions (issue 5, "Sessions, Teams and Zoom"): a skills coach (APPRENTICESHIP_MANAGE
at a training provider) arranges a coaching session, taught session, study day or review, with a
Teams or Zoom join link or a venue, and invites apprentices they coach. Each change raises the
session's iCalendar SEQUENCE so calendars that subscribe to a feed replace their copy. Audited,
atomic; programme records, so the audit names no person.
"""

from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carelead.apprenticeships import session_selectors
from carelead.apprenticeships.models import (
    Apprenticeship, OffTheJobEntry, SessionAttendee, SessionKind, TrainingSession,
)
from carelead.apprenticeships.parties import LOCKED_STATUSES
from carelead.apprenticeships.rules import ActivityType
from carelead.apprenticeships.selectors import providers_enrolling_for
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.services import require
from carelead.organisations.models import Organisation

LONDON = ZoneInfo("Europe/London")
DEFAULT_ACTIVITY = {
    SessionKind.COACHING: ActivityType.TEAMS_COACHING.value,
    SessionKind.TAUGHT: ActivityType.ZOOM_TAUGHT_SESSION.value,
    SessionKind.STUDY_DAY: ActivityType.STUDY_DAY.value,
    SessionKind.REVIEW: ActivityType.PROGRESS_REVIEW.value,
}
TEAMS_HOSTS = ("teams.microsoft.com", "teams.live.com")
ZOOM_DOMAIN = "zoom.us"

JOIN_LINK_MESSAGE = ("Enter a Microsoft Teams link (https://teams.microsoft.com/... or https://teams.live.com/...) "
                     "or a Zoom link (https://...zoom.us/...)")
END_BEFORE_START_MESSAGE = "Enter an end time after the start time"
NO_PROVIDER_MESSAGE = "You arrange sessions as a skills coach of a training provider."
SEVERAL_PROVIDERS_MESSAGE = "Choose which training provider runs this session."
NOT_INVITABLE_MESSAGE = "Choose apprentices you coach at this training provider, whose apprenticeship is open."
ATTENDED_MESSAGE = "{name} has attendance recorded for this session and cannot be removed from it."
CANCELLED_MESSAGE = "This session is cancelled: it cannot be changed."
ATTENDANCE_RECORDED_MESSAGE = ("Attendance is recorded for this session: its date, times and kind cannot change. "
                               "Arrange a new session instead.")
WHERE_MESSAGE = "Enter a join link or a venue, so apprentices know where to go"


def join_link_error(url: str) -> str | None:
    """Why a join link is refused, or None: it must be https on Teams (teams.microsoft.com,
    teams.live.com) or Zoom (zoom.us or any *.zoom.us), so a feed never carries another site's link."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.password or parts.port not in (None, 443):
        return JOIN_LINK_MESSAGE
    if host in TEAMS_HOSTS or host == ZOOM_DOMAIN or host.endswith("." + ZOOM_DOMAIN):
        return None
    return JOIN_LINK_MESSAGE


def in_london(day: date, at: time) -> datetime:
    """A wall-clock time in England as an aware datetime (sessions are planned in London time)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def london_date(moment: datetime) -> date:
    return timezone.localtime(moment, LONDON).date()


def require_manager(actor: Actor, session: TrainingSession) -> None:
    """NotAllowed unless the actor is the session's organiser and still runs sessions at its training
    provider (session_selectors.can_manage, which the pages and API check first)."""
    if session.organiser_id != actor.user.pk:
        raise NotAllowed("only the session's organiser changes it or imports its attendance")
    require(actor, Perm.APPRENTICESHIP_MANAGE, organisation_id=session.provider_id)


def provider_for(actor: Actor, provider: Organisation | None = None) -> Organisation:
    """The training provider a new session is run by: the one given (where the actor coaches) or
    the actor's only one."""
    providers = providers_enrolling_for(actor.user)
    if provider is not None:
        if not providers.filter(pk=provider.pk).exists():
            raise NotAllowed(f"{Perm.APPRENTICESHIP_MANAGE} is not held at this training provider")
        return provider
    found = list(providers[:2])
    if not found:
        raise NotAllowed(NO_PROVIDER_MESSAGE)
    if len(found) > 1:
        raise ValidationError({"provider": [SEVERAL_PROVIDERS_MESSAGE]})
    return found[0]


def _checked(session: TrainingSession, errors: dict) -> None:
    session.join_url = (session.join_url or "").strip()
    session.venue = (session.venue or "").strip()
    session.title = (session.title or "").strip()
    if message := join_link_error(session.join_url):
        errors.setdefault("join_url", []).append(message)
    if not session.join_url and not session.venue and "join_url" not in errors:
        errors.setdefault("join_url", []).append(WHERE_MESSAGE)
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors.setdefault("ends_at", []).append(END_BEFORE_START_MESSAGE)
    try:
        session.full_clean(exclude=["provider", "organiser", "created_by", "activity_type", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _attendee_changes(actor: Actor, session: TrainingSession, chosen: list[Apprenticeship],
                      current: list[SessionAttendee]) -> tuple[list[Apprenticeship], list[SessionAttendee]]:
    """Who to invite and who to remove: newcomers must be apprentices the actor coaches at this
    provider (open apprenticeships); anyone with attendance or OTJ from the session stays."""
    held = {attendee.apprenticeship_id: attendee for attendee in current}
    wanted = {apprenticeship.pk: apprenticeship for apprenticeship in chosen}
    new_ids = set(wanted) - set(held)
    if new_ids:
        allowed = set(session_selectors.invitable_apprenticeships(actor.user, session.provider)
                      .filter(pk__in=new_ids).values_list("pk", flat=True))
        if allowed != new_ids:
            raise ValidationError({"attendees": [NOT_INVITABLE_MESSAGE]})
    leaving = [attendee for key, attendee in held.items() if key not in wanted]
    if leaving:
        with_otj = set(OffTheJobEntry.objects.filter(session=session, apprenticeship__in=[a.apprenticeship_id
                                                                                          for a in leaving])
                       .values_list("apprenticeship_id", flat=True)) if session.pk else set()
        stuck = [a for a in leaving if a.attended_minutes is not None or a.apprenticeship_id in with_otj]
        if stuck:
            raise ValidationError({"attendees": [ATTENDED_MESSAGE.format(name=a.apprenticeship.apprentice.full_name)
                                                 for a in stuck]})
    return [wanted[key] for key in sorted(new_ids)], leaving


@transaction.atomic
def create_session(*, actor: Actor, kind: str, title: str, starts_at: datetime, ends_at: datetime,
                   join_url: str = "", venue: str = "", description: str = "", attendees=(),
                   activity_type: str | None = None, provider: Organisation | None = None) -> TrainingSession:
    """Arrange a session at the actor's training provider and invite apprentices they coach."""
    provider = provider_for(actor, provider)
    session = TrainingSession(
        provider=provider, kind=kind, activity_type=activity_type or DEFAULT_ACTIVITY.get(kind, ""), title=title,
        starts_at=starts_at, ends_at=ends_at, join_url=join_url, venue=venue, description=description.strip(),
        organiser=actor.user, created_by=actor.user)
    _checked(session, {})
    invite, _ = _attendee_changes(actor, session, list(attendees), [])
    session.save()
    SessionAttendee.objects.bulk_create([SessionAttendee(session=session, apprenticeship=a) for a in invite])
    audit.record(actor, Action.CREATE, session, details={"attendees": [str(a.public_id) for a in invite]})
    return session


EDITABLE = ("kind", "title", "starts_at", "ends_at", "join_url", "venue", "description", "activity_type")


@transaction.atomic
def update_session(*, actor: Actor, session: TrainingSession, attendees=None, **changes) -> TrainingSession:
    """Change a session's details and invitations; the iCalendar SEQUENCE goes up by one."""
    require_manager(actor, session)
    session = TrainingSession.objects.select_for_update().select_related("provider").get(pk=session.pk)
    if session.cancelled_at:
        raise ValidationError(CANCELLED_MESSAGE)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"update_session cannot change {', '.join(sorted(unknown))}")
    before = {name: getattr(session, name) for name in EDITABLE}
    if "kind" in changes and "activity_type" not in changes and changes["kind"] != session.kind:
        changes["activity_type"] = DEFAULT_ACTIVITY.get(changes["kind"], session.activity_type)
    for name, value in changes.items():
        setattr(session, name, value)
    _checked(session, _locked_by_attendance(session, before))
    invite, leaving = [], []
    if attendees is not None:
        current = list(session.attendees.select_related("apprenticeship__apprentice"))
        invite, leaving = _attendee_changes(actor, session, list(attendees), current)
    changed = audit.changed_fields(before, {name: getattr(session, name) for name in EDITABLE})
    session.sequence = F("sequence") + 1
    session.save()
    session.refresh_from_db(fields=["sequence"])
    SessionAttendee.objects.filter(pk__in=[a.pk for a in leaving]).delete()
    SessionAttendee.objects.bulk_create([SessionAttendee(session=session, apprenticeship=a) for a in invite])
    audit.record(actor, Action.UPDATE, session, details={
        "fields": changed, "invited": [str(a.public_id) for a in invite],
        "removed": [str(a.apprenticeship.public_id) for a in leaving]})
    return session


def _locked_by_attendance(session: TrainingSession, before: dict) -> dict:
    """Once attendance is recorded, the session's times and what it counts as are fixed: the OTJ
    entries made from it carry its date and activity."""
    moved = [name for name in ("starts_at", "ends_at", "activity_type") if getattr(session, name) != before[name]]
    if not moved:
        return {}
    recorded = (session.attendees.filter(attended_minutes__isnull=False).exists()
                or OffTheJobEntry.objects.filter(session=session).exists())
    if not recorded:
        return {}
    field = "kind" if moved == ["activity_type"] else "starts_at"
    return {field: [ATTENDANCE_RECORDED_MESSAGE]}


@transaction.atomic
def cancel_session(*, actor: Actor, session: TrainingSession) -> TrainingSession:
    """Cancel a session: it stays in calendars as cancelled (STATUS:CANCELLED) rather than vanishing."""
    require_manager(actor, session)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.cancelled_at:
        raise ValidationError(CANCELLED_MESSAGE)
    session.cancelled_at = timezone.now()
    session.sequence = F("sequence") + 1
    session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    session.refresh_from_db(fields=["sequence"])
    audit.record(actor, Action.UPDATE, session, details={"fields": ["cancelled_at"]})
    return session


def is_open(apprenticeship: Apprenticeship) -> bool:
    return apprenticeship.status not in LOCKED_STATUSES
