"""The scoring forms: one declarative table of questions per tool, read into a Django form.

Each question names its input exactly as reference/clinical-tools.md §11.1 does, says in plain
English what to ask, and how to answer (radios whose options show their points, checkboxes for the
"all that apply" lists, whole numbers, decimals, yes or no). The form only parses: `encoded()` turns
the answers into the §11.1 encoding (ints, booleans, lists, exact decimals) and the tool itself
judges ranges and combinations, so the rules live in one place (carelead.assessments.tools).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from carelead.assessments.models import NeedsAssessmentSection
from carelead.core.forms import NHSFormMixin

RADIOS, CHECKBOXES, INTEGER, DECIMAL = "radios", "checkboxes", "integer", "decimal"
YES, NO = "yes", "no"

SELECT_MESSAGE = "Select {short}"
ENTER_MESSAGE = "Enter {short}"
WHOLE_NUMBER_MESSAGE = "Enter {short} as a whole number, like {example}"
NUMBER_MESSAGE = "Enter {short} as a number, like {example}"
NOTES_LENGTH = 2000
NOTES_MESSAGE = f"Notes must be {NOTES_LENGTH} characters or fewer"
NUMBER_DIGITS = 12  # more digits than any measurement here has; beyond it is a typing slip


@dataclass(frozen=True)
class Option:
    """One answer: its §11.1 value, its words, and the points it scores (None where they depend on
    another answer or it sets the category, not the total)."""

    value: Any
    label: str
    points: int | None = None
    hint: str = ""

    @property
    def html_value(self) -> str:
        if isinstance(self.value, bool):
            return YES if self.value else NO
        return str(self.value)


@dataclass(frozen=True)
class Question:
    """One input of a tool, as the form asks it."""

    name: str  # the §11.1 input name
    label: str
    kind: str
    short: str  # for messages: "Enter the pulse", "Select the level of consciousness"
    options: tuple[Option, ...] = ()
    hint: str = ""
    unit: str = ""  # shown after a number box: "breaths per minute"
    example: str = ""  # in a number's error message: "like 16"
    required: bool = True
    exclusive: Any = None  # checkboxes: the option that rules out all others ("healthy" skin)
    only_when: tuple[str, Any] | None = None  # asked only when another question has this answer
    section: str = ""  # a heading shown before this question
    initial: Any = None


@dataclass(frozen=True)
class ToolSpec:
    """A tool's form: what to tell the person scoring first, then its questions in order."""

    questions: tuple[Question, ...]
    intro: str = ""

    def form_data(self, inputs: dict) -> dict:
        """§11.1 inputs as the form would post them: the inverse of `ScoreForm.encoded()`."""
        data: dict[str, Any] = {}
        for question in self.questions:
            value = inputs.get(question.name)
            if value is None:
                continue
            if question.kind == CHECKBOXES:
                data[question.name] = list(value)
            elif question.kind == RADIOS:
                data[question.name] = Option(value, "").html_value
            else:
                data[question.name] = str(value)
        return data


def yes_no(name: str, label: str, *, short: str, points: int | None, hint: str = "", yes_hint: str = "",
           section: str = "") -> Question:
    return Question(name, label, RADIOS, short, (Option(True, "Yes", points, yes_hint), Option(False, "No", 0)),
                    hint=hint, section=section)


def graded(name: str, label: str, labels: tuple[str, ...], *, short: str, first: int = 0, step: int = 1,
           hint: str = "") -> Question:
    """Radios scoring first, first + step, ... in the order of `labels` (each value is its points)."""
    options = tuple(Option(first + step * i, text, first + step * i) for i, text in enumerate(labels))
    return Question(name, label, RADIOS, short, options, hint=hint)


def number(name: str, label: str, kind: str, *, short: str, unit: str, example: str, hint: str = "") -> Question:
    return Question(name, label, kind, short, hint=hint, unit=unit, example=example)


