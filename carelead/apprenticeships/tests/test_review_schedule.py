"""The pure review schedule helpers (review_schedule.py, reference/apprenticeship-standard.md §5.1)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from carelead.apprenticeships import review_schedule
from carelead.apprenticeships.rules import PlannedActivity


@pytest.mark.parametrize(("start", "last_held", "due"), [
    (date(2025, 7, 31), None, date(2025, 10, 23)),  # 12 weeks: last start day of the old rule
    (date(2025, 8, 1), None, date(2025, 11, 30)),  # rule 92: 1 Aug -> 30 Nov
    (date(2025, 7, 31), date(2025, 10, 20), date(2026, 1, 12)),
    (date(2025, 8, 1), date(2025, 10, 31), date(2026, 1, 31)),
])
def test_next_due_counts_from_the_last_held_review_or_the_start(start, last_held, due):
    assert review_schedule.next_due(start=start, last_held_on=last_held) == due


def test_a_review_held_before_the_start_is_refused():
    with pytest.raises(ValueError, match="last_held_on must not be before start"):
        review_schedule.next_due(start=date(2025, 9, 1), last_held_on=date(2025, 8, 31))
    with pytest.raises(ValueError, match="last_held_on must not be before start"):
        review_schedule.review_window(start=date(2025, 9, 1), last_held_on=date(2025, 8, 31), today=date(2025, 12, 1))


def test_the_first_window_opens_on_the_start_date_and_later_ones_the_day_after_the_last_review():
    first = review_schedule.review_window(start=date(2025, 9, 1), last_held_on=None, today=date(2025, 11, 20))
    assert (first.first_day, first.last_day) == (date(2025, 9, 1), date(2025, 11, 20))
    later = review_schedule.review_window(start=date(2025, 9, 1), last_held_on=date(2025, 11, 20),
                                          today=date(2026, 2, 10))
    assert (later.first_day, later.last_day) == (date(2025, 11, 21), date(2026, 2, 10))
    same_day = review_schedule.review_window(start=date(2025, 9, 1), last_held_on=date(2025, 11, 20),
                                             today=date(2025, 11, 20))
    assert same_day.is_empty


def test_planned_in_window_is_the_share_of_each_activity_falling_due_in_its_days():
    ten_days = PlannedActivity(planned_from=date(2025, 9, 1), planned_to=date(2025, 9, 10), hours=Decimal(10))
    window = review_schedule.Window(first_day=date(2025, 9, 4), last_day=date(2025, 9, 6))
    assert review_schedule.planned_in_window([ten_days], window) == Fraction(3)
    whole = review_schedule.Window(first_day=date(2025, 9, 1), last_day=date(2025, 12, 1))
    assert review_schedule.planned_in_window([ten_days], whole) == Fraction(10)
    empty = review_schedule.Window(first_day=date(2025, 9, 5), last_day=date(2025, 9, 4))
    assert review_schedule.planned_in_window([ten_days], empty) == 0


@pytest.mark.parametrize(("planned", "actual", "slipped"), [
    (Decimal("12.0"), Decimal("9.5"), Decimal("2.5")), (Decimal(5), Decimal(5), Decimal(0)),
    (Decimal(5), Decimal(8), Decimal(0))])
def test_slippage_is_planned_hours_not_done_never_below_zero(planned, actual, slipped):
    assert review_schedule.slippage_hours(planned=planned, actual=actual) == slipped


def test_an_action_is_due_after_the_review_day_not_on_it():
    errors = review_schedule.action_due_errors(
        held_on=date(2025, 11, 20), due_dates=[date(2025, 11, 20), date(2025, 11, 21), None, date(2025, 1, 1)])
    assert sorted(errors) == [0, 3]
    assert errors[0] == "Enter a date after the review was held (20 Nov 2025)"
    assert review_schedule.action_due_errors(held_on=None, due_dates=[date(2020, 1, 1)]) == {}
