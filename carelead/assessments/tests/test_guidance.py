"""Every category every tool can return has guidance (reference/clinical-tools.md: each tool's
categories §11.1; actions from RCP Chart 4 §1.3, MUST §3.4, Abbey §7, 4AT §8, NICE NG249 §0.8/§9;
attribution §0.9).

The tools are driven through the reference cases, every band edge and, where the input space is
small, every possible input; the categories seen must be exactly the categories with guidance, so
neither a tool's new category nor a stale guidance entry can slip through. Plain pytest, no database.
"""

import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from carelead.assessments.tools import TOOLS, score
from carelead.assessments.tools.guidance import (
    CASE_FINDING_AID_NOTE, GUIDANCE, NHS_TAG_COLOURS, TOOL_INFO, Guidance, categories, guidance,
)

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())


# --- Inputs that reach every band edge of every tool ------------------------------------------------


def news2_inputs():
    """Each parameter at each of its points levels (RCP Chart 1), every combination on scale 1 (totals
    0–20, single 3s), then each band edge on both sides with the rest normal, and scale 2."""
    levels = {
        "respiration_rate": [16, 10, 22, 8],
        "spo2": [97, 95, 93, 91],
        "on_oxygen": [False, True],
        "systolic_bp": [120, 105, 95, 90],
        "pulse": [70, 45, 120, 140],
        "consciousness": ["A", "C"],
        "temperature": ["37.0", "35.5", "39.5", "35.0"],
    }
    for values in itertools.product(*levels.values()):
        yield {**dict(zip(levels, values)), "spo2_scale": 1}
    normal = {"respiration_rate": 16, "spo2": 97, "spo2_scale": 1, "on_oxygen": False, "systolic_bp": 120,
              "pulse": 70, "consciousness": "A", "temperature": "37.0"}
    edges = {
        "respiration_rate": [8, 9, 11, 12, 20, 21, 24, 25],
        "spo2": [91, 92, 93, 94, 95, 96],
        "systolic_bp": [90, 91, 100, 101, 110, 111, 219, 220],
        "pulse": [40, 41, 50, 51, 90, 91, 110, 111, 130, 131],
        "consciousness": ["A", "C", "V", "P", "U"],
        "temperature": ["35.0", "35.1", "36.0", "36.1", "38.0", "38.1", "39.0", "39.1"],
    }
    for name, values in edges.items():
        for value in values:
            yield {**normal, name: value}
    for spo2, on_oxygen in itertools.product([83, 84, 85, 86, 87, 88, 92, 93, 94, 95, 96, 97], [False, True]):
        yield {**normal, "spo2_scale": 2, "spo2": spo2, "on_oxygen": on_oxygen}


def must_inputs():
    """BMI edges (18.4 | 18.5, 20.0 | 20.1) × weight-loss edges (4.9 | 5, 10 | 10.1, and a gain) ×
    acute disease (BAPEN flow chart, §3.1–3.3)."""
    for bmi, loss, acute in itertools.product(["18.4", "18.5", "20.0", "20.1", "31"], ["-2", "4.9", "5", "10", "10.1"],
                                              [False, True]):
        yield {"bmi": bmi, "weight_loss_percent": loss, "acute_disease_no_intake_over_5_days": acute}


def must_from_measurements_inputs():
    """§0.5's floating-point traps at the edges, and a clear case in each band."""
    for weight, height, earlier, acute in [
        ("47.36", "160", "47.36", False),  # BMI 18.5 exactly: 1
        ("53.2", "160", "56.0", False),    # 5 % loss exactly: 1 (+ BMI 20.78: 0)
        ("50.4", "160", "56.0", False),    # 10 % loss exactly: 1 + BMI 19.69: 1
        ("70", "170", "70", False),        # 0
        ("40", "170", "50", True),         # 2 + 2 + 2
    ]:
        yield {"weight_kg": weight, "height_cm": height, "weight_3_to_6_months_ago_kg": earlier,
               "acute_disease_no_intake_over_5_days": acute}


WATERLOW_BASE = {
    "build": "average", "skin_type": ["healthy"], "sex": "male", "age": 30, "continence": "complete_or_catheterised",
    "mobility": "fully", "weight_lost_recently": "no", "weight_loss_band": None, "eating_poorly": False,
    "tissue_malnutrition": [], "neurological_deficit_points": 0, "orthopaedic_spinal_surgery": False,
    "theatre_time": "none", "high_risk_medication": False,
}