# --- The tools ---------------------------------------------------------------------------------

NEWS2 = ToolSpec(intro="Take a full set of observations: NEWS2 needs all seven.", questions=(
    number("respiration_rate", "Respiration rate", INTEGER, short="the respiration rate",
           unit="breaths per minute", example="16"),
    number("spo2", "Oxygen saturation (SpO2)", INTEGER, short="the oxygen saturation", unit="%", example="96"),
    Question("spo2_scale", "Which SpO2 scale?", RADIOS, "which SpO2 scale to use", (
        Option(1, "Scale 1", hint="For most people, including most people with COPD"),
        Option(2, "Scale 2", hint="Only when a clinician has set a target of 88–92%"),
    ), initial=1),
    Question("on_oxygen", "Air or oxygen?", RADIOS, "air or oxygen", (
        Option(False, "Air", 0), Option(True, "Oxygen", 2, "Any supplemental oxygen"),
    )),
    number("systolic_bp", "Systolic blood pressure", INTEGER, short="the systolic blood pressure", unit="mmHg",
           example="120"),
    number("pulse", "Pulse", INTEGER, short="the pulse", unit="beats per minute", example="72"),
    Question("consciousness", "Level of consciousness (ACVPU)", RADIOS, "the level of consciousness", (
        Option("A", "Alert", 0, "Includes confusion that is usual for them"),
        Option("C", "New confusion", 3, "New or worse confusion, disorientation or agitation"),
        Option("V", "Responds to voice", 3),
        Option("P", "Responds to pain", 3),
        Option("U", "Unresponsive", 3),
    )),
    number("temperature", "Temperature", DECIMAL, short="the temperature", unit="°C", example="37.5",
           hint="To one decimal place"),
))

_MUST_ACUTE = yes_no(
    "acute_disease_no_intake_over_5_days",
    "Are they acutely ill with no nutritional intake, or likely none, for more than 5 days?",
    short="whether they are acutely ill with no intake for more than 5 days", points=2,
    hint="This is unlikely to apply outside hospital",
)
MUST = ToolSpec(questions=(
    number("bmi", "Body mass index (BMI)", DECIMAL, short="the BMI", unit="kg/m²", example="21.4",
           hint="Measured or estimated. Over 20 scores 0, 18.5 to 20 scores 1, under 18.5 scores 2."),
    number("weight_loss_percent", "Unplanned weight loss in the last 3 to 6 months", DECIMAL,
           short="the weight loss", unit="%", example="4.5",
           hint="As a percentage of their earlier weight; 0 for none, or a negative number for a gain. "
                "Under 5% scores 0, 5 to 10% scores 1, over 10% scores 2."),
    _MUST_ACUTE,
))
MUST_FROM_MEASUREMENTS = ToolSpec(intro="carelead works out their BMI and weight loss from these.", questions=(
    number("weight_kg", "Weight now", DECIMAL, short="their weight now", unit="kg", example="62.5"),
    number("height_cm", "Height", DECIMAL, short="their height", unit="cm", example="165"),
    number("weight_3_to_6_months_ago_kg", "Weight 3 to 6 months ago", DECIMAL,
           short="their weight 3 to 6 months ago", unit="kg", example="64",
           hint="Their heaviest recorded weight in the last 3 to 6 months"),
    _MUST_ACUTE,
))

