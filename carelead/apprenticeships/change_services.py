"""Writes that change an apprenticeship's programme (issue 5): breaks in learning, returns and
withdrawals; contracted hours; the enrolment details.

A break, a return or a withdrawal is requested by the coach or the employer, approved or rejected by
someone else of those parties (never the requester: the database refuses it too), then processed by
the provider, which changes the apprenticeship's status. A withdrawn or completed apprenticeship is
locked: every service here calls parties.require_open first. Each write is audited, atomically.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import parties
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, ChangeKind, ChangeStatus, EnglishMaths, Party, ProgrammeChange, WeeklyHours,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.services import save_versioned

KIND_NEEDS_STATUS = {
    ChangeKind.BREAK_IN_LEARNING: {ApprenticeshipStatus.ACTIVE},
    ChangeKind.RETURN_TO_LEARNING: {ApprenticeshipStatus.BREAK_IN_LEARNING},
    ChangeKind.WITHDRAWAL: {ApprenticeshipStatus.ACTIVE, ApprenticeshipStatus.BREAK_IN_LEARNING},
}
KIND_STATUS_MESSAGE = {
    ChangeKind.BREAK_IN_LEARNING: "A break in learning can start only while the apprenticeship is active.",
    ChangeKind.RETURN_TO_LEARNING: "A return can be asked for only during a break in learning.",
    ChangeKind.WITHDRAWAL: "Only an active apprenticeship, or one on a break, can be withdrawn.",
}
KIND_MESSAGE = "Choose a break in learning, a return from a break, or a withdrawal."
OPEN_REQUEST_MESSAGE = "A {kind} is already waiting to be approved or processed: deal with it first."
REASON_MESSAGE = "Enter the reason"
EFFECTIVE_MESSAGE = "Enter the date it takes effect"
EFFECTIVE_BEFORE_START = "The date it takes effect must be on or after the start date, {start}."
EXPECTED_RETURN_MESSAGE = "Enter the expected return date"
EXPECTED_RETURN_ORDER = "The expected return must be after the date the break starts."
RETURN_BEFORE_BREAK = "The return must be after the break began on {start}."
OWN_REQUEST_MESSAGE = "You asked for this change, so someone else must approve or reject it."
NOT_WAITING_MESSAGE = "This change has already been decided."
COMMENT_MESSAGE = "Enter why it is not approved"
NOT_APPROVED_MESSAGE = "Only an approved change can be processed."
NEW_END_MESSAGE = "The new planned end must be after the return date."
HOURS_DATE_TAKEN = "Contracted hours from {date} are already recorded: choose another date."
HOURS_DATE_OUTSIDE = "Enter a date from the start, {start}, to the planned end, {end}."
HOURS_MESSAGE = "Enter hours a week from 0.5 to 168"
DECISION_MESSAGE = "Say whether the change is approved"
STALE_ENROLMENT_MESSAGE = ("Someone else changed these enrolment details while you were editing them. The form "
                           "now shows what they saved: check it, then make your changes again.")


def _fmt(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _last_break(apprenticeship: Apprenticeship) -> ProgrammeChange | None:
    return apprenticeship.programme_changes.filter(
        kind=ChangeKind.BREAK_IN_LEARNING, status=ChangeStatus.PROCESSED).order_by("-effective_date").first()


@transaction.atomic
def request_change(*, actor: Actor, apprenticeship: Apprenticeship, kind: str, reason: str,
                   effective_date: date | None, expected_return: date | None = None) -> ProgrammeChange:
    """The coach or the employer asks for a break in learning, a return from one, or a withdrawal."""
    parties.require_party(actor, apprenticeship, Party.PROVIDER, Party.EMPLOYER)
    parties.require_open(apprenticeship)
    Apprenticeship.objects.select_for_update().filter(pk=apprenticeship.pk).first()
    errors: dict[str, list[str]] = {}
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": [KIND_MESSAGE]})
    waiting = apprenticeship.programme_changes.filter(
        status__in=[ChangeStatus.REQUESTED, ChangeStatus.APPROVED]).first()
    if waiting is not None:
        raise ValidationError(OPEN_REQUEST_MESSAGE.format(kind=waiting.get_kind_display().lower()))
    if apprenticeship.status not in KIND_NEEDS_STATUS[kind]:
        errors["kind"] = [KIND_STATUS_MESSAGE[kind]]
    if not (reason or "").strip():
        errors["reason"] = [REASON_MESSAGE]
    if effective_date is None:
        errors["effective_date"] = [EFFECTIVE_MESSAGE]
    elif effective_date < apprenticeship.start_date:
        errors["effective_date"] = [EFFECTIVE_BEFORE_START.format(start=_fmt(apprenticeship.start_date))]
    if kind == ChangeKind.BREAK_IN_LEARNING:
        if expected_return is None:
            errors["expected_return"] = [EXPECTED_RETURN_MESSAGE]
        elif effective_date and expected_return <= effective_date:
            errors["expected_return"] = [EXPECTED_RETURN_ORDER]
    else:
        expected_return = None
    began = _last_break(apprenticeship) if kind == ChangeKind.RETURN_TO_LEARNING else None
    if began and effective_date and effective_date <= began.effective_date and "effective_date" not in errors:
        errors["effective_date"] = [RETURN_BEFORE_BREAK.format(start=_fmt(began.effective_date))]
    if errors:
        raise ValidationError(errors)
    change = ProgrammeChange.objects.create(
        apprenticeship=apprenticeship, kind=kind, reason=reason.strip(), effective_date=effective_date,
        expected_return=expected_return, requested_by=actor.user)
    audit.record(actor, Action.CREATE, change, details={"kind": kind, "apprenticeship": str(apprenticeship.public_id)})
    return change


@transaction.atomic
def decide_change(*, actor: Actor, change: ProgrammeChange, approve: bool | None, comment: str = "") -> ProgrammeChange:
    """Someone other than the requester, the coach or an employer party, approves or rejects it."""
    apprenticeship = change.apprenticeship
    parties.require_party(actor, apprenticeship, Party.PROVIDER, Party.EMPLOYER)
    parties.require_open(apprenticeship)
    change = ProgrammeChange.objects.select_for_update().get(pk=change.pk)
    if change.requested_by_id == actor.user.pk:
        raise ValidationError(OWN_REQUEST_MESSAGE)
    if change.status != ChangeStatus.REQUESTED:
        raise ValidationError(NOT_WAITING_MESSAGE)
    if approve is None:
        raise ValidationError({"approve": [DECISION_MESSAGE]})
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": [COMMENT_MESSAGE]})
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
    change.decided_by, change.decided_at, change.decision_comment = actor.user, timezone.now(), comment
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    audit.record(actor, Action.UPDATE, change, details={"status": change.status})
    return change


def default_new_end(change: ProgrammeChange) -> date | None:
    """For a return: the old planned end moved on by the length of the break (from the day the break
    began to the day of the return); the coach may enter another date."""
    if change.kind != ChangeKind.RETURN_TO_LEARNING:
        return None
    began = _last_break(change.apprenticeship)
    if began is None or change.effective_date <= began.effective_date:
        return change.apprenticeship.practical_period_end
    return change.apprenticeship.practical_period_end + (change.effective_date - began.effective_date)


NEW_STATUS = {
    ChangeKind.BREAK_IN_LEARNING: ApprenticeshipStatus.BREAK_IN_LEARNING,
    ChangeKind.RETURN_TO_LEARNING: ApprenticeshipStatus.ACTIVE,
    ChangeKind.WITHDRAWAL: ApprenticeshipStatus.WITHDRAWN,
}


@transaction.atomic
def process_change(*, actor: Actor, change: ProgrammeChange,
                   new_practical_period_end: date | None = None) -> ProgrammeChange:
    """The provider applies an approved change: a break puts the apprenticeship on a break in
    learning, a return makes it active with a new planned end, a withdrawal withdraws (and locks) it."""
    apprenticeship = change.apprenticeship
    parties.require_party(actor, apprenticeship, Party.PROVIDER)
    parties.require_open(apprenticeship)
    change = ProgrammeChange.objects.select_for_update().select_related("apprenticeship").get(pk=change.pk)
    apprenticeship = change.apprenticeship
    if change.status != ChangeStatus.APPROVED:
        raise ValidationError(NOT_APPROVED_MESSAGE)
    if apprenticeship.status not in KIND_NEEDS_STATUS[change.kind]:
        raise ValidationError(KIND_STATUS_MESSAGE[change.kind])
    fields = ["status"]
    apprenticeship.status = NEW_STATUS[change.kind]
    if change.kind == ChangeKind.RETURN_TO_LEARNING:
        new_end = new_practical_period_end or default_new_end(change)
        if new_end <= change.effective_date:
            raise ValidationError({"new_practical_period_end": [NEW_END_MESSAGE]})
        change.new_practical_period_end = apprenticeship.practical_period_end = new_end
        fields.append("practical_period_end")
    save_versioned(apprenticeship, seen_version=apprenticeship.version, fields=fields)
    change.status, change.processed_by, change.processed_at = ChangeStatus.PROCESSED, actor.user, timezone.now()
    change.save(update_fields=["status", "processed_by", "processed_at", "new_practical_period_end", "updated_at"])
    audit.record(actor, Action.UPDATE, change, details={"status": change.status})
    audit.record(actor, Action.UPDATE, apprenticeship, details={"fields": fields, "change": str(change.public_id)})
    return change


# --- Contracted hours and enrolment details ------------------------------------------------------


@transaction.atomic
def record_weekly_hours(*, actor: Actor, apprenticeship: Apprenticeship, hours: Decimal | None,
                        from_date: date | None) -> WeeklyHours:
    """The coach or the employer records new contracted weekly hours from a date; the history is kept."""
    parties.require_party(actor, apprenticeship, Party.PROVIDER, Party.EMPLOYER)
    parties.require_open(apprenticeship)
    errors: dict[str, list[str]] = {}
    start, end = apprenticeship.start_date, apprenticeship.practical_period_end
    if from_date is None:
        errors["from_date"] = [EFFECTIVE_MESSAGE]
    elif not start <= from_date <= end:
        errors["from_date"] = [HOURS_DATE_OUTSIDE.format(start=_fmt(start), end=_fmt(end))]
    elif apprenticeship.weekly_hours.filter(from_date=from_date).exists():
        errors["from_date"] = [HOURS_DATE_TAKEN.format(date=_fmt(from_date))]
    if hours is None or not Decimal("0.5") <= Decimal(hours) <= Decimal(168):
        errors["hours"] = [HOURS_MESSAGE]
    if errors:
        raise ValidationError(errors)
    entry = WeeklyHours.objects.create(apprenticeship=apprenticeship, hours=hours, from_date=from_date)
    audit.record(actor, Action.UPDATE, apprenticeship, details={"weekly_hours_from": from_date.isoformat()})
    return entry


ENROLMENT_FIELDS = ["practical_period_end", "epao_name", "epao_named_on", "english_maths",
                    "english_maths_decision", "rpl_hours"]


@transaction.atomic
def update_enrolment(*, actor: Actor, apprenticeship: Apprenticeship, seen_version: int,
                     practical_period_end: date | None, epao_name: str, english_maths: str,
                     english_maths_decision: str, rpl_hours: Decimal) -> Apprenticeship:
    """The coach changes the planned end, the EPAO, English and maths or recognised prior learning;
    a save over someone else's since `seen_version` is refused (StaleEdit), never silently kept."""
    parties.require_party(actor, apprenticeship, Party.PROVIDER)
    parties.require_open(apprenticeship)
    before = {name: getattr(apprenticeship, name) for name in ENROLMENT_FIELDS}
    epao_name = (epao_name or "").strip()
    apprenticeship.practical_period_end = practical_period_end
    apprenticeship.english_maths = english_maths
    apprenticeship.english_maths_decision = (english_maths_decision or "").strip()
    apprenticeship.rpl_hours = rpl_hours if rpl_hours is not None else Decimal(0)
    if epao_name != before["epao_name"]:
        apprenticeship.epao_named_on = timezone.localdate() if epao_name else None
    apprenticeship.epao_name = epao_name
    if english_maths not in EnglishMaths.values:
        raise ValidationError({"english_maths": ["Select English and maths"]})
    apprenticeship.full_clean(exclude=["apprentice", "employer", "provider", "coach", "standard_version",
                                       "created_by", "employer_contacts"])
    try:
        save_versioned(apprenticeship, seen_version=seen_version, fields=ENROLMENT_FIELDS)
    except StaleEdit:
        raise StaleEdit(STALE_ENROLMENT_MESSAGE) from None
    after = {name: getattr(apprenticeship, name) for name in ENROLMENT_FIELDS}
    audit.record(actor, Action.UPDATE, apprenticeship, details={"fields": audit.changed_fields(before, after)})
    return apprenticeship
