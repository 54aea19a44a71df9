"""Apprenticeship programme rules as pure functions (reference/apprenticeship-standard.md §1, §4, §5).

Stdlib only: importable and tested with no Django set up. The off-the-job (OTJ) rules live in
`otj.py` and are re-exported here, so callers import every rule from `rules`; the contract
functions are `minimum_otj_hours` and `next_review_due`.

Progress reviews (§5.1) by START date: up to 31 Jul 2025 at least every 12 weeks; from 1 Aug 2025
on or before the last day of the third calendar month after the month of the previous review.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from carelead.apprenticeships.otj import (  # noqa: F401 (re-exported: rules is the one place to import from)
    ACTIVITY_LABELS,
    DAY_OVER_CONTRACTED_HOURS,
    FORECAST_BELOW_REQUIRED,
    MONTH_WITHOUT_OTJ,
    OTJ_FLOOR_HOURS,
    ActivityType,
    PUBLISHED_MINIMUM_FROM,
    OtjFlag,
    PlannedActivity,
    counts_as_otj,
    days_over_contracted_hours,
    exact_number,
    expected_otj_to_date,
    forecast_otj,
    minimum_duration_months,
    minimum_otj_hours,
    months_without_otj,
    not_otj_reason,
    otj_entry_errors,
    otj_flags,
    planned_hours_by,
    planned_hours_not_done,
    working_weeks,
)
from carelead.apprenticeships.epa import (  # noqa: F401 (re-exported: end-point assessment rules, §2.2-2.4)
    COMBINATION_RULE, INFERRED_NOTE, METHOD_GRADES, earliest_observation_date, is_within_resit_limit,
    observation_date_errors, overall_epa_grade, resit_date_errors, resit_deadline, rule_is_inferred)

CALENDAR_MONTH_REVIEWS_FROM = date(2025, 8, 1)  # rule 92 of the 2025/26 funding rules (§5.1)
REVIEW_INTERVAL_DAYS = 84  # 12 weeks (P59, starts to 31 Jul 2025, §5.1)
REVIEW_INTERVAL_MONTHS = 3

# A review is "due" in the 14 days before its date: carelead's choice [I]. Care plans use 7 days
# (careplans.rules.DUE_SOON_DAYS); a three-way review needs a date that suits the provider, the
# employer and the apprentice, so it shows as due a week earlier. Same three states and meaning:
# a review held on its due date is on time, it is overdue from the day after.
REVIEW_DUE_SOON_DAYS = 14
IN_DATE, DUE, OVERDUE = "in_date", "due", "overdue"
REVIEW_STATE_LABELS = {IN_DATE: "In date", DUE: "Due", OVERDUE: "Overdue"}
REVIEW_STATE_COLOURS = {IN_DATE: "green", DUE: "yellow", OVERDUE: "red"}

EPAO_MONTHS_BEFORE_END = 6  # funding rule P57.2.1 (§2.1, §5.2)
# The EPAO flag shows from 90 days before the deadline [I: carelead's choice], so there is time to
# choose one; after the deadline it is overdue.
EPAO_WARNING_DAYS = 90

GREEN, AMBER, RED = "green", "amber", "red"
RAG_LABELS = {GREEN: "On track", AMBER: "Behind", RED: "Well behind"}
RAG_COLOURS = {GREEN: "green", AMBER: "orange", RED: "red"}
RAG_GRACE_PERCENT = 25
AMBER_GAP_POINTS = 10
RED_GAP_POINTS = 20
CASELOAD_RULE = (
    "On track (green) for the first 25% of the programme's time. After that, we compare the share of "
    "time gone with the share of off-the-job hours done (approved hours against the minimum required) "
    "and with the share of knowledge, skills and behaviours with evidence. If either trails the time "
    "gone by more than 10 percentage points the apprentice is behind (amber); by more than 20 points, "
    "well behind (red)."
)

REVIEW_BEFORE_START = "previous_review must not be before start"
NO_VERSIONS = "versions must list at least one version of the standard"
NO_VERSION_FOR_START = "no version of the standard takes starts on {start}"
VERSION_DATES_REVERSED = "latest_start must not be before earliest_start"
PLANNED_END_NOT_AFTER_START = "planned_end must be after start"
REQUIRED_HOURS_NOT_POSITIVE = "otj_required must be more than 0"
OTJ_ACTUAL_NEGATIVE = "otj_actual must not be negative"
KSB_TOTAL_NOT_POSITIVE = "ksbs_total must be more than 0: every standard version has KSBs"
KSB_EVIDENCED_RANGE = "ksbs_evidenced must be from 0 to ksbs_total"


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), the month's last day when it is shorter."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


def next_review_due(*, start: date, previous_review: date) -> date:
    """The date by which the next progress review must be held (§5.1), by the apprentice's start date.

    Starts up to 31 Jul 2025: 12 weeks (84 days) after the previous review (P59). Starts from
    1 Aug 2025: on or before the last day of the third month after the month of the previous review
    (rule 92: 1 Aug -> 30 Nov; 31 Oct -> 31 Jan). For the first review, pass the start date.
    """
    if previous_review < start:
        raise ValueError(REVIEW_BEFORE_START)
    if start < CALENDAR_MONTH_REVIEWS_FROM:
        return previous_review + timedelta(days=REVIEW_INTERVAL_DAYS)
    month = add_months(previous_review.replace(day=1), REVIEW_INTERVAL_MONTHS)
    return last_day_of_month(month.year, month.month)


def review_state(due: date, today: date) -> str:
    """In date; due from 14 days before the review date up to and on it; overdue from the day after."""
    if today > due:
        return OVERDUE
    if (due - today).days <= REVIEW_DUE_SOON_DAYS:
        return DUE
    return IN_DATE


@dataclass(frozen=True)
class StandardVersion:
    """One version of an apprenticeship standard as reference data (§1.4: earliest/latest start dates).

    A missing earliest or latest start date leaves that end open (the API gives no latestStartDate
    for the version in use).
    """

    reference: str  # "ST0007"
    version: str  # "1.1"
    earliest_start: date | None
    latest_start: date | None
    published_minimum_otj: Decimal | None = None  # minimumHoursForCompliance, starts from 1 Aug 2025

    def __post_init__(self) -> None:
        if self.earliest_start and self.latest_start and self.latest_start < self.earliest_start:
            raise ValueError(VERSION_DATES_REVERSED)

    def takes_start(self, start: date) -> bool:
        return (self.earliest_start is None or self.earliest_start <= start) and (
            self.latest_start is None or start <= self.latest_start)

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split(".") if part.isdigit())


def standard_version_for(start: date, versions: list[StandardVersion] | tuple[StandardVersion, ...]) -> StandardVersion:
    """The version of the standard an apprentice starting on `start` is on (§1.4).

    The version whose earliest and latest start dates (both inclusive) contain the start date;
    where published dates overlap, the highest version number.
    """
    if not versions:
        raise ValueError(NO_VERSIONS)
    matches = [version for version in versions if version.takes_start(start)]
    if not matches:
        raise ValueError(NO_VERSION_FOR_START.format(start=start.isoformat()))
    return max(matches, key=lambda version: version.version_key)


def epao_deadline(planned_end: date) -> date:
    """The last day to name the end-point assessment organisation: 6 months before the planned end (§5.2).

    Counted back by calendar month; when that month is shorter, its last day (31 Aug -> 28/29 Feb).
    """
    return add_months(planned_end, -EPAO_MONTHS_BEFORE_END)


def epao_missing_flag(planned_end: date, epao_named: bool, today: date) -> str | None:
    """DUE while no EPAO is named in the 90 days to the deadline, OVERDUE after it, else None (§5.2).

    Naming the EPAO on the deadline itself is on time.
    """
    if epao_named:
        return None
    deadline = epao_deadline(planned_end)
    if today > deadline:
        return OVERDUE
    if (deadline - today).days <= EPAO_WARNING_DAYS:
        return DUE
    return None


@dataclass(frozen=True)
class CaseloadPosition:
    """Where an apprentice is: percentages of time gone, OTJ done and KSBs evidenced, and the RAG."""

    time_percent: Fraction
    otj_percent: Fraction
    ksb_percent: Fraction
    rag: str


def caseload_position(start: date, planned_end: date, today: date, otj_actual: Decimal, otj_required: Decimal,
                      ksbs_evidenced: int, ksbs_total: int) -> CaseloadPosition:
    """The caseload status by CASELOAD_RULE (issue 5's published rule; the red band is carelead's).

    Time gone = days since start over days from start to planned end (0-100%). OTJ and KSB shares
    are capped at 100%. Green up to and at 25% of the time; then the larger gap (time gone minus the
    OTJ share, or minus the KSB share) decides: more than 20 points red, more than 10 amber.
    """
    if planned_end <= start:
        raise ValueError(PLANNED_END_NOT_AFTER_START)
    required, actual = exact_number("otj_required", otj_required), exact_number("otj_actual", otj_actual)
    if required <= 0:
        raise ValueError(REQUIRED_HOURS_NOT_POSITIVE)
    if actual < 0:
        raise ValueError(OTJ_ACTUAL_NEGATIVE)
    if ksbs_total <= 0:
        raise ValueError(KSB_TOTAL_NOT_POSITIVE)
    if not 0 <= ksbs_evidenced <= ksbs_total:
        raise ValueError(KSB_EVIDENCED_RANGE)
    total_days = (planned_end - start).days
    time = 100 * Fraction(min(max((today - start).days, 0), total_days), total_days)
    otj = min(100 * actual / required, Fraction(100))
    ksb = 100 * Fraction(ksbs_evidenced, ksbs_total)
    gap = time - min(otj, ksb)
    if time <= RAG_GRACE_PERCENT or gap <= AMBER_GAP_POINTS:
        rag = GREEN
    elif gap <= RED_GAP_POINTS:
        rag = AMBER
    else:
        rag = RED
    return CaseloadPosition(time_percent=time, otj_percent=otj, ksb_percent=ksb, rag=rag)


def caseload_rag(start: date, planned_end: date, today: date, otj_actual: Decimal, otj_required: Decimal,
                 ksbs_evidenced: int, ksbs_total: int) -> str:
    """GREEN, AMBER or RED for the coach's caseload, by CASELOAD_RULE (issue 5)."""
    return caseload_position(start, planned_end, today, otj_actual, otj_required, ksbs_evidenced, ksbs_total).rag
