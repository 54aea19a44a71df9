"""Falls risk tools used in UK care settings — reference/clinical-tools.md §9; encodings and
categories §11.1.

NICE NG249 (2025) finds falls-risk prediction tools poor at predicting falls and advises against
letting them drive care on their own (§0.8, §9): these scores are case-finding aids that feed a
multifactorial falls assessment, never a verdict on their own.
"""

from collections.abc import Mapping
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

# FRAT (Nandy et al., J Public Health 2004) — §9.1: five yes/no questions, yes = 1.
FRAT_UK_QUESTIONS = (
    "fall_in_previous_year",
    "four_or_more_medications",
    "stroke_or_parkinsons",
    "balance_problems",
    "unable_to_rise_from_chair_without_arms",
)
FRAT_UK_HIGHER_RISK_FROM = 3

# PH-FRAT part 1 (Peninsula Health 1999; Stapleton et al. 2009) — §9.2.
PH_FRAT_RECENT_FALLS = {
    "none_in_12_months": 2,
    "one_or_more_3_to_12_months_ago": 4,
    "one_or_more_last_3_months": 6,
    "one_or_more_last_3_months_as_inpatient_or_resident": 8,
}
# Medications, psychological and cognitive status are sent as their option's points, 1–4 (§11.1):
# medications none 1, one 2, two 3, more than two 4; psychological none apparent 1, mildly 2,
# moderately 3, severely affected 4; cognitive status (AMTS) intact 9–10 1, mild 7–8 2,
# moderate 5–6 3, severe 4 or less 4.
PH_FRAT_GRADED_ITEMS = ("medications", "psychological", "cognitive_status")
PH_FRAT_AUTOMATIC_HIGH = ("recent_change_affecting_mobility", "dizziness_or_postural_hypotension")
# (lowest total of the band, category), highest first (§9.2: low 5–11, medium 12–15, high 16–20).
PH_FRAT_BANDS = ((16, "high"), (12, "medium"), (5, "low"))


def score_frat_uk(inputs: Mapping[str, Any]) -> ToolScore:
    """FRAT (UK primary care): the number of "yes" answers to the five questions. Three or more is
    `higher_risk` (refer for further assessment); fewer is `lower_risk`."""
    given = Inputs(inputs, known=set(FRAT_UK_QUESTIONS))
    answers = [given.boolean(question) for question in FRAT_UK_QUESTIONS]
    given.check()
    total = sum(answers)
    return ToolScore(total, "higher_risk" if total >= FRAT_UK_HIGHER_RISK_FROM else "lower_risk")


def score_ph_frat_part1(inputs: Mapping[str, Any]) -> ToolScore:
    """PH-FRAT part 1: recent falls (2, 4, 6 or 8) + medications + psychological + cognitive status
    (1–4 each); total 5–20, low 5–11, medium 12–15, high 16–20. A recent (or anticipated) change
    in functional status or medicines affecting safe mobility, or dizziness or postural
    hypotension, makes the person high risk automatically, whatever the total (the total is still
    the sum)."""
    known = {"recent_falls", *PH_FRAT_GRADED_ITEMS, *PH_FRAT_AUTOMATIC_HIGH}
    given = Inputs(inputs, known=known)
    recent_falls = given.choice("recent_falls", PH_FRAT_RECENT_FALLS)
    graded = [given.integer(item, low=1, high=4) for item in PH_FRAT_GRADED_ITEMS]
    automatic_high = [given.boolean(flag) for flag in PH_FRAT_AUTOMATIC_HIGH]
    given.check()
    total = recent_falls + sum(graded)
    if any(automatic_high):
        return ToolScore(total, "high")
    return ToolScore(total, next(category for lowest, category in PH_FRAT_BANDS if total >= lowest))