WATERLOW = ToolSpec(intro="Choose every answer that applies: skin type and tissue malnutrition may have more than "
                          "one.", questions=(
    Question("build", "Build: weight for height", RADIOS, "their build", (
        Option("average", "Average (BMI 20 to 24.9)", 0),
        Option("above_average", "Above average (BMI 25 to 29.9)", 1),
        Option("obese", "Obese (BMI 30 or more)", 2),
        Option("below_average", "Below average (BMI under 20)", 3),
    )),
    Question("skin_type", "Skin type in visual risk areas", CHECKBOXES, "their skin type", (
        Option("tissue_paper", "Tissue paper", 1),
        Option("dry", "Dry", 1),
        Option("oedematous", "Oedematous", 1),
        Option("clammy_pyrexia", "Clammy or feverish (pyrexia)", 1),
        Option("discoloured_grade_1", "Discoloured (category 1 pressure damage)", 2),
        Option("broken_spots_grade_2_4", "Broken or spots (category 2 to 4)", 3),
        Option("healthy", "Healthy", 0),
    ), hint="Select all that apply", exclusive="healthy"),
    Question("sex", "Sex", RADIOS, "their sex", (Option("male", "Male", 1), Option("female", "Female", 2)),
             hint="As recorded for clinical purposes"),
    number("age", "Age", INTEGER, short="their age", unit="years", example="82",
           hint="14 to 49 scores 1, 50 to 64 scores 2, 65 to 74 scores 3, 75 to 80 scores 4, 81 or over 5"),
    Question("weight_lost_recently", "Have they lost weight recently?", RADIOS, "whether they have lost weight",
             (Option("no", "No", 0), Option("yes", "Yes", hint="Then say how much below"),
              Option("unsure", "Not sure", 2)),
             section="Nutrition (Malnutrition Screening Tool)"),
    Question("weight_loss_band", "If yes, how much weight have they lost?", RADIOS, "how much weight they have lost", (
        Option("0.5_to_5_kg", "0.5 to 5 kg", 1),
        Option("5_to_10_kg", "5 to 10 kg", 2),
        Option("10_to_15_kg", "10 to 15 kg", 3),
        Option("over_15_kg", "More than 15 kg", 4),
        Option("unsure", "Not sure how much", 2),
    ), only_when=("weight_lost_recently", "yes")),
    yes_no("eating_poorly", "Are they eating poorly or lacking appetite?", short="whether they are eating poorly",
           points=1),
    Question("continence", "Continence", RADIOS, "their continence", (
        Option("complete_or_catheterised", "Complete, or catheterised", 0),
        Option("urinary", "Urinary incontinence", 1),
        Option("faecal", "Faecal incontinence", 2),
        Option("urinary_and_faecal", "Urinary and faecal incontinence", 3),
    ), section="Continence and mobility"),
    Question("mobility", "Mobility", RADIOS, "their mobility", (
        Option("fully", "Fully mobile", 0),
        Option("restless_fidgety", "Restless or fidgety", 1),
        Option("apathetic", "Apathetic", 2),
        Option("restricted", "Restricted", 3),
        Option("bedbound", "Bedbound, for example in traction", 4),
        Option("chairbound", "Chairbound, for example in a wheelchair", 5),
    )),
    Question("tissue_malnutrition", "Tissue malnutrition", CHECKBOXES, "tissue malnutrition", (
        Option("terminal_cachexia", "Terminal cachexia", 8),
        Option("multiple_organ_failure", "Multiple organ failure", 8),
        Option("single_organ_failure", "Single organ failure (respiratory, renal or cardiac)", 5),
        Option("peripheral_vascular_disease", "Peripheral vascular disease", 5),
        Option("anaemia_hb_below_8", "Anaemia (Hb under 8 g/dl)", 2),
        Option("smoking", "Smoking", 1),
    ), hint="Select all that apply. Leave blank if none apply.", required=False, section="Special risks"),
    Question("neurological_deficit_points", "Neurological deficit", RADIOS,
             "whether they have a neurological deficit", (
        Option(0, "None", 0),
        Option(4, "Yes, less severe", 4),
        Option(5, "Yes, moderately severe", 5),
        Option(6, "Yes, most severe", 6),
    ), hint="For example diabetes, MS, stroke, motor or sensory loss, paraplegia. Score 4 to 6 by how severe it is."),
    yes_no("orthopaedic_spinal_surgery", "Have they had orthopaedic or spinal surgery?",
           short="whether they have had orthopaedic or spinal surgery", points=5,
           hint="Surgery scores may be left out after 48 hours if they are recovering normally"),
    Question("theatre_time", "Time on the operating table in the last 48 hours", RADIOS, "their time in theatre", (
        Option("none", "None, or 2 hours or less", 0),
        Option("over_2_hours", "More than 2 hours", 5),
        Option("over_6_hours", "More than 6 hours", 8),
    )),
    yes_no("high_risk_medication",
           "Are they taking cytotoxics, long-term or high-dose steroids, or anti-inflammatories?",
           short="whether they take any of these medicines", points=4,
           hint="Scores 4 however many of these they take"),
))

