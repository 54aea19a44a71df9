"""End-point assessment rules as pure functions and data (reference/apprenticeship-standard.md §2.2–2.4).

Stdlib only: importable and tested with no Django set up; re-exported from `rules`.

- §2.3: the grades each method can give and the combination rule are DATA (`METHOD_GRADES`,
  `COMBINATION_RULE`), because parts of them are inferred ([I] in the reference) from the sibling
  Leader in Adult Care standard (ST0008): an EPAO's support pack may correct them by passing its own
  rows. Each part carries `inferred` and a short note the pages show.
- §2.4: a resit or retake caps the overall grade at Pass, and must be held within 3 calendar months
  of the fail notification.
- §2.2: the observation is planned no earlier than 4 weeks (28 days) after gateway.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

FAIL, PASS, DISTINCTION = "fail", "pass", "distinction"
GRADES = (FAIL, PASS, DISTINCTION)  # worst to best
GRADE_LABELS = {FAIL: "Fail", PASS: "Pass", DISTINCTION: "Distinction"}
OBSERVATION, DISCUSSION = "observation", "discussion"
ANY = "any"  # a combination row's wildcard: any grade that method can give

RESIT_LIMIT_MONTHS = 3  # §2.4 [S]: TQUK resit page, nationalepa
OBSERVATION_NOT_BEFORE_DAYS = 28  # §2.2 [S]: 4 weeks after gateway to prepare
CAP_AFTER_RESIT = PASS  # §2.4 [S]: no resit or retake to improve Pass to Distinction

INFERRED_NOTE = (
    "Parts of this rule are inferred: the end-point assessment plan for this standard was not available, so the "
    "grades each method can give and how they combine follow the sibling Leader in Adult Care standard (ST0008). "
    "Check them against your end-point assessment organisation’s pack."
)

UNKNOWN_METHOD = "Unknown assessment method: {method!r}"
IMPOSSIBLE_GRADE = "{label} cannot be graded {grade!r}: it is graded {allowed}"
NO_RULE_ROW = ("The combination rule gives no overall grade for observation {observation!r} and discussion "
               "{discussion!r}")
OBSERVATION_TOO_EARLY = ("The observation must be at least 4 weeks after gateway ({gateway}): "
                         "plan it on or after {earliest}.")
RESIT_BEFORE_FAIL = "A resit or retake cannot be before the fail was notified ({notified})."
RESIT_TOO_LATE = ("A resit or retake must be held within 3 months of the fail being notified, by {deadline}. "
                  "After that the whole end-point assessment is taken again.")


@dataclass(frozen=True)
class MethodGrades:
    """The grades one assessment method can give (§2.3)."""

    method: str
    label: str
    grades: tuple[str, ...]
    inferred: bool
    note: str


@dataclass(frozen=True)
class CombinationRow:
    """One row of the combination rule: these method grades give this overall grade (§2.3)."""

    observation: str  # a grade or ANY
    discussion: str  # a grade or ANY
    overall: str
    inferred: bool
    note: str

    def matches(self, observation: str, discussion: str) -> bool:
        return self.observation in (ANY, observation) and self.discussion in (ANY, discussion)


METHOD_GRADES: tuple[MethodGrades, ...] = (
    MethodGrades(OBSERVATION, "Observation of practice", (FAIL, PASS), inferred=True,
                 note="Fail or Pass only, as in the sibling Leader in Adult Care standard (ST0008)."),
    MethodGrades(DISCUSSION, "Professional discussion", (FAIL, PASS, DISTINCTION), inferred=True,
                 note="Fail, Pass or Distinction, as in the sibling Leader in Adult Care standard (ST0008)."),
)

COMBINATION_RULE: tuple[CombinationRow, ...] = (
    CombinationRow(FAIL, ANY, FAIL, inferred=True, note="Failing either method fails the assessment."),
    CombinationRow(ANY, FAIL, FAIL, inferred=True, note="Failing either method fails the assessment."),
    CombinationRow(PASS, PASS, PASS, inferred=True, note="A pass in both methods is a pass."),
    CombinationRow(PASS, DISTINCTION, DISTINCTION, inferred=True,
                   note="Distinction comes from the professional discussion when the observation is passed."),
)


def method_grades(method: str, methods: tuple[MethodGrades, ...] = METHOD_GRADES) -> MethodGrades:
    """The grades `method` ("observation" or "discussion") can give."""
    for each in methods:
        if each.method == method:
            return each
    raise ValueError(UNKNOWN_METHOD.format(method=method))


def check_method_grade(method: str, grade: object, methods: tuple[MethodGrades, ...] = METHOD_GRADES) -> str:
    """`grade` if `method` can give it, else ValueError (a distinction for the observation is impossible)."""
    allowed = method_grades(method, methods)
    if not isinstance(grade, str) or grade not in allowed.grades:
        names = " or ".join(GRADE_LABELS.get(each, each) for each in allowed.grades)
        raise ValueError(IMPOSSIBLE_GRADE.format(label=allowed.label, grade=grade, allowed=names))
    return grade


def overall_epa_grade(*, observation: str, discussion: str, after_resit_or_retake: bool = False,
                      rule: tuple[CombinationRow, ...] = COMBINATION_RULE,
                      methods: tuple[MethodGrades, ...] = METHOD_GRADES) -> str:
    """The overall grade, "fail", "pass" or "distinction", by the first matching row of the combination
    rule (§2.3 [I]); capped at Pass when any method was resat or retaken (§2.4 [S]).

    A grade a method cannot give (a distinction for the observation, an unknown word) is a ValueError.
    """
    check_method_grade(OBSERVATION, observation, methods)
    check_method_grade(DISCUSSION, discussion, methods)
    for row in rule:
        if row.matches(observation, discussion):
            overall = row.overall
            break
    else:
        raise ValueError(NO_RULE_ROW.format(observation=observation, discussion=discussion))
    if after_resit_or_retake and GRADES.index(overall) > GRADES.index(CAP_AFTER_RESIT):
        return CAP_AFTER_RESIT
    return overall


def rule_is_inferred(rule: tuple[CombinationRow, ...] = COMBINATION_RULE,
                     methods: tuple[MethodGrades, ...] = METHOD_GRADES) -> bool:
    """Whether any part of the grading (method grades or combination rows) is inferred, so pages say so."""
    return any(row.inferred for row in rule) or any(method.inferred for method in methods)


# --- Dates (§2.2, §2.4) ------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or that month's last day when it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


def _long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"  # "22 Nov 2026", as pages show dates


def resit_deadline(fail_notified_on: date) -> date:
    """The last day for a resit or retake: 3 calendar months after the fail notification (§2.4), or
    that month's last day when it is shorter (30 Nov 2026 -> 28 Feb 2027; 30 Nov 2027 -> 29 Feb 2028)."""
    return _add_months(fail_notified_on, RESIT_LIMIT_MONTHS)


