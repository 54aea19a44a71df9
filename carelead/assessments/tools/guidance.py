"""What each standard tool is, and what each of its categories means and asks staff to do.

Pure data, no Django: pages, the API and printed records read the same words. Every category a tool
in `carelead.assessments.tools` can return has guidance here (tests/test_guidance.py walks the
reference cases and every band edge to prove it). Sources: reference/clinical-tools.md, each
tool's section; licensing and attribution from §0.9.

The actions paraphrase the published source where it gives one: NEWS2 from RCP Chart 4 (§1.3), MUST
from its management guidelines (§3.4), the Abbey Pain Scale's follow-on guidance (§7), the 4AT guide
(§8), and NICE NG249 for the falls tools (§0.8, §9). Waterlow, Braden and Barthel publish bands but
no action per band in the sources seen (§4.2, §5.2, §6.3): their actions are kept to what those
sections and NICE CG179/QS89 (§4.4) support: plan prevention or support, use the score to support
judgement, reassess. Local policy and the person's care plan decide the detail; NEWS2 responses are
translated into the service's own escalation route (senior carer, nurse, GP, NHS 111, 999; §1.3).
"""

from dataclasses import dataclass

# The NHS.UK design system's tag colours (nhsuk-frontend v10, `nhsuk-tag--<colour>`).
NHS_TAG_COLOURS = frozenset({
    "white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow",
})

CASE_FINDING_AID_NOTE = (
    "A case-finding aid that feeds a multifactorial falls risk assessment (NICE NG249), not a verdict."
)


@dataclass(frozen=True)
class ToolInfo:
    """A tool as staff meet it: its names, what it is for, where it comes from and whose it is."""

    name: str
    short_name: str
    purpose: str
    source: str
    attribution: str = ""  # licensing or acknowledgement the source asks for (§0.9), else ""
    case_finding_aid: bool = False  # a falls tool: never a risk verdict on its own (NICE NG249)

    @property
    def note(self) -> str:
        """The caution shown beside a case-finding aid's result; "" for other tools."""
        return CASE_FINDING_AID_NOTE if self.case_finding_aid else ""


@dataclass(frozen=True)
class Guidance:
    """One category of one tool: its label in words, tag colour, meaning and recommended action."""

    label: str
    colour: str
    meaning: str
    action: str


# --- The tools ------------------------------------------------------------------------------------

_NEWS2_INFO = ToolInfo(
    name="NEWS2 (National Early Warning Score 2)",
    short_name="NEWS2",
    purpose="Spots acute illness and deterioration in adults from seven routine observations, "
            "and says how urgently to respond.",
    source="Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the "
           "assessment of acute-illness severity in the NHS. Updated report of a working party. "
           "London: RCP, December 2017 (Chart 1 scoring, Chart 3 thresholds and triggers, Chart 4 "
           "clinical response).",
    attribution="NEWS2 acknowledgement: Royal College of Physicians. National Early Warning Score "
                "(NEWS) 2. London: RCP, 2017. The official NEWS2 charts must not be modified and "
                "must be reproduced in colour.",
)

_MUST_SOURCE = (
    "Malnutrition Action Group (MAG), a standing committee of BAPEN (British Association for "
    "Parenteral and Enteral Nutrition). The 'MUST' Explanatory Booklet (Todorovic, Russell, Elia; "
    "first published November 2003) and the 'MUST' flow chart and management guidelines."
)
_MUST_ATTRIBUTION = "'MUST' is material of BAPEN, developed by its Malnutrition Action Group."

_BARTHEL_PURPOSE = (
    "Measures how independently a person does ten everyday activities, such as feeding, washing, "
    "dressing, using the toilet and moving about; a higher score means more independent."
)
_FALLS_SOURCE_NICE = (
    "NICE NG249 (2025), rationale on falls risk prediction tools: "
    "https://www.nice.org.uk/guidance/ng249/chapter/Rationale-and-impact"
)

