"""Abbey Pain Scale (reference/clinical-tools.md §7; encodings and categories §11.1)."""

import json
from pathlib import Path

import pytest

from carelead.assessments.tools import ToolInputError, ToolScore, abbey

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
SHARED_CASES = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "clinical-cases.json"

ITEMS = ["vocalisation", "facial_expression", "body_language_change", "behavioural_change",
         "physiological_change", "physical_changes"]
ABSENT = dict.fromkeys(ITEMS, 0)


def with_total(total: int) -> dict:
    """Item scores (0–3 each) summing to `total`, filling items in order."""
    inputs, left = {}, total
    for item in ITEMS:
        inputs[item] = min(left, 3)
        left -= inputs[item]
    assert left == 0
    return inputs


def test_the_fixture_holds_the_published_sample():
    if not SHARED_CASES.exists():
        pytest.skip(f"{SHARED_CASES} is not beside this clone")
    assert CASES["abbey_pain_scale"] == json.loads(SHARED_CASES.read_text())["abbey_pain_scale"]


@pytest.mark.parametrize("case", CASES["abbey_pain_scale"])
def test_reference_cases(case):
    result = abbey.score(case["inputs"])
    assert (result.total, result.category) == (case["total"], case["category"])


# §7: 0–2 no pain, 3–7 mild, 8–13 moderate, 14+ severe; both sides of each edge.
@pytest.mark.parametrize(("total", "category"), [
    (0, "no_pain"), (2, "no_pain"),
    (3, "mild"), (7, "mild"),
    (8, "moderate"), (13, "moderate"),
    (14, "severe"), (18, "severe"),
])
def test_bands(total, category):
    assert abbey.score(with_total(total)) == ToolScore(total, category)


def test_the_highest_total_is_18_not_the_openehr_drafts_15():
    # §7: the openEHR draft caps the total at 15, an error; six items × 3 = 18.
    assert abbey.score(dict.fromkeys(ITEMS, 3)).total == 18


@pytest.mark.parametrize("item", ITEMS)
def test_each_item_counts(item):
    assert abbey.score({**ABSENT, item: 3}) == ToolScore(3, "mild")


@pytest.mark.parametrize(("bad", "message"), [
    (4, "Enter a whole number from 0 to 3"),
    (-1, "Enter a whole number from 0 to 3"),
    (True, "Enter a whole number"),
    (2.0, "Enter a whole number"),
    ("2", "Enter a whole number"),
    (None, "Enter a whole number"),
])
def test_a_bad_item_is_named(bad, message):
    with pytest.raises(ToolInputError) as error:
        abbey.score({**ABSENT, "facial_expression": bad})
    assert error.value.errors == {"facial_expression": message}


def test_missing_and_unknown_items_are_named_together():
    with pytest.raises(ToolInputError) as error:
        abbey.score({"vocalisation": 1, "pain_type": "chronic"})
    assert error.value.errors == {
        "pain_type": "This tool has no such input",
        **{item: "Enter a whole number" for item in ITEMS if item != "vocalisation"},
    }
