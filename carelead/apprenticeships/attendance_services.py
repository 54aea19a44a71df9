"""Importing attendance from a Teams or Zoom report (issue 5, "Import attendance").

Uploading checks every row and keeps the outcome as an AttendanceImport (status proposed) with
the per-row report: nothing else is saved. Confirming saves every proposed row or none, in one
transaction, after checking again that nothing changed since: each invited apprentice's attended
minutes, and for a session whose activity counts as off-the-job training (§4) an approved OTJ
entry per apprentice with its first revision. Discarding keeps the report, marked discarded.
Only the session's organiser, while a coach of its provider, uploads, confirms or discards
(`require_organiser`): a colleague coach sees only their own apprentices' records.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import attendance_reports, rules
from carelead.apprenticeships.attendance_reports import COMBINED, COUNTED, DUPLICATE, MALFORMED, OUTSIDE
from carelead.apprenticeships.models import (
    Apprenticeship, AttendanceImport, AttendanceSource, ImportStatus, OffTheJobEntry, OffTheJobRevision, OtjEvent,
    OtjSource, OtjStatus, SessionAttendee, TrainingSession,
)
from carelead.apprenticeships.session_services import LONDON, london_date, require_manager
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action

GRACE = timedelta(minutes=15)  # a row may start 15 minutes early or end 15 minutes late (waiting rooms, overruns)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024

# Row outcomes beyond the parser's (attendance_reports: counted, combined, duplicate, outside, malformed).
UNKNOWN_EMAIL = "unknown_email"
NOT_APPRENTICE = "not_apprentice"  # the organiser or another coach of the provider
ALREADY_RECORDED = "already_recorded"
NO_OTJ = "attendance_only"
LOCKED = "locked"
NOT_SAVED = frozenset({UNKNOWN_EMAIL, NOT_APPRENTICE, ALREADY_RECORDED, LOCKED, DUPLICATE, OUTSIDE, MALFORMED})
OUTCOME_LABELS = {
    COUNTED: "Counted", COMBINED: "Counted with another row", NO_OTJ: "Attendance only",
    UNKNOWN_EMAIL: "Unknown email", NOT_APPRENTICE: "Not an apprentice", ALREADY_RECORDED: "Already recorded",
    LOCKED: "Not counted", DUPLICATE: "Duplicate", OUTSIDE: "Outside the session", MALFORMED: "Malformed time",
}
OUTCOME_COLOURS = {COUNTED: "green", COMBINED: "green", NO_OTJ: "blue", NOT_APPRENTICE: "grey"}

TOO_BIG_MESSAGE = "The file must be smaller than 2 MB"
NOT_CSV_MESSAGE = "The file must be a CSV file (.csv): in Teams choose Download attendance list; in Zoom, Export"
WRONG_SOURCE_MESSAGE = "This file looks like a {found}, not a {chosen}: choose {found_short}"
CANCELLED_MESSAGE = "This session is cancelled: there is no attendance to import."
NOT_STARTED_MESSAGE = "This session has not started yet: import its attendance report after it."
NOT_PROPOSED_MESSAGE = "This import has already been {status}: upload the report again to check it afresh."
STALE_MESSAGE = ("Something changed since this report was checked ({why}): nothing was saved. Upload the report "
                 "again to check it afresh.")
NOTHING_MESSAGE = "No row of this report can be saved: nothing to confirm."

UNKNOWN_WORDS = "No apprentice invited to this session has this email, nor anyone at your training provider."
UNKNOWN_NAME_WORDS = "No email on this row, and no apprentice invited to this session has this name: not counted."
UNINVITED_WORDS = "{name} is an apprentice you coach, but not invited to this session: invite them, then upload again."
STAFF_WORDS = "The organiser or a coach, not an apprentice: not counted."
ALREADY_WORDS = "{name}'s attendance at this session is already recorded: not counted again."
LOCKED_WORDS = "{name}'s apprenticeship is {status}: its records are locked, not counted."
NO_OTJ_ACTIVITY_WORDS = "Attended {minutes} minutes. A {activity} does not count as off-the-job training (§4)."
OTJ_REFUSED_WORDS = "Attended {minutes} minutes; no off-the-job entry: {why}"
COUNTED_WORDS = "Attended {minutes} minutes: an approved off-the-job entry for {name}."
FOR_THEIR_COACH_WORDS = ("Attended {minutes} minutes: an off-the-job entry for {name}, sent to their own coach to "
                         "approve.")
UNDER_A_MINUTE_WORDS = "Attended less than a minute: no off-the-job entry."
CAPPED_WORDS = " (the report says more; capped at the session's length)"
COMBINED_ROWS_WORDS = " Rows {rows} added together."


class ImportConflict(Exception):
    """The import is not (or no longer) proposed: 409 in the API."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_upload(*, filename: str, size: int, source: str) -> dict:
    """Field errors for the file and its source, by the upload's name ("file", "source")."""
    errors: dict[str, list[str]] = {}
    if source not in AttendanceSource.values:
        errors["source"] = ["Select whether it is a Teams or a Zoom report"]
    if not filename.lower().endswith(".csv"):
        errors["file"] = [NOT_CSV_MESSAGE]
    elif size > MAX_UPLOAD_BYTES:
        errors["file"] = [TOO_BIG_MESSAGE]
    return errors


