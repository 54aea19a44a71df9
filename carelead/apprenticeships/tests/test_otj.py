"""Off-the-job rules (reference/apprenticeship-standard.md §4, §5.2), imported through `rules` as callers do.

Twelve-month practical periods below run from a start to the day before its anniversary in a
non-leap year, e.g. 1 Aug 2022 to 31 Jul 2023: 364 days, W = 52 weeks, L = 5.6 x 364 / 365 =
5.585 weeks, W - L = 46.415 weeks (§4's definitions; its worked example rounds this to 46.4).
"""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from carelead.apprenticeships import otj, rules
from carelead.apprenticeships.rules import (
    DAY_OVER_CONTRACTED_HOURS,
    FORECAST_BELOW_REQUIRED,
    MONTH_WITHOUT_OTJ,
    ActivityType,
    counts_as_otj,
    days_over_contracted_hours,
    expected_otj_to_date,
    forecast_otj,
    minimum_duration_months,
    minimum_otj_hours,
    months_without_otj,
    otj_entry_errors,
    otj_flags,
    working_weeks,
)

D = Decimal
YEAR_OF_52_WEEKS = timedelta(days=364)


def minimum(start, hours, *, days=364, **kwargs):
    return minimum_otj_hours(start=start, practical_period_end=start + timedelta(days=days),
                             weekly_hours=D(hours), **kwargs)


# The worked example (§4): 12 months at 30 h = (52 - 5.6) x 30 x 0.2 = 278.4 h.

def test_the_worked_example_52_weeks_less_5_6_at_30_hours_is_278_4():
    assert working_weeks(start=date(2022, 8, 1), practical_period_end=date(2023, 7, 31)) == (
        Fraction(52) - Fraction(56, 10) * Fraction(364, 365))
    hours = minimum_otj_hours(start=date(2022, 8, 1), practical_period_end=date(2023, 7, 31), weekly_hours=D(30))
    assert hours == D("278.49")
    assert abs(hours - D("278.4")) < D("0.1")  # the example's 46.4 weeks is W - L rounded to 0.1


def test_the_worked_example_holds_for_a_start_before_august_2022_too():
    assert minimum_otj_hours(start=date(2021, 8, 1), practical_period_end=date(2022, 7, 31),
                             weekly_hours=D(30)) == D("278.49")


def test_a_year_with_29_february_is_one_day_longer_so_slightly_more():
    # 1 Aug 2023 - 31 Jul 2024 is 365 days: (365/7 - 5.6) x 6 = 279.257 h.
    assert minimum_otj_hours(start=date(2023, 8, 1), practical_period_end=date(2024, 7, 31),
                             weekly_hours=D(30)) == D("279.26")


def test_eighteen_months_at_37_5_hours_from_august_2023():
    # 549 days: 549/7 - 5.6 x 549/365 = 70.006 working weeks x 6 h (H capped at 30) = 420.03 h,
    # the §4 estimate for 18 months "(78.2 - 8.4) x 6 = 419" computed the same way.
    assert minimum_otj_hours(start=date(2023, 8, 1), practical_period_end=date(2025, 1, 31),
                             weekly_hours=D("37.5")) == D("420.03")


# Band edges by start date and hours (§4 table).

@pytest.mark.parametrize(("start", "hours", "expected"), [
    # before 1 Aug 2022: 20% of all contracted hours, 0.2 x H x 46.415
    (date(2022, 7, 31), 29, D("269.21")),
    (date(2022, 7, 31), 30, D("278.49")),
    (date(2022, 7, 31), 31, D("287.78")),
    (date(2022, 7, 31), D("37.5"), D("348.12")),
    # 1 Aug 2022 - 31 Jul 2025: 20% of min(H, 30)
    (date(2022, 8, 1), 29, D("269.21")),
    (date(2022, 8, 1), 30, D("278.49")),
    (date(2022, 8, 1), 31, D("278.49")),
    (date(2025, 7, 31), 29, D("269.21")),
    (date(2025, 7, 31), 30, D("278.49")),
    (date(2025, 7, 31), 31, D("278.49")),
])
def test_band_edges_by_start_date_and_weekly_hours(start, hours, expected):
    assert minimum(start, hours) == expected