BRADEN = ToolSpec(intro="Score each of the six areas from 1 to 4 (friction and shear 1 to 3). A lower total means a "
                        "higher risk.", questions=(
    graded("sensory_perception", "Sensory perception: can they respond to discomfort from pressure?",
           ("Completely limited", "Very limited", "Slightly limited", "No impairment"),
           short="their sensory perception", first=1),
    graded("moisture", "Moisture: how often is their skin moist?",
           ("Constantly moist", "Very moist", "Occasionally moist", "Rarely moist"), short="moisture", first=1),
    graded("activity", "Activity: how physically active are they?",
           ("Bedfast", "Chairfast", "Walks occasionally", "Walks frequently"), short="their activity", first=1),
    graded("mobility", "Mobility: can they change and control their body position?",
           ("Completely immobile", "Very limited", "Slightly limited", "No limitation"),
           short="their mobility", first=1),
    graded("nutrition", "Nutrition: what do they usually eat?",
           ("Very poor", "Probably inadequate", "Adequate", "Excellent"), short="their nutrition", first=1),
    graded("friction_shear", "Friction and shear",
           ("Problem", "Potential problem", "No apparent problem"), short="friction and shear", first=1),
))

# Barthel items (Collin & Wade order) and each score's words, 0 upwards (clinical-tools.md §6.1).
BARTHEL_ITEMS = (
    ("bowels", "Bowels", ("Incontinent, or needs enemas", "Occasional accident (once a week)", "Continent")),
    ("bladder", "Bladder", ("Incontinent, or catheterised and unable to manage alone",
                            "Occasional accident (at most once in 24 hours)",
                            "Continent for over 7 days, including managing their own catheter")),
    ("grooming", "Grooming", ("Needs help with personal care",
                              "Independent: face, hair, teeth and shaving, with things provided")),
    ("toilet_use", "Toilet use", ("Dependent", "Needs some help, but can do something alone",
                                  "Independent: on and off, dressing and wiping")),
    ("feeding", "Feeding", ("Unable", "Needs help cutting or spreading butter, or a modified diet", "Independent")),
    ("transfer", "Transfer (bed to chair and back)", ("Unable: no sitting balance",
                                                      "Major help (1 or 2 people, physical); can sit",
                                                      "Minor help (verbal or physical)", "Independent")),
    ("mobility", "Mobility (indoors, on level ground)", ("Immobile, or less than 50 metres",
                                                         "Independent in a wheelchair, including corners",
                                                         "Walks with the help of one person (verbal or physical)",
                                                         "Independent, may use an aid such as a stick")),
    ("dressing", "Dressing", ("Dependent", "Needs help, but does about half unaided",
                              "Independent, including buttons, zips and laces")),
    ("stairs", "Stairs", ("Unable", "Needs help (verbal, physical or carrying an aid)", "Independent up and down")),
    ("bathing", "Bathing", ("Dependent", "Independent in the bath or shower")),
)
BARTHEL_INTRO = ("Record what they do, not what they could do, usually over the last 24 to 48 hours. Needing "
                 "supervision means they are not independent.")
