"""Off-the-job (OTJ) training rules as pure functions (reference/apprenticeship-standard.md §4, §5.2).

Stdlib only, so the rules import and test without Django. `rules.py` re-exports the public names.

Which rule applies depends on the apprentice's START date, not today's (§4):
- starts before 1 Aug 2022: 0.20 x H x (W - L), "20% of contracted hours";
- starts 1 Aug 2022 to 31 Jul 2025: 0.20 x min(H, 30) x (W - L), an average of 6 h a week at 30 h or
  more; part-time apprentices (H < 30) also need a longer minimum duration (12 months x 30 / H);
- starts from 1 Aug 2025: the standard version's published minimum ("minimum hours for
  compliance") less evidenced recognised prior learning (RPL), never below the 187-hour floor.

Decisions carelead takes where the reference leaves room (each is tested):
- W = weeks in the practical period = (practical_period_end - start).days / 7, a date difference;
  L = statutory leave in the period = 5.6 x days / 365, exactly as §4 defines both. The worked
  example's "12 months: 52 - 5.6 = 46.4 weeks" rounds W; by the definitions a 364-day period
  (1 Aug 2022 to 31 Jul 2023) is 52 - 5.585 = 46.415 weeks, 278.49 h at 30 h a week, and the §4
  estimate for 18 months "(78.2 - 8.4) x 6" is computed the same way (78.2 = 547.5 / 7).
- Arithmetic is exact (fractions); the minimum is rounded once, to 0.01 h, half up, so it stays
  within a hundredth of the formula (pages show it to 0.1 h). Other figures round to 0.1 h.
- RPL (hours) is subtracted from the figure of every band: §4 for starts from Aug 2025, and §5.2
  for earlier starts (the training plan "excludes content recognised as prior learning", so its
  OTJ volume is the minimum less the recognised learning). RPL larger than the minimum is refused.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

# Band edges by start date (§4).
OTJ_RULES_FROM = date(2017, 5, 1)  # the 20% rule began with the levy-funded standards, May 2017
HOURS_CAPPED_FROM = date(2022, 8, 1)
PUBLISHED_MINIMUM_FROM = date(2025, 8, 1)

OTJ_SHARE = Fraction(1, 5)  # 20%
WEEKLY_HOURS_CAP = 30  # H is capped at 30 for starts 1 Aug 2022 - 31 Jul 2025 (6 h a week)
LEAVE_WEEKS_PER_YEAR = Fraction(56, 10)  # 28 days for a 5-day week; own higher leave never used
DAYS_PER_YEAR = 365  # L = 5.6 x days in the period / 365 (§4)
OTJ_FLOOR_HOURS = Decimal(187)  # starts from 1 Aug 2025 (§4)
MAX_WEEKLY_HOURS = 168  # hours in a week: anything more is a typing error
MINUTES_IN_A_DAY = 1440
WORKING_DAYS_PER_WEEK = 5  # carelead's assumption [I]: the day's contracted hours are H / 5

# Minimum duration of the practical period, in months (§4).
MINIMUM_DURATION_MONTHS = 12
MINIMUM_DURATION_MONTHS_FROM_AUG_2025 = 8

END_NOT_AFTER_START = "practical_period_end must be after start: a practical period has at least one day"
PERIOD_END_NOT_AFTER_START = "end must be after start: a practical period has at least one day"
START_BEFORE_OTJ_RULES = "start is before 1 May 2017, when the off-the-job rules began: no minimum applies"
WEEKLY_HOURS_NOT_POSITIVE = "weekly_hours must be more than 0"
WEEKLY_HOURS_ABSURD = "weekly_hours must be no more than 168, the hours in a week"
RPL_NEGATIVE = "rpl_reduction must not be negative"
RPL_TOO_BIG = "rpl_reduction must not be more than the minimum it reduces ({minimum} h)"
PUBLISHED_MINIMUM_REQUIRED = (
    "published_minimum is required for starts from 1 Aug 2025: the minimum is the standard version's "
    "published minimum off-the-job hours"
)
PUBLISHED_MINIMUM_NOT_POSITIVE = "published_minimum must be more than 0"
NOT_A_NUMBER = "{name} must be a number"
HOURS_NEGATIVE = "{name} must not be negative"
REQUIRED_NOT_POSITIVE = "required must be more than 0"
TODAY_BEFORE_START = "today must not be before start"

ENTRY_IN_FUTURE = "Off-the-job training cannot be logged for a future date."
ENTRY_AFTER_GATEWAY = "Off-the-job training cannot be logged after the gateway date."
ENTRY_BEFORE_START = "Off-the-job training cannot be logged before the apprenticeship started."
ENTRY_MINUTES_RANGE = "Enter the minutes spent, from 1 to 1440 (24 hours)."

FORECAST_BELOW_REQUIRED = "forecast_below_required"
MONTH_WITHOUT_OTJ = "month_without_otj"
DAY_OVER_CONTRACTED_HOURS = "day_over_contracted_hours"


class ActivityType(StrEnum):
    """Training-plan activity types as the programme delivers them (issue 5), plus the two §4 names."""

    INDUCTION = "induction"  # induction, initial assessment and onboarding
    TEAMS_COACHING = "teams_coaching"
    ZOOM_TAUGHT_SESSION = "zoom_taught_session"
    STUDY_DAY = "study_day"
    TRAINING_COURSE = "training_course"
    MENTORING = "mentoring"  # mentoring or buddy session
    SHADOWING = "shadowing"
    SELF_STUDY = "self_study"  # self-study or assignment
    PROGRESS_REVIEW = "progress_review"
    ENGLISH_AND_MATHS = "english_and_maths"
    NORMAL_WORK = "normal_work"


ACTIVITY_LABELS = {
    ActivityType.INDUCTION: "Induction or onboarding",
    ActivityType.TEAMS_COACHING: "Coaching session (Microsoft Teams)",
    ActivityType.ZOOM_TAUGHT_SESSION: "Taught session (Zoom)",
    ActivityType.STUDY_DAY: "Study day",
    ActivityType.TRAINING_COURSE: "Training course",
    ActivityType.MENTORING: "Mentoring or buddy session",
    ActivityType.SHADOWING: "Shadowing",
    ActivityType.SELF_STUDY: "Self-study or assignment",
    ActivityType.PROGRESS_REVIEW: "Progress review",
    ActivityType.ENGLISH_AND_MATHS: "English and maths",
    ActivityType.NORMAL_WORK: "Normal work",
}
# §4: reviews, English and maths up to Level 2, initial assessment and onboarding, and normal
# productive work never count. Mentoring and shadowing count only when agreed in the training plan.
NEVER_OTJ = frozenset({ActivityType.INDUCTION, ActivityType.PROGRESS_REVIEW, ActivityType.ENGLISH_AND_MATHS,
                       ActivityType.NORMAL_WORK})
OTJ_IF_IN_TRAINING_PLAN = frozenset({ActivityType.MENTORING, ActivityType.SHADOWING})
# Why each activity that never counts does not count (§4), in words for the training plan.
NOT_OTJ_REASONS = {
    ActivityType.INDUCTION: "Induction, initial assessment and onboarding do not count (§4)",
    ActivityType.PROGRESS_REVIEW: "Progress reviews do not count (§4)",
    ActivityType.ENGLISH_AND_MATHS: "English and maths up to Level 2 do not count (§4)",
    ActivityType.NORMAL_WORK: "Normal productive work does not count (§4)",
}
NOT_AGREED_REASON = "Not agreed as off-the-job training"


def not_otj_reason(activity_type: str) -> str:
    """Why time on this activity does not count as off-the-job training (§4): its own reason for an
    activity that never counts, else that it was not agreed as off-the-job."""
    return NOT_OTJ_REASONS.get(activity_type, NOT_AGREED_REASON)


def exact_number(name: str, value: object) -> Fraction:
    """`value` as an exact fraction; bools, text and non-finite numbers are refused, naming `name`."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction | float):
        raise ValueError(NOT_A_NUMBER.format(name=name))
    if isinstance(value, Decimal | float) and not math.isfinite(value):
        raise ValueError(NOT_A_NUMBER.format(name=name))
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _hours_at_least_zero(name: str, value: object) -> Fraction:
    number = exact_number(name, value)
    if number < 0:
        raise ValueError(HOURS_NEGATIVE.format(name=name))
    return number