@pytest.mark.parametrize("hours", [29, 30, 31])
def test_from_1_august_2025_the_published_minimum_applies_whatever_the_hours(hours):
    assert minimum(date(2025, 8, 1), hours, published_minimum=D(419)) == D("419.00")


def test_the_published_minimum_is_ignored_for_earlier_starts():
    assert minimum(date(2025, 7, 31), 30, published_minimum=D(419)) == D("278.49")


def test_the_first_day_of_the_rules_is_1_may_2017():
    assert minimum(date(2017, 5, 1), 30) == D("278.49")
    with pytest.raises(ValueError, match=otj.START_BEFORE_OTJ_RULES):
        minimum(date(2017, 4, 30), 30)


# Recognised prior learning and the 187-hour floor.

@pytest.mark.parametrize(("published", "rpl", "expected"), [
    (D(300), D(0), D("300.00")),
    (D(300), D(112), D("188.00")),
    (D(300), D(113), D("187.00")),  # exactly the floor
    (D(300), D(150), D("187.00")),  # below the floor: the floor
    (D(150), D(0), D("187.00")),  # a published figure under the floor still gives the floor
    (D(300), D(300), D("187.00")),
])
def test_from_august_2025_rpl_reduces_the_published_minimum_never_below_187(published, rpl, expected):
    assert minimum(date(2025, 8, 1), 30, published_minimum=published, rpl_reduction=rpl) == expected


def test_before_august_2025_rpl_hours_come_off_the_formula_with_no_floor():
    assert minimum(date(2022, 8, 1), 30, rpl_reduction=D(20)) == D("258.49")
    assert minimum(date(2022, 7, 31), 30, rpl_reduction=D("278.49")) == D("0.00")


def test_rpl_bigger_than_the_minimum_is_refused_and_says_the_minimum():
    with pytest.raises(ValueError, match=r"rpl_reduction must not be more than the minimum it reduces \(278\.49 h\)"):
        minimum(date(2022, 8, 1), 30, rpl_reduction=D("278.5"))
    with pytest.raises(ValueError, match=r"\(300\.00 h\)"):
        minimum(date(2025, 8, 1), 30, published_minimum=D(300), rpl_reduction=D("300.1"))


# Rounding: exact arithmetic, rounded once, half up to 0.1 h.

@pytest.mark.parametrize(("value", "rounded"), [
    (Fraction("278.45"), D("278.5")), (Fraction("278.4499"), D("278.4")), (Fraction(0), D("0.0")),
    (Fraction(1, 3), D("0.3")), (Fraction("0.05"), D("0.1")),
])
def test_hours_round_half_up_to_a_tenth(value, rounded):
    assert otj.to_tenths(value) == rounded


# Bad arguments say which and why.

@pytest.mark.parametrize(("kwargs", "message"), [
    ({"practical_period_end": date(2023, 7, 31)}, otj.END_NOT_AFTER_START),
    ({"practical_period_end": date(2023, 7, 30)}, otj.END_NOT_AFTER_START),
    ({"weekly_hours": D(0)}, otj.WEEKLY_HOURS_NOT_POSITIVE),
    ({"weekly_hours": D(-5)}, otj.WEEKLY_HOURS_NOT_POSITIVE),
    ({"weekly_hours": D("168.1")}, otj.WEEKLY_HOURS_ABSURD),
    ({"weekly_hours": "30"}, "weekly_hours must be a number"),
    ({"weekly_hours": True}, "weekly_hours must be a number"),
    ({"weekly_hours": D("NaN")}, "weekly_hours must be a number"),
    ({"rpl_reduction": D(-1)}, otj.RPL_NEGATIVE),
    ({"rpl_reduction": None}, "rpl_reduction must be a number"),
])
def test_bad_arguments_are_refused_naming_the_argument(kwargs, message):
    arguments = {"start": date(2023, 7, 31), "practical_period_end": date(2024, 7, 29), "weekly_hours": D(30)}
    with pytest.raises(ValueError) as refused:
        minimum_otj_hours(**arguments | kwargs)
    assert str(refused.value) == message


def test_168_hours_a_week_is_the_most_accepted():
    assert minimum(date(2021, 8, 1), 168) == D("1559.56")  # 0.2 x 168 x 46.415


