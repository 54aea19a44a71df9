"""Abbey Pain Scale (Abbey et al., Int J Palliat Nurs 2004) — reference/clinical-tools.md §7;
encodings and categories §11.1.

For people who cannot say they are in pain (e.g. advanced dementia), observed ideally during
movement or care. Six items, each absent 0, mild 1, moderate 2, severe 3; the total is 0–18 (the
openEHR draft's cap of 15 is an error the source points out).
"""

from collections.abc import Mapping
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

ITEMS = (
    "vocalisation",
    "facial_expression",
    "body_language_change",
    "behavioural_change",
    "physiological_change",
    "physical_changes",
)

# (lowest total of the band, category), highest first (§7: 0–2, 3–7, 8–13, 14+).
BANDS = ((14, "severe"), (8, "moderate"), (3, "mild"), (0, "no_pain"))


def score(inputs: Mapping[str, Any]) -> ToolScore:
    """The sum of the six items, each 0–3 (absent, mild, moderate, severe). Categories: 0–2 no
    pain, 3–7 mild, 8–13 moderate, 14–18 severe."""
    given = Inputs(inputs, known=set(ITEMS))
    points = [given.integer(item, low=0, high=3) for item in ITEMS]
    given.check()
    total = sum(points)
    return ToolScore(total, next(category for lowest, category in BANDS if total >= lowest))
