"""The scoring forms: each tool's questions are exactly its inputs (reference/clinical-tools.md §11.1),
the answers come out in that encoding with no digit lost, and the points each option shows are the
points the tool gives it. No database: the forms only parse."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from carelead.assessments.forms import (
    CHECKBOXES, DECIMAL, INTEGER, NOTES_LENGTH, NOTES_MESSAGE, RADIOS, SPECS, Option, ScoreForm, exact_number,
)
from carelead.assessments.tools import TOOLS, ToolInputError, score

CASES = json.loads((Path(__file__).parent / "data" / "clinical_cases.json").read_text())
ALL_CASES = [(tool, index) for tool in TOOLS for index in range(len(CASES[tool]))]


def form_for(tool: str, inputs: dict, **extra) -> ScoreForm:
    return ScoreForm(tool, {**SPECS[tool].form_data(inputs), **extra})


def test_there_is_a_form_for_every_tool():
    assert set(SPECS) == set(TOOLS)


@pytest.mark.parametrize("tool", TOOLS)
def test_each_form_asks_exactly_the_tools_inputs(tool):
    names = [question.name for question in SPECS[tool].questions]
    assert len(names) == len(set(names))
    for case in CASES[tool]:
        assert set(names) == set(case["inputs"])


@pytest.mark.parametrize(("tool", "index"), ALL_CASES, ids=[f"{tool}[{index}]" for tool, index in ALL_CASES])
def test_every_reference_case_goes_through_its_form_unchanged(tool, index):
    case = CASES[tool][index]
    form = form_for(tool, case["inputs"])
    assert form.is_valid(), form.errors
    encoded = form.encoded()
    assert encoded == case["inputs"]
    for name, value in encoded.items():  # the same types: a bool is never 1, an int never "1"
        expected = case["inputs"][name]
        assert isinstance(value, bool) == isinstance(expected, bool), name
        assert isinstance(value, (list, type(None))) == isinstance(expected, (list, type(None))), name
    result = score(tool, encoded)
    assert (result.total, result.category) == (case["total"], case["category"])


def _swapped(tool: str, question, option) -> dict:
    """The first reference case with this one answer changed (a follow-up answered as needed)."""
    inputs = dict(CASES[tool][0]["inputs"])
    inputs[question.name] = [option.value] if question.kind == CHECKBOXES else option.value
    if question.only_when:
        lead, answer = question.only_when
        inputs[lead] = answer
    for follow_up in SPECS[tool].questions:
        if follow_up.only_when == (question.name, option.value):
            inputs[follow_up.name] = follow_up.options[0].value
    return inputs


OPTIONS = [
    (tool, question.name, option.value)
    for tool in TOOLS for question in SPECS[tool].questions for option in question.options
]


@pytest.mark.parametrize(("tool", "name", "value"), OPTIONS, ids=[f"{t}.{n}={v}" for t, n, v in OPTIONS])
def test_every_option_is_one_the_tool_accepts_and_shows_the_points_it_scores(tool, name, value):
    question = next(q for q in SPECS[tool].questions if q.name == name)
    option = next(o for o in question.options if o.value == value)
    baseline = next((o for o in question.options if o.points is not None), None)
    answered = score(tool, _swapped(tool, question, option))  # no ToolInputError: the tool accepts it
    if option.points is not None:
        base = score(tool, _swapped(tool, question, baseline))
        assert answered.total - base.total == option.points - baseline.points


def test_an_empty_form_names_every_question_in_plain_english():
    form = ScoreForm("news2", {})
    assert not form.is_valid()
    assert form.errors["respiration_rate"] == ["Enter the respiration rate"]
    assert form.errors["consciousness"] == ["Select the level of consciousness"]
    assert form.errors["spo2_scale"] == ["Select which SpO2 scale to use"]
    assert "notes" not in form.errors


def test_a_number_that_is_not_one_says_how_to_write_it():
    inputs = CASES["news2"][0]["inputs"]
    form = form_for("news2", inputs, pulse="seventy", temperature="37,5", spo2="96.5")
    assert not form.is_valid()
    assert form.errors["pulse"] == ["Enter the pulse as a whole number, like 72"]
    assert form.errors["spo2"] == ["Enter the oxygen saturation as a whole number, like 96"]
    assert form.errors["temperature"] == ["Enter the temperature as a number, like 37.5"]


def test_an_answer_that_is_not_an_option_is_refused_as_unanswered():
    form = form_for("news2", CASES["news2"][0]["inputs"], consciousness="Z", on_oxygen="true")
    assert not form.is_valid()
    assert form.errors["consciousness"] == ["Select the level of consciousness"]
    assert form.errors["on_oxygen"] == ["Select air or oxygen"]


def test_checkboxes_give_a_list_and_may_give_an_empty_one():
    inputs = {**CASES["waterlow"][0]["inputs"], "tissue_malnutrition": []}
    form = form_for("waterlow", inputs, skin_type=["dry", "oedematous"])
    assert form.is_valid(), form.errors
    assert form.encoded()["skin_type"] == ["dry", "oedematous"]
    assert form.encoded()["tissue_malnutrition"] == []


def test_waterlow_asks_how_much_weight_only_when_weight_was_lost():
    inputs = {**CASES["waterlow"][0]["inputs"], "weight_lost_recently": "yes", "weight_loss_band": None}
    form = form_for("waterlow", inputs)
    assert not form.is_valid()
    assert form.errors["weight_loss_band"] == ["Select how much weight they have lost"]
    answered = form_for("waterlow", {**inputs, "weight_loss_band": "5_to_10_kg"})
    assert answered.is_valid() and answered.encoded()["weight_loss_band"] == "5_to_10_kg"
    # A band chosen and then "no": the follow-up was not asked, so nothing is sent for it.
    no = form_for("waterlow", {**inputs, "weight_lost_recently": "no"}, weight_loss_band="over_15_kg")
    assert no.is_valid() and no.encoded()["weight_loss_band"] is None


def test_the_follow_up_comes_straight_after_the_question_that_asks_it_and_says_when():
    names = [item["question"].name for item in ScoreForm("waterlow").questions()]
    assert names.index("weight_loss_band") == names.index("weight_lost_recently") + 1
    follow_up = ScoreForm("waterlow").questions()[names.index("weight_loss_band")]["question"]
    assert follow_up.label.startswith("If yes, ")
    assert not follow_up.required or follow_up.only_when == ("weight_lost_recently", "yes")


def test_news2_starts_on_scale_1_and_says_when_scale_2_is_used():
    form = ScoreForm("news2")
    scale = next(item for item in form.questions() if item["question"].name == "spo2_scale")
    assert [option["checked"] for option in scale["options"]] == [True, False]
    assert scale["options"][1]["option"].hint == "Only when a clinician has set a target of 88–92%"


def test_waterlow_age_can_start_from_the_record():
    form = ScoreForm("waterlow", initial={"age": 87})
    age = next(item for item in form.questions() if item["question"].name == "age")
    assert age["field"].value() == 87


def test_every_option_has_an_id_the_error_summary_links_to():
    form = ScoreForm("four_at", {})
    form.is_valid()
    item = next(item for item in form.questions() if item["question"].name == "alertness")
    assert item["options"][0]["id"] == f"{form['alertness'].auto_id}_0"


@pytest.mark.parametrize(("typed", "sent"), [
    ("37.5", 37.5), ("22", 22), ("22.0", 22), ("47.36", 47.36), ("-2.5", -2.5), ("18.50", 18.5),
])
def test_decimals_are_sent_so_the_tool_reads_exactly_what_was_typed(typed, sent):
    value = exact_number(Decimal(typed))
    assert value == sent and type(value) is type(sent)
    assert Decimal(str(value)) == Decimal(typed)


def test_a_decimal_no_float_can_hold_is_sent_as_its_text():
    assert exact_number(Decimal("18.4999999999999999999")) == "18.4999999999999999999"


def test_the_must_edge_typed_in_the_form_scores_as_the_reference_says():
    # §0.5: 47.36 kg at 160 cm is BMI 18.5 exactly (1 point), which doubles get wrong.
    inputs = {"weight_kg": 47.36, "height_cm": 160.0, "weight_3_to_6_months_ago_kg": 47.36,
              "acute_disease_no_intake_over_5_days": False}
    form = form_for("must_from_measurements", inputs)
    assert form.is_valid()
    assert score("must_from_measurements", form.encoded()).total == 1


def test_a_tool_still_refuses_what_the_form_lets_through():
    form = form_for("news2", {**CASES["news2"][0]["inputs"], "respiration_rate": 200})
    assert form.is_valid()  # a whole number: the range is the tool's to judge
    with pytest.raises(ToolInputError) as refused:
        score("news2", form.encoded())
    assert set(refused.value.errors) == {"respiration_rate"}


def test_notes_are_optional_and_bounded():
    inputs = CASES["braden"][0]["inputs"]
    assert form_for("braden", inputs).is_valid()
    long = form_for("braden", inputs, notes="x" * (NOTES_LENGTH + 1))
    assert not long.is_valid() and long.errors["notes"] == [NOTES_MESSAGE]


@pytest.mark.parametrize("tool", TOOLS)
def test_every_question_is_a_known_kind_with_words_for_its_messages(tool):
    for question in SPECS[tool].questions:
        assert question.kind in (RADIOS, CHECKBOXES, INTEGER, DECIMAL)
        assert question.label and question.short and question.short == question.short.strip()
        assert bool(question.options) == (question.kind in (RADIOS, CHECKBOXES))
        if question.kind in (INTEGER, DECIMAL):
            assert question.unit and question.example
        assert len({option.html_value for option in question.options}) == len(question.options)


def test_yes_and_no_are_sent_as_booleans():
    assert Option(True, "Yes").html_value == "yes" and Option(False, "No").html_value == "no"
    form = form_for("frat_uk", CASES["frat_uk"][0]["inputs"])
    assert form.is_valid()
    assert all(value is False for value in form.encoded().values())