def test_a_start_from_august_2025_needs_the_published_minimum():
    with pytest.raises(ValueError) as refused:
        minimum(date(2025, 8, 1), 30)
    assert str(refused.value) == otj.PUBLISHED_MINIMUM_REQUIRED
    assert "published_minimum" in str(refused.value)
    with pytest.raises(ValueError, match=otj.PUBLISHED_MINIMUM_NOT_POSITIVE):
        minimum(date(2025, 8, 1), 30, published_minimum=D(0))


def test_the_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        minimum_otj_hours(date(2022, 8, 1), date(2023, 7, 31), D(30))  # type: ignore[misc]


# Minimum duration (§4): part-time extension for starts to 31 Jul 2025, 8 months from Aug 2025.

@pytest.mark.parametrize(("start", "hours", "months"), [
    (date(2022, 8, 1), 29, D("12.5")),  # 12 x 30 / 29 = 12.41, rounded up
    (date(2022, 8, 1), 30, D(12)),
    (date(2022, 8, 1), 31, D(12)),
    (date(2022, 8, 1), 15, D("24.0")),  # §4's example: 15 h a week, 24 months
    (date(2025, 7, 31), 29, D("12.5")),
    (date(2025, 7, 31), 15, D("24.0")),
    (date(2022, 7, 31), 15, D("24.0")),
    (date(2022, 7, 31), 30, D(12)),
    (date(2025, 8, 1), 15, D(8)),
    (date(2025, 8, 1), 29, D(8)),
    (date(2025, 8, 1), 37, D(8)),
])
def test_minimum_duration_in_months(start, hours, months):
    assert minimum_duration_months(start=start, weekly_hours=D(hours)) == months


def test_minimum_duration_refuses_nonsense_hours():
    with pytest.raises(ValueError, match=otj.WEEKLY_HOURS_NOT_POSITIVE):
        minimum_duration_months(start=date(2023, 1, 1), weekly_hours=D(0))


# Expected to date and forecast.

@pytest.mark.parametrize(("today", "expected"), [
    (date(2022, 7, 31), D("0.0")),  # before the start
    (date(2022, 8, 1), D("0.0")),
    (date(2022, 8, 1) + timedelta(days=91), D("69.6")),  # 13 of 52 weeks
    (date(2022, 8, 1) + timedelta(days=182), D("139.2")),  # half way
    (date(2023, 7, 31), D("278.4")),
    (date(2024, 1, 1), D("278.4")),  # after the end: all of it
])
def test_expected_to_date_is_pro_rata_over_weeks_elapsed(today, expected):
    assert expected_otj_to_date(D("278.4"), date(2022, 8, 1), date(2023, 7, 31), today) == expected


def test_expected_to_date_refuses_a_bad_period_or_requirement():
    with pytest.raises(ValueError, match=otj.REQUIRED_NOT_POSITIVE):
        expected_otj_to_date(D(0), date(2022, 8, 1), date(2023, 7, 31), date(2023, 1, 1))
    with pytest.raises(ValueError, match=otj.PERIOD_END_NOT_AFTER_START):
        expected_otj_to_date(D(100), date(2022, 8, 1), date(2022, 8, 1), date(2023, 1, 1))


def test_forecast_adds_planned_hours_not_yet_done_to_actual():
    assert forecast_otj(D("100.25"), D(50)) == D("150.3")
    assert forecast_otj(D(0), D(0)) == D("0.0")
    with pytest.raises(ValueError, match="planned_not_done must not be negative"):
        forecast_otj(D(10), D(-1))


# What counts (§4).

@pytest.mark.parametrize(("activity", "counts"), [
    (ActivityType.INDUCTION, False), (ActivityType.PROGRESS_REVIEW, False),
    (ActivityType.ENGLISH_AND_MATHS, False), (ActivityType.NORMAL_WORK, False),
    (ActivityType.TEAMS_COACHING, True), (ActivityType.ZOOM_TAUGHT_SESSION, True),
    (ActivityType.STUDY_DAY, True), (ActivityType.TRAINING_COURSE, True),
    (ActivityType.MENTORING, True), (ActivityType.SHADOWING, True), (ActivityType.SELF_STUDY, True),
    ("self_study", True), ("progress_review", False),
])
def test_what_counts_as_off_the_job_training(activity, counts):
    assert counts_as_otj(activity) is counts