def _weekly_hours(value: object) -> Fraction:
    hours = exact_number("weekly_hours", value)
    if hours <= 0:
        raise ValueError(WEEKLY_HOURS_NOT_POSITIVE)
    if hours > MAX_WEEKLY_HOURS:
        raise ValueError(WEEKLY_HOURS_ABSURD)
    return hours


def to_tenths(value: Fraction) -> Decimal:
    """An exact non-negative quantity rounded half up to 0.1 (carelead's rounding of hours)."""
    return Decimal(math.floor(value * 10 + Fraction(1, 2))).scaleb(-1)


def _tenths_up(value: Fraction) -> Decimal:
    return Decimal(math.ceil(value * 10)).scaleb(-1)


def to_hundredths(value: Fraction) -> Decimal:
    """An exact non-negative quantity rounded half up to 0.01."""
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


def working_weeks(*, start: date, practical_period_end: date) -> Fraction:
    """W - L (§4): the days of the practical period / 7, less 5.6 x days / 365 weeks' statutory leave."""
    days = (practical_period_end - start).days
    return Fraction(days, 7) - LEAVE_WEEKS_PER_YEAR * Fraction(days, DAYS_PER_YEAR)


def minimum_otj_hours(*, start: date, practical_period_end: date, weekly_hours: Decimal,
                      published_minimum: Decimal | None = None, rpl_reduction: Decimal = Decimal(0)) -> Decimal:
    """The minimum OTJ hours for an apprentice, by the §4 table for their start date.

    Before 1 Aug 2022 20% of H over W - L; 1 Aug 2022 - 31 Jul 2025 20% of min(H, 30) over W - L;
    from 1 Aug 2025 the standard version's published minimum. RPL hours reduce every band (§4, §5.2);
    from 1 Aug 2025 the result is never below 187 h. Rounded half up to 0.01 h.
    """
    if practical_period_end <= start:
        raise ValueError(END_NOT_AFTER_START)
    if start < OTJ_RULES_FROM:
        raise ValueError(START_BEFORE_OTJ_RULES)
    hours = _weekly_hours(weekly_hours)
    rpl = exact_number("rpl_reduction", rpl_reduction)
    if rpl < 0:
        raise ValueError(RPL_NEGATIVE)
    if start >= PUBLISHED_MINIMUM_FROM:
        if published_minimum is None:
            raise ValueError(PUBLISHED_MINIMUM_REQUIRED)
        minimum = exact_number("published_minimum", published_minimum)
        if minimum <= 0:
            raise ValueError(PUBLISHED_MINIMUM_NOT_POSITIVE)
        floor = Fraction(OTJ_FLOOR_HOURS)
    else:
        if start >= HOURS_CAPPED_FROM:
            hours = min(hours, WEEKLY_HOURS_CAP)
        minimum = OTJ_SHARE * hours * working_weeks(start=start, practical_period_end=practical_period_end)
        floor = Fraction(0)
    if rpl > minimum:
        raise ValueError(RPL_TOO_BIG.format(minimum=to_hundredths(minimum)))
    return to_hundredths(max(minimum - rpl, floor))