TOOL_INFO: dict[str, ToolInfo] = {
    "news2": _NEWS2_INFO,
    "must": ToolInfo(
        name="MUST (Malnutrition Universal Screening Tool)",
        short_name="MUST",
        purpose="Screens adults for risk of malnutrition from their BMI, unplanned weight loss "
                "and the effect of acute illness on eating.",
        source=_MUST_SOURCE,
        attribution=_MUST_ATTRIBUTION,
    ),
    "must_from_measurements": ToolInfo(
        name="MUST (Malnutrition Universal Screening Tool) from weight and height",
        short_name="MUST (measured)",
        purpose="Screens adults for risk of malnutrition, working out their BMI and unplanned "
                "weight loss from measured weights and height.",
        source=_MUST_SOURCE,
        attribution=_MUST_ATTRIBUTION,
    ),
    "waterlow": ToolInfo(
        name="Waterlow pressure ulcer risk assessment (2005 card)",
        short_name="Waterlow",
        purpose="Estimates a person's risk of developing a pressure ulcer, to support clinical "
                "judgement when planning prevention.",
        source="Waterlow J. Pressure sores: a risk assessment card. Nursing Times "
               "1985;81(48):49–55; score card revised 2005, with the Malnutrition Screening Tool "
               "(Ferguson M et al. Nutrition 1999;15(6):458–464).",
        attribution="Waterlow score card © J Waterlow 1985, revised 2005. Permission to use the "
                    "card: judy-waterlow.co.uk.",
    ),
    "braden": ToolInfo(
        name="Braden Scale for Predicting Pressure Sore Risk",
        short_name="Braden",
        purpose="Estimates a person's risk of pressure ulcers from six areas of need; a lower "
                "score means a higher risk.",
        source="Bergstrom N, Braden BJ, Laguzza A, Holman V. The Braden Scale for predicting "
               "pressure sore risk. Nursing Research 1987;36(4):205–210.",
        attribution="Braden Scale © Barbara Braden and Nancy Bergstrom, 1988. Permission terms: "
                    "bradenscale.com.",
    ),
    "barthel": ToolInfo(
        name="Barthel Index of Activities of Daily Living (0 to 20)",
        short_name="Barthel (0–20)",
        purpose=_BARTHEL_PURPOSE,
        source="Collin C, Wade DT, Davies S, Horne V. The Barthel ADL Index: a reliability study. "
               "Int Disabil Stud 1988;10:61–63, after Mahoney FI, Barthel DW, Md State Med J "
               "1965;14:61–65. Dependency bands: Shah, Vanclay and Cooper 1989, on the 0 to 20 scale.",
    ),
    "barthel_100": ToolInfo(
        name="Barthel Index of Activities of Daily Living (0 to 100)",
        short_name="Barthel (0–100)",
        purpose=_BARTHEL_PURPOSE,
        source="Mahoney FI, Barthel DW. Functional evaluation: the Barthel Index. Md State Med J "
               "1965;14:61–65. Dependency bands: Shah, Vanclay and Cooper 1989.",
    ),
    "abbey_pain_scale": ToolInfo(
        name="Abbey Pain Scale",
        short_name="Abbey",
        purpose="Measures pain in people who cannot say they are in pain, such as people with "
                "advanced dementia, by watching them, ideally while they move or receive care.",
        source="Abbey J, Piller N, De Bellis A, et al. The Abbey pain scale: a 1-minute numerical "
               "indicator for people with end-stage dementia. Int J Palliat Nurs 2004;10(1):6–13.",
        attribution="Abbey Pain Scale: Abbey J et al., Dementia Care Australia.",
    ),
    "four_at": ToolInfo(
        name="4AT (rapid assessment test for delirium)",
        short_name="4AT",
        purpose="A quick test that finds possible delirium and cognitive impairment; a diagnosis "
                "is made by clinical judgement, not by the score.",
        source="MacLullich A et al. The 4AT (the4at.com guide); validation: Bellelli G et al. "
               "Age Ageing 2014;43(4):496–502.",
    ),
    "frat_uk": ToolInfo(
        name="FRAT (Falls Risk Assessment Tool for primary care)",
        short_name="FRAT",
        purpose="Five yes-or-no questions that find people who need a multifactorial falls risk "
                "assessment.",
        source="Nandy S, Parsons S, Cryer C, et al. Development and preliminary examination of the "
               "predictive validity of the Falls Risk Assessment Tool (FRAT) for use in primary "
               "care. J Public Health 2004;26(2):138–143. " + _FALLS_SOURCE_NICE,
        case_finding_aid=True,
    ),
    "ph_frat_part1": ToolInfo(
        name="PH-FRAT part 1 (Peninsula Health Falls Risk Assessment Tool)",
        short_name="PH-FRAT",
        purpose="Scores recent falls, medicines, psychological state and cognition to find people "
                "who need a multifactorial falls risk assessment.",
        source="Peninsula Health Falls Prevention Service, 1999; Stapleton C et al. Australas J "
               "Ageing 2009;28(3):139–143. " + _FALLS_SOURCE_NICE,
        case_finding_aid=True,
    ),
}