BARTHEL = ToolSpec(intro=BARTHEL_INTRO, questions=tuple(
    graded(name, label, labels, short=label.split(" (")[0].lower()) for name, label, labels in BARTHEL_ITEMS
))
BARTHEL_100 = ToolSpec(intro=BARTHEL_INTRO, questions=tuple(
    graded(name, label, labels, short=label.split(" (")[0].lower(), step=5) for name, label, labels in BARTHEL_ITEMS
))

ABBEY_GRADES = ("Absent", "Mild", "Moderate", "Severe")
ABBEY_ITEMS = (
    ("vocalisation", "Vocalisation", "For example whimpering, groaning, crying"),
    ("facial_expression", "Facial expression", "For example looking tense, frowning, grimacing, looking frightened"),
    ("body_language_change", "Change in body language",
     "For example fidgeting, rocking, guarding part of the body, withdrawn"),
    ("behavioural_change", "Behavioural change",
     "For example more confused, refusing to eat, a change in their usual patterns"),
    ("physiological_change", "Physiological change",
     "For example temperature, pulse or blood pressure outside normal limits, sweating, flushing or pallor"),
    ("physical_changes", "Physical changes",
     "For example skin tears, pressure areas, arthritis, contractures, previous injuries"),
)
ABBEY = ToolSpec(intro="Observe them, ideally while they move or during care, such as a transfer or washing.",
                 questions=tuple(graded(name, label, ABBEY_GRADES, short=label.lower(), hint=hint)
                                 for name, label, hint in ABBEY_ITEMS))

FOUR_AT = ToolSpec(intro="Delirium is diagnosed by clinical judgement, never by this score alone.", questions=(
    Question("alertness", "Alertness", RADIOS, "their alertness", (
        Option("normal", "Normal: fully alert, not agitated, throughout the assessment", 0),
        Option("mild_sleepiness_under_10_seconds", "Mild sleepiness for under 10 seconds after waking, then normal", 0),
        Option("clearly_abnormal", "Clearly abnormal: markedly drowsy, or agitated", 4),
    ), hint="If they are asleep, try to wake them with speech or a gentle touch on the shoulder. Ask them to say "
            "their name and address."),
    Question("amt4_mistakes", "AMT4: how many mistakes?", RADIOS, "how many mistakes they made", (
        Option(0, "No mistakes", 0),
        Option(1, "1 mistake", 1),
        Option(2, "2 mistakes", 2),
        Option(3, "3 mistakes", 2),
        Option(4, "4 mistakes", 2),
        Option("untestable", "Untestable", 2),
    ), hint="Ask their age, date of birth, the place (the name of the building) and the current year."),
    Question("attention", "Attention: the months of the year backwards", RADIOS, "how they did on attention", (
        Option("seven_or_more_correct", "7 or more months correct", 0),
        Option("fewer_than_seven_or_refuses", "Starts but gets fewer than 7 months, or refuses to start", 1),
        Option("untestable", "Untestable: cannot start because unwell, drowsy or inattentive", 2),
    ), hint="Ask them to say the months in backwards order, starting at December. One prompt is allowed: "
            "“what is the month before December?”"),
    yes_no("acute_change_or_fluctuating_course", "Acute change or fluctuating course?",
           short="whether there is an acute change or fluctuating course", points=4,
           hint="A significant change or fluctuation in alertness, thinking or other mental function (for example "
                "paranoia or hallucinations) over the last 2 weeks and still evident in the last 24 hours"),
))

FRAT_UK = ToolSpec(questions=(
    yes_no("fall_in_previous_year", "Have they had any fall in the last year?", short="whether they have fallen",
           points=1, hint="Ask them"),
    yes_no("four_or_more_medications", "Do they take 4 or more prescribed medicines a day?",
           short="whether they take 4 or more medicines", points=1),
    yes_no("stroke_or_parkinsons", "Have they been diagnosed with a stroke or Parkinson's disease?",
           short="whether they have had a stroke or have Parkinson's", points=1),
    yes_no("balance_problems", "Do they report problems with their balance?",
           short="whether they report balance problems", points=1),
    yes_no("unable_to_rise_from_chair_without_arms",
           "Are they unable to rise from a chair of knee height without using their arms?",
           short="whether they can rise from a chair", points=1, hint="Watch them try"),
))