def minimum_duration_months(*, start: date, weekly_hours: Decimal) -> Decimal:
    """The shortest practical period allowed, in months, by start date (§4).

    Starts from 1 Aug 2025: 8 months, with no part-time extension. Earlier starts: 12 months, and
    below 30 contracted hours a week 12 x 30 / H (15 h a week: 24 months), rounded UP to 0.1 month
    so a plan that meets the figure shown meets the rule. §4 cites the part-time extension for
    1 Aug 2022 - 31 Jul 2025 starts; carelead applies it to earlier starts too [I: the earlier
    funding rules also extended part-time durations; unverified in the reference].
    """
    if start < OTJ_RULES_FROM:
        raise ValueError(START_BEFORE_OTJ_RULES)
    hours = _weekly_hours(weekly_hours)
    if start >= PUBLISHED_MINIMUM_FROM:
        return Decimal(MINIMUM_DURATION_MONTHS_FROM_AUG_2025)
    if hours >= WEEKLY_HOURS_CAP:
        return Decimal(MINIMUM_DURATION_MONTHS)
    return _tenths_up(MINIMUM_DURATION_MONTHS * Fraction(WEEKLY_HOURS_CAP) / hours)


def expected_otj_to_date(required: Decimal, start: date, end: date, today: date) -> Decimal:
    """The OTJ hours expected by `today`: `required` pro rata over the weeks elapsed (issue 5).

    Weeks elapsed are counted to the day (days / 7 over the period's days / 7, the same ratio), so
    the figure grows every day rather than in weekly steps; 0 before the start and all of
    `required` from `end` on. Rounded half up to 0.1 h.
    """
    needed = exact_number("required", required)
    if needed <= 0:
        raise ValueError(REQUIRED_NOT_POSITIVE)
    if end <= start:
        raise ValueError(PERIOD_END_NOT_AFTER_START)
    elapsed = min(max((today - start).days, 0), (end - start).days)
    return to_tenths(needed * Fraction(elapsed, (end - start).days))


def forecast_otj(actual: Decimal, planned_not_done: Decimal) -> Decimal:
    """The forecast OTJ hours at the end: approved actual hours plus planned hours not yet done (issue 5)."""
    done = _hours_at_least_zero("actual", actual)
    return to_tenths(done + _hours_at_least_zero("planned_not_done", planned_not_done))