def require_organiser(actor: Actor, session: TrainingSession) -> None:
    """NotAllowed unless the actor organised the session and still coaches at its provider: a
    colleague coach sees only their own apprentices, so never imports attendance for others'."""
    require_manager(actor, session)  # the organiser, still a coach at the provider


@transaction.atomic
def propose_import(*, actor: Actor, session: TrainingSession, source: str, filename: str,
                   data: bytes) -> AttendanceImport:
    """Read and check a report; keep the outcome of every row as a proposed import. Saves nothing else."""
    require_organiser(actor, session)
    errors = check_upload(filename=filename, size=len(data), source=source)
    if not errors and session.cancelled_at:
        errors["file"] = [CANCELLED_MESSAGE]
    elif not errors and session.starts_at > timezone.now():
        errors["file"] = [NOT_STARTED_MESSAGE]
    report = None
    if not errors:
        try:
            report = attendance_reports.read_report(data, on=london_date(session.starts_at))
        except attendance_reports.ReportError as error:
            errors["file"] = [str(error)]
    if report and attendance_reports.SOURCE_OF_FORMAT[report.format] != source:
        found = attendance_reports.FORMAT_LABELS[report.format]
        errors["file"] = [WRONG_SOURCE_MESSAGE.format(found=found, chosen=AttendanceSource(source).label,
                                                      found_short="Zoom" if source == "teams" else "Teams")]
    if errors:
        raise ValidationError(errors)
    rows = report_rows(session, report, by=actor.user)
    attendance = AttendanceImport.objects.create(session=session, source=source, filename=filename[:255],
                                                 report=rows, uploaded_by=actor.user)
    audit.record(actor, Action.CREATE, attendance, details={
        "session": str(session.public_id), "rows": len(rows), "proposed": len(proposals(rows))})
    return attendance


def _local(moment):
    return timezone.localtime(moment, LONDON).replace(tzinfo=None)


def report_rows(session: TrainingSession, report: attendance_reports.Report, by=None) -> list[dict]:
    """Each row of the report with its outcome in words and the minutes proposed (on the row that
    carries each apprentice's total). Four queries whatever the number of rows."""
    checks, people = attendance_reports.check_rows(
        report.rows, starts=_local(session.starts_at), ends=_local(session.ends_at), grace=GRACE,
        one_row_each=report.format == attendance_reports.TEAMS)
    attendees = list(session.attendees.select_related("apprenticeship__apprentice"))
    by_key = {}
    for attendee in attendees:
        apprentice = attendee.apprenticeship.apprentice
        by_key[apprentice.email.lower()] = attendee
        if not report.has_emails:
            by_key.setdefault(apprentice.full_name.casefold(), attendee)
    known = _provider_people(session, {person.email for person in people.values() if person.email})
    recorded = set(OffTheJobEntry.objects.filter(session=session).values_list("apprenticeship_id", flat=True))
    counts = rules.counts_as_otj(session.activity_type)
    today = timezone.localdate()
    rows = []
    for check in checks:
        row = check.row
        entry = {"row": row.row_number, "name": row.name, "email": row.email, "outcome": check.outcome,
                 "detail": check.detail, "minutes": None, "otj": False, "attendee": None, "apprenticeship": None}
        if check.outcome == COUNTED:
            person = people[row.email or row.name.casefold()]
            _decide(entry, person, by_key.get(person.key), known, recorded, counts, session, today, by)
        rows.append(entry)
    return rows


