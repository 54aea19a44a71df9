"""Barthel Index, 0–20 and 0–100 (reference/clinical-tools.md §6; encodings and the Shah-derived
dependency bands, a convention marked [I], §6.3 and §11.1)."""

import json
from pathlib import Path

import pytest

from carelead.assessments.tools import ToolInputError, ToolScore, barthel

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
SHARED_CASES = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "clinical-cases.json"

ITEMS = ["bowels", "bladder", "grooming", "toilet_use", "feeding", "transfer", "mobility", "dressing", "stairs",
         "bathing"]
INDEPENDENT = {"bowels": 2, "bladder": 2, "grooming": 1, "toilet_use": 2, "feeding": 2, "transfer": 3,
               "mobility": 3, "dressing": 2, "stairs": 2, "bathing": 1}
INDEPENDENT_100 = {item: points * 5 for item, points in INDEPENDENT.items()}
NOTHING = dict.fromkeys(ITEMS, 0)


def with_total(total: int, *, scale: int = 1) -> dict:
    """Item scores summing to `total` (×scale for the 0–100 version), filling items in order."""
    inputs, left = {}, total
    for item in ITEMS:
        inputs[item] = min(left, INDEPENDENT[item]) * scale
        left -= inputs[item] // scale
    assert left == 0
    return inputs


def test_the_fixture_holds_the_published_sample():
    if not SHARED_CASES.exists():
        pytest.skip(f"{SHARED_CASES} is not beside this clone")
    shared = json.loads(SHARED_CASES.read_text())
    assert CASES["barthel"] == shared["barthel"]
    assert CASES["barthel_100"] == shared["barthel_100"]


@pytest.mark.parametrize("case", CASES["barthel"])
def test_reference_cases_0_to_20(case):
    result = barthel.score(case["inputs"])
    assert (result.total, result.category) == (case["total"], case["category"])


@pytest.mark.parametrize("case", CASES["barthel_100"])
def test_reference_cases_0_to_100(case):
    result = barthel.score_100(case["inputs"])
    assert (result.total, result.category) == (case["total"], case["category"])


# §6.3: 0–4 total, 5–12 severe, 13–18 moderate, 19 slight, 20 independent; both sides of each edge.
@pytest.mark.parametrize(("total", "category"), [
    (0, "total_dependency"),
    (4, "total_dependency"),
    (5, "severe_dependency"),
    (12, "severe_dependency"),
    (13, "moderate_dependency"),
    (18, "moderate_dependency"),
    (19, "slight_dependency"),
    (20, "independent"),
])
def test_bands_0_to_20(total, category):
    assert barthel.score(with_total(total)) == ToolScore(total, category)


# §6.3: 0–20 total, 21–60 severe, 61–90 moderate, 91–99 slight, 100 independent. Item points are
# multiples of 5, so the totals beside each edge are 20/25, 60/65, 90/95, 95/100.
@pytest.mark.parametrize(("total", "category"), [
    (0, "total_dependency"),
    (20, "total_dependency"),
    (25, "severe_dependency"),
    (60, "severe_dependency"),
    (65, "moderate_dependency"),
    (90, "moderate_dependency"),
    (95, "slight_dependency"),
    (100, "independent"),
])
def test_bands_0_to_100(total, category):
    assert barthel.score_100(with_total(total // 5, scale=5)) == ToolScore(total, category)


def test_the_two_scales_agree_item_for_item():
    # §6.1: the 0–100 points are the 0–20 points × 5, so the totals are too.
    for case in CASES["barthel"]:
        times_five = {item: points * 5 for item, points in case["inputs"].items()}
        assert barthel.score_100(times_five).total == case["total"] * 5


@pytest.mark.parametrize(("item", "maximum"), list(INDEPENDENT.items()))
def test_each_items_top_score_is_accepted_and_one_more_is_not(item, maximum):
    assert barthel.score({**NOTHING, item: maximum}).total == maximum
    with pytest.raises(ToolInputError) as error:
        barthel.score({**NOTHING, item: maximum + 1})
    assert error.value.errors == {item: f"Enter a whole number from 0 to {maximum}"}


@pytest.mark.parametrize(("item", "allowed"), [
    ("feeding", [0, 5, 10]), ("bathing", [0, 5]), ("grooming", [0, 5]), ("dressing", [0, 5, 10]),
    ("bowels", [0, 5, 10]), ("bladder", [0, 5, 10]), ("toilet_use", [0, 5, 10]), ("transfer", [0, 5, 10, 15]),
    ("mobility", [0, 5, 10, 15]), ("stairs", [0, 5, 10]),
])
def test_each_0_to_100_item_takes_only_its_multiples_of_5(item, allowed):
    for points in allowed:
        assert barthel.score_100({**NOTHING, item: points}).total == points
    message = "Choose one of: " + ", ".join(map(str, allowed))
    for points in (3, allowed[-1] + 5, -5, 5.0, "5", True, None):
        with pytest.raises(ToolInputError) as error:
            barthel.score_100({**NOTHING, item: points})
        assert error.value.errors == {item: message}, points


def test_the_0_to_20_scale_refuses_0_to_100_points():
    with pytest.raises(ToolInputError) as error:
        barthel.score(INDEPENDENT_100)
    assert set(error.value.errors) == set(ITEMS)


def test_missing_items_are_each_named():
    with pytest.raises(ToolInputError) as error:
        barthel.score({"bowels": 2})
    assert set(error.value.errors) == set(ITEMS) - {"bowels"}
    with pytest.raises(ToolInputError) as error:
        barthel.score_100({})
    assert set(error.value.errors) == set(ITEMS)


@pytest.mark.parametrize("bad", [True, False, 1.0, "1", None, [1]])
def test_anything_but_a_whole_number_is_refused(bad):
    # A bool is an int in Python; "true" is never a score of 1.
    with pytest.raises(ToolInputError) as error:
        barthel.score({**INDEPENDENT, "grooming": bad})
    assert error.value.errors == {"grooming": "Enter a whole number"}


def test_negative_and_unknown_inputs_are_named_together():
    with pytest.raises(ToolInputError) as error:
        barthel.score({**INDEPENDENT, "stairs": -1, "bathing": 2, "continence": 2})
    assert error.value.errors == {
        "stairs": "Enter a whole number from 0 to 2",
        "bathing": "Enter a whole number from 0 to 1",
        "continence": "This tool has no such input",
    }
    with pytest.raises(ToolInputError) as error:
        barthel.score_100({**INDEPENDENT_100, "toilet": 10})
    assert error.value.errors == {"toilet": "This tool has no such input"}


def test_inputs_that_are_not_an_object_are_refused():
    with pytest.raises(ToolInputError) as error:
        barthel.score([2, 2, 1])
    assert "inputs" in error.value.errors