# --- NEWS2: RCP Chart 3 bands, Chart 4 clinical response (§1.2, §1.3) -----------------------------

_NEWS2_LOCAL_ROUTE = (
    "In a care home or at home, follow the person's care plan and treatment escalation plan, and "
    "your service's escalation route (senior carer, nurse, GP, NHS 111 or 999)."
)
_NEWS2_SEPSIS = "If the person may have an infection, think sepsis."
_NEWS2_CONCERN = (
    "The score supports judgement: if you or the person's family are worried, or you see soft "
    "signs, escalate whatever the score."
)

_NEWS2 = {
    "low": Guidance(
        label="Low risk",
        colour="green",
        meaning="A total of 0 to 4, with no single observation scoring 3.",
        action="A score of 0: continue routine NEWS2 monitoring, at least every 12 hours. A score of "
               "1 to 4: tell a registered nurse, who assesses the person and decides whether to "
               "observe more often (at least every 4 to 6 hours) and whether to escalate. "
               + _NEWS2_CONCERN + " " + _NEWS2_LOCAL_ROUTE,
    ),
    "low_medium": Guidance(
        label="Low-medium risk",
        colour="yellow",
        meaning="One observation scored 3, with a total under 5: a single vital sign is far from "
                "normal.",
        action="Observe at least every hour. A registered nurse tells the medical team caring for "
               "the person, who review them and decide whether to escalate care. "
               + _NEWS2_LOCAL_ROUTE,
    ),
    "medium": Guidance(
        label="Medium risk",
        colour="orange",
        meaning="A total of 5 or 6: the key threshold for an urgent response.",
        action="Urgent response: observe at least every hour. A registered nurse tells the medical "
               "team caring for the person immediately; a clinician or team competent in caring "
               "for acutely ill people assesses them urgently, and care moves to a setting with "
               "monitoring facilities. " + _NEWS2_SEPSIS + " " + _NEWS2_LOCAL_ROUTE,
    ),
    "high": Guidance(
        label="High risk",
        colour="red",
        meaning="A total of 7 or more: the threshold for an emergency response.",
        action="Emergency response: monitor vital signs continuously. A registered nurse tells the "
               "medical team immediately (at least specialist registrar level); a team with "
               "critical-care skills, including advanced airway management, assesses the person "
               "as an emergency; consider transfer to a higher level of care. " + _NEWS2_SEPSIS
               + " " + _NEWS2_LOCAL_ROUTE,
    ),
}


# --- MUST: BAPEN management guidelines (§3.4) -------------------------------------------------------

_MUST_EVERYONE = (
    "For everyone: treat the underlying condition; help with food choices, eating and drinking; "
    "record the risk category, any need for a special diet and any obesity (BMI over 30); screen "
    "again when the person moves between care settings."
)

_MUST = {
    "low": Guidance(
        label="Low risk",
        colour="green",
        meaning="A MUST score of 0: low risk of malnutrition.",
        action="Routine clinical care. Repeat screening monthly in a care home, weekly in hospital, "
               "and every year in the community for special groups such as people over 75. "
               + _MUST_EVERYONE,
    ),
    "medium": Guidance(
        label="Medium risk",
        colour="yellow",
        meaning="A MUST score of 1: medium risk of malnutrition.",
        action="Observe: record what the person eats and drinks for 3 days. If intake is adequate "
               "or improving, there is little concern: repeat screening at least monthly in a care "
               "home (weekly in hospital, every 2 to 3 months in the community). If intake is "
               "inadequate, this is a clinical concern: follow local policy. " + _MUST_EVERYONE,
    ),
    "high": Guidance(
        label="High risk",
        colour="red",
        meaning="A MUST score of 2 or more: high risk of malnutrition.",
        action="Treat, unless it would bring no benefit or do harm (for example when death is "
               "imminent): refer to a dietitian or nutrition support team, or follow local policy; "
               "set goals; improve and increase the person's overall intake; monitor and review "
               "the care plan monthly in a care home or the community (weekly in hospital). "
               + _MUST_EVERYONE,
    ),
}


