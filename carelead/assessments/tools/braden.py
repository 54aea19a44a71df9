"""Braden Scale for Predicting Pressure Sore Risk (Bergstrom, Braden, Laguzza & Holman, Nurs Res
1987; © Braden & Bergstrom 1988) — reference/clinical-tools.md §5; encodings and categories §11.1.

Six subscales: sensory perception, moisture, activity, mobility and nutrition 1–4 each, friction
and shear 1–3; total 6–23, lower meaning higher risk. The bands are those of the openEHR archetype
and the VA template (§5.2), not the older teaching-site bands. The protocol's "move up one level
for other major risk factors" is unverified ([I], §12) and is not applied.
"""

from collections.abc import Mapping
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

# Each subscale's highest score (all start at 1), in the scale's order.
SUBSCALE_MAXIMA = {
    "sensory_perception": 4,
    "moisture": 4,
    "activity": 4,
    "mobility": 4,
    "nutrition": 4,
    "friction_shear": 3,
}

# (lowest total of the band, category), highest first (§5.2, §11.1).
BANDS = ((19, "not_at_risk"), (15, "mild"), (13, "moderate"), (10, "high"), (6, "severe"))


def category(total: int) -> str:
    """19–23 not at risk; 15–18 mild; 13–14 moderate; 10–12 high; 9 or less severe risk."""
    return next(category for lowest, category in BANDS if total >= lowest)


def score(inputs: Mapping[str, Any]) -> ToolScore:
    """Braden: the sum of the six subscale scores (6–23), with its risk category."""
    given = Inputs(inputs, known=set(SUBSCALE_MAXIMA))
    points = [given.integer(name, low=1, high=maximum) for name, maximum in SUBSCALE_MAXIMA.items()]
    given.check()
    total = sum(points)
    return ToolScore(total, category(total))
