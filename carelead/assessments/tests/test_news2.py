"""NEWS2 against reference/clinical-tools.md §1 (RCP Chart 1 bands, Chart 3 categories, edge cases
§1.4, findings §0.1–0.3 and §0.6) and every `news2` case of clinical-cases.json (§11)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from carelead.assessments.tools import news2
from carelead.assessments.tools.base import ToolInputError, ToolScore

CASES_FIXTURE = Path(__file__).resolve().parent / "data" / "clinical_cases.json"
# Beside the repository clone in CI and here; the fixture is a copy so the suite never needs it.
REFERENCE_CASES = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "clinical-cases.json"

CASES = json.loads(CASES_FIXTURE.read_text())["news2"]

# Every parameter scores 0.
NORMAL = {
    "respiration_rate": 16, "spo2": 97, "spo2_scale": 1, "on_oxygen": False, "systolic_bp": 120,
    "pulse": 70, "consciousness": "A", "temperature": 37.0,
}


def reading(**changes):
    return {**NORMAL, **changes}


def errors_for(inputs):
    with pytest.raises(ToolInputError) as raised:
        news2.score(inputs)
    return raised.value.errors


@pytest.mark.skipif(not REFERENCE_CASES.exists(), reason="shared/reference is not beside this clone")
def test_the_fixture_is_an_unchanged_copy_of_the_reference_cases():
    assert json.loads(CASES_FIXTURE.read_text()) == json.loads(REFERENCE_CASES.read_text())


@pytest.mark.parametrize("case", CASES, ids=[f"news2[{i}]" for i in range(len(CASES))])
def test_every_reference_case_scores_as_published(case):
    assert news2.score(case["inputs"]) == ToolScore(case["total"], case["category"])


def test_all_normal_readings_score_0_low():
    assert news2.score(NORMAL) == ToolScore(0, "low")


# §1.1: every band edge, both sides.
@pytest.mark.parametrize(("rate", "points"), [
    (0, 3), (8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (80, 3),
])
def test_respiration_rate_bands(rate, points):
    assert news2.subscores(reading(respiration_rate=rate))["respiration_rate"] == points


@pytest.mark.parametrize(("spo2", "points"), [
    (50, 3), (91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0),
])
@pytest.mark.parametrize("on_oxygen", [False, True])
def test_spo2_scale_1_bands_are_the_same_on_air_and_oxygen(spo2, points, on_oxygen):
    assert news2.subscores(reading(spo2=spo2, on_oxygen=on_oxygen))["spo2"] == points


@pytest.mark.parametrize(("spo2", "points"), [
    (50, 3), (83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (92, 0), (93, 0), (97, 0), (100, 0),
])
def test_spo2_scale_2_on_air_scores_0_from_88_up(spo2, points):
    assert news2.subscores(reading(spo2=spo2, spo2_scale=2))["spo2"] == points


@pytest.mark.parametrize(("spo2", "points"), [
    (83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (92, 0), (93, 1), (94, 1), (95, 2), (96, 2),
    (97, 3), (100, 3),
])
def test_spo2_scale_2_on_oxygen_scores_saturation_above_the_target(spo2, points):
    assert news2.subscores(reading(spo2=spo2, spo2_scale=2, on_oxygen=True))["spo2"] == points


@pytest.mark.parametrize("scale", [1, 2])
def test_any_supplemental_oxygen_scores_2_on_either_scale(scale):
    assert news2.subscores(reading(spo2_scale=scale, spo2=90, on_oxygen=True))["on_oxygen"] == 2
    assert news2.subscores(reading(spo2_scale=scale, spo2=90, on_oxygen=False))["on_oxygen"] == 0


@pytest.mark.parametrize(("systolic", "points"), [
    (40, 3), (90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3), (300, 3),
])
def test_systolic_bp_bands(systolic, points):
    assert news2.subscores(reading(systolic_bp=systolic))["systolic_bp"] == points


@pytest.mark.parametrize(("pulse", "points"), [
    (20, 3), (40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2),
    (131, 3), (250, 3),
])
def test_pulse_bands(pulse, points):
    assert news2.subscores(reading(pulse=pulse))["pulse"] == points


@pytest.mark.parametrize(("level", "points"), [("A", 0), ("C", 3), ("V", 3), ("P", 3), ("U", 3)])
def test_acvpu_new_confusion_scores_3_like_voice_pain_and_unresponsive(level, points):
    assert news2.subscores(reading(consciousness=level))["consciousness"] == points


@pytest.mark.parametrize(("temperature", "points"), [
    (25.0, 3), (35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.1, 1), (39.0, 1), (39.1, 2),
    (45.0, 2),
])
def test_temperature_bands_to_one_decimal_place(temperature, points):
    assert news2.subscores(reading(temperature=temperature))["temperature"] == points


@pytest.mark.parametrize("temperature", [Decimal("38.1"), "38.1", 38.1])
def test_temperature_may_be_a_decimal_a_string_or_a_float(temperature):
    assert news2.subscores(reading(temperature=temperature))["temperature"] == 1


def test_a_whole_degree_temperature_is_read_as_one_decimal_place():
    assert news2.subscores(reading(temperature=36))["temperature"] == 1
    assert news2.subscores(reading(temperature=Decimal("36.10")))["temperature"] == 0


# §1.2 / §0.1: the categories, and the single-3 rule never lowering a band.
@pytest.mark.parametrize(("changes", "expected"), [
    ({"respiration_rate": 9, "pulse": 91, "temperature": 38.1}, ToolScore(3, "low")),
    ({"respiration_rate": 21, "pulse": 111}, ToolScore(4, "low")),
    ({"consciousness": "C"}, ToolScore(3, "low_medium")),
    ({"consciousness": "C", "pulse": 91}, ToolScore(4, "low_medium")),
    ({"respiration_rate": 21, "pulse": 111, "temperature": 38.1}, ToolScore(5, "medium")),
    ({"systolic_bp": 90, "pulse": 111}, ToolScore(5, "medium")),
    ({"systolic_bp": 90, "pulse": 41, "temperature": 36.0, "spo2": 95}, ToolScore(6, "medium")),
    ({"respiration_rate": 21, "pulse": 111, "temperature": 38.1, "spo2": 94, "systolic_bp": 101},
     ToolScore(7, "high")),
    ({"systolic_bp": 90, "pulse": 131, "temperature": 39.1}, ToolScore(8, "high")),
])
def test_categories(changes, expected):
    assert news2.score(reading(**changes)) == expected


def test_every_parameter_at_its_worst_scores_20_high():
    worst = reading(respiration_rate=8, spo2=91, on_oxygen=True, systolic_bp=90, pulse=40,
                    consciousness="U", temperature=35.0)
    assert news2.score(worst) == ToolScore(20, "high")


# §1.1 "Scale 2 traps" and §0.2.
def test_scale_2_at_93_on_air_scores_0():
    assert news2.score(reading(spo2=93, spo2_scale=2)) == ToolScore(0, "low")


def test_scale_2_at_97_on_oxygen_scores_3_plus_2_for_oxygen_medium():
    assert news2.score(reading(spo2=97, spo2_scale=2, on_oxygen=True)) == ToolScore(5, "medium")


@pytest.mark.parametrize("spo2", [88, 90, 92])
def test_scale_2_in_the_target_range_on_oxygen_scores_only_the_oxygen(spo2):
    assert news2.score(reading(spo2=spo2, spo2_scale=2, on_oxygen=True)) == ToolScore(2, "low")


def test_the_same_88_percent_scores_3_on_scale_1_and_0_on_scale_2():
    assert news2.score(reading(spo2=88, spo2_scale=1)) == ToolScore(3, "low_medium")
    assert news2.score(reading(spo2=88, spo2_scale=2)) == ToolScore(0, "low")


def test_mr_smith_scores_5_and_37_5_degrees_scores_0():
    """§10: the FHIR-NEWS2 "Mr Smith" scenario; §0.6: a published example wrongly scored 37.5 °C as 1."""
    smith = reading(respiration_rate=21, spo2=93, systolic_bp=120, pulse=95, temperature=37.5)
    assert news2.subscores(smith) == {
        "respiration_rate": 2, "spo2": 2, "on_oxygen": 0, "systolic_bp": 0, "pulse": 1,
        "consciousness": 0, "temperature": 0,
    }
    assert news2.score(smith) == ToolScore(5, "medium")


# §1.4: resolution of readings, and no total from a partial set.
@pytest.mark.parametrize("temperature", [37.25, "36.05", Decimal("38.01")])
def test_a_temperature_finer_than_one_decimal_place_is_refused_not_rounded(temperature):
    assert errors_for(reading(temperature=temperature)) == {
        "temperature": news2.TEMPERATURE_RESOLUTION_MESSAGE,
    }


@pytest.mark.parametrize("field", sorted(NORMAL))
def test_a_missing_reading_gives_no_partial_score(field):
    inputs = reading()
    del inputs[field]
    assert list(errors_for(inputs)) == [field]


def test_nothing_sent_names_all_eight_inputs():
    assert set(errors_for({})) == set(NORMAL)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("respiration_rate", 81, "Enter a whole number from 0 to 80"),
    ("respiration_rate", -1, "Enter a whole number from 0 to 80"),
    ("spo2", 101, "Enter a whole number from 0 to 100"),
    ("spo2", -1, "Enter a whole number from 0 to 100"),
    ("systolic_bp", 39, "Enter a whole number from 40 to 300"),
    ("systolic_bp", 301, "Enter a whole number from 40 to 300"),
    ("pulse", 19, "Enter a whole number from 20 to 250"),
    ("pulse", 251, "Enter a whole number from 20 to 250"),
    ("temperature", 24.9, "Enter a number from 25.0 to 45.0"),
    ("temperature", 45.1, "Enter a number from 25.0 to 45.0"),
    ("spo2_scale", 0, news2.SCALE_MESSAGE),
    ("spo2_scale", 3, news2.SCALE_MESSAGE),
])
def test_out_of_range_readings_are_refused_with_the_range(field, value, message):
    assert errors_for(reading(**{field: value})) == {field: message}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("respiration_rate", "16", "Enter a whole number"),
    ("respiration_rate", 16.0, "Enter a whole number"),
    ("spo2", 96.5, "Enter a whole number"),
    ("systolic_bp", [120], "Enter a whole number"),
    ("pulse", None, "Enter a whole number"),
    ("temperature", "warm", "Enter a number"),
    ("temperature", float("nan"), "Enter a number from 25.0 to 45.0"),
    ("on_oxygen", "yes", "Answer true or false"),
    ("on_oxygen", 1, "Answer true or false"),
    ("consciousness", "a", "Choose one of: A, C, V, P, U"),
    ("consciousness", "confused", "Choose one of: A, C, V, P, U"),
    ("spo2_scale", "2", news2.SCALE_MESSAGE),
    ("spo2_scale", 2.0, news2.SCALE_MESSAGE),
])
def test_wrong_types_are_refused(field, value, message):
    assert errors_for(reading(**{field: value})) == {field: message}


@pytest.mark.parametrize("field", ["respiration_rate", "spo2", "systolic_bp", "pulse", "temperature"])
def test_a_boolean_is_not_a_reading(field):
    assert list(errors_for(reading(**{field: True}))) == [field]


def test_a_boolean_is_not_an_spo2_scale():
    assert errors_for(reading(spo2_scale=True)) == {"spo2_scale": news2.SCALE_MESSAGE}


def test_an_unknown_input_is_named():
    assert errors_for(reading(heart_rate=70)) == {"heart_rate": "This tool has no such input"}


def test_every_bad_field_is_named_at_once():
    errors = errors_for(reading(respiration_rate=True, spo2_scale=3, temperature=37.25, avpu="A"))
    assert set(errors) == {"respiration_rate", "spo2_scale", "temperature", "avpu"}


def test_inputs_that_are_not_an_object_are_refused():
    errors = errors_for([16, 97])
    assert errors["inputs"] == "Send the inputs as an object of field names and values"