def waterlow_inputs():
    """Totals from 2 to 25 through the one-choice items (2005 card, §4.1), so 9 | 10, 14 | 15 and
    19 | 20 (§4.2) are each reached from both sides."""
    for build, age, continence, mobility, theatre in itertools.product(
        ["average", "below_average"], [30, 55, 70, 78, 90], ["complete_or_catheterised", "urinary_and_faecal"],
        ["fully", "restless_fidgety", "apathetic", "restricted", "bedbound", "chairbound"],
        ["none", "over_2_hours", "over_6_hours"],
    ):
        yield {**WATERLOW_BASE, "build": build, "age": age, "continence": continence, "mobility": mobility,
               "theatre_time": theatre}


def braden_inputs():
    """Every possible answer set (4^5 × 3): totals 6 to 23 (§5.1)."""
    names = ["sensory_perception", "moisture", "activity", "mobility", "nutrition"]
    for values in itertools.product(range(1, 5), repeat=5):
        for friction in (1, 2, 3):
            yield {**dict(zip(names, values)), "friction_shear": friction}


BARTHEL_MAXIMA = {"bowels": 2, "bladder": 2, "grooming": 1, "toilet_use": 2, "feeding": 2, "transfer": 3,
                  "mobility": 3, "dressing": 2, "stairs": 2, "bathing": 1}


def barthel_totals(step: int):
    """For each total the scale allows (0–20, or 0–100 in fives), item scores adding up to it."""
    for wanted in range(sum(BARTHEL_MAXIMA.values()) + 1):
        left, items = wanted, {}
        for name, highest in BARTHEL_MAXIMA.items():
            items[name] = min(highest, left) * step
            left -= items[name] // step
        yield items


def abbey_inputs():
    """Every possible answer set (4^6): totals 0 to 18 (§7)."""
    names = ["vocalisation", "facial_expression", "body_language_change", "behavioural_change",
             "physiological_change", "physical_changes"]
    for values in itertools.product(range(4), repeat=6):
        yield dict(zip(names, values))


def four_at_inputs():
    """Every possible answer set (§8, §11.1)."""
    for alertness, mistakes, attention, acute in itertools.product(
        ["normal", "mild_sleepiness_under_10_seconds", "clearly_abnormal"], [0, 1, 2, 3, 4, "untestable"],
        ["seven_or_more_correct", "fewer_than_seven_or_refuses", "untestable"], [False, True],
    ):
        yield {"alertness": alertness, "amt4_mistakes": mistakes, "attention": attention,
               "acute_change_or_fluctuating_course": acute}


def frat_uk_inputs():
    """All 32 answer sets (§9.1)."""
    names = ["fall_in_previous_year", "four_or_more_medications", "stroke_or_parkinsons", "balance_problems",
             "unable_to_rise_from_chair_without_arms"]
    for values in itertools.product([False, True], repeat=5):
        yield dict(zip(names, values))


def ph_frat_inputs():
    """Every possible answer set (§9.2): totals 5 to 20, and the automatic high risk."""
    for falls, medications, psychological, cognitive, change, dizziness in itertools.product(
        ["none_in_12_months", "one_or_more_3_to_12_months_ago", "one_or_more_last_3_months",
         "one_or_more_last_3_months_as_inpatient_or_resident"], range(1, 5), range(1, 5), range(1, 5),
        [False, True], [False, True],
    ):
        yield {"recent_falls": falls, "medications": medications, "psychological": psychological,
               "cognitive_status": cognitive, "recent_change_affecting_mobility": change,
               "dizziness_or_postural_hypotension": dizziness}


EDGE_INPUTS = {
    "news2": news2_inputs,
    "must": must_inputs,
    "must_from_measurements": must_from_measurements_inputs,
    "waterlow": waterlow_inputs,
    "braden": braden_inputs,
    "barthel": lambda: barthel_totals(1),
    "barthel_100": lambda: barthel_totals(5),
    "abbey_pain_scale": abbey_inputs,
    "four_at": four_at_inputs,
    "frat_uk": frat_uk_inputs,
    "ph_frat_part1": ph_frat_inputs,
}


# --- Every category the tools return has guidance, and nothing else does --------------------------


def test_every_tool_has_information_guidance_and_edge_inputs():
    assert set(TOOL_INFO) == set(GUIDANCE) == set(EDGE_INPUTS) == set(TOOLS)


@pytest.mark.parametrize("tool", TOOLS)
def test_every_reference_case_category_has_guidance(tool):
    for case in CASES.get(tool, []):
        assert isinstance(guidance(tool, case["category"]), Guidance), case


@pytest.mark.parametrize("tool", TOOLS)
def test_the_categories_the_tool_returns_are_exactly_those_with_guidance(tool):
    seen = {case["category"] for case in CASES.get(tool, [])}
    totals = set()
    for inputs in EDGE_INPUTS[tool]():
        result = score(tool, inputs)
        guidance(tool, result.category)  # KeyError if a category has none
        seen.add(result.category)
        totals.add(result.total)
    assert seen == set(categories(tool))
    assert len(totals) > 1


