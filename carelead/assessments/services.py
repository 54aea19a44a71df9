"""Writes of the assessments app: every one checks permission, validates, saves and audits, atomically."""

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.assessments import mca
from carelead.assessments.models import (
    BestInterestsDecision, CapacityAssessment, NeedsArea, NeedsAssessment, NeedsAssessmentSection, NeedsAssessmentVersion, ToolScoreRecord,
)
from carelead.assessments.tools import ToolInputError, score, waterlow
from carelead.careplans import rules as review_rules
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.services import require, save_versioned

FUTURE_MESSAGE = "The time of scoring must be now or in the past"
ASSESSED_FUTURE_MESSAGE = "The time of assessment must be now or in the past"
DECIDED_FUTURE_MESSAGE = "The time of decision must be now or in the past"
NOT_JSON_MESSAGE = "Send the inputs as an object of field names and plain values (numbers, text, true or false, lists)"

# The card each score is made on, for a tool with more than one live version (clinical-tools.md §0.7).
TOOL_VERSIONS = {"waterlow": waterlow.VERSION}


@transaction.atomic
def record_tool_score(
    *, actor: Actor, person, tool: str, inputs: Mapping[str, Any], notes: str = "",
    scored_at: datetime | None = None,
) -> ToolScoreRecord:
    """Score `inputs` with a standard tool and save the result in the person's record.

    Anyone holding Perm.SCORE_RECORD at the person's location may. Every problem is reported at
    once as a ValidationError keyed by field: each bad input by its own name (so a form shows it
    beside that field and the API answers 400), "tool" for an unknown tool, "scored_at" for a time
    in the future. The inputs are stored exactly as scored, with Waterlow's card version.

    There is no update or delete: a score records what was observed and decided at the time, so a
    wrong score is corrected by scoring again (with a note saying why), never by changing it.
    """
    require(actor, Perm.SCORE_RECORD, location_id=person.location_id)
    errors: dict[str, list[str]] = {}
    scored_at = _when(scored_at, errors)
    stored, result = _scored(tool, inputs, errors)
    if errors:
        raise ValidationError(errors)
    record = ToolScoreRecord(
        person=person, tool=tool, inputs=stored, total=Decimal(result.total), category=result.category,
        tool_version=TOOL_VERSIONS.get(tool, ""), scored_by=actor.user, scored_at=scored_at, notes=notes,
    )
    record.full_clean()
    record.save()
    audit.record(actor, Action.CREATE, record, person=person, details={"tool": tool})
    return record


def _when(moment: datetime | None, errors: dict[str, list[str]], *, field: str = "scored_at",
          message: str = FUTURE_MESSAGE) -> datetime:
    """When it happened: now unless given; a time without a zone is UK local time; a time in the
    future is `message` on `field`."""
    now = timezone.now()
    if moment is None:
        return now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now:
        errors[field] = [message]
    return moment


def _scored(tool: str, inputs: Any, errors: dict[str, list[str]]):
    """(inputs as stored, their score): the tool names each bad input; then the inputs are made
    JSON, as stored, and scored again, so the score is made on exactly what is kept (a Decimal
    from a form is kept as its text, "37.5", which the tools read exactly)."""
    try:
        score(tool, inputs)
        stored = _as_json(inputs, errors)
        return stored, (score(tool, stored) if stored is not None else None)
    except ToolInputError as error:
        errors.update({field: [message] for field, message in error.errors.items()})
        return None, None


def _as_json(inputs: Any, errors: dict[str, list[str]]) -> Any:
    """The inputs as they will be stored: plain JSON values, a finite Decimal as its text."""
    try:
        return json.loads(json.dumps(inputs, default=_plain, allow_nan=False))
    except (TypeError, ValueError):
        errors["inputs"] = [NOT_JSON_MESSAGE]
        return None


def _plain(value: Any) -> str:
    if isinstance(value, Decimal) and value.is_finite():
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a plain JSON value")


# --- Holistic needs assessment ------------------------------------------------------------------

COMPLETED_MESSAGE = "This assessment is completed, so it cannot be changed. Start a new assessment if needs have changed"
UNKNOWN_AREA_MESSAGE = "Choose an area of the assessment"
NO_SECTIONS_MESSAGE = "Write at least one section before completing the assessment"


@transaction.atomic
def start_needs_assessment(*, actor: Actor, person) -> NeedsAssessment:
    """Start a draft needs assessment led by the actor, who must lead assessments here
    (Perm.PERSON_CREATE: a lead practitioner or registered manager)."""
    require(actor, Perm.PERSON_CREATE, location_id=person.location_id)
    assessment = NeedsAssessment(person=person, led_by=actor.user)
    assessment.full_clean()
    assessment.save()
    audit.record(actor, Action.CREATE, assessment, person=person, details={"fields": ["led_by", "status"]})
    return assessment