# --- Waterlow (2005 card; §4.2, §4.4) ---------------------------------------------------------------

_WATERLOW_NUTRITION = (
    "Whatever the total, a nutrition (MST) score over 2 means refer for nutrition assessment and "
    "intervention."
)
_PRESSURE_JUDGEMENT = "Use the score to support clinical judgement, not replace it (NICE CG179)."

_WATERLOW = {
    "not_at_risk": Guidance(
        label="Not at risk",
        colour="green",
        meaning="A total under 10. The Waterlow card names no band below 10; 'not at risk' is "
                "carelead's label for it.",
        action="No pressure ulcer prevention plan is indicated by the score. Reassess when the "
               "person's condition, mobility or eating changes. " + _PRESSURE_JUDGEMENT + " "
               + _WATERLOW_NUTRITION,
    ),
    "at_risk": Guidance(
        label="At risk",
        colour="yellow",
        meaning="A total of 10 to 14: at risk of developing a pressure ulcer.",
        action="Plan pressure ulcer prevention in the person's care plan, check their skin, and "
               "reassess when their condition changes. " + _PRESSURE_JUDGEMENT + " "
               + _WATERLOW_NUTRITION,
    ),
    "high_risk": Guidance(
        label="High risk",
        colour="orange",
        meaning="A total of 15 to 19: high risk of developing a pressure ulcer.",
        action="Put pressure ulcer prevention in the person's care plan now and review it often; "
               "involve the nurse responsible for their care. " + _PRESSURE_JUDGEMENT + " "
               + _WATERLOW_NUTRITION,
    ),
    "very_high_risk": Guidance(
        label="Very high risk",
        colour="red",
        meaning="A total of 20 or more: very high risk of developing a pressure ulcer.",
        action="Put pressure ulcer prevention in the person's care plan now, review it often, and "
               "involve the nurse responsible for their care and specialist (tissue viability) "
               "advice as local policy says. " + _PRESSURE_JUDGEMENT + " " + _WATERLOW_NUTRITION,
    ),
}


# --- Braden (§5.2) -----------------------------------------------------------------------------------

_BRADEN = {
    "not_at_risk": Guidance(
        label="Not at risk",
        colour="green",
        meaning="A total of 19 to 23: no risk of pressure ulcers identified by the scale.",
        action="No pressure ulcer prevention plan is indicated by the score. Reassess when the "
               "person's condition changes. " + _PRESSURE_JUDGEMENT,
    ),
    "mild": Guidance(
        label="Mild risk",
        colour="yellow",
        meaning="A total of 15 to 18: mild (low) risk of pressure ulcers. 18 is the cut-off widely "
                "used for older adults.",
        action="Plan pressure ulcer prevention in the person's care plan, check their skin, and "
               "reassess when their condition changes. " + _PRESSURE_JUDGEMENT,
    ),
    "moderate": Guidance(
        label="Moderate risk",
        colour="orange",
        meaning="A total of 13 or 14: moderate risk of pressure ulcers.",
        action="Put pressure ulcer prevention in the person's care plan now and review it often; "
               "involve the nurse responsible for their care. " + _PRESSURE_JUDGEMENT,
    ),
    "high": Guidance(
        label="High risk",
        colour="red",
        meaning="A total of 10 to 12: high risk of pressure ulcers.",
        action="Put pressure ulcer prevention in the person's care plan now, review it often, and "
               "involve the nurse responsible for their care. " + _PRESSURE_JUDGEMENT,
    ),
    "severe": Guidance(
        label="Severe risk",
        colour="red",
        meaning="A total of 9 or less: severe (very high) risk of pressure ulcers.",
        action="Put pressure ulcer prevention in the person's care plan now, review it often, and "
               "involve the nurse responsible for their care and specialist (tissue viability) "
               "advice as local policy says. " + _PRESSURE_JUDGEMENT,
    ),
}


# --- Barthel (§6.3: Shah-derived dependency bands) ------------------------------------------------