def test_the_band_edges_reach_each_side():
    """Spot checks that the edge inputs do cross the edges they claim to (else the walk proves little)."""
    news2_totals = {score("news2", inputs).total for inputs in news2_inputs()}
    assert set(range(21)) <= news2_totals
    waterlow_totals = {score("waterlow", inputs).total for inputs in waterlow_inputs()}
    assert {9, 10, 14, 15, 19, 20} <= waterlow_totals
    assert [score("barthel", items).total for items in barthel_totals(1)] == list(range(21))
    assert [score("barthel_100", items).total for items in barthel_totals(5)] == list(range(0, 101, 5))


def test_an_unknown_tool_or_category_has_no_guidance():
    with pytest.raises(KeyError):
        guidance("news2", "very_high")
    with pytest.raises(KeyError):
        guidance("downton", "high")


# --- What the guidance says ---------------------------------------------------------------------------


@pytest.mark.parametrize("tool", TOOLS)
def test_every_category_has_words_and_an_nhs_tag_colour(tool):
    for category in categories(tool):
        entry = guidance(tool, category)
        assert entry.colour in NHS_TAG_COLOURS
        assert entry.label and entry.meaning.endswith(".") and entry.action.endswith(".")
        assert "_" not in entry.label  # words, never the code


def test_news2_labels_and_chart_4_responses():
    assert [guidance("news2", c).label for c in categories("news2")] == [
        "Low risk", "Low-medium risk", "Medium risk", "High risk"]
    assert [guidance("news2", c).colour for c in categories("news2")] == ["green", "yellow", "orange", "red"]
    assert "12 hours" in guidance("news2", "low").action and "4 to 6 hours" in guidance("news2", "low").action
    assert "every hour" in guidance("news2", "low_medium").action
    assert guidance("news2", "medium").action.startswith("Urgent response")
    assert guidance("news2", "high").action.startswith("Emergency response")
    assert "continuously" in guidance("news2", "high").action


def test_must_management_follows_the_flow_chart():
    assert "3 days" in guidance("must", "medium").action
    assert "dietitian" in guidance("must", "high").action
    assert guidance("must", "high") == guidance("must_from_measurements", "high")


def test_falls_tools_are_case_finding_aids_never_verdicts():
    assert CASE_FINDING_AID_NOTE == (
        "A case-finding aid that feeds a multifactorial falls risk assessment (NICE NG249), not a verdict.")
    aids = {tool for tool, info in TOOL_INFO.items() if info.case_finding_aid}
    assert aids == {"frat_uk", "ph_frat_part1"}
    for tool in aids:
        assert TOOL_INFO[tool].note == CASE_FINDING_AID_NOTE
        assert "NICE NG249" in TOOL_INFO[tool].source
        for category in categories(tool):
            assert CASE_FINDING_AID_NOTE in guidance(tool, category).meaning
            assert "multifactorial falls risk assessment" in guidance(tool, category).action
    assert TOOL_INFO["news2"].note == ""


def test_tools_whose_publishers_ask_for_it_carry_their_attribution():
    """§0.9: RCP acknowledged for NEWS2; Waterlow and Braden copyright and permission; 4AT free."""
    assert "Royal College of Physicians" in TOOL_INFO["news2"].attribution
    assert "must not be modified" in TOOL_INFO["news2"].attribution
    assert "© J Waterlow 1985, revised 2005" in TOOL_INFO["waterlow"].attribution
    assert "© Barbara Braden and Nancy Bergstrom" in TOOL_INFO["braden"].attribution
    assert TOOL_INFO["four_at"].attribution == ""


def test_every_tool_has_a_name_purpose_and_source():
    assert TOOL_INFO["news2"].name == "NEWS2 (National Early Warning Score 2)"
    for info in TOOL_INFO.values():
        assert info.name and info.short_name and info.purpose.endswith(".") and info.source


def test_barthel_bands_name_their_own_scale():
    assert "0 to 4" in guidance("barthel", "total_dependency").meaning
    assert "0 to 20" in guidance("barthel_100", "total_dependency").meaning
    assert guidance("barthel_100", "independent").meaning.startswith("A total of 100")


def test_decimal_totals_are_handled_by_the_walk():
    """MUST's derived BMI is exact Decimal arithmetic (§0.5): the walk sends text, as a form would."""
    assert score("must", {"bmi": Decimal("18.5"), "weight_loss_percent": Decimal(0),
                          "acute_disease_no_intake_over_5_days": False}).category == "medium"