@transaction.atomic
def save_section(*, actor: Actor, assessment: NeedsAssessment, area: str, seen_version: int,
                 **fields: Any) -> NeedsAssessmentSection:
    """Write one area of a draft assessment (anyone holding Perm.PERSON_EDIT at the person's
    location), if nobody saved the assessment since `seen_version` (else StaleEdit, nothing saved).
    Bumps the assessment's version and keeps a snapshot of every section at the new version."""
    person = assessment.person
    require(actor, Perm.PERSON_EDIT, location_id=person.location_id)
    if area not in NeedsArea.values:
        raise ValidationError({"area": [UNKNOWN_AREA_MESSAGE]})
    unknown = set(fields) - set(NeedsAssessmentSection.SNAPSHOT_FIELDS)
    if unknown:
        raise ValueError(f"save_section() does not take {sorted(unknown)}")
    _refuse_if_completed(assessment)
    section = NeedsAssessmentSection.objects.filter(assessment=assessment, area=area).first() or \
        NeedsAssessmentSection(assessment=assessment, area=area)
    for name, value in fields.items():
        setattr(section, name, value)
    section.contributed_by = actor.user
    section.full_clean()
    save_versioned(assessment, seen_version=seen_version, fields=[])
    section.save()
    sections = assessment.sections.select_related("contributed_by").order_by("area")
    NeedsAssessmentVersion.objects.create(
        assessment=assessment, version=assessment.version, saved_by=actor.user,
        sections={each.area: each.snapshot() for each in sections},
    )
    audit.record(actor, Action.UPDATE, section, person=person,
                 details={"area": area, "fields": sorted(fields), "version": assessment.version})
    return section


@transaction.atomic
def complete_needs_assessment(*, actor: Actor, assessment: NeedsAssessment, seen_version: int) -> NeedsAssessment:
    """Mark a draft assessment completed today (leading it: Perm.PERSON_CREATE); it is then read-only.

    It is to be reassessed by today plus the organisation's review cycle (`plan_review_interval_days`,
    28 days unless the organisation sets its own), the same cycle its care plans follow.
    """
    person = assessment.person
    require(actor, Perm.PERSON_CREATE, location_id=person.location_id)
    _refuse_if_completed(assessment)
    if not assessment.sections.exists():
        raise ValidationError(NO_SECTIONS_MESSAGE)
    assessment.status = NeedsAssessment.Status.COMPLETED
    assessment.completed_on = timezone.localdate()
    assessment.review_on = review_rules.next_review_on(assessment.completed_on,
                                                       interval_days=person.location.organisation.plan_review_interval_days)
    assessment.full_clean()
    save_versioned(assessment, seen_version=seen_version, fields=["status", "completed_on", "review_on"])
    audit.record(actor, Action.UPDATE, assessment, person=person,
                 details={"fields": ["status", "completed_on", "review_on"], "version": assessment.version})
    return assessment


def _refuse_if_completed(assessment: NeedsAssessment) -> None:
    """A completed assessment is read-only; checked against the database, not a stale copy."""
    status = NeedsAssessment.objects.filter(pk=assessment.pk).values_list("status", flat=True).first()
    if status == NeedsAssessment.Status.COMPLETED:
        raise ValidationError(COMPLETED_MESSAGE)


# --- Mental Capacity Act 2005 -------------------------------------------------------------------

ANSWER_MESSAGES = {
    "can_understand": "Answer whether they can understand the information relevant to this decision",
    "can_retain": "Answer whether they can retain the information long enough to decide",
    "can_use_or_weigh": "Answer whether they can use or weigh the information to decide",
    "can_communicate": "Answer whether they can communicate their decision by any means",
    "impairment_present": "Answer whether there is an impairment of, or disturbance in, the mind or brain",
    "causal_link": "Answer whether they are unable to decide because of the impairment",
}
EVIDENCE_MESSAGES = {
    "understand_evidence": "Give the evidence that they cannot understand the information",
    "retain_evidence": "Give the evidence that they cannot retain the information",
    "use_or_weigh_evidence": "Give the evidence that they cannot use or weigh the information",
    "communicate_evidence": "Give the evidence that they cannot communicate their decision",
    "impairment_evidence": "Give the evidence of the impairment or disturbance",
    "causal_link_evidence": "Give the evidence that the inability is because of the impairment",
}
DECISION_MESSAGE = "Enter the specific decision the person needs to make"
STEPS_MESSAGE = "Enter the practicable steps taken to help them make the decision"
NOT_LACKING_MESSAGE = "A best-interests decision is made only for someone who lacks capacity for this decision"
ALREADY_DECIDED_MESSAGE = "A best-interests decision has already been recorded for this assessment"
ASSESSMENT_FIELDS = (
    "decision", "assessed_at", "practicable_steps", *mca.ABILITIES, *mca.EVIDENCE_OF.values(),
    "impairment_present", "impairment_evidence", "causal_link", "causal_link_evidence", "review_on",
)
BEST_INTERESTS_FIELDS = (
    "decided_at", "persons_wishes_and_feelings", "beliefs_and_values", "consultees", "options_considered",
    "least_restrictive_rationale", "decision", "participation",
)


