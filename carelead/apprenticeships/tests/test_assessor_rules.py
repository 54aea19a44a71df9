"""The rules of an end-point assessor's access window and of the achievement date (assessor_rules):
pure functions, every boundary (issue 6 "End-point assessment" and "Completion")."""

from datetime import date

import pytest

from carelead.apprenticeships import assessor_rules as rules

GATEWAY = date(2026, 3, 2)
TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 3, 10), 6, date(2026, 9, 10)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),  # the shorter month's last day
    (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
])
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert rules.add_months(start, months) == expected


def window(starts_on, ends_on, today=TODAY):
    return rules.access_window_errors(starts_on=starts_on, ends_on=ends_on, gateway_date=GATEWAY, today=today)


def test_a_window_from_today_to_six_months_on_is_allowed():
    assert window(TODAY, date(2026, 9, 10)) == {}


def test_a_one_day_window_is_allowed():
    assert window(TODAY, TODAY) == {}


def test_a_day_over_six_months_is_refused_naming_the_last_day():
    assert window(TODAY, date(2026, 9, 11)) == {"ends_on": [rules.END_TOO_LATE.format(latest="10 Sep 2026")]}


def test_an_end_before_the_start_is_refused():
    assert window(TODAY, date(2026, 3, 9)) == {"ends_on": [rules.END_BEFORE_START]}


def test_a_start_before_gateway_is_refused_even_when_today_is_earlier():
    assert window(date(2026, 3, 1), date(2026, 4, 1), today=date(2026, 2, 1)) == {
        "starts_on": [rules.START_BEFORE_GATEWAY.format(gateway="2 Mar 2026")]}


def test_access_is_never_backdated():
    assert window(date(2026, 3, 9), date(2026, 4, 1)) == {"starts_on": [rules.START_IN_PAST]}


@pytest.mark.parametrize(("today", "revoked", "open_"), [
    (date(2026, 3, 31), False, False),  # the day before the start
    (date(2026, 4, 1), False, True),  # the start day
    (date(2026, 4, 30), False, True),  # the end day
    (date(2026, 5, 1), False, False),  # the day after the end
    (date(2026, 4, 15), True, False),  # revoked
])
def test_access_is_open_from_the_start_to_the_end_inclusive(today, revoked, open_):
    assert rules.is_access_open(starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30), revoked=revoked,
                                today=today) is open_


@pytest.mark.parametrize(("achieved", "errors"), [
    (date(2026, 3, 1), [rules.ACHIEVED_BEFORE_GATEWAY.format(gateway="2 Mar 2026")]),
    (GATEWAY, []),
    (TODAY, []),
    (date(2026, 3, 11), [rules.ACHIEVED_IN_FUTURE]),
])
def test_the_achievement_date_is_between_gateway_and_today(achieved, errors):
    assert rules.achievement_date_errors(achieved_on=achieved, gateway_date=GATEWAY, today=TODAY) == errors


@pytest.mark.parametrize(("achieved", "errors"), [
    (GATEWAY, [rules.ACHIEVED_BEFORE_EPA.format(assessed="6 Mar 2026")]),  # after gateway, before the EPA ended
    (date(2026, 3, 5), [rules.ACHIEVED_BEFORE_EPA.format(assessed="6 Mar 2026")]),
    (date(2026, 3, 6), []),  # the day the last method was held
    (TODAY, []),
])
def test_the_achievement_date_is_not_before_the_end_point_assessment_was_held(achieved, errors):
    assert rules.achievement_date_errors(achieved_on=achieved, gateway_date=GATEWAY, today=TODAY,
                                         assessed_on=date(2026, 3, 6)) == errors
