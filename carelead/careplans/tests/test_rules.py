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
