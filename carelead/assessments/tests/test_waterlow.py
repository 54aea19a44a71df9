"""Waterlow (2005 card) against reference/clinical-tools.md §4 (items §4.1, categories §4.2,
decisions §4.4, finding §0.7) and every `waterlow` case of clinical-cases.json (§11)."""

import json
from pathlib import Path

import pytest

from carelead.assessments.tools import waterlow
from carelead.assessments.tools.base import ToolInputError, ToolScore

CASES = json.loads((Path(__file__).resolve().parent / "data" / "clinical_cases.json").read_text())["waterlow"]

# Scores 2: male 1 + age 30 1; nothing else.
LOWEST = {
    "build": "average", "skin_type": ["healthy"], "sex": "male", "age": 30,
    "continence": "complete_or_catheterised", "mobility": "fully", "weight_lost_recently": "no",
    "weight_loss_band": None, "eating_poorly": False, "tissue_malnutrition": [],
    "neurological_deficit_points": 0, "orthopaedic_spinal_surgery": False, "theatre_time": "none",
    "high_risk_medication": False,
}
BASE = 2


def card(**changes):
    return {**LOWEST, **changes}


def added(**changes):
    """The points the changes add to the lowest card."""
    return waterlow.score(card(**changes)).total - BASE


def errors_for(inputs):
    with pytest.raises(ToolInputError) as raised:
        waterlow.score(inputs)
    return raised.value.errors


def test_the_card_version_is_recorded():
    assert waterlow.VERSION == "2005"


@pytest.mark.parametrize("case", CASES, ids=[f"waterlow[{i}]" for i in range(len(CASES))])
def test_every_reference_case_scores_as_published(case):
    assert waterlow.score(case["inputs"]) == ToolScore(case["total"], case["category"])


def test_the_lowest_card_scores_2_not_at_risk():
    assert waterlow.score(LOWEST) == ToolScore(BASE, "not_at_risk")


# §4.1: every item's points.
@pytest.mark.parametrize(("build", "points"), [
    ("average", 0), ("above_average", 1), ("obese", 2), ("below_average", 3),
])
def test_build(build, points):
    assert added(build=build) == points


@pytest.mark.parametrize(("skin", "points"), [
    ("healthy", 0), ("tissue_paper", 1), ("dry", 1), ("oedematous", 1), ("clammy_pyrexia", 1),
    ("discoloured_grade_1", 2), ("broken_spots_grade_2_4", 3),
])
def test_each_skin_type(skin, points):
    assert added(skin_type=[skin]) == points


def test_skin_types_that_apply_are_added():
    every_risk = ["tissue_paper", "dry", "oedematous", "clammy_pyrexia", "discoloured_grade_1",
                  "broken_spots_grade_2_4"]
    assert added(skin_type=every_risk) == 9
    assert added(skin_type=["dry", "oedematous"]) == 2


@pytest.mark.parametrize(("sex", "points"), [("male", 0), ("female", 1)])  # 1 and 2 on the card
def test_sex(sex, points):
    assert added(sex=sex) == points


@pytest.mark.parametrize(("age", "points"), [
    (14, 1), (49, 1), (50, 2), (64, 2), (65, 3), (74, 3), (75, 4), (80, 4), (81, 5), (120, 5),
])
def test_age_bands_both_sides_of_each_edge(age, points):
    assert waterlow.age_points(age) == points
    assert added(age=age) == points - 1  # the lowest card is aged 30: 1


@pytest.mark.parametrize(("continence", "points"), [
    ("complete_or_catheterised", 0), ("urinary", 1), ("faecal", 2), ("urinary_and_faecal", 3),
])
def test_continence(continence, points):
    assert added(continence=continence) == points


@pytest.mark.parametrize(("mobility", "points"), [
    ("fully", 0), ("restless_fidgety", 1), ("apathetic", 2), ("restricted", 3), ("bedbound", 4),
    ("chairbound", 5),
])
def test_mobility(mobility, points):
    assert added(mobility=mobility) == points


# The MST nutrition screen.
@pytest.mark.parametrize(("answer", "points"), [("no", 0), ("unsure", 2)])
def test_mst_question_a_no_or_unsure(answer, points):
    assert added(weight_lost_recently=answer) == points


@pytest.mark.parametrize(("band", "points"), [
    ("0.5_to_5_kg", 1), ("5_to_10_kg", 2), ("10_to_15_kg", 3), ("over_15_kg", 4), ("unsure", 2),
])
def test_mst_question_b_scores_the_band_when_weight_was_lost(band, points):
    assert added(weight_lost_recently="yes", weight_loss_band=band) == points