@pytest.mark.parametrize("activity", [ActivityType.MENTORING, ActivityType.SHADOWING])
def test_mentoring_and_shadowing_count_only_when_in_the_training_plan(activity):
    assert counts_as_otj(activity, in_training_plan=False) is False


def test_never_otj_activities_do_not_count_even_in_the_training_plan():
    assert counts_as_otj(ActivityType.PROGRESS_REVIEW, in_training_plan=True) is False
    assert counts_as_otj(ActivityType.TEAMS_COACHING, in_training_plan=False) is True


def test_an_unknown_activity_is_refused():
    with pytest.raises(ValueError, match="activity_type 'gardening' is not one of induction"):
        counts_as_otj("gardening")


def test_every_activity_type_has_a_label():
    assert set(otj.ACTIVITY_LABELS) == set(ActivityType)


# Entries.

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("entry_date", "minutes", "gateway", "errors"), [
    (TODAY, 1, None, {}),
    (TODAY, 1440, None, {}),
    (TODAY + timedelta(days=1), 60, None, {"entry_date": [otj.ENTRY_IN_FUTURE]}),
    (date(2026, 11, 1), 60, date(2026, 11, 1), {}),  # on the gateway date: allowed
    (date(2026, 11, 2), 60, date(2026, 11, 1), {"entry_date": [otj.ENTRY_AFTER_GATEWAY]}),
    (TODAY, 0, None, {"minutes": [otj.ENTRY_MINUTES_RANGE]}),
    (TODAY, 1441, None, {"minutes": [otj.ENTRY_MINUTES_RANGE]}),
    (TODAY, True, None, {"minutes": [otj.ENTRY_MINUTES_RANGE]}),
    (TODAY, 1.5, None, {"minutes": [otj.ENTRY_MINUTES_RANGE]}),
    (TODAY + timedelta(days=1), 0, TODAY,
     {"entry_date": [otj.ENTRY_IN_FUTURE, otj.ENTRY_AFTER_GATEWAY], "minutes": [otj.ENTRY_MINUTES_RANGE]}),
])
def test_entry_errors_by_field(entry_date, minutes, gateway, errors):
    assert otj_entry_errors(entry_date, minutes, TODAY, gateway) == errors


def test_an_entry_before_the_start_is_refused_when_the_start_is_given():
    assert otj_entry_errors(date(2026, 1, 4), 60, TODAY, None, start=date(2026, 1, 5)) == {
        "entry_date": [otj.ENTRY_BEFORE_START]}
    assert otj_entry_errors(date(2026, 1, 5), 60, TODAY, None, start=date(2026, 1, 5)) == {}


# Flags: a calendar month without OTJ (§4), a day over contracted hours, forecast below required.

def test_a_month_is_judged_only_once_it_has_ended():
    activity = [date(2026, 2, 10), date(2026, 3, 3)]
    kwargs = {"start": date(2026, 1, 28), "gateway_date": None, "activity_dates": activity}
    assert months_without_otj(today=date(2026, 4, 30), **kwargs) == [(2026, 1)]  # April not over
    assert months_without_otj(today=date(2026, 5, 1), **kwargs) == [(2026, 1), (2026, 4)]


def test_months_stop_at_the_gateway_month_and_cross_the_year():
    activity = [date(2025, 11, 5), date(2026, 1, 31)]
    assert months_without_otj(start=date(2025, 11, 5), today=TODAY, gateway_date=date(2026, 3, 1),
                              activity_dates=activity) == [(2025, 12), (2026, 2), (2026, 3)]


def test_no_month_is_missed_in_the_first_month():
    assert months_without_otj(start=date(2026, 11, 1), today=date(2026, 11, 30), gateway_date=None,
                              activity_dates=[]) == []
    with pytest.raises(ValueError, match=otj.TODAY_BEFORE_START):
        months_without_otj(start=TODAY, today=TODAY - timedelta(days=1), gateway_date=None, activity_dates=[])