def capacity_errors(fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each unanswered question and each missing piece of evidence, by field name (a form
    checks its answers with this too, so every problem is shown at once)."""
    answers = {name: fields.get(name) for name in (*mca.ABILITIES, "impairment_present", "causal_link")}
    errors = {name: [ANSWER_MESSAGES[name]] for name in mca.missing_answers(**answers)}
    if not (fields.get("decision") or "").strip():
        errors["decision"] = [DECISION_MESSAGE]
    if not (fields.get("practicable_steps") or "").strip():
        errors["practicable_steps"] = [STEPS_MESSAGE]
    for ability, evidence in mca.EVIDENCE_OF.items():
        if answers[ability] is False and not (fields.get(evidence) or "").strip():
            errors[evidence] = [EVIDENCE_MESSAGES[evidence]]
    if mca.any_ability_missing(**{name: answers[name] for name in mca.ABILITIES}):
        if answers["impairment_present"] is True and not (fields.get("impairment_evidence") or "").strip():
            errors["impairment_evidence"] = [EVIDENCE_MESSAGES["impairment_evidence"]]
        if answers["causal_link"] is True and not (fields.get("causal_link_evidence") or "").strip():
            errors["causal_link_evidence"] = [EVIDENCE_MESSAGES["causal_link_evidence"]]
    return errors


@transaction.atomic
def record_capacity_assessment(*, actor: Actor, person, **fields: Any) -> CapacityAssessment:
    """Record whether the person has capacity to make one specific decision now.

    Lead practitioners and managers assess (Perm.PERSON_CREATE at the person's location). Every
    unanswered question and every missing piece of evidence for an answer of "unable" is named at
    once in a ValidationError; the outcome is derived by `mca.capacity_outcome`, never given.
    """
    require(actor, Perm.PERSON_CREATE, location_id=person.location_id)
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"record_capacity_assessment() does not take {sorted(unknown)}")
    errors = capacity_errors(fields)
    assessed_at = _when(fields.pop("assessed_at", None), errors, field="assessed_at",
                        message=ASSESSED_FUTURE_MESSAGE)
    assessment = CapacityAssessment(person=person, assessor=actor.user, assessed_at=assessed_at, **fields)
    answers = {name: fields.get(name) for name in (*mca.ABILITIES, "impairment_present", "causal_link")}
    assessment.outcome = mca.capacity_outcome(**answers)
    try:
        assessment.full_clean(exclude=[name for name in errors if name in ASSESSMENT_FIELDS])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    assessment.save()
    audit.record(actor, Action.CREATE, assessment, person=person,
                 details={"fields": sorted(name for name in fields if name != "assessed_at"),
                          "outcome": assessment.outcome})
    return assessment


@transaction.atomic
def record_best_interests_decision(*, actor: Actor, assessment: CapacityAssessment,
                                   **fields: Any) -> BestInterestsDecision:
    """Record the best-interests decision (MCA 2005 s4) for an assessment that found the person
    lacks capacity for this decision; refused otherwise, or when one is already recorded."""
    person = assessment.person
    require(actor, Perm.PERSON_CREATE, location_id=person.location_id)
    unknown = set(fields) - set(BEST_INTERESTS_FIELDS)
    if unknown:
        raise ValueError(f"record_best_interests_decision() does not take {sorted(unknown)}")
    if not assessment.lacks_capacity:
        raise ValidationError(NOT_LACKING_MESSAGE)
    if BestInterestsDecision.objects.filter(capacity_assessment=assessment).exists():
        raise ValidationError(ALREADY_DECIDED_MESSAGE)
    errors: dict[str, list[str]] = {}
    decided_at = _when(fields.pop("decided_at", None), errors, field="decided_at", message=DECIDED_FUTURE_MESSAGE)
    if errors:
        raise ValidationError(errors)
    decision = BestInterestsDecision(capacity_assessment=assessment, decision_maker=actor.user,
                                     decided_at=decided_at, **fields)
    decision.full_clean()
    decision.save()
    audit.record(actor, Action.CREATE, decision, person=person, details={"fields": sorted(fields)})
    return decision
