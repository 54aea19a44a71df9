"""4AT rapid assessment test for delirium (reference/clinical-tools.md §8; encodings and categories
§11.1)."""

import json
from pathlib import Path

import pytest

from carelead.assessments.tools import ToolInputError, ToolScore, fourat

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
SHARED_CASES = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "clinical-cases.json"

CLEAR = {"alertness": "normal", "amt4_mistakes": 0, "attention": "seven_or_more_correct",
         "acute_change_or_fluctuating_course": False}
AMT4_MESSAGE = 'Enter the number of mistakes, from 0 to 4, or "untestable"'


def test_the_fixture_holds_the_published_sample():
    if not SHARED_CASES.exists():
        pytest.skip(f"{SHARED_CASES} is not beside this clone")
    assert CASES["four_at"] == json.loads(SHARED_CASES.read_text())["four_at"]


@pytest.mark.parametrize("case", CASES["four_at"])
def test_reference_cases(case):
    result = fourat.score(case["inputs"])
    assert (result.total, result.category) == (case["total"], case["category"])


@pytest.mark.parametrize(("alertness", "points"), [
    ("normal", 0),
    ("mild_sleepiness_under_10_seconds", 0),  # §8: brief sleepiness on waking, then normal, is normal
    ("clearly_abnormal", 4),
])
def test_alertness(alertness, points):
    assert fourat.score({**CLEAR, "alertness": alertness}).total == points


@pytest.mark.parametrize(("mistakes", "points"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 2), ("untestable", 2)])
def test_amt4_two_or_more_mistakes_or_untestable_score_2(mistakes, points):
    assert fourat.score({**CLEAR, "amt4_mistakes": mistakes}).total == points


@pytest.mark.parametrize(("attention", "points"), [
    ("seven_or_more_correct", 0),
    ("fewer_than_seven_or_refuses", 1),
    ("untestable", 2),
])
def test_attention(attention, points):
    assert fourat.score({**CLEAR, "attention": attention}).total == points


def test_acute_change_or_fluctuating_course_scores_4():
    assert fourat.score({**CLEAR, "acute_change_or_fluctuating_course": True}) == ToolScore(4, "possible_delirium")


# §8: 0 unlikely; 1–3 possible cognitive impairment; 4+ possible delirium. Both sides of each edge.
@pytest.mark.parametrize(("changes", "total", "category"), [
    ({}, 0, "delirium_unlikely"),
    ({"amt4_mistakes": 1}, 1, "possible_cognitive_impairment"),
    ({"amt4_mistakes": 2, "attention": "fewer_than_seven_or_refuses"}, 3, "possible_cognitive_impairment"),
    ({"amt4_mistakes": 2, "attention": "untestable"}, 4, "possible_delirium"),
    ({"alertness": "clearly_abnormal"}, 4, "possible_delirium"),
    ({"alertness": "clearly_abnormal", "amt4_mistakes": 1}, 5, "possible_delirium"),
])
def test_bands(changes, total, category):
    assert fourat.score({**CLEAR, **changes}) == ToolScore(total, category)


def test_someone_who_cannot_engage_is_untestable_and_scores_at_least_4():
    # §8: no one is "unable to assess"; untestable on AMT4 and attention gives 2 + 2.
    result = fourat.score({**CLEAR, "amt4_mistakes": "untestable", "attention": "untestable"})
    assert result == ToolScore(4, "possible_delirium")


def test_the_highest_total_is_12():
    inputs = {"alertness": "clearly_abnormal", "amt4_mistakes": "untestable", "attention": "untestable",
              "acute_change_or_fluctuating_course": True}
    assert fourat.score(inputs) == ToolScore(12, "possible_delirium")


@pytest.mark.parametrize("bad", [5, -1, True, False, 1.0, "1", "Untestable", None, [1]])
def test_amt4_takes_0_to_4_mistakes_or_untestable_only(bad):
    with pytest.raises(ToolInputError) as error:
        fourat.score({**CLEAR, "amt4_mistakes": bad})
    assert error.value.errors == {"amt4_mistakes": AMT4_MESSAGE}


def test_every_bad_field_is_named_at_once():
    with pytest.raises(ToolInputError) as error:
        fourat.score({"alertness": "drowsy", "attention": True, "acute_change_or_fluctuating_course": "yes",
                      "delirium": True})
    assert error.value.errors == {
        "alertness": "Choose one of: normal, mild_sleepiness_under_10_seconds, clearly_abnormal",
        "amt4_mistakes": AMT4_MESSAGE,
        "attention": "Choose one of: seven_or_more_correct, fewer_than_seven_or_refuses, untestable",
        "acute_change_or_fluctuating_course": "Answer true or false",
        "delirium": "This tool has no such input",
    }


def test_acute_change_must_be_a_boolean_not_a_number():
    with pytest.raises(ToolInputError) as error:
        fourat.score({**CLEAR, "acute_change_or_fluctuating_course": 1})
    assert error.value.errors == {"acute_change_or_fluctuating_course": "Answer true or false"}