@pytest.mark.parametrize(("answer", "band", "points"), [
    ("no", None, 1), ("unsure", None, 3), ("yes", "0.5_to_5_kg", 2), ("yes", "over_15_kg", 5),
])
def test_mst_question_c_eating_poorly_adds_1(answer, band, points):
    assert added(weight_lost_recently=answer, weight_loss_band=band, eating_poorly=True) == points


@pytest.mark.parametrize(("answer", "band", "eating_poorly", "points"), [
    ("no", None, False, 0), ("unsure", None, True, 3), ("yes", "over_15_kg", True, 5),
])
def test_mst_nutrition_score_from_its_three_questions(answer, band, eating_poorly, points):
    assert waterlow.nutrition_points(answer, band, eating_poorly) == points


def test_the_weight_loss_band_may_be_left_out_when_no_weight_was_lost():
    inputs = card()
    del inputs["weight_loss_band"]
    assert waterlow.score(inputs) == ToolScore(BASE, "not_at_risk")


@pytest.mark.parametrize("band", [None, "a_lot", 3])
def test_a_weight_loss_band_is_needed_when_weight_was_lost(band):
    assert errors_for(card(weight_lost_recently="yes", weight_loss_band=band)) == {
        "weight_loss_band": waterlow.BAND_NEEDED_MESSAGE,
    }


def test_a_missing_weight_loss_band_is_named_when_weight_was_lost():
    inputs = card(weight_lost_recently="yes")
    del inputs["weight_loss_band"]
    assert errors_for(inputs) == {"weight_loss_band": waterlow.BAND_NEEDED_MESSAGE}


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_a_weight_loss_band_is_refused_when_weight_was_not_lost(answer):
    assert errors_for(card(weight_lost_recently=answer, weight_loss_band="5_to_10_kg")) == {
        "weight_loss_band": waterlow.BAND_NOT_EXPECTED_MESSAGE,
    }


# Special risks.
@pytest.mark.parametrize(("item", "points"), [
    ("terminal_cachexia", 8), ("multiple_organ_failure", 8), ("single_organ_failure", 5),
    ("peripheral_vascular_disease", 5), ("anaemia_hb_below_8", 2), ("smoking", 1),
])
def test_each_tissue_malnutrition_item(item, points):
    assert added(tissue_malnutrition=[item]) == points


def test_tissue_malnutrition_items_are_added():
    assert added(tissue_malnutrition=list(waterlow.TISSUE_MALNUTRITION)) == 29
    assert added(tissue_malnutrition=["peripheral_vascular_disease", "smoking"]) == 6


@pytest.mark.parametrize("points", [0, 4, 5, 6])
def test_neurological_deficit_is_the_assessors_4_5_or_6(points):
    assert added(neurological_deficit_points=points) == points


@pytest.mark.parametrize("points", [1, 3, 7, 8, 12, -4, 4.0, "4", True, None])
def test_neurological_deficit_is_capped_at_6_and_only_0_4_5_or_6(points):
    assert errors_for(card(neurological_deficit_points=points)) == {
        "neurological_deficit_points": waterlow.NEUROLOGICAL_DEFICIT_MESSAGE,
    }


def test_orthopaedic_or_spinal_surgery_scores_5():
    assert added(orthopaedic_spinal_surgery=True) == 5


@pytest.mark.parametrize(("theatre_time", "points"), [("none", 0), ("over_2_hours", 5), ("over_6_hours", 8)])
def test_theatre_time_over_6_hours_scores_8_not_5_plus_8(theatre_time, points):
    assert added(theatre_time=theatre_time) == points


def test_orthopaedic_surgery_and_theatre_time_are_added():
    assert added(orthopaedic_spinal_surgery=True, theatre_time="over_6_hours") == 13


def test_high_risk_medication_scores_4_however_many_drugs():
    assert added(high_risk_medication=True) == 4


def test_the_highest_possible_card():
    worst = card(
        build="below_average", skin_type=[option for option in waterlow.SKIN_TYPE if option != "healthy"],
        sex="female", age=81, continence="urinary_and_faecal", mobility="chairbound",
        weight_lost_recently="yes", weight_loss_band="over_15_kg", eating_poorly=True,
        tissue_malnutrition=list(waterlow.TISSUE_MALNUTRITION), neurological_deficit_points=6,
        orthopaedic_spinal_surgery=True, theatre_time="over_6_hours", high_risk_medication=True,
    )
    # 3 + 9 + 2 + 5 + 5 + 3 + 5 + 29 + 6 + 5 + 8 + 4
    assert waterlow.score(worst) == ToolScore(84, "very_high_risk")


