"""Falls risk tools: FRAT (UK primary care) and PH-FRAT part 1 (reference/clinical-tools.md §9.1,
§9.2; encodings and categories §11.1)."""

import json
from pathlib import Path

import pytest

from carelead.assessments.tools import ToolInputError, ToolScore, falls

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
SHARED_CASES = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "clinical-cases.json"

FRAT_QUESTIONS = ["fall_in_previous_year", "four_or_more_medications", "stroke_or_parkinsons", "balance_problems",
                  "unable_to_rise_from_chair_without_arms"]
NO_TO_ALL = dict.fromkeys(FRAT_QUESTIONS, False)
LOWEST_PH_FRAT = {"recent_falls": "none_in_12_months", "medications": 1, "psychological": 1, "cognitive_status": 1,
                  "recent_change_affecting_mobility": False, "dizziness_or_postural_hypotension": False}


def test_the_fixture_holds_the_published_sample():
    if not SHARED_CASES.exists():
        pytest.skip(f"{SHARED_CASES} is not beside this clone")
    shared = json.loads(SHARED_CASES.read_text())
    assert CASES["frat_uk"] == shared["frat_uk"]
    assert CASES["ph_frat_part1"] == shared["ph_frat_part1"]


# --- FRAT (§9.1) -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES["frat_uk"])
def test_frat_reference_cases(case):
    result = falls.score_frat_uk(case["inputs"])
    assert (result.total, result.category) == (case["total"], case["category"])


@pytest.mark.parametrize(("yes", "category"), [
    (0, "lower_risk"), (1, "lower_risk"), (2, "lower_risk"),  # fewer than 3
    (3, "higher_risk"), (4, "higher_risk"), (5, "higher_risk"),  # 3 or more
])
def test_frat_three_or_more_yes_is_higher_risk(yes, category):
    inputs = {question: index < yes for index, question in enumerate(FRAT_QUESTIONS)}
    assert falls.score_frat_uk(inputs) == ToolScore(yes, category)


@pytest.mark.parametrize("question", FRAT_QUESTIONS)
def test_frat_each_yes_counts_one(question):
    assert falls.score_frat_uk({**NO_TO_ALL, question: True}) == ToolScore(1, "lower_risk")


def test_frat_answers_must_be_yes_or_no():
    with pytest.raises(ToolInputError) as error:
        falls.score_frat_uk({"fall_in_previous_year": 1, "four_or_more_medications": "yes",
                             "stroke_or_parkinsons": None, "balance_problems": False, "dizziness": True})
    assert error.value.errors == {
        "fall_in_previous_year": "Answer true or false",
        "four_or_more_medications": "Answer true or false",
        "stroke_or_parkinsons": "Answer true or false",
        "unable_to_rise_from_chair_without_arms": "Answer true or false",
        "dizziness": "This tool has no such input",
    }


# --- PH-FRAT part 1 (§9.2) ----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES["ph_frat_part1"])
def test_ph_frat_reference_cases(case):
    result = falls.score_ph_frat_part1(case["inputs"])
    assert (result.total, result.category) == (case["total"], case["category"])


@pytest.mark.parametrize(("recent_falls", "points"), [
    ("none_in_12_months", 2),
    ("one_or_more_3_to_12_months_ago", 4),
    ("one_or_more_last_3_months", 6),
    ("one_or_more_last_3_months_as_inpatient_or_resident", 8),
])
def test_ph_frat_recent_falls_points(recent_falls, points):
    assert falls.score_ph_frat_part1({**LOWEST_PH_FRAT, "recent_falls": recent_falls}).total == points + 3


@pytest.mark.parametrize("item", ["medications", "psychological", "cognitive_status"])
def test_ph_frat_graded_items_are_sent_as_their_points_1_to_4(item):
    for points in (1, 2, 3, 4):
        assert falls.score_ph_frat_part1({**LOWEST_PH_FRAT, item: points}).total == 2 + 2 + points


# §9.2: low 5–11, medium 12–15, high 16–20; both sides of each edge.
@pytest.mark.parametrize(("recent_falls", "graded", "total", "category"), [
    ("none_in_12_months", (1, 1, 1), 5, "low"),
    ("one_or_more_3_to_12_months_ago", (3, 2, 2), 11, "low"),
    ("one_or_more_3_to_12_months_ago", (3, 3, 2), 12, "medium"),
    ("one_or_more_last_3_months", (3, 3, 3), 15, "medium"),
    ("one_or_more_last_3_months", (4, 3, 3), 16, "high"),
    ("one_or_more_last_3_months_as_inpatient_or_resident", (4, 4, 4), 20, "high"),
])
def test_ph_frat_bands(recent_falls, graded, total, category):
    medications, psychological, cognitive_status = graded
    inputs = {**LOWEST_PH_FRAT, "recent_falls": recent_falls, "medications": medications,
              "psychological": psychological, "cognitive_status": cognitive_status}
    assert falls.score_ph_frat_part1(inputs) == ToolScore(total, category)


@pytest.mark.parametrize("flag", ["recent_change_affecting_mobility", "dizziness_or_postural_hypotension"])
def test_ph_frat_either_flag_makes_the_lowest_total_high_risk(flag):
    # §9.2: automatically high risk whatever the total; the total is still the sum.
    assert falls.score_ph_frat_part1({**LOWEST_PH_FRAT, flag: True}) == ToolScore(5, "high")


def test_ph_frat_both_flags_together_are_high_risk_too():
    inputs = {**LOWEST_PH_FRAT, "recent_change_affecting_mobility": True, "dizziness_or_postural_hypotension": True}
    assert falls.score_ph_frat_part1(inputs) == ToolScore(5, "high")


def test_ph_frat_a_medium_total_with_a_flag_is_high():
    inputs = {**LOWEST_PH_FRAT, "recent_falls": "one_or_more_last_3_months", "medications": 2,
              "psychological": 2, "cognitive_status": 2, "recent_change_affecting_mobility": True}
    assert falls.score_ph_frat_part1(inputs) == ToolScore(12, "high")


@pytest.mark.parametrize(("item", "bad", "message"), [
    ("medications", 0, "Enter a whole number from 1 to 4"),
    ("medications", 5, "Enter a whole number from 1 to 4"),
    ("psychological", True, "Enter a whole number"),
    ("cognitive_status", 2.0, "Enter a whole number"),
    ("cognitive_status", "severe", "Enter a whole number"),
    ("recent_falls", 2, "Choose one of: none_in_12_months, one_or_more_3_to_12_months_ago, "
                        "one_or_more_last_3_months, one_or_more_last_3_months_as_inpatient_or_resident"),
    ("recent_change_affecting_mobility", "no", "Answer true or false"),
    ("dizziness_or_postural_hypotension", 0, "Answer true or false"),
])
def test_ph_frat_a_bad_field_is_named(item, bad, message):
    with pytest.raises(ToolInputError) as error:
        falls.score_ph_frat_part1({**LOWEST_PH_FRAT, item: bad})
    assert error.value.errors == {item: message}


def test_ph_frat_missing_and_unknown_fields_are_named_together():
    with pytest.raises(ToolInputError) as error:
        falls.score_ph_frat_part1({"recent_falls": "none_in_12_months", "amts": 9})
    assert set(error.value.errors) == {"amts", "medications", "psychological", "cognitive_status",
                                       "recent_change_affecting_mobility", "dizziness_or_postural_hypotension"}