_BARTHEL_RECORD = "Record what the person does, not what they could do, and keep each item's score."


def _barthel(bands: dict[str, str], *, real_change: str) -> dict[str, Guidance]:
    """The same five dependency bands on either scale, most independent first; `bands` gives each
    band's range in words, `real_change` the change likely to be real (over 2 points of 20)."""
    change = f"A change of more than {real_change} is likely to be real."
    return {
        "independent": Guidance(
            label="Independent",
            colour="green",
            meaning=f"A total of {bands['independent']}: the person does these everyday activities "
                    "without help (aids allowed).",
            action="No support with these activities is indicated by the score. Reassess when their "
                   "condition changes. " + change,
        ),
        "slight_dependency": Guidance(
            label="Slight dependency",
            colour="aqua-green",
            meaning=f"A total of {bands['slight_dependency']}: the person needs a little help or "
                    "supervision with everyday activities.",
            action="Plan the little support the person needs, and reassess when their condition "
                   "changes. " + _BARTHEL_RECORD + " " + change,
        ),
        "moderate_dependency": Guidance(
            label="Moderate dependency",
            colour="yellow",
            meaning=f"A total of {bands['moderate_dependency']}: the person needs help with some "
                    "everyday activities.",
            action="Plan support for the activities the person cannot do alone, and reassess when "
                   "their condition changes. " + _BARTHEL_RECORD + " " + change,
        ),
        "severe_dependency": Guidance(
            label="Severe dependency",
            colour="orange",
            meaning=f"A total of {bands['severe_dependency']}: the person needs help with most "
                    "everyday activities.",
            action="Plan support for the activities the person cannot do alone, and reassess when "
                   "their condition changes. " + _BARTHEL_RECORD + " " + change,
        ),
        "total_dependency": Guidance(
            label="Total dependency",
            colour="red",
            meaning=f"A total of {bands['total_dependency']}: the person needs help with all or "
                    "almost all everyday activities.",
            action="Plan support for every activity the person cannot do alone. " + _BARTHEL_RECORD
                   + " " + change,
        ),
    }


# --- Abbey Pain Scale (§7) ------------------------------------------------------------------------

_ABBEY_FOLLOW_ON = (
    "Record the type of pain (chronic, acute, or acute on chronic). The scale cannot tell pain from "
    "distress: re-evaluate about an hour after any intervention; if the score is the same or worse, "
    "consider further intervention; repeat hourly until the pain is mild, then every 4 hours for 24 "
    "hours. If pain or distress persists, do a comprehensive pain assessment."
)

_ABBEY = {
    "no_pain": Guidance(
        label="No pain",
        colour="green",
        meaning="A total of 0 to 2: no pain observed.",
        action="No pain relief is indicated by the score. The scale cannot tell pain from "
               "distress: keep watching, especially during movement and care, and score again if "
               "the person's behaviour changes.",
    ),
    "mild": Guidance(
        label="Mild pain",
        colour="yellow",
        meaning="A total of 3 to 7: mild pain.",
        action="Relieve the pain as the person's care plan says. " + _ABBEY_FOLLOW_ON,
    ),
    "moderate": Guidance(
        label="Moderate pain",
        colour="orange",
        meaning="A total of 8 to 13: moderate pain.",
        action="Act now to relieve the pain as the person's care plan says, and tell the nurse or "
               "senior on duty. " + _ABBEY_FOLLOW_ON,
    ),
    "severe": Guidance(
        label="Severe pain",
        colour="red",
        meaning="A total of 14 to 18: severe pain.",
        action="Act now to relieve the pain, and get advice today from the nurse or GP who manages "
               "the person's pain relief. " + _ABBEY_FOLLOW_ON,
    ),
}


# --- 4AT (§8) ----------------------------------------------------------------------------------------