# §4.2: 10+ at risk, 15+ high, 20+ very high; both sides of each edge.
@pytest.mark.parametrize(("changes", "expected"), [
    ({"tissue_malnutrition": ["peripheral_vascular_disease", "anaemia_hb_below_8"]},
     ToolScore(9, "not_at_risk")),
    ({"tissue_malnutrition": ["terminal_cachexia"]}, ToolScore(10, "at_risk")),
    ({"tissue_malnutrition": ["terminal_cachexia"], "neurological_deficit_points": 4},
     ToolScore(14, "at_risk")),
    ({"tissue_malnutrition": ["terminal_cachexia"], "neurological_deficit_points": 5},
     ToolScore(15, "high_risk")),
    ({"tissue_malnutrition": ["terminal_cachexia", "anaemia_hb_below_8", "smoking"],
      "neurological_deficit_points": 6}, ToolScore(19, "high_risk")),
    ({"tissue_malnutrition": ["terminal_cachexia"], "neurological_deficit_points": 6,
      "high_risk_medication": True}, ToolScore(20, "very_high_risk")),
])
def test_category_edges(changes, expected):
    assert waterlow.score(card(**changes)) == expected


@pytest.mark.parametrize(("total", "category"), [
    (0, "not_at_risk"), (9, "not_at_risk"), (10, "at_risk"), (14, "at_risk"), (15, "high_risk"),
    (19, "high_risk"), (20, "very_high_risk"), (84, "very_high_risk"),
])
def test_category(total, category):
    assert waterlow.category(total) == category


# Bad input.
def test_nothing_sent_names_every_required_input():
    assert set(errors_for({})) == set(LOWEST) - {"weight_loss_band"}


@pytest.mark.parametrize("field", sorted(set(LOWEST) - {"weight_loss_band"}))
def test_a_missing_item_is_named(field):
    inputs = card()
    del inputs[field]
    assert list(errors_for(inputs)) == [field]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("age", 13, "Enter a whole number from 14 to 120"),
    ("age", 121, "Enter a whole number from 14 to 120"),
    ("age", "81", "Enter a whole number"),
    ("age", 81.0, "Enter a whole number"),
    ("age", True, "Enter a whole number"),
    ("build", "thin", "Choose one of: average, above_average, obese, below_average"),
    ("build", 0, "Choose one of: average, above_average, obese, below_average"),
    ("sex", "unknown", "Choose one of: male, female"),
    ("continence", "catheterised",
     "Choose one of: complete_or_catheterised, urinary, faecal, urinary_and_faecal"),
    ("mobility", ["fully"],
     "Choose one of: fully, restless_fidgety, apathetic, restricted, bedbound, chairbound"),
    ("theatre_time", "over_4_hours", "Choose one of: none, over_2_hours, over_6_hours"),
    ("weight_lost_recently", True, "Choose one of: no, unsure, yes"),
    ("weight_lost_recently", "maybe", "Choose one of: no, unsure, yes"),
    ("eating_poorly", "no", "Answer true or false"),
    ("orthopaedic_spinal_surgery", 1, "Answer true or false"),
    ("high_risk_medication", None, "Answer true or false"),
    ("skin_type", "dry", "Send a list of: " + ", ".join(waterlow.SKIN_TYPE)),
    ("skin_type", ["dry", "itchy"], "Not an option: itchy"),
    ("skin_type", ["dry", "dry"], "Name each option once"),
    ("skin_type", [], waterlow.NO_SKIN_TYPE_MESSAGE),
    ("skin_type", ["healthy", "dry"], waterlow.HEALTHY_WITH_OTHERS_MESSAGE),
    ("tissue_malnutrition", None, "Send a list of: " + ", ".join(waterlow.TISSUE_MALNUTRITION)),
    ("tissue_malnutrition", ["smoking", "smoking"], "Name each option once"),
    ("tissue_malnutrition", ["cardiac_failure"], "Not an option: cardiac_failure"),
])
def test_bad_items_are_refused(field, value, message):
    assert errors_for(card(**{field: value})) == {field: message}


def test_an_unknown_item_is_named():
    """The 1985 card's appetite item is not on the 2005 card (§4.3)."""
    assert errors_for(card(appetite="poor")) == {"appetite": "This tool has no such input"}


def test_a_wrong_weight_loss_answer_is_named_alone_not_its_band_too():
    assert errors_for(card(weight_lost_recently="maybe", weight_loss_band="5_to_10_kg")) == {
        "weight_lost_recently": "Choose one of: no, unsure, yes",
    }


def test_every_bad_field_is_named_at_once():
    errors = errors_for(card(age=True, skin_type=[], neurological_deficit_points=3, appetite="poor"))
    assert set(errors) == {"age", "skin_type", "neurological_deficit_points", "appetite"}