_AUTOMATIC_HIGH = "Yes makes their risk high, whatever the total"
PH_FRAT_PART1 = ToolSpec(questions=(
    Question("recent_falls", "Recent falls", RADIOS, "their recent falls", (
        Option("none_in_12_months", "None in the last 12 months", 2),
        Option("one_or_more_3_to_12_months_ago", "One or more between 3 and 12 months ago", 4),
        Option("one_or_more_last_3_months", "One or more in the last 3 months", 6),
        Option("one_or_more_last_3_months_as_inpatient_or_resident",
               "One or more in the last 3 months while an inpatient or resident", 8),
    )),
    graded("medications", "Medicines: how many do they take of these kinds?", ("None", "One", "Two", "More than two"),
           short="their medicines", first=1,
           hint="Sedatives, antidepressants, anti-Parkinson's medicines, diuretics, antihypertensives, hypnotics"),
    graded("psychological", "Psychological state",
           ("Does not appear affected", "Mildly affected", "Moderately affected", "Severely affected"),
           short="their psychological state", first=1,
           hint="Anxiety, depression, reduced cooperation, insight or judgement, especially about mobility"),
    graded("cognitive_status", "Cognitive status (AMTS)",
           ("Intact: AMTS 9 or 10", "Mildly impaired: AMTS 7 or 8", "Moderately impaired: AMTS 5 or 6",
            "Severely impaired: AMTS 4 or less"), short="their cognitive status", first=1),
    yes_no("recent_change_affecting_mobility",
           "Has there been a recent change in their function or medicines affecting safe mobility, or is one "
           "expected?", short="whether there has been a change affecting mobility", points=None,
           yes_hint=_AUTOMATIC_HIGH, section="Automatic high risk"),
    yes_no("dizziness_or_postural_hypotension", "Do they have dizziness or postural hypotension?",
           short="whether they have dizziness or postural hypotension", points=None, yes_hint=_AUTOMATIC_HIGH),
))

SPECS: dict[str, ToolSpec] = {
    "news2": NEWS2,
    "must": MUST,
    "must_from_measurements": MUST_FROM_MEASUREMENTS,
    "waterlow": WATERLOW,
    "braden": BRADEN,
    "barthel": BARTHEL,
    "barthel_100": BARTHEL_100,
    "abbey_pain_scale": ABBEY,
    "four_at": FOUR_AT,
    "frat_uk": FRAT_UK,
    "ph_frat_part1": PH_FRAT_PART1,
}


# --- The form ----------------------------------------------------------------------------------


def _field(question: Question) -> forms.Field:
    """The Django field that parses one question's answer (the template draws it; see score_form.html)."""
    required = question.required and question.only_when is None
    messages = {"required": (SELECT_MESSAGE if question.options else ENTER_MESSAGE).format(short=question.short)}
    choices = [(option.html_value, option.label) for option in question.options]
    if question.kind == RADIOS:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=required,
                                 error_messages={**messages, "invalid_choice": messages["required"]})
    if question.kind == CHECKBOXES:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, required=required,
                                         error_messages={**messages, "invalid_choice": messages["required"]})
    if question.kind == INTEGER:
        invalid = WHOLE_NUMBER_MESSAGE.format(short=question.short, example=question.example)
        return forms.IntegerField(required=required, error_messages={**messages, "invalid": invalid})
    invalid = NUMBER_MESSAGE.format(short=question.short, example=question.example)
    return forms.DecimalField(required=required, max_digits=NUMBER_DIGITS, error_messages={
        **messages, "invalid": invalid, "max_digits": invalid, "max_whole_digits": invalid,
        "max_decimal_places": invalid,
    })