@pytest.mark.parametrize(("hours", "rows", "over"), [
    (D("37.5"), [(TODAY, 450)], []),  # 7.5 h a day exactly
    (D("37.5"), [(TODAY, 451)], [TODAY]),
    (D("37.5"), [(TODAY, 300), (TODAY, 151), (TODAY - timedelta(days=1), 60)], [TODAY]),  # added up
    (D(30), [(TODAY, 360)], []),
    (D(30), [(TODAY, 361)], [TODAY]),
])
def test_days_over_the_days_contracted_hours_a_fifth_of_the_week(hours, rows, over):
    assert days_over_contracted_hours(minutes_by_day=rows, weekly_hours=hours) == over


def test_flags_together():
    flags = otj_flags(required=D("278.4"), forecast=D(270), start=date(2026, 9, 1), today=TODAY, gateway_date=None,
                      weekly_hours=D(30), minutes_by_day=[(date(2026, 9, 2), 400), (date(2026, 9, 3), 60)])
    assert [flag.code for flag in flags] == [FORECAST_BELOW_REQUIRED, MONTH_WITHOUT_OTJ, DAY_OVER_CONTRACTED_HOURS]
    assert flags[0].message == "Forecast 270.0 h is below the 278.4 h required."
    assert flags[1].message == "No off-the-job training in October 2026."
    assert flags[2].message == "More off-the-job time on 2 Sep 2026 than the day's contracted hours."


def test_no_flags_when_the_forecast_meets_the_requirement_and_every_month_has_training():
    assert otj_flags(required=D("278.4"), forecast=D("278.4"), start=date(2026, 10, 1), today=TODAY,
                     gateway_date=None, weekly_hours=D(30), minutes_by_day=[(date(2026, 10, 2), 360)]) == []


# --- Planned hours over time (issue 5: planned and forecast) ---

YEAR_OF_COACHING = rules.PlannedActivity(planned_from=date(2025, 9, 1), planned_to=date(2025, 9, 10), hours=D(10))


def test_planned_hours_accrue_a_day_at_a_time_both_ends_included():
    assert rules.planned_hours_by([YEAR_OF_COACHING], date(2025, 8, 31)) == 0
    assert rules.planned_hours_by([YEAR_OF_COACHING], date(2025, 9, 1)) == 1
    assert rules.planned_hours_by([YEAR_OF_COACHING], date(2025, 9, 5)) == 5
    assert rules.planned_hours_by([YEAR_OF_COACHING], date(2025, 9, 10)) == 10
    assert rules.planned_hours_by([YEAR_OF_COACHING], date(2026, 1, 1)) == 10


def test_a_one_day_activity_is_all_planned_on_its_day():
    study_day = rules.PlannedActivity(planned_from=date(2025, 10, 2), planned_to=date(2025, 10, 2), hours=D("7.5"))
    assert rules.planned_hours_by([study_day], date(2025, 10, 1)) == 0
    assert rules.planned_hours_by([study_day], date(2025, 10, 2)) == D("7.5")


def test_planned_not_done_is_the_rest_of_the_plan_after_today():
    study_day = rules.PlannedActivity(planned_from=date(2025, 9, 20), planned_to=date(2025, 9, 20), hours=D("7.5"))
    assert rules.planned_hours_not_done([YEAR_OF_COACHING, study_day], date(2025, 9, 4)) == D("13.5")
    assert rules.planned_hours_not_done([YEAR_OF_COACHING, study_day], date(2025, 9, 20)) == D("0.0")
    assert rules.planned_hours_not_done([], date(2025, 9, 20)) == D("0.0")


def test_planned_dates_in_the_wrong_order_are_refused():
    backwards = rules.PlannedActivity(planned_from=date(2025, 9, 2), planned_to=date(2025, 9, 1), hours=D(1))
    with pytest.raises(ValueError, match="planned_to must not be before planned_from"):
        rules.planned_hours_by([backwards], date(2025, 9, 1))


def test_every_activity_that_never_counts_says_why_and_others_were_not_agreed():
    """§4: the training plan shows why an activity does not count."""
    for kind in otj.NEVER_OTJ:
        assert rules.not_otj_reason(kind) == otj.NOT_OTJ_REASONS[kind]
    assert rules.not_otj_reason(rules.ActivityType.MENTORING) == "Not agreed as off-the-job training"
    assert "Progress reviews do not count" in rules.not_otj_reason("progress_review")
