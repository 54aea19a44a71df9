"""Risk rules as pure functions: the 5 x 5 likelihood x severity matrix and review dates.

Source: the 5 x 5 risk matrix widely used in UK health and social care, as in the HSE's
"Risk assessment: a brief guide to controlling risks in the workplace" (INDG163, the "5 steps to
risk assessment") and the NHS risk matrix of the National Patient Safety Agency, "A risk matrix for
risk managers" (NPSA, January 2008). Likelihood: 1 rare, 2 unlikely, 3 possible, 4 likely,
5 almost certain. Severity (consequence): 1 negligible, 2 minor, 3 moderate, 4 major,
5 catastrophic. Score = likelihood x severity; NPSA grading: 1-3 low (green), 4-6 moderate
(yellow), 8-12 high (orange), 15-25 extreme (red).
"""

from datetime import date, timedelta

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