def _provider_people(session: TrainingSession, emails: set[str]) -> dict[str, str]:
    """Emails in the report of the provider's own people: {email: "staff"} for its coaches and the
    organiser, {email: apprentice's name} for apprentices of the provider (invited or not)."""
    found = {session.organiser.email.lower(): "staff"}
    staff = get_user_model().objects.filter(email__in=emails, memberships__organisation=session.provider,
                                            memberships__ended_at__isnull=True).values_list("email", flat=True)
    found.update({email.lower(): "staff" for email in staff})
    for email, name in Apprenticeship.objects.filter(provider=session.provider, apprentice__email__in=emails) \
            .values_list("apprentice__email", "apprentice__full_name"):
        found.setdefault(email.lower(), name)
    return found


def _decide(entry, person, attendee, known, recorded, counts, session, today, by=None) -> None:
    if len(person.row_numbers) > 1:
        entry["detail"] = COMBINED_ROWS_WORDS.format(rows=", ".join(map(str, person.row_numbers))).strip()
    if attendee is None:
        who = known.get(person.email)
        entry["outcome"] = NOT_APPRENTICE if who == "staff" else UNKNOWN_EMAIL
        entry["detail"] = (STAFF_WORDS if who == "staff" else UNINVITED_WORDS.format(name=who) if who
                           else UNKNOWN_WORDS if person.email else UNKNOWN_NAME_WORDS)
        return
    apprenticeship = attendee.apprenticeship
    name = apprenticeship.apprentice.full_name
    entry.update(attendee=attendee.pk, apprenticeship=str(apprenticeship.public_id))
    if apprenticeship.status in ("withdrawn", "completed"):
        entry.update(outcome=LOCKED, detail=LOCKED_WORDS.format(name=name, status=apprenticeship.get_status_display()
                                                                .lower()))
        return
    if attendee.attended_minutes is not None or apprenticeship.pk in recorded:
        entry.update(outcome=ALREADY_RECORDED, detail=ALREADY_WORDS.format(name=name))
        return
    minutes = person.minutes
    entry["minutes"] = minutes
    capped = CAPPED_WORDS if person.capped else ""
    combined = (" " + entry["detail"]) if entry["detail"] else ""
    if not counts:
        entry.update(outcome=NO_OTJ, detail=NO_OTJ_ACTIVITY_WORDS.format(
            minutes=minutes, activity=rules.ACTIVITY_LABELS[rules.ActivityType(session.activity_type)].lower())
            + capped + combined)
        return
    if minutes < 1:
        entry.update(outcome=NO_OTJ, detail=UNDER_A_MINUTE_WORDS + combined)
        return
    refused = rules.otj_entry_errors(london_date(session.starts_at), minutes, today, apprenticeship.gateway_date,
                                     start=apprenticeship.start_date)
    if refused:
        why = " ".join(message for messages in refused.values() for message in messages)
        entry.update(outcome=NO_OTJ, detail=OTJ_REFUSED_WORDS.format(minutes=minutes, why=why) + capped + combined)
        return
    words = COUNTED_WORDS if by is None or _coaches(by, apprenticeship) else FOR_THEIR_COACH_WORDS
    entry.update(otj=True, detail=words.format(minutes=minutes, name=name) + capped + combined)


def _coaches(user, apprenticeship: Apprenticeship) -> bool:
    """Whether `user` approves this apprenticeship's OTJ (its coach, §4 evidence checked by the
    provider). Only the organiser imports attendance; when an invited apprentice is coached by
    someone else (their coach changed since they were invited), their entries wait for their own
    coach, as an apprentice's entry would."""
    return apprenticeship.coach_id == user.pk


def proposals(rows: list[dict]) -> list[dict]:
    """The rows that confirming would save: an apprentice's attended minutes, and OTJ when `otj`."""
    return [row for row in rows if row["attendee"] and row["minutes"] is not None and row["outcome"] in (COUNTED,
                                                                                                        NO_OTJ)]


