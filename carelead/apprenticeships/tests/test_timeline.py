"""The timeline's paging, filtering and ordering (timeline.py), pure: no database, no clock."""

from datetime import date

import pytest

from carelead.apprenticeships.timeline import (
    ASSESSED, LEARNED, LED, STRANDS, Event, add_months, months_of, parse_page, parse_strands, window,
)


def event(strand, on, title="x"):
    return Event(strand=strand, on=on, kind="Thing", title=title)


@pytest.mark.parametrize(("values", "expected"), [
    ([], STRANDS), (["nonsense"], STRANDS), (["assessed", "led"], (LED, ASSESSED)),
    (["learned", "learned"], (LEARNED,)),
])
def test_strands_in_order_unknown_ignored_none_means_all(values, expected):
    assert parse_strands(values) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("x", 1)])
def test_page_numbers(value, expected):
    assert parse_page(value) == expected


@pytest.mark.parametrize(("first", "months", "expected"), [
    (date(2026, 3, 1), -5, date(2025, 10, 1)), (date(2026, 1, 1), -1, date(2025, 12, 1)),
    (date(2025, 12, 1), 1, date(2026, 1, 1)), (date(2026, 3, 1), 0, date(2026, 3, 1)),
    (date(2026, 3, 1), -24, date(2024, 3, 1)),
])
def test_add_months_crosses_years(first, months, expected):
    assert add_months(first, months) == expected


def test_page_one_is_this_month_and_the_five_before():
    span = window(today=date(2026, 3, 17), page=1, earliest=date(2025, 9, 1))
    assert (span.since, span.until, span.newer, span.older) == (date(2025, 10, 1), date(2026, 3, 31), None, 2)


def test_page_two_is_the_six_months_before_and_the_last_when_it_reaches_the_start():
    span = window(today=date(2026, 3, 17), page=2, earliest=date(2025, 9, 1))
    assert (span.since, span.until, span.newer, span.older) == (date(2025, 4, 1), date(2025, 9, 30), 1, None)


def test_a_page_starting_on_the_start_date_has_no_older_page():
    assert window(today=date(2026, 2, 28), page=1, earliest=date(2025, 9, 1)).older is None
    assert window(today=date(2026, 2, 28), page=1, earliest=date(2025, 8, 31)).older == 2


def test_a_february_page_ends_on_its_last_day_in_a_leap_year():
    assert window(today=date(2028, 2, 3), page=1, earliest=date(2020, 1, 1)).until == date(2028, 2, 29)


def test_months_newest_first_and_on_one_day_led_then_learned_then_assessed():
    events = [event(ASSESSED, date(2026, 3, 2), "a"), event(LEARNED, date(2026, 1, 5)), event(LED, date(2026, 3, 2)),
              event(LEARNED, date(2026, 3, 2)), event(ASSESSED, date(2026, 3, 20))]
    months = months_of(events)
    assert [month.label for month in months] == ["March 2026", "January 2026"]
    assert [(e.strand, e.on.day) for e in months[0].events] == [
        (ASSESSED, 20), (LED, 2), (LEARNED, 2), (ASSESSED, 2)]


def test_nothing_gives_no_months():
    assert months_of([]) == []


@pytest.mark.parametrize("page", [3, 5000, 10**12])
def test_a_page_past_the_oldest_is_the_oldest_page_never_an_error(page):
    span = window(today=date(2026, 3, 17), page=page, earliest=date(2025, 9, 1))
    assert (span.page, span.since, span.until, span.newer, span.older) == (
        2, date(2025, 4, 1), date(2025, 9, 30), 1, None)


def test_an_apprenticeship_starting_after_today_has_one_page():
    span = window(today=date(2026, 3, 17), page=4, earliest=date(2026, 9, 1))
    assert (span.page, span.since, span.older) == (1, date(2025, 10, 1), None)