_FOUR_AT = {
    "delirium_unlikely": Guidance(
        label="Delirium unlikely",
        colour="green",
        meaning="A total of 0: delirium or severe cognitive impairment is unlikely. Delirium is "
                "still possible if the information about acute change was incomplete.",
        action="If you could not find out whether there was an acute change or a fluctuating "
               "course, ask people who know the person, then test again. Test again if their "
               "mental state changes.",
    ),
    "possible_cognitive_impairment": Guidance(
        label="Possible cognitive impairment",
        colour="yellow",
        meaning="A total of 1 to 3: possible cognitive impairment.",
        action="Arrange more detailed cognitive testing and ask people who know the person about "
               "their usual memory and thinking. A diagnosis is by clinical judgement, not this "
               "score.",
    ),
    "possible_delirium": Guidance(
        label="Possible delirium",
        colour="red",
        meaning="A total of 4 or more: possible delirium, with or without cognitive impairment.",
        action="Arrange a prompt clinical assessment by the person's GP or clinician, through "
               "your escalation route. A diagnosis is by clinical judgement, not this score. Take "
               "NEWS2 observations too, but do not rely on them: NEWS2 alone misses most delirium.",
    ),
}


# --- Falls: case-finding aids feeding a multifactorial assessment (NICE NG249; §0.8, §9) ----------

_FALLS_STILL_ASSESS = (
    "Prediction tools are not accurate enough to rule anyone out (NICE NG249): do a multifactorial "
    "falls risk assessment anyway if the person has had an injurious fall or more than one fall, "
    "is frail, or has problems with gait or balance. People in residential care are generally at "
    "risk."
)
_FALLS_ASSESS = (
    "Do, or refer for, a multifactorial falls risk assessment (NICE NG249), and put the actions "
    "agreed in the person's care plan."
)

_FRAT_UK = {
    "lower_risk": Guidance(
        label="Lower risk",
        colour="grey",
        meaning="Fewer than 3 'yes' answers. " + CASE_FINDING_AID_NOTE,
        action=_FALLS_STILL_ASSESS,
    ),
    "higher_risk": Guidance(
        label="Higher risk",
        colour="orange",
        meaning="3 or more 'yes' answers. " + CASE_FINDING_AID_NOTE,
        action="Further assessment: " + _FALLS_ASSESS[0].lower() + _FALLS_ASSESS[1:],
    ),
}

_PH_FRAT = {
    "low": Guidance(
        label="Low risk",
        colour="grey",
        meaning="A total of 5 to 11, with no recent change affecting mobility and no dizziness or "
                "postural hypotension. " + CASE_FINDING_AID_NOTE,
        action=_FALLS_STILL_ASSESS,
    ),
    "medium": Guidance(
        label="Medium risk",
        colour="yellow",
        meaning="A total of 12 to 15, with no recent change affecting mobility and no dizziness or "
                "postural hypotension. " + CASE_FINDING_AID_NOTE,
        action=_FALLS_ASSESS,
    ),
    "high": Guidance(
        label="High risk",
        colour="orange",
        meaning="A total of 16 to 20, or automatically high because of a recent change in function "
                "or medicines affecting safe mobility, or dizziness or postural hypotension. "
                + CASE_FINDING_AID_NOTE,
        action=_FALLS_ASSESS,
    ),
}


GUIDANCE: dict[str, dict[str, Guidance]] = {
    "news2": _NEWS2,
    "must": _MUST,
    "must_from_measurements": _MUST,
    "waterlow": _WATERLOW,
    "braden": _BRADEN,
    "barthel": _barthel({
        "total_dependency": "0 to 4", "severe_dependency": "5 to 12", "moderate_dependency": "13 to 18",
        "slight_dependency": "19", "independent": "20",
    }, real_change="2 points"),
    "barthel_100": _barthel({
        "total_dependency": "0 to 20", "severe_dependency": "21 to 60", "moderate_dependency": "61 to 90",
        "slight_dependency": "91 to 99", "independent": "100",
    }, real_change="10 points (2 points on the 0 to 20 scale)"),
    "abbey_pain_scale": _ABBEY,
    "four_at": _FOUR_AT,
    "frat_uk": _FRAT_UK,
    "ph_frat_part1": _PH_FRAT,
}


def guidance(tool: str, category: str) -> Guidance:
    """What a tool's category means and the action its source recommends; KeyError for a tool or
    category the tools never return."""
    try:
        return GUIDANCE[tool][category]
    except KeyError:
        raise KeyError(f"No guidance for {tool!r} category {category!r}") from None


def categories(tool: str) -> tuple[str, ...]:
    """A tool's category codes (clinical-tools.md §11.1), lowest risk or dependency first where the
    tool has an order; KeyError for an unknown tool."""
    return tuple(GUIDANCE[tool])