def counts_as_otj(activity_type: str, *, in_training_plan: bool = True) -> bool:
    """Whether time on an activity counts as off-the-job training (§4).

    Induction and onboarding, progress reviews, English and maths and normal work never count;
    mentoring, buddy sessions and shadowing count only when agreed in the training plan; coaching,
    taught sessions, study days, training courses and self-study or assignments count.
    """
    try:
        kind = ActivityType(activity_type)
    except ValueError:
        raise ValueError(f"activity_type {activity_type!r} is not one of {', '.join(ActivityType)}") from None
    if kind in NEVER_OTJ:
        return False
    if kind in OTJ_IF_IN_TRAINING_PLAN:
        return in_training_plan
    return True


def otj_entry_errors(entry_date: date, minutes: int, today: date, gateway_date: date | None,
                     *, start: date | None = None) -> dict[str, list[str]]:
    """What is wrong with an OTJ entry, by field; empty when it may be saved.

    No entry in the future or after the gateway (§2.4: nothing counts after gateway; an entry ON
    the gateway date is allowed), none before the start, and 1 to 1440 minutes (a day).
    """
    errors: dict[str, list[str]] = defaultdict(list)
    if entry_date > today:
        errors["entry_date"].append(ENTRY_IN_FUTURE)
    if gateway_date is not None and entry_date > gateway_date:
        errors["entry_date"].append(ENTRY_AFTER_GATEWAY)
    if start is not None and entry_date < start:
        errors["entry_date"].append(ENTRY_BEFORE_START)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MINUTES_IN_A_DAY:
        errors["minutes"].append(ENTRY_MINUTES_RANGE)
    return dict(errors)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def months_without_otj(*, start: date, today: date, gateway_date: date | None,
                       activity_dates: Iterable[date]) -> list[tuple[int, int]]:
    """The calendar months, as (year, month), with no OTJ activity (§4: some every calendar month).

    Months run from the start's month to the month of the gateway (or of today, before gateway).
    A month is judged only once it has ended, so the current month is never flagged early. The
    start's month counts even when the start is late in it: the rule says every calendar month.
    """
    if today < start:
        raise ValueError(TODAY_BEFORE_START)
    last = min(today, gateway_date) if gateway_date is not None else today
    active = {(day.year, day.month) for day in activity_dates}
    missing, month = [], (start.year, start.month)
    while month <= (last.year, last.month) and _month_after(*month) <= (today.year, today.month):
        if month not in active:
            missing.append(month)
        month = _month_after(*month)
    return missing


def days_over_contracted_hours(*, minutes_by_day: Iterable[tuple[date, int]], weekly_hours: Decimal) -> list[date]:
    """Days whose OTJ minutes, added up, exceed the day's contracted hours (issue 5).

    The day's contracted hours are weekly_hours / 5 [I: carelead assumes a 5-day week, as the
    statutory-leave figure of §4 does]; several entries on one day are added together.
    """
    daily_minutes = _weekly_hours(weekly_hours) * 60 / WORKING_DAYS_PER_WEEK
    totals: dict[date, int] = defaultdict(int)
    for day, minutes in minutes_by_day:
        totals[day] += minutes
    return sorted(day for day, total in totals.items() if total > daily_minutes)


@dataclass(frozen=True)
class OtjFlag:
    """One thing about an apprentice's OTJ that needs attention: a code and what it is about."""

    code: str
    message: str


def otj_flags(*, required: Decimal, forecast: Decimal, start: date, today: date, gateway_date: date | None,
              weekly_hours: Decimal, minutes_by_day: Iterable[tuple[date, int]]) -> list[OtjFlag]:
    """The OTJ flags of issue 5: forecast below required, a month without OTJ, a day over contracted hours.

    `minutes_by_day` holds (date, minutes) of the OTJ entries; several rows may share a date.
    """
    rows = list(minutes_by_day)
    flags = []
    expected, likely = _hours_at_least_zero("required", required), _hours_at_least_zero("forecast", forecast)
    if likely < expected:
        flags.append(OtjFlag(FORECAST_BELOW_REQUIRED,
                             f"Forecast {to_tenths(likely)} h is below the {to_tenths(expected)} h required."))
    for year, month in months_without_otj(start=start, today=today, gateway_date=gateway_date,
                                          activity_dates=(day for day, _ in rows)):
        flags.append(OtjFlag(MONTH_WITHOUT_OTJ, f"No off-the-job training in {date(year, month, 1):%B %Y}."))
    for day in days_over_contracted_hours(minutes_by_day=rows, weekly_hours=weekly_hours):
        flags.append(OtjFlag(DAY_OVER_CONTRACTED_HOURS,
                             f"More off-the-job time on {day.day} {day:%b %Y} than the day's contracted hours."))
    return flags