def is_within_resit_limit(*, fail_notified_on: date, attempt_on: date) -> bool:
    """Whether a resit or retake on `attempt_on` is in time: from the notification up to and on the deadline."""
    return fail_notified_on <= attempt_on <= resit_deadline(fail_notified_on)


def resit_date_errors(*, fail_notified_on: date, attempt_on: date) -> list[str]:
    """Why a resit or retake cannot be on `attempt_on` (§2.4); empty when it can."""
    if attempt_on < fail_notified_on:
        return [RESIT_BEFORE_FAIL.format(notified=_long_date(fail_notified_on))]
    if attempt_on > resit_deadline(fail_notified_on):
        return [RESIT_TOO_LATE.format(deadline=_long_date(resit_deadline(fail_notified_on)))]
    return []


def earliest_observation_date(gateway: date) -> date:
    """The first day the observation may be held: 4 weeks (28 days) after gateway (§2.2)."""
    return gateway + timedelta(days=OBSERVATION_NOT_BEFORE_DAYS)


def observation_date_errors(gateway: date, planned: date) -> list[str]:
    """Why the observation cannot be planned on `planned` (§2.2); empty when it can (day 28 is allowed)."""
    earliest = earliest_observation_date(gateway)
    if planned < earliest:
        return [OBSERVATION_TOO_EARLY.format(gateway=_long_date(gateway), earliest=_long_date(earliest))]
    return []
