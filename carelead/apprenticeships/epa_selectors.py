"""Reads of end-point assessment attempts (issue 6), scoped by `selectors.apprenticeships_for`, and the
overall result computed from them by the rule in `epa.py` (§2.3, §2.4): never stored, so a corrected
rule corrects every result shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.shortcuts import get_object_or_404

from carelead.apprenticeships import epa, selectors
from carelead.apprenticeships.models import EpaAttempt, EpaAttemptKind, EpaGrade, EpaMethod

METHODS = (EpaMethod.OBSERVATION, EpaMethod.DISCUSSION)
WAITING_FOR = "Not graded yet: waiting for the result of the {methods}."
NOT_PLANNED = "Not graded yet: the {methods} {verb} not planned yet."
GRADED = "{grade}, by the combination rule{capped}."
CAPPED = " (capped at Pass because a method was resat or retaken)"


def attempts_of(apprenticeship) -> list[EpaAttempt]:
    """Every attempt at either method, in the order they were planned (each after the last was graded): one query."""
    return list(EpaAttempt.objects.filter(apprenticeship=apprenticeship).select_related("recorded_by")
                .order_by("method", "id"))


def attempt_for(user, public_id: UUID) -> EpaAttempt:
    """One attempt on an apprenticeship in the user's reach; 404 otherwise."""
    return get_object_or_404(
        EpaAttempt.objects.filter(apprenticeship__in=selectors.apprenticeships_for(user).values("pk"))
        .select_related("apprenticeship__apprentice", "apprenticeship__coach", "apprenticeship__employer",
                        "apprenticeship__provider"), public_id=public_id)


@dataclass(frozen=True)
class MethodRow:
    method: str
    label: str
    attempts: list
    latest: EpaAttempt | None
    resit_deadline: date | None  # when the latest attempt failed and the fail was notified


@dataclass(frozen=True)
class EpaResult:
    """The overall grade by the rule, or why there is none yet, and each method's attempts."""

    overall: str | None
    status: str
    after_resit_or_retake: bool
    methods: list[MethodRow] = field(default_factory=list)

    @property
    def overall_label(self) -> str:
        return EpaGrade(self.overall).label if self.overall else "Not graded yet"


def _names(methods: list[str]) -> str:
    labels = [EpaMethod(method).label.lower() for method in methods]
    return " and the ".join(labels)


def epa_result(attempts: list[EpaAttempt]) -> EpaResult:
    """The overall grade from the latest attempt of each method (§2.3 [I]), capped at Pass after any
    resit or retake (§2.4); no queries: pass `attempts_of(...)`."""
    rows = []
    for method in METHODS:
        own = [attempt for attempt in attempts if attempt.method == method]
        latest = own[-1] if own else None
        deadline = (epa.resit_deadline(latest.fail_notified_on)
                    if latest and latest.grade == EpaGrade.FAIL and latest.fail_notified_on else None)
        rows.append(MethodRow(method, EpaMethod(method).label, own, latest, deadline))
    after_resit = any(attempt.kind != EpaAttemptKind.FIRST for attempt in attempts)
    unplanned = [row.method for row in rows if row.latest is None]
    ungraded = [row.method for row in rows if row.latest is not None and not row.latest.grade]
    if unplanned:
        return EpaResult(None, NOT_PLANNED.format(methods=_names(unplanned), verb="is" if len(unplanned) == 1
                                                  else "are"), after_resit, rows)
    if ungraded:
        return EpaResult(None, WAITING_FOR.format(methods=_names(ungraded)), after_resit, rows)
    overall = epa.overall_epa_grade(observation=rows[0].latest.grade, discussion=rows[1].latest.grade,
                                    after_resit_or_retake=after_resit)
    uncapped = epa.overall_epa_grade(observation=rows[0].latest.grade, discussion=rows[1].latest.grade)
    status = GRADED.format(grade=EpaGrade(overall).label, capped=CAPPED if overall != uncapped else "")
    return EpaResult(overall, status, after_resit, rows)


def rule_rows() -> list[dict]:
    """The combination rule as rows for a page or the API: the data in epa.py, in words."""
    def word(grade: str) -> str:
        return "Any" if grade == epa.ANY else EpaGrade(grade).label

    return [{"observation": word(row.observation), "discussion": word(row.discussion), "overall": word(row.overall),
             "inferred": row.inferred, "note": row.note} for row in epa.COMBINATION_RULE]
