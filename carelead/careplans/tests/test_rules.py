"""The 5 x 5 risk matrix (NPSA 2008, "A risk matrix for risk managers"; HSE INDG163) and review dates."""

from datetime import date

import pytest

from carelead.careplans.rules import (
    EXTREME,
    HIGH,
    LOW,
    MODERATE,
    is_review_overdue,
    review_due_on,
    risk_rating,
    risk_score,
)

# The NPSA 2008 matrix, row by likelihood 1-5, column by severity 1-5.
NPSA_GRID = [
    [LOW, LOW, LOW, MODERATE, MODERATE],
    [LOW, MODERATE, MODERATE, HIGH, HIGH],
    [LOW, MODERATE, HIGH, HIGH, EXTREME],
    [MODERATE, HIGH, HIGH, EXTREME, EXTREME],
    [MODERATE, HIGH, EXTREME, EXTREME, EXTREME],
]


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("severity", range(1, 6))
def test_every_cell_of_the_matrix_scores_and_rates_as_npsa_2008(likelihood, severity):
    score = risk_score(likelihood, severity)
    assert score == likelihood * severity
    assert risk_rating(score) == NPSA_GRID[likelihood - 1][severity - 1]


@pytest.mark.parametrize(("score", "rating"), [
    (1, LOW), (3, LOW), (4, MODERATE), (6, MODERATE), (8, HIGH), (12, HIGH), (15, EXTREME), (25, EXTREME),
])
def test_rating_boundaries(score, rating):
    assert risk_rating(score) == rating


def test_impossible_products_are_never_scored():
    reachable = {risk_score(lk, sv) for lk in range(1, 6) for sv in range(1, 6)}
    assert reachable.isdisjoint({7, 11, 13, 14, 17, 18, 19, 21, 22, 23, 24})
    assert reachable == {1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25}


@pytest.mark.parametrize(("likelihood", "severity"), [(0, 3), (6, 3), (3, 0), (3, 6), (True, 3), (2.5, 3)])
def test_values_off_the_matrix_are_refused(likelihood, severity):
    with pytest.raises(ValueError):
        risk_score(likelihood, severity)


@pytest.mark.parametrize("score", [0, 26, -1])
def test_scores_off_the_matrix_have_no_rating(score):
    with pytest.raises(ValueError):
        risk_rating(score)


def test_review_is_due_the_interval_after_the_last_review():
    assert review_due_on(date(2026, 3, 3), 89) == date(2026, 5, 31)


@pytest.mark.parametrize(("today", "overdue"), [
    (date(2026, 5, 30), False), (date(2026, 5, 31), False), (date(2026, 6, 1), True),
])
def test_review_is_overdue_only_from_the_day_after_it_is_due(today, overdue):
    assert is_review_overdue(date(2026, 5, 31), today) is overdue


# --- Review cycles of care plans (reference/care-records-and-regulation.md §1) -----------------

from carelead.careplans.rules import (  # noqa: E402
    DUE,
    DUE_SOON_DAYS,
    IN_DATE,
    OVERDUE,
    REVIEW_STATE_COLOURS,
    REVIEW_STATE_LABELS,
    next_review_on,
    review_state,
    review_tag,
)

REVIEW_ON = date(2026, 12, 21)


@pytest.mark.parametrize(("today", "state"), [
    (date(2026, 12, 13), IN_DATE),  # 8 days before: not yet in the due window
    (date(2026, 12, 14), DUE),  # exactly DUE_SOON_DAYS (7) before: the window's first day
    (date(2026, 12, 20), DUE),
    (date(2026, 12, 21), DUE),  # the day itself is still on time
    (date(2026, 12, 22), OVERDUE),  # the day after
    (date(2027, 3, 1), OVERDUE),
    (date(2026, 1, 1), IN_DATE),
])
def test_review_state_at_every_boundary(today, state):
    assert DUE_SOON_DAYS == 7
    assert review_state(REVIEW_ON, today) == state


def test_every_review_state_has_a_label_and_a_colour():
    assert REVIEW_STATE_LABELS == {IN_DATE: "In date", DUE: "Due", OVERDUE: "Overdue"}
    assert set(REVIEW_STATE_COLOURS) == {IN_DATE, DUE, OVERDUE}


@pytest.mark.parametrize(("today", "tag"), [
    (date(2026, 12, 13), ("In date", "green")),
    (date(2026, 12, 14), ("Due", "yellow")),  # the due window's first day
    (date(2026, 12, 21), ("Due", "yellow")),  # the day itself
    (date(2026, 12, 22), ("Overdue", "red")),  # the day after
])
def test_review_tag_is_the_states_words_and_colour(today, tag):
    assert review_tag(REVIEW_ON, today) == tag


@pytest.mark.parametrize(("reviewed_on", "interval", "expected"), [
    (date(2026, 11, 23), 28, date(2026, 12, 21)),
    (date(2026, 12, 20), 28, date(2027, 1, 17)),  # over the year end
    (date(2028, 2, 1), 28, date(2028, 2, 29)),  # a leap year
    (date(2026, 11, 23), 1, date(2026, 11, 24)),
    (date(2026, 11, 23), 366, date(2027, 11, 24)),
])
def test_next_review_is_the_interval_after_the_review(reviewed_on, interval, expected):
    assert next_review_on(reviewed_on, interval_days=interval) == expected


@pytest.mark.parametrize(("reviewed_on", "expected"), [
    (date(2026, 11, 15), date(2026, 12, 15)),  # on the day
    (date(2026, 11, 10), date(2026, 12, 15)),  # early: still the resident's day next month
    (date(2026, 11, 27), date(2026, 12, 15)),  # late: back on the rota, not a month after the late review
    (date(2026, 12, 15), date(2027, 1, 15)),  # December rolls into January of the next year
    (date(2026, 12, 31), date(2027, 1, 15)),
    (date(2027, 1, 31), date(2027, 2, 15)),
])
def test_resident_of_the_day_is_the_same_day_next_month_whether_early_or_late(reviewed_on, expected):
    assert next_review_on(reviewed_on, interval_days=28, resident_of_the_day=15) == expected


def test_resident_of_the_day_28_exists_in_february():
    assert next_review_on(date(2027, 1, 28), interval_days=28, resident_of_the_day=28) == date(2027, 2, 28)


@pytest.mark.parametrize(("interval", "day"), [(0, None), (-1, None), (28, 0), (28, 29), (28, 31)])
def test_impossible_review_cycles_are_refused(interval, day):
    with pytest.raises(ValueError):
        next_review_on(date(2026, 11, 23), interval_days=interval, resident_of_the_day=day)