@transaction.atomic
def confirm_import(*, actor: Actor, attendance: AttendanceImport) -> list[OffTheJobEntry]:
    """Save every proposed row or none: attended minutes, OTJ entries with revision 1 (approved for
    apprentices the actor coaches, else submitted to their own coach)."""
    session = attendance.session
    require_organiser(actor, session)
    attendance = AttendanceImport.objects.select_for_update().get(pk=attendance.pk)
    if attendance.status != ImportStatus.PROPOSED:
        raise ImportConflict(NOT_PROPOSED_MESSAGE.format(status=attendance.get_status_display().lower()))
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    chosen = proposals(attendance.report)
    if not chosen:
        raise ValidationError(NOTHING_MESSAGE)
    attendees = {a.pk: a for a in SessionAttendee.objects.select_for_update().filter(
        session=session, pk__in=[row["attendee"] for row in chosen]).select_related("apprenticeship")}
    _recheck(session, chosen, attendees, checked_at=attendance.created_at)
    now, today = timezone.now(), london_date(session.starts_at)
    entries = []
    for row in chosen:
        attendee = attendees[row["attendee"]]
        attendee.attended_minutes = row["minutes"]
        if row["otj"]:
            approve = _coaches(actor.user, attendee.apprenticeship)
            entries.append(OffTheJobEntry(
                apprenticeship=attendee.apprenticeship, entry_date=today, minutes=row["minutes"],
                activity_type=session.activity_type, what_learned=_what_learned(session),
                status=OtjStatus.APPROVED if approve else OtjStatus.SUBMITTED,
                source=OtjSource.ATTENDANCE_IMPORT, session=session, attendance_import=attendance,
                created_by=actor.user, decided_by=actor.user if approve else None, decided_at=now if approve else None))
    SessionAttendee.objects.bulk_update(list(attendees.values()), ["attended_minutes"])
    entries = OffTheJobEntry.objects.bulk_create(entries)
    OffTheJobRevision.objects.bulk_create([
        OffTheJobRevision(entry=entry, number=1, event=OtjEvent.CREATED, snapshot=entry.snapshot([]),
                          changed_by=actor.user, changed_at=now) for entry in entries])
    attendance.status, attendance.confirmed_by, attendance.confirmed_at = ImportStatus.CONFIRMED, actor.user, now
    attendance.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    audit.record(actor, Action.UPDATE, attendance, details={
        "status": ImportStatus.CONFIRMED, "attendees": len(chosen), "otj_entries": [str(e.public_id) for e in entries]})
    return entries


def _recheck(session: TrainingSession, chosen: list[dict], attendees: dict, *, checked_at) -> None:
    """ValidationError when anything a proposed row relied on changed since it was checked."""
    if session.cancelled_at:
        raise ValidationError(STALE_MESSAGE.format(why="the session was cancelled"))
    if session.updated_at > checked_at:  # its times or kind: rows' minutes and OTJ were judged against the old ones
        raise ValidationError(STALE_MESSAGE.format(why="the session was changed"))
    if len(attendees) != len({row["attendee"] for row in chosen}):
        raise ValidationError(STALE_MESSAGE.format(why="an apprentice was removed from the session"))
    recorded = set(OffTheJobEntry.objects.filter(session=session, apprenticeship__in=[
        a.apprenticeship_id for a in attendees.values()]).values_list("apprenticeship_id", flat=True))
    today = timezone.localdate()
    for row in chosen:
        attendee = attendees[row["attendee"]]
        apprenticeship = attendee.apprenticeship
        if attendee.attended_minutes is not None or apprenticeship.pk in recorded:
            raise ValidationError(STALE_MESSAGE.format(why="attendance was recorded from another report"))
        if apprenticeship.status in ("withdrawn", "completed"):
            raise ValidationError(STALE_MESSAGE.format(why="an apprenticeship was closed"))
        if row["otj"] and rules.otj_entry_errors(london_date(session.starts_at), row["minutes"], today,
                                                 apprenticeship.gateway_date, start=apprenticeship.start_date):
            raise ValidationError(STALE_MESSAGE.format(why="an apprenticeship's gateway or dates changed"))


def _what_learned(session: TrainingSession) -> str:
    return f"{session.title}\n\n{session.description}".strip()


@transaction.atomic
def discard_import(*, actor: Actor, attendance: AttendanceImport) -> AttendanceImport:
    """Set a proposed import aside: nothing from it is saved; the report is kept."""
    require_organiser(actor, attendance.session)
    attendance = AttendanceImport.objects.select_for_update().get(pk=attendance.pk)
    if attendance.status != ImportStatus.PROPOSED:
        raise ImportConflict(NOT_PROPOSED_MESSAGE.format(status=attendance.get_status_display().lower()))
    attendance.status = ImportStatus.DISCARDED
    attendance.save(update_fields=["status", "updated_at"])
    audit.record(actor, Action.UPDATE, attendance, details={"status": ImportStatus.DISCARDED})
    return attendance
