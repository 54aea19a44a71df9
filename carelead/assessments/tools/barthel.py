"""Barthel Index of Activities of Daily Living (reference/clinical-tools.md §6; encodings and
categories §11.1).

Two scales of the same ten items: the UK 0–20 version (Collin, Wade, Davies & Horne 1988) and the
original 0–100 version (Mahoney & Barthel 1965), whose item points are the 0–20 points × 5. Shah's
*Modified* Barthel Index (finer 5-level items) is a different instrument and is not scored here.

There is no official dependency banding (§6.3). The categories are the Shah, Vanclay & Cooper
(1989) bands on 0–100 and their ÷5 mapping on 0–20 — a named convention, marked [I] in the source.
"""

from collections.abc import Mapping
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

# Each item's highest score on the 0–20 scale (§6.1), in the Collin & Wade order.
ITEM_MAXIMA = {
    "bowels": 2,
    "bladder": 2,
    "grooming": 1,
    "toilet_use": 2,
    "feeding": 2,
    "transfer": 3,
    "mobility": 3,
    "dressing": 2,
    "stairs": 2,
    "bathing": 1,
}

# The 0–100 version allows only these point values per item: 0 up to the item's maximum × 5, in 5s.
ITEM_POINTS_100 = {item: tuple(range(0, maximum * 5 + 1, 5)) for item, maximum in ITEM_MAXIMA.items()}

# Shah-derived dependency bands (§6.3, §11.1): (lowest total of the band, category), highest first.
BANDS_20 = ((20, "independent"), (19, "slight_dependency"), (13, "moderate_dependency"),
            (5, "severe_dependency"), (0, "total_dependency"))
BANDS_100 = ((100, "independent"), (91, "slight_dependency"), (61, "moderate_dependency"),
             (21, "severe_dependency"), (0, "total_dependency"))


def _category(total: int, bands: tuple[tuple[int, str], ...]) -> str:
    return next(category for lowest, category in bands if total >= lowest)


def score(inputs: Mapping[str, Any]) -> ToolScore:
    """Barthel 0–20: the sum of the ten item scores (bowels 0–2, bladder 0–2, grooming 0–1, toilet
    use 0–2, feeding 0–2, transfer 0–3, mobility 0–3, dressing 0–2, stairs 0–2, bathing 0–1).
    Categories: 0–4 total, 5–12 severe, 13–18 moderate, 19 slight dependency, 20 independent."""
    given = Inputs(inputs, known=set(ITEM_MAXIMA))
    points = [given.integer(item, low=0, high=maximum) for item, maximum in ITEM_MAXIMA.items()]
    given.check()
    total = sum(points)
    return ToolScore(total, _category(total, BANDS_20))


def score_100(inputs: Mapping[str, Any]) -> ToolScore:
    """Barthel 0–100: the sum of the ten item scores, each a multiple of 5 from 0 to the item's
    maximum (feeding, bowels, bladder, toilet use, dressing, stairs 0/5/10; transfer and mobility
    0/5/10/15; grooming and bathing 0/5). Categories: 0–20 total, 21–60 severe, 61–90 moderate,
    91–99 slight dependency, 100 independent."""
    given = Inputs(inputs, known=set(ITEM_POINTS_100))
    points = []
    for item, allowed in ITEM_POINTS_100.items():
        value = given.raw.get(item)
        # An exact int only: JSON's 5.0 or true would otherwise compare equal to an allowed value.
        if type(value) is int and value in allowed:
            points.append(value)
        else:
            given.errors[item] = "Choose one of: " + ", ".join(str(option) for option in allowed)
    given.check()
    total = sum(points)
    return ToolScore(total, _category(total, BANDS_100))
