"""MUST against reference/clinical-tools.md §3 (BMI bands §3.1, weight-loss bands §3.2, acute
disease §3.3, categories §3.4, edge cases §3.6, findings §0.4–0.5) and every `must` and
`must_from_measurements` case of clinical-cases.json (§11)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from carelead.assessments.tools import must
from carelead.assessments.tools.base import ToolInputError, ToolScore

CASES = json.loads((Path(__file__).resolve().parent / "data" / "clinical_cases.json").read_text())
DERIVED_CASES = CASES["must"]
MEASURED_CASES = CASES["must_from_measurements"]

NO_RISK = {"bmi": 22.0, "weight_loss_percent": 0.0, "acute_disease_no_intake_over_5_days": False}
NO_RISK_MEASURED = {
    "weight_kg": 70.0, "height_cm": 170.0, "weight_3_to_6_months_ago_kg": 70.0,
    "acute_disease_no_intake_over_5_days": False,
}


def derived(**changes):
    return {**NO_RISK, **changes}


def measured(**changes):
    return {**NO_RISK_MEASURED, **changes}


def errors_for(function, inputs):
    with pytest.raises(ToolInputError) as raised:
        function(inputs)
    return raised.value.errors


@pytest.mark.parametrize("case", DERIVED_CASES, ids=[f"must[{i}]" for i in range(len(DERIVED_CASES))])
def test_every_reference_case_scores_as_published(case):
    assert must.score(case["inputs"]) == ToolScore(case["total"], case["category"])


@pytest.mark.parametrize(
    "case", MEASURED_CASES, ids=[f"must_from_measurements[{i}]" for i in range(len(MEASURED_CASES))],
)
def test_every_reference_measurement_case_scores_as_published(case):
    assert must.score_from_measurements(case["inputs"]) == ToolScore(case["total"], case["category"])


# §3.1 and §0.4: the middle band is closed at both ends.
@pytest.mark.parametrize(("bmi", "points"), [
    (5, 2), (16.0, 2), (18.4, 2), (18.49, 2), (18.5, 1), (19.0, 1), (20.0, 1), (20.01, 0), (20.1, 0),
    (30.0, 0), (35.0, 0), (150, 0),
])
def test_bmi_bands(bmi, points):
    assert must.score(derived(bmi=bmi)).total == points


# §3.2 and §0.4: 5 % and 10 % score 1; a gain or no loss scores 0.
@pytest.mark.parametrize(("loss", "points"), [
    (-100, 0), (-3.0, 0), (0, 0), (4.9, 0), (4.99, 0), (5.0, 1), (7.0, 1), (10.0, 1), (10.01, 2), (10.1, 2),
    (100, 2),
])
def test_weight_loss_bands(loss, points):
    assert must.score(derived(weight_loss_percent=loss)).total == points


def test_acute_disease_with_no_intake_for_over_5_days_scores_2():
    assert must.score(derived(acute_disease_no_intake_over_5_days=True)) == ToolScore(2, "high")


# §3.4: 0 low, 1 medium, 2 or more high.
@pytest.mark.parametrize(("changes", "expected"), [
    ({}, ToolScore(0, "low")),
    ({"bmi": 19.0}, ToolScore(1, "medium")),
    ({"weight_loss_percent": 6}, ToolScore(1, "medium")),
    ({"bmi": 18.5, "weight_loss_percent": 5}, ToolScore(2, "high")),
    ({"bmi": 18.0, "weight_loss_percent": 10}, ToolScore(3, "high")),
    ({"bmi": 18.0, "weight_loss_percent": 12, "acute_disease_no_intake_over_5_days": True},
     ToolScore(6, "high")),
])
def test_totals_and_categories(changes, expected):
    assert must.score(derived(**changes)) == expected


@pytest.mark.parametrize("bmi", [Decimal("20.0"), "20.0", 20, 20.0])
def test_a_value_may_be_a_decimal_a_string_an_int_or_a_float(bmi):
    assert must.score(derived(bmi=bmi)).total == 1


# §0.5 / §3.6: the floating-point traps, banded exactly.
def test_47_36_kg_at_160_cm_is_bmi_18_5_exactly_and_scores_1():
    assert 47.36 / 1.60 ** 2 < 18.5  # the trap: a float puts it in the high band
    assert must.score_from_measurements(measured(
        weight_kg=47.36, height_cm=160.0, weight_3_to_6_months_ago_kg=47.36,
    )) == ToolScore(1, "medium")


def test_56_to_53_2_kg_is_a_5_percent_loss_and_scores_1():
    assert (56.0 - 53.2) / 56.0 * 100 < 5  # the trap: a float calls it under 5 %
    assert must.score_from_measurements(measured(
        weight_kg=53.2, height_cm=150.0, weight_3_to_6_months_ago_kg=56.0,
    )) == ToolScore(1, "medium")  # BMI 23.6: 0


def test_56_to_50_4_kg_is_a_10_percent_loss_and_scores_1_not_2():
    assert (56.0 - 50.4) / 56.0 * 100 > 10  # the trap: a float calls it over 10 %
    assert must.score_from_measurements(measured(
        weight_kg=50.4, height_cm=150.0, weight_3_to_6_months_ago_kg=56.0,
    )) == ToolScore(1, "medium")  # BMI 22.4: 0


@pytest.mark.parametrize(("weight_kg", "points"), [
    (41.6, 2),    # BMI 18.49 (18.488…)
    (41.625, 1),  # BMI 18.5 exactly at 150 cm
    (45.0, 1),    # BMI 20.0 exactly
    (45.1, 0),    # BMI 20.04: over 20, though it shows as 20.0 to one decimal place
])
def test_derived_bmi_bands_the_exact_value_not_a_rounded_one(weight_kg, points):
    """§3.6: BAPEN gives no rounding rule; the recommendation is to band the exact value."""
    assert must.score_from_measurements(measured(
        weight_kg=weight_kg, height_cm=150.0, weight_3_to_6_months_ago_kg=weight_kg,
    )).total == points


@pytest.mark.parametrize(("current_kg", "points"), [
    (Decimal("76.01"), 0),  # 4.9875 % from 80
    (Decimal(76), 1),       # 5 % exactly
    (Decimal(72), 1),       # 10 % exactly
    (Decimal("71.99"), 2),  # 10.0125 %
])
def test_derived_loss_bands_on_both_sides_of_each_edge(current_kg, points):
    assert must.score_from_measurements(measured(
        weight_kg=current_kg, height_cm=170.0, weight_3_to_6_months_ago_kg=Decimal(80),
    )).total == points  # BMI 24.9–26.3 at 170 cm: 0


def test_weight_gain_scores_0():
    """§3.2: weight gain or no loss scores 0."""
    assert must.score_from_measurements(measured(
        weight_kg=75.0, weight_3_to_6_months_ago_kg=70.0,
    )) == ToolScore(0, "low")


def test_acute_disease_adds_2_from_measurements_too():
    assert must.score_from_measurements(measured(
        acute_disease_no_intake_over_5_days=True,
    )) == ToolScore(2, "high")


# Bad input: each bad field is named, never scored.
def test_nothing_sent_names_every_input():
    assert set(errors_for(must.score, {})) == set(NO_RISK)
    assert set(errors_for(must.score_from_measurements, {})) == set(NO_RISK_MEASURED)


@pytest.mark.parametrize("field", sorted(NO_RISK))
def test_a_missing_derived_value_is_named(field):
    inputs = derived()
    del inputs[field]
    assert list(errors_for(must.score, inputs)) == [field]


@pytest.mark.parametrize("field", sorted(NO_RISK_MEASURED))
def test_a_missing_measurement_is_named(field):
    inputs = measured()
    del inputs[field]
    assert list(errors_for(must.score_from_measurements, inputs)) == [field]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("bmi", 4.9, "Enter a number from 5 to 150"),
    ("bmi", 150.1, "Enter a number from 5 to 150"),
    ("weight_loss_percent", 100.1, "Enter a number from -100 to 100"),
    ("weight_loss_percent", -100.1, "Enter a number from -100 to 100"),
    ("bmi", "thin", "Enter a number"),
    ("bmi", [22], "Enter a number"),
    ("bmi", True, "Enter a number"),
    ("weight_loss_percent", False, "Enter a number"),
    ("bmi", float("inf"), "Enter a number from 5 to 150"),
    ("acute_disease_no_intake_over_5_days", "no", "Answer true or false"),
    ("acute_disease_no_intake_over_5_days", 0, "Answer true or false"),
])
def test_bad_derived_values_are_refused(field, value, message):
    assert errors_for(must.score, derived(**{field: value})) == {field: message}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("weight_kg", 9.9, "Enter a number from 10 to 650"),
    ("weight_kg", 650.1, "Enter a number from 10 to 650"),
    ("weight_3_to_6_months_ago_kg", 0, "Enter a number from 10 to 650"),
    ("height_cm", 49.9, "Enter a number from 50 to 275"),
    ("height_cm", 275.1, "Enter a number from 50 to 275"),
    ("height_cm", 1.7, "Enter a number from 50 to 275"),  # metres, not centimetres
    ("weight_kg", True, "Enter a number"),
    ("height_cm", "tall", "Enter a number"),
    ("acute_disease_no_intake_over_5_days", None, "Answer true or false"),
])
def test_bad_measurements_are_refused(field, value, message):
    assert errors_for(must.score_from_measurements, measured(**{field: value})) == {field: message}


def test_an_unknown_input_is_named():
    assert errors_for(must.score, derived(weight_kg=60)) == {"weight_kg": "This tool has no such input"}
    assert errors_for(must.score_from_measurements, measured(bmi=22)) == {
        "bmi": "This tool has no such input",
    }


def test_every_bad_field_is_named_at_once():
    errors = errors_for(must.score_from_measurements, measured(weight_kg=True, height_cm=1.7, muac_cm=22))
    assert set(errors) == {"weight_kg", "height_cm", "muac_cm"}
