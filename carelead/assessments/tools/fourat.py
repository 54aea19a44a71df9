"""4AT rapid assessment test for delirium (MacLullich et al.; the4at.com guide) —
reference/clinical-tools.md §8; encodings and categories §11.1.

Four items: alertness (0 or 4), AMT4 (0, 1 or 2), attention — months backwards (0, 1 or 2), acute
change or fluctuating course (0 or 4); total 0–12. No one is "unable to assess": a person who
cannot engage is scored "untestable" on AMT4 and attention, which gives 4 or more.
"""

from collections.abc import Mapping
from typing import Any

from carelead.assessments.tools.base import Inputs, ToolScore

KNOWN = {"alertness", "amt4_mistakes", "attention", "acute_change_or_fluctuating_course"}

# Item 1: mild sleepiness for under 10 seconds after waking, then normal, scores 0 (§8).
ALERTNESS = {"normal": 0, "mild_sleepiness_under_10_seconds": 0, "clearly_abnormal": 4}
# Item 3: months of the year backwards from December.
ATTENTION = {"seven_or_more_correct": 0, "fewer_than_seven_or_refuses": 1, "untestable": 2}
UNTESTABLE = "untestable"
AMT4_QUESTIONS = 4  # age, date of birth, place, current year
AMT4_MESSAGE = f'Enter the number of mistakes, from 0 to {AMT4_QUESTIONS}, or "{UNTESTABLE}"'


def amt4_points(mistakes: int | str) -> int:
    """AMT4: no mistakes 0; one mistake 1; two or more mistakes, or untestable, 2."""
    if mistakes == UNTESTABLE:
        return 2
    return min(mistakes, 2)


def score(inputs: Mapping[str, Any]) -> ToolScore:
    """The sum of the four items. Categories: 0 delirium or severe cognitive impairment unlikely
    (`delirium_unlikely`), 1–3 possible cognitive impairment, 4 or more possible delirium (with or
    without cognitive impairment). A diagnosis is by clinical judgement, never by this score."""
    given = Inputs(inputs, known=KNOWN)
    alertness = given.choice("alertness", ALERTNESS)
    mistakes = given.raw.get("amt4_mistakes")
    if not (mistakes == UNTESTABLE or (type(mistakes) is int and 0 <= mistakes <= AMT4_QUESTIONS)):
        given.errors["amt4_mistakes"] = AMT4_MESSAGE
        mistakes = 0
    attention = given.choice("attention", ATTENTION)
    acute_change = given.boolean("acute_change_or_fluctuating_course")
    given.check()
    total = alertness + amt4_points(mistakes) + attention + (4 if acute_change else 0)
    if total >= 4:
        category = "possible_delirium"
    elif total >= 1:
        category = "possible_cognitive_impairment"
    else:
        category = "delirium_unlikely"
    return ToolScore(total, category)
