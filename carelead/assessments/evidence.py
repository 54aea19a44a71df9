"""Practice records of the assessments app that can become apprenticeship evidence (DESIGN.md
"Practice becomes evidence", registry `core.evidence`): holistic needs assessments a user led,
capacity assessments they made, best-interests decisions they took and standard scoring tools they
scored (the tool and its result band only: never the inputs, the total or the notes).

Summaries come from structure only (setting type, areas, tool names, yes/no answers, the outcome
category), never from free text: a decision, a section's words or a tools_used note may name the
person. Each `items_led_by` is one query, newest first; `item` is None for a record the user did
not lead or an unknown id.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from django.utils import timezone

from carelead.assessments.models import BestInterestsDecision, CapacityAssessment, NeedsArea, NeedsAssessment
from carelead.assessments.models import NeedsAssessmentSection, ToolScoreRecord
from carelead.assessments.tools.guidance import TOOL_INFO, guidance
from carelead.core.evidence import EvidenceItem, date_bounds, declare, yes_no
from carelead.organisations.models import SettingType

NEEDS, CAPACITY, BEST_INTERESTS = ("assessments.needs_assessment", "assessments.capacity_assessment",
                                   "assessments.best_interests_decision")
SCORE = "assessments.tool_score"
ABILITY_WORDS = (("can_understand", "understand the information"), ("can_retain", "retain it"),
                 ("can_use_or_weigh", "use or weigh it"), ("can_communicate", "communicate the decision"))


# Each standard tool's name as staff write it ("MUST", not "MUST (measured)"), once.
TOOL_NAMES = tuple(dict.fromkeys(info.short_name.split(" (")[0] for info in TOOL_INFO.values()))


def _tool_names(notes: list[str]) -> list[str]:
    """The standard tools named in the sections' "tools used" notes, by their names only: the notes
    are free text, so nothing else of them is kept. An all-capitals name (MUST, NEWS2) must be
    written so, so that "must" in a sentence is not taken for the tool."""
    text = " ".join(notes)
    return [name for name in TOOL_NAMES
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, 0 if name.isupper() else re.IGNORECASE)]


# --- Holistic needs assessments -----------------------------------------------------------------


def _needs_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """Completed needs assessments the user led: one query over their sections, grouped here."""
    rows = NeedsAssessmentSection.objects.filter(
        assessment__led_by=user, assessment__status=NeedsAssessment.Status.COMPLETED,
        **date_bounds("assessment__completed_on", since, until),
        **({"assessment__public_id": public_id} if public_id else {}),
    ).order_by("-assessment__completed_on", "-assessment__id", "area").values_list(
        "assessment__public_id", "assessment__completed_on", "assessment__person__location__setting_type",
        "area", "tools_used",
    )
    grouped: OrderedDict = OrderedDict()
    for record_id, completed_on, setting, area, tools_used in rows:
        entry = grouped.setdefault(record_id, {"on": completed_on, "setting": setting, "areas": [], "tools": []})
        entry["areas"].append(NeedsArea(area).label)
        entry["tools"].append(tools_used)
    return [_needs_item(user, record_id, entry) for record_id, entry in grouped.items()]


def _needs_item(user, record_id, entry) -> EvidenceItem:
    tools = _tool_names(entry["tools"])
    setting = SettingType(entry["setting"]).label if entry["setting"] in SettingType.values else "Care setting"
    count = len(entry["areas"])
    summary = (f"Holistic needs assessment in a {setting.lower()} setting, covering {count} "
               f"{'area' if count == 1 else 'areas'}: {', '.join(entry['areas'])}. "
               f"Standard tools used: {', '.join(tools) if tools else 'none named'}.")
    return EvidenceItem(source=NEEDS, record_id=str(record_id), led_by_id=user.pk, occurred_on=entry["on"],
                        title="Led a holistic needs assessment", summary=summary,
                        themes=("Tasks and responsibilities", "Health and wellbeing"))


# --- Capacity assessments and best-interests decisions ----------------------------------------


def _local_bounds(field: str, since, until) -> dict:
    return date_bounds(f"{field}__date", since, until)


def _capacity_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """Capacity assessments the user made, with whether a best-interests decision followed: one query."""
    assessments = (CapacityAssessment.objects.filter(assessor=user, **_local_bounds("assessed_at", since, until),
                                                     **({"public_id": public_id} if public_id else {}))
                   .select_related("best_interests_decision").order_by("-assessed_at", "-id"))
    return [_capacity_item(user, each) for each in assessments]


def _capacity_item(user, assessment: CapacityAssessment) -> EvidenceItem:
    abilities = "; ".join(f"able to {words}: {yes_no(getattr(assessment, name))}" for name, words in ABILITY_WORDS)
    outcome = ("found to lack capacity for the specific decision" if assessment.lacks_capacity
               else "found to have capacity for the specific decision")
    followed = getattr(assessment, "best_interests_decision", None) is not None
    summary = (f"Two-stage mental capacity assessment for one specific decision. {abilities[0].upper()}"
               f"{abilities[1:]}. Outcome: {outcome}. Best-interests decision followed: {yes_no(followed)}.")
    return EvidenceItem(source=CAPACITY, record_id=str(assessment.public_id), led_by_id=user.pk,
                        occurred_on=timezone.localdate(assessment.assessed_at),
                        title="Assessed mental capacity for a specific decision", summary=summary,
                        themes=("Dignity and human rights", "Safeguarding"))


def _best_interests_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """Best-interests decisions the user made: one query."""
    decisions = BestInterestsDecision.objects.filter(
        decision_maker=user, **_local_bounds("decided_at", since, until),
        **({"public_id": public_id} if public_id else {}),
    ).order_by("-decided_at", "-id")
    return [_best_interests_item(user, each) for each in decisions]


def _best_interests_item(user, decision: BestInterestsDecision) -> EvidenceItem:
    summary = ("Best-interests decision under the Mental Capacity Act 2005 s4, after an assessment found the person "
               "lacked capacity for that decision. Recorded: how the person took part "
               f"({yes_no(decision.participation.strip())}), their wishes and feelings "
               f"({yes_no(decision.persons_wishes_and_feelings.strip())}), their beliefs and values "
               f"({yes_no(decision.beliefs_and_values.strip())}), others consulted "
               f"({yes_no(decision.consultees.strip())}), the options considered "
               f"({yes_no(decision.options_considered.strip())}) and why the choice is least restrictive "
               f"({yes_no(decision.least_restrictive_rationale.strip())}).")
    return EvidenceItem(source=BEST_INTERESTS, record_id=str(decision.public_id), led_by_id=user.pk,
                        occurred_on=timezone.localdate(decision.decided_at),
                        title="Made a best-interests decision", summary=summary,
                        themes=("Dignity and human rights", "Communication"))


# --- Scoring tools -----------------------------------------------------------------------------


def _score_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """Standard tools (NEWS2, MUST, Waterlow...) the user scored, by tool and band only: one query."""
    scores = (ToolScoreRecord.objects.filter(scored_by=user, **_local_bounds("scored_at", since, until),
                                             **({"public_id": public_id} if public_id else {}))
              .only("public_id", "tool", "category", "scored_at").order_by("-scored_at", "-id"))
    return [_score_item(user, score) for score in scores]


def _score_item(user, score: ToolScoreRecord) -> EvidenceItem:
    info = TOOL_INFO.get(score.tool)
    name = info.name if info else "A standard scoring tool"
    try:
        band = guidance(score.tool, score.category).label
    except KeyError:  # a category no tool returns today: say so rather than show the code
        band = "not a band the tool gives today"
    summary = f"Scored {name}. Result band: {band}."  # the tool and its band: never the inputs or notes
    return EvidenceItem(source=SCORE, record_id=str(score.public_id), led_by_id=user.pk,
                        occurred_on=timezone.localdate(score.scored_at),
                        title=f"Scored a standard tool: {info.short_name if info else 'scoring tool'}",
                        summary=summary, themes=("Health and wellbeing", "Tasks and responsibilities"))


# --- Registration ------------------------------------------------------------------------------


needs_source = declare(NEEDS, "Holistic needs assessments", "Completed needs assessments you led", _needs_items)
capacity_source = declare(CAPACITY, "Mental capacity assessments", "Capacity assessments you made for a decision",
                          _capacity_items)
best_interests_source = declare(BEST_INTERESTS, "Best-interests decisions", "Best-interests decisions you made",
                                _best_interests_items)
score_source = declare(SCORE, "Scoring tools", "Standard scoring tools you scored (NEWS2, MUST, Waterlow...)",
                      _score_items)
