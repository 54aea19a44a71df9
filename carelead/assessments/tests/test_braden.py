"""Braden Scale against reference/clinical-tools.md §5 (subscales §5.1, risk bands §5.2,
categories §11.1) and every `braden` case of clinical-cases.json (§11)."""

import json
from pathlib import Path

import pytest

from carelead.assessments.tools import braden
from carelead.assessments.tools.base import ToolInputError, ToolScore

CASES = json.loads((Path(__file__).resolve().parent / "data" / "clinical_cases.json").read_text())["braden"]

MAXIMA = {
    "sensory_perception": 4, "moisture": 4, "activity": 4, "mobility": 4, "nutrition": 4,
    "friction_shear": 3,
}
NO_RISK = dict(MAXIMA)  # 23


def totalling(total):
    """Subscale scores adding up to `total` (6–23): everyone at 1, then filled up in order."""
    scores, left = {name: 1 for name in MAXIMA}, total - len(MAXIMA)
    for name, maximum in MAXIMA.items():
        step = min(left, maximum - 1)
        scores[name] += step
        left -= step
    return scores


def errors_for(inputs):
    with pytest.raises(ToolInputError) as raised:
        braden.score(inputs)
    return raised.value.errors


@pytest.mark.parametrize("case", CASES, ids=[f"braden[{i}]" for i in range(len(CASES))])
def test_every_reference_case_scores_as_published(case):
    assert braden.score(case["inputs"]) == ToolScore(case["total"], case["category"])


# §5.2: both sides of every band edge, and the ends of the scale.
@pytest.mark.parametrize(("total", "category"), [
    (23, "not_at_risk"), (19, "not_at_risk"), (18, "mild"), (15, "mild"), (14, "moderate"),
    (13, "moderate"), (12, "high"), (10, "high"), (9, "severe"), (6, "severe"),
])
def test_risk_bands(total, category):
    assert braden.score(totalling(total)) == ToolScore(total, category)


@pytest.mark.parametrize("name", sorted(MAXIMA))
def test_each_subscale_counts_from_1_to_its_maximum(name):
    assert braden.score({**NO_RISK, name: 1}).total == 23 - MAXIMA[name] + 1


# Bad input.
def test_nothing_sent_names_all_six_subscales():
    assert set(errors_for({})) == set(MAXIMA)


@pytest.mark.parametrize("name", sorted(MAXIMA))
def test_a_missing_subscale_is_named(name):
    inputs = dict(NO_RISK)
    del inputs[name]
    assert errors_for(inputs) == {name: "Enter a whole number"}


@pytest.mark.parametrize("name", sorted(MAXIMA))
def test_a_subscale_below_1_or_above_its_maximum_is_refused(name):
    message = f"Enter a whole number from 1 to {MAXIMA[name]}"
    assert errors_for({**NO_RISK, name: 0}) == {name: message}
    assert errors_for({**NO_RISK, name: MAXIMA[name] + 1}) == {name: message}


def test_friction_and_shear_has_no_4():
    assert errors_for({**NO_RISK, "friction_shear": 4}) == {
        "friction_shear": "Enter a whole number from 1 to 3",
    }


@pytest.mark.parametrize("value", [True, False, 3.0, "3", None, [3]])
def test_a_subscale_must_be_a_whole_number(value):
    assert errors_for({**NO_RISK, "nutrition": value}) == {"nutrition": "Enter a whole number"}


def test_an_unknown_subscale_is_named():
    assert errors_for({**NO_RISK, "age": 80}) == {"age": "This tool has no such input"}


def test_every_bad_field_is_named_at_once():
    errors = errors_for({**NO_RISK, "moisture": 5, "activity": True, "age": 80})
    assert set(errors) == {"moisture", "activity", "age"}
