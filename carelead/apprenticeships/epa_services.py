"""Writes of end-point assessment attempts (issue 6, reference/apprenticeship-standard.md §2.2–2.4).

For now the provider's coach (the PROVIDER party) records what the independent assessor decided; the
EPA assessor role with time-limited access comes later. Every write checks the party again (the API
reaches these without a page), refuses a withdrawn or completed apprenticeship, is atomic and audited.

Decisions carelead takes:
- Nothing is planned before the gateway date is recorded; the observation is at least 4 weeks after
  gateway (§2.2), the professional discussion on or after it.
- Each method has one open attempt at a time: a new one is planned only after the last is graded,
  and then only as a resit or retake of a fail (no resit to improve a pass, §2.4). A resit or retake
  is planned and held within 3 months of the fail being notified (§2.4), so a fail is recorded with
  the date it was notified.
- A recorded grade is final here: correcting one needs the EPAO's word and comes with completion.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import epa
from carelead.apprenticeships.models import Apprenticeship, EpaAttempt, EpaAttemptKind, EpaGrade, EpaMethod, Party
from carelead.apprenticeships.parties import require_open, require_party
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action

NO_GATEWAY = "Record the gateway date first: the end-point assessment cannot be planned before gateway."
DISCUSSION_BEFORE_GATEWAY = "The professional discussion must be on or after the gateway date ({gateway})."
FIRST_ALREADY = ("There is already an attempt at the {method}: a new attempt can only be a resit or retake after "
                 "a fail.")
NEEDS_FIRST = "There is no attempt at the {method} yet: plan a first attempt."
LAST_NOT_GRADED = "The last attempt at the {method} has no result yet: record it before planning another."
ALREADY_PASSED = ("The {method} is already passed: a resit or retake follows a fail, and a pass cannot be resat to "
                  "get a distinction.")
FAIL_NOT_NOTIFIED = "Record when the fail was notified before planning a resit or retake."
ALREADY_GRADED = "This attempt already has a result. Ask the end-point assessment organisation about a correction."
HELD_IN_FUTURE = "The date held cannot be in the future."
NOTIFIED_REQUIRED = "Enter the date the fail was notified: the 3 months for a resit or retake count from it."
NOTIFIED_ONLY_FOR_FAIL = "Only a fail has a date the fail was notified."
NOTIFIED_BEFORE_HELD = "The fail cannot be notified before the assessment was held."
NOTIFIED_IN_FUTURE = "The date the fail was notified cannot be in the future."
UNKNOWN_METHOD = "Select the observation of practice or the professional discussion."
UNKNOWN_KIND = "Select a first attempt, a resit or a retake."


def _long(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _method_name(method: str) -> str:
    return EpaMethod(method).label.lower()


def _previous(apprenticeship: Apprenticeship, method: str, *, before: EpaAttempt | None = None) -> EpaAttempt | None:
    attempts = EpaAttempt.objects.filter(apprenticeship=apprenticeship, method=method)
    if before is not None:  # attempts follow one another (a new one only after the last is graded)
        attempts = attempts.filter(id__lt=before.pk)
    return attempts.order_by("-id").first()


def _date_errors(apprenticeship: Apprenticeship, method: str, day: date, previous: EpaAttempt | None,
                 kind: str) -> list[str]:
    """Why an attempt at `method` cannot be on `day`: gateway (§2.2) and the resit limit (§2.4)."""
    gateway = apprenticeship.gateway_date
    if gateway is None:
        return [NO_GATEWAY]
    if method == EpaMethod.OBSERVATION:
        errors = epa.observation_date_errors(gateway, day)
    else:
        errors = [DISCUSSION_BEFORE_GATEWAY.format(gateway=_long(gateway))] if day < gateway else []
    if not errors and kind != EpaAttemptKind.FIRST and previous is not None and previous.fail_notified_on:
        errors = epa.resit_date_errors(fail_notified_on=previous.fail_notified_on, attempt_on=day)
    return errors


def _kind_errors(method: str, kind: str, previous: EpaAttempt | None) -> list[str]:
    name = _method_name(method)
    if previous is None:
        return [] if kind == EpaAttemptKind.FIRST else [NEEDS_FIRST.format(method=name)]
    if not previous.grade:
        return [LAST_NOT_GRADED.format(method=name)]
    if previous.grade != EpaGrade.FAIL:
        return [ALREADY_PASSED.format(method=name)]
    if kind == EpaAttemptKind.FIRST:
        return [FIRST_ALREADY.format(method=name)]
    return [] if previous.fail_notified_on else [FAIL_NOT_NOTIFIED]


@transaction.atomic
def plan_epa_attempt(*, actor: Actor, apprenticeship: Apprenticeship, method: str, planned_on: date,
                     kind: str = EpaAttemptKind.FIRST, assessor_name: str = "") -> EpaAttempt:
    """The coach plans an attempt at one method: a first attempt, or a resit or retake of a fail within
    3 months of its notification (§2.4); the observation at least 4 weeks after gateway (§2.2)."""
    require_party(actor, apprenticeship, Party.PROVIDER)
    require_open(apprenticeship)
    if method not in EpaMethod.values:
        raise ValidationError({"method": [UNKNOWN_METHOD]})
    if kind not in EpaAttemptKind.values:
        raise ValidationError({"kind": [UNKNOWN_KIND]})
    Apprenticeship.objects.select_for_update().filter(pk=apprenticeship.pk).first()  # one planner at a time
    previous = _previous(apprenticeship, method)
    kind_errors = _kind_errors(method, kind, previous)
    if kind_errors:
        raise ValidationError({"kind": kind_errors})
    date_errors = _date_errors(apprenticeship, method, planned_on, previous, kind)
    if date_errors:
        raise ValidationError({"planned_on": date_errors})
    attempt = EpaAttempt(apprenticeship=apprenticeship, method=method, kind=kind, planned_on=planned_on,
                         assessor_name=assessor_name.strip(), recorded_by=actor.user)
    attempt.full_clean()
    attempt.save()
    audit.record(actor, Action.CREATE, attempt, details={"apprenticeship": str(apprenticeship.public_id),
                                                         "method": method, "kind": kind})
    return attempt


def _result_errors(attempt: EpaAttempt, *, held_on: date, grade: str, fail_notified_on: date | None,
                   today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        epa.check_method_grade(attempt.method, grade)
    except ValueError:
        allowed = " or ".join(EpaGrade(each).label for each in epa.method_grades(attempt.method).grades)
        errors["grade"] = [f"Select {allowed}: the {_method_name(attempt.method)} is graded {allowed}."]
    if held_on > today:
        errors["held_on"] = [HELD_IN_FUTURE]
    else:
        previous = _previous(attempt.apprenticeship, attempt.method, before=attempt)
        held_errors = _date_errors(attempt.apprenticeship, attempt.method, held_on, previous, attempt.kind)
        if held_errors:
            errors["held_on"] = held_errors
    if grade == EpaGrade.FAIL and fail_notified_on is None:
        errors["fail_notified_on"] = [NOTIFIED_REQUIRED]
    elif grade != EpaGrade.FAIL and fail_notified_on is not None:
        errors["fail_notified_on"] = [NOTIFIED_ONLY_FOR_FAIL]
    elif fail_notified_on is not None and fail_notified_on > today:
        errors["fail_notified_on"] = [NOTIFIED_IN_FUTURE]
    elif fail_notified_on is not None and fail_notified_on < held_on:
        errors["fail_notified_on"] = [NOTIFIED_BEFORE_HELD]
    return errors


@transaction.atomic
def record_epa_result(*, actor: Actor, attempt: EpaAttempt, held_on: date, grade: str,
                      fail_notified_on: date | None = None, assessor_name: str | None = None,
                      today: date | None = None) -> EpaAttempt:
    """The coach records the assessor's grade for an attempt: a grade the method can give (§2.3), held
    on a date its rules allow, and for a fail the date it was notified (§2.4). Once recorded it is final."""
    apprenticeship = attempt.apprenticeship
    require_party(actor, apprenticeship, Party.PROVIDER)
    require_open(apprenticeship)
    attempt = EpaAttempt.objects.select_for_update().select_related("apprenticeship").get(pk=attempt.pk)
    if attempt.grade:
        raise ValidationError(ALREADY_GRADED)
    errors = _result_errors(attempt, held_on=held_on, grade=grade, fail_notified_on=fail_notified_on,
                            today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    attempt.held_on, attempt.grade, attempt.fail_notified_on = held_on, grade, fail_notified_on
    changed = ["held_on", "grade", "fail_notified_on"]
    if assessor_name is not None and assessor_name.strip() != attempt.assessor_name:
        attempt.assessor_name = assessor_name.strip()
        changed.append("assessor_name")
    attempt.full_clean()
    attempt.save(update_fields=[*changed, "updated_at"])
    audit.record(actor, Action.UPDATE, attempt, details={"apprenticeship": str(apprenticeship.public_id),
                                                         "fields": changed})
    return attempt