def exact_number(value: Decimal) -> int | float | str:
    """A decimal as the tools accept it with no digit lost: an int when whole; a float when the
    float's shortest text is exactly the decimal (37.5, 18.5); otherwise its text."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else format(value, "f")


class ScoreForm(forms.Form):
    """A tool's questions, and optional notes. `encoded()` gives the tool's inputs (§11.1)."""

    def __init__(self, tool: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.spec = SPECS[tool]
        for question in self.spec.questions:
            self.fields[question.name] = _field(question)
            self.fields[question.name].label = question.label
            if question.initial is not None and question.name not in self.initial:
                self.initial[question.name] = Option(question.initial, "").html_value
        self.fields["notes"] = forms.CharField(
            label="Notes", required=False, max_length=NOTES_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"max_length": NOTES_MESSAGE},
        )

    def clean(self):
        cleaned = super().clean()
        for question in self.spec.questions:
            unanswered = cleaned.get(question.name) in (None, "") and question.name not in self.errors
            if question.only_when and self._asked(question) and unanswered:
                self.add_error(question.name, SELECT_MESSAGE.format(short=question.short))
        return cleaned

    def _asked(self, question: Question) -> bool:
        """False for a follow-up question whose lead answer does not call for it."""
        if question.only_when is None:
            return True
        lead, answer = question.only_when
        return self.cleaned_data.get(lead) == Option(answer, "").html_value

    def encoded(self) -> dict[str, Any]:
        """The answers in the tool's §11.1 encoding: a follow-up not asked is None."""
        inputs: dict[str, Any] = {}
        for question in self.spec.questions:
            value = self.cleaned_data.get(question.name)
            if not self._asked(question):
                inputs[question.name] = None
            elif question.kind == RADIOS:
                inputs[question.name] = next(o.value for o in question.options if o.html_value == value)
            elif question.kind == CHECKBOXES:
                inputs[question.name] = list(value or [])
            elif question.kind == DECIMAL:
                inputs[question.name] = exact_number(value)
            else:
                inputs[question.name] = value
        return inputs

    def questions(self) -> list[dict]:
        """Each question with its bound field and options, in order, for the template. A follow-up
        comes straight after the question that calls for it, its label saying when it applies:
        NHS.UK's conditional reveal sets aria-expanded on radios, which ARIA does not allow."""
        return [self._question(question) for question in self.spec.questions]

    def _question(self, question: Question) -> dict:
        field = self[question.name]
        value = field.value()
        chosen = set(value) if isinstance(value, (list, tuple)) else {"" if value is None else str(value)}
        options = [
            {"option": option, "id": f"{field.auto_id}_{index}", "checked": option.html_value in chosen}
            for index, option in enumerate(question.options)
        ]
        css = "checkboxes" if question.kind == CHECKBOXES else "radios"
        return {"question": question, "field": field, "options": options, "choice": bool(question.options),
                "css": css, "input_type": "checkbox" if question.kind == CHECKBOXES else "radio",
                "inputmode": "numeric" if question.kind == INTEGER else "decimal"}


class NeedsSectionForm(NHSFormMixin, forms.ModelForm):
    """One area of a holistic needs assessment, with the version of the assessment it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = NeedsAssessmentSection
        fields = ["persons_view", "strengths", "needs", "support_level", "tools_used"]
        labels = {
            "persons_view": "Their view, in their own words",
            "strengths": "Strengths",
            "needs": "Needs",
            "support_level": "Support they need",
            "tools_used": "Tools used (optional)",
        }
        widgets = {
            "persons_view": forms.Textarea(attrs={"rows": 4}),
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "needs": forms.Textarea(attrs={"rows": 4}),
            "support_level": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_level"].choices = [c for c in self.fields["support_level"].choices if c[0]]
        self.fields["support_level"].required = False
