"""Risk rules as pure functions: the 5 x 5 likelihood x severity matrix and review dates.

Source: the 5 x 5 risk matrix widely used in UK health and social care, as in the HSE's
"Risk assessment: a brief guide to controlling risks in the workplace" (INDG163, the "5 steps to
risk assessment") and the NHS risk matrix of the National Patient Safety Agency, "A risk matrix for
risk managers" (NPSA, January 2008). Likelihood: 1 rare, 2 unlikely, 3 possible, 4 likely,
5 almost certain. Severity (consequence): 1 negligible, 2 minor, 3 moderate, 4 major,
5 catastrophic. Score = likelihood x severity; NPSA grading: 1-3 low (green), 4-6 moderate
(yellow), 8-12 high (orange), 15-25 extreme (red).

Review cycles of care and support plans: reference/care-records-and-regulation.md §1 (Person
Centred Software's default 28-day review or a "resident of the day" rota; three states in date /
due / overdue rolled up to a location status page).
"""

from datetime import date, timedelta

DEFAULT_REVIEW_INTERVAL_DAYS = 28
# A review is "due" in the week before its date: carelead's choice [I], so a team sees what is
# coming while there is still time to plan it.
DUE_SOON_DAYS = 7
IN_DATE, DUE, OVERDUE = "in_date", "due", "overdue"
REVIEW_STATE_LABELS = {IN_DATE: "In date", DUE: "Due", OVERDUE: "Overdue"}
REVIEW_STATE_COLOURS = {IN_DATE: "green", DUE: "yellow", OVERDUE: "red"}

LIKELIHOODS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
SEVERITIES = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}

LOW, MODERATE, HIGH, EXTREME = "low", "moderate", "high", "extreme"
RATING_LABELS = {LOW: "Low", MODERATE: "Moderate", HIGH: "High", EXTREME: "Extreme"}
# NHS.UK tag colours for each rating (NPSA 2008: green, yellow, orange, red).
RATING_COLOURS = {LOW: "green", MODERATE: "yellow", HIGH: "orange", EXTREME: "red"}


def risk_score(likelihood: int, severity: int) -> int:
    """The risk score is likelihood x severity, each 1-5 (NPSA 2008 risk matrix)."""
    for name, value in (("likelihood", likelihood), ("severity", severity)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValueError(f"{name} must be a whole number from 1 to 5")
    return likelihood * severity


def risk_rating(score: int) -> str:
    """NPSA 2008 grading of a matrix score: 1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme."""
    if not 1 <= score <= 25:
        raise ValueError("A risk score is from 1 to 25")
    if score <= 3:
        return LOW
    if score <= 6:
        return MODERATE
    if score <= 12:
        return HIGH
    return EXTREME


def review_due_on(last_reviewed: date, interval_days: int) -> date:
    """A risk assessment is next due `interval_days` after it was last reviewed."""
    return last_reviewed + timedelta(days=interval_days)


def is_review_overdue(review_on: date, today: date) -> bool:
    """A review held on its due date is on time; it is overdue from the day after."""
    return today > review_on


def review_state(review_on: date, today: date) -> str:
    """In date; due from DUE_SOON_DAYS before the review date up to and on it; overdue the day after."""
    if is_review_overdue(review_on, today):
        return OVERDUE
    if (review_on - today).days <= DUE_SOON_DAYS:
        return DUE
    return IN_DATE


def review_tag(review_on: date, today: date) -> tuple[str, str]:
    """The review state as a tag: its words and its NHS.UK colour, never the colour alone."""
    state = review_state(review_on, today)
    return REVIEW_STATE_LABELS[state], REVIEW_STATE_COLOURS[state]


def next_review_on(reviewed_on: date, *, interval_days: int, resident_of_the_day: int | None = None) -> date:
    """The next review after one held on `reviewed_on`.

    With a "resident of the day" (a day of the month, 1 to 28, so every month has it) the plan is
    reviewed on that day of the month after the review, whether this review was early or late;
    otherwise `interval_days` after it (28 by default).
    """
    if resident_of_the_day is None:
        if interval_days < 1:
            raise ValueError("A review interval is at least 1 day")
        return reviewed_on + timedelta(days=interval_days)
    if not 1 <= resident_of_the_day <= 28:
        raise ValueError("The resident of the day is a day of the month from 1 to 28")
    year, month = (reviewed_on.year + 1, 1) if reviewed_on.month == 12 else (reviewed_on.year, reviewed_on.month + 1)
    return date(year, month, resident_of_the_day)