@dataclass(frozen=True)
class PlannedActivity:
    """An OTJ activity of the training plan as the rules see it: `hours` spread evenly over the days
    from `planned_from` to `planned_to`, both included."""

    planned_from: date
    planned_to: date
    hours: Decimal


PLANNED_DATES_REVERSED = "planned_to must not be before planned_from"


def planned_hours_by(activities: Iterable[PlannedActivity], day: date) -> Fraction:
    """The planned OTJ hours due to be done by the end of `day` (issue 5: "planned" and, with
    `planned_hours_not_done`, "forecast"). Each activity's hours accrue evenly per day over its dates,
    so a year of monthly coaching is half done at the half year. Exact; callers round."""
    total = Fraction(0)
    for activity in activities:
        if activity.planned_to < activity.planned_from:
            raise ValueError(PLANNED_DATES_REVERSED)
        hours = _hours_at_least_zero("hours", activity.hours)
        days = (activity.planned_to - activity.planned_from).days + 1
        done = min(max((day - activity.planned_from).days + 1, 0), days)
        total += hours * Fraction(done, days)
    return total


def planned_hours_not_done(activities: Iterable[PlannedActivity], today: date) -> Decimal:
    """Planned OTJ hours still to come after `today`: the plan's total less what was due by today,
    rounded half up to 0.1 h (the "planned not yet done" that `forecast_otj` adds to actual)."""
    listed = list(activities)
    total = sum((_hours_at_least_zero("hours", activity.hours) for activity in listed), Fraction(0))
    return to_tenths(total - planned_hours_by(listed, today))


# --- Showing OTJ time and its course over the programme (issue 5: "as numbers and a chart over time") ---


def minutes_as_hours(minutes: int) -> Decimal:
    """Minutes as hours rounded half up to 0.1 h, the precision every OTJ figure is shown at."""
    return to_tenths(Fraction(_hours_at_least_zero("minutes", minutes)) / 60)


def hours_and_minutes(minutes: int) -> str:
    """An entry's time in words a reader takes in at a glance: 90 -> "1 h 30 min", 60 -> "1 h", 45 -> "45 min"."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        raise ValueError(HOURS_NEGATIVE.format(name="minutes"))
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else [])
    return " ".join(parts)


def _last_day_of(year: int, month: int) -> date:
    following = _month_after(year, month)
    return date(following[0], following[1], 1) - timedelta(days=1)


@dataclass(frozen=True)
class OtjMonth:
    """One month of the OTJ chart: each figure as it stood at the end of the month (or at `end`,
    within the last month). `actual` is None for a month not yet begun; `expected` is None when the
    required minimum is not known."""

    year: int
    month: int
    until: date
    actual: Decimal | None
    expected: Decimal | None
    planned: Decimal


def monthly_otj_series(*, start: date, end: date, today: date, approved_minutes_by_day: Iterable[tuple[date, int]],
                       planned: Iterable[PlannedActivity], required: Decimal | None) -> list[OtjMonth]:
    """The OTJ figures month by month from the start's month to the planned end's month, or to the
    month of a later approved entry (a programme running late), for the chart of issue 5.

    Cumulative approved hours to the end of each month up to today's month (to today within it);
    expected to date (`expected_otj_to_date`, pro rata) and planned by then (`planned_hours_by`) at
    the end of each month. Months after today's have no actual: it has not happened yet.
    """
    if end <= start:
        raise ValueError(PERIOD_END_NOT_AFTER_START)
    activities = list(planned)
    by_month: dict[tuple[int, int], int] = defaultdict(int)
    for day, minutes in approved_minutes_by_day:
        by_month[(day.year, day.month)] += minutes
    last = max([(end.year, end.month), *by_month])
    months, month, done = [], (start.year, start.month), 0
    while month <= last:
        until = _last_day_of(*month) if month != (end.year, end.month) else end
        done += by_month.get(month, 0)
        actual = minutes_as_hours(done) if month <= (today.year, today.month) else None
        expected = expected_otj_to_date(required, start, end, until) if required else None
        months.append(OtjMonth(year=month[0], month=month[1], until=until, actual=actual, expected=expected,
                               planned=to_tenths(planned_hours_by(activities, until))))
        month = _month_after(*month)
    return months
