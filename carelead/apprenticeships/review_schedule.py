"""Pure helpers for progress reviews (reference/apprenticeship-standard.md §5.1): when the next one is
due, which days a review looks back over, and the planned, actual and slippage figures for those days.

Stdlib only (like rules.py), so it is tested with no database or clock. The §5.1 interval itself is
`rules.next_review_due`; this module only decides what it is measured from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from carelead.apprenticeships import rules

WINDOW_BEFORE_START = "last_held_on must not be before start"


def next_due(*, start: date, last_held_on: date | None) -> date:
    """When the next review must be held (§5.1): measured from the date the last signed review was
    held, or from the start date before the first review."""
    if last_held_on is not None and last_held_on < start:
        raise ValueError(WINDOW_BEFORE_START)
    return rules.next_review_due(start=start, previous_review=last_held_on or start)


@dataclass(frozen=True)
class Window:
    """The days a review looks back over, both included: from the start date (first review) or the
    day after the last signed review was held, to `last_day` (the day the review was started).
    Empty when `last_day` is before `first_day` (a review started on the day of the last one)."""

    first_day: date
    last_day: date

    @property
    def is_empty(self) -> bool:
        return self.last_day < self.first_day


def review_window(*, start: date, last_held_on: date | None, today: date) -> Window:
    """Everything since the last review (§5.1, P60: "training delivered since"): the last review's own
    day belongs to it, so the window opens the day after; the first review's opens on the start date."""
    if last_held_on is not None and last_held_on < start:
        raise ValueError(WINDOW_BEFORE_START)
    first = start if last_held_on is None else last_held_on + timedelta(days=1)
    return Window(first_day=first, last_day=today)


def planned_in_window(activities: Iterable[rules.PlannedActivity], window: Window) -> Fraction:
    """Planned OTJ hours falling due within the window: planned by its last day less planned by the
    day before its first (rules.planned_hours_by accrues each activity evenly over its days)."""
    if window.is_empty:
        return Fraction(0)
    listed = list(activities)
    return (rules.planned_hours_by(listed, window.last_day)
            - rules.planned_hours_by(listed, window.first_day - timedelta(days=1)))


def slippage_hours(*, planned: Decimal, actual: Decimal) -> Decimal:
    """Planned OTJ hours not done in the window (§5.1, P60: "record slippage in planned OTJ hours");
    0 when the apprentice did as much as planned or more."""
    return max(planned - actual, Decimal(0))


def action_due_errors(*, held_on: date | None, due_dates: Iterable[date | None]) -> dict[int, str]:
    """Index of each SMART action whose "by when" is not after the review date, with the message.
    An action agreed at a review is for the time after it (§5.1: "actions for next review")."""
    if held_on is None:
        return {}
    shown = f"{held_on.day} {held_on:%b %Y}"
    return {index: ACTION_DUE_AFTER_MESSAGE.format(date=shown)
            for index, due in enumerate(due_dates) if due is not None and due <= held_on}


ACTION_DUE_AFTER_MESSAGE = "Enter a date after the review was held ({date})"
