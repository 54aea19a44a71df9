"""Writes of portfolio evidence (issue 6, "Evidence"): the apprentice writes files and reflective
accounts and claims KSBs and Diploma units for them (stage one); the coach writes observations and
professional discussion notes, assesses what is sent to them, may add or remove mappings before
deciding (stage two), and unlocks accepted evidence with a reason.

Every write: the party (`parties.require_party`: the API reaches these without a page), an open
apprenticeship (`parties.require_open`), the version the writer saw (a stale save is refused with
StaleEdit, never silently overwritten), one `EvidenceEvent` (`evidence_events.record_event`) and one
audit row, all in one transaction. Accepted evidence is locked: nothing here changes it but `unlock_evidence`.

Decisions carelead takes:
- An observation or professional discussion is the coach's own record of what they saw or discussed:
  there is no apprentice draft to send, so it is created already submitted and the coach may assess
  it straight away. It still needs that explicit decision (and a mapping), so the two stages, the
  lock and IQA sampling work the same for every kind.
- Editing a needs-more-work item keeps it with the apprentice until they submit it again.
- The apprentice's claims are their own: editing replaces the CLAIMED mappings and never removes
  those the coach added (only the coach removes those, before deciding).
- Practice records and witness testimonies are created on their own pages (`practice_*`,
  `witness_*`); here the apprentice may change only their claimed mappings.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import evidence_events
from carelead.apprenticeships.models import (
    COACH_KINDS, Apprenticeship, EvidenceEventKind, EvidenceKind, EvidenceMapping, EvidenceStatus, Ksb,
    MappingStage, Party, PortfolioEvidence, QualificationUnit, ReflectionModel,
)
from carelead.apprenticeships.otj_services import evidence_errors
from carelead.apprenticeships.iqa_selectors import IQA_LOCKED_MESSAGE, is_iqa_locked
from carelead.apprenticeships.parties import require_open, require_party
from carelead.apprenticeships.practice_evidence import TITLE_MAX
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.services import save_versioned

# The six stages of Gibbs' reflective cycle (Gibbs 1988), in order: (key, heading, prompt).
GIBBS_STAGES = (
    ("description", "Description", "What happened?"),
    ("feelings", "Feelings", "What were you thinking and feeling?"),
    ("evaluation", "Evaluation", "What was good and bad about the experience?"),
    ("analysis", "Analysis", "What sense can you make of the situation?"),
    ("conclusion", "Conclusion", "What else could you have done?"),
    ("action_plan", "Action plan", "If it arose again, what would you do?"),
)
GIBBS_KEYS = tuple(key for key, _, _ in GIBBS_STAGES)
# Written in these pages by the apprentice; COACH_KINDS by the coach; the rest on their own pages.
APPRENTICE_KINDS = frozenset({EvidenceKind.FILE, EvidenceKind.REFLECTIVE_ACCOUNT})
WRITTEN_HERE = APPRENTICE_KINDS | COACH_KINDS
APPRENTICE_EDITABLE = frozenset({EvidenceStatus.DRAFT, EvidenceStatus.NEEDS_MORE_WORK})
ACCEPT, NEEDS_MORE_WORK = EvidenceStatus.ACCEPTED.value, EvidenceStatus.NEEDS_MORE_WORK.value
DECISIONS = {ACCEPT: EvidenceEventKind.ACCEPTED, NEEDS_MORE_WORK: EvidenceEventKind.NEEDS_MORE_WORK}

STALE_MESSAGE = ("Someone else changed this evidence while you had it open. Nothing was saved: check their "
                 "changes, then make yours again.")
LOCKED_MESSAGE = "This evidence is accepted, so it is locked: only the coach can unlock it, giving a reason."
KIND_MESSAGE = "Choose a kind of evidence you can add here"
ELSEWHERE_MESSAGE = "Practice records and witness testimonies are added from their own pages."
TITLE_MESSAGE = "Enter a title"
TITLE_LENGTH_MESSAGE = "The title must be 200 characters or fewer"
REFLECTION_MODEL_MESSAGE = "Choose free text or Gibbs' reflective cycle"
DATE_FUTURE_MESSAGE = "The date must be today or in the past"
BODY_MESSAGE = "Enter the text of the evidence"
GIBBS_EMPTY_MESSAGE = "Write at least one stage of the reflection"
GIBBS_STAGE_MESSAGE = "Write the {stage} stage before sending the reflection to your coach"
FILE_MESSAGE = "Choose a file to upload"
KSB_MESSAGE = "Select knowledge, skills and behaviours of the apprentice's standard only"
UNIT_MESSAGE = "Select units of the apprentice's Diploma only"
NOT_EDITABLE_MESSAGE = "This evidence is waiting for the coach: it can be changed again if they ask for more work."
NOT_YOURS_MESSAGE = "Only the coach who wrote an observation or professional discussion changes it."
NO_MAPPING_MESSAGE = "Map the evidence to at least one KSB or Diploma unit first"
NOT_SUBMITTABLE_MESSAGE = "Only a draft or evidence needing more work can be sent to the coach."
WITNESS_NOT_CONFIRMED_MESSAGE = ("The witness has not confirmed this testimony yet. Send them a new link if they "
                                 "need one, then send it to your coach once they have confirmed it.")
NOT_WAITING_MESSAGE = "Only evidence waiting for the coach can be assessed or have its mapping changed."
DECISION_MESSAGE = "Select accepted or needs more work"
FEEDBACK_MESSAGE = "Enter feedback saying what the apprentice should add or change"
ONE_TARGET_MESSAGE = "Select one KSB or one Diploma unit"
ALREADY_MAPPED_MESSAGE = "The evidence is already mapped to {label}"
NO_SUCH_MAPPING_MESSAGE = "That mapping is no longer on this evidence"
NOT_LOCKED_MESSAGE = "Only accepted (locked) evidence can be unlocked."
REASON_MESSAGE = "Enter why you are unlocking this evidence"


# --- Checks shared by the writes ---


def _fresh(evidence: PortfolioEvidence, seen_version: int) -> None:
    if evidence.version != seen_version:
        raise StaleEdit(STALE_MESSAGE)


def _not_locked(evidence: PortfolioEvidence) -> None:
    if evidence.is_locked:
        raise ValidationError(LOCKED_MESSAGE)
    _not_iqa_locked(evidence)


def _not_iqa_locked(evidence: PortfolioEvidence) -> None:
    """A signed internal quality assurance decision locks the item whatever its status: only an IQA of
    the training provider releases it (iqa_services), never the coach or the apprentice."""
    if is_iqa_locked(evidence):
        raise ValidationError(IQA_LOCKED_MESSAGE)


def _targets(apprenticeship: Apprenticeship, ksbs: Iterable[Ksb], units: Iterable[QualificationUnit]) -> dict:
    """The KSBs (of the apprentice's standard version, not retired) and units (of their Diploma, not
    retired) as lists; ValidationError naming the bad field."""
    ksbs, units = list(ksbs), list(units)
    errors = {}
    if any(ksb.version_id != apprenticeship.standard_version_id or ksb.retired for ksb in ksbs):
        errors["ksbs"] = [KSB_MESSAGE]
    if any(unit.qualification_id != apprenticeship.qualification_id or unit.retired for unit in units):
        errors["units"] = [UNIT_MESSAGE]
    if errors:
        raise ValidationError(errors)
    return {"ksbs": ksbs, "units": units}


def _content_errors(kind: str, *, title: str, occurred_on: date | None, body: str, reflection_model: str,
                    reflection: dict, file, has_file: bool, today: date) -> dict:
    """Per field: what is wrong with an item's content for its kind."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = [TITLE_MESSAGE]
    elif len(title.strip()) > TITLE_MAX:
        errors["title"] = [TITLE_LENGTH_MESSAGE]
    if reflection_model not in ReflectionModel.values:  # the API takes any text: never store an unknown model
        errors["reflection_model"] = [REFLECTION_MODEL_MESSAGE]
    if occurred_on is not None and occurred_on > today:
        errors["occurred_on"] = [DATE_FUTURE_MESSAGE]
    if kind == EvidenceKind.FILE:
        if file is not None:
            if problems := evidence_errors(file):
                errors["file"] = problems
        elif not has_file:
            errors["file"] = [FILE_MESSAGE]
    elif kind == EvidenceKind.REFLECTIVE_ACCOUNT and reflection_model == ReflectionModel.GIBBS:
        if not any((reflection.get(key) or "").strip() for key in GIBBS_KEYS):
            errors["reflection"] = [GIBBS_EMPTY_MESSAGE]
    elif not (body or "").strip():
        errors["body"] = [BODY_MESSAGE]
    return errors


def _clean_reflection(reflection_model: str, reflection: dict | None) -> dict:
    if reflection_model != ReflectionModel.GIBBS:
        return {}
    return {key: ((reflection or {}).get(key) or "").strip() for key in GIBBS_KEYS}


def _map(evidence: PortfolioEvidence, targets: dict, stage: str, actor: Actor) -> None:
    EvidenceMapping.objects.bulk_create(
        [EvidenceMapping(evidence=evidence, ksb=ksb, stage=stage, added_by=actor.user) for ksb in targets["ksbs"]]
        + [EvidenceMapping(evidence=evidence, unit=unit, stage=stage, added_by=actor.user)
           for unit in targets["units"]])


def _claim(evidence: PortfolioEvidence, targets: dict, actor: Actor) -> None:
    """Make the apprentice's CLAIMED mappings exactly `targets`, keeping any the coach added."""
    wanted_ksbs = {ksb.pk: ksb for ksb in targets["ksbs"]}
    wanted_units = {unit.pk: unit for unit in targets["units"]}
    current = list(evidence.mappings.all())
    stale = [m.pk for m in current if m.stage == MappingStage.CLAIMED
             and (m.ksb_id not in wanted_ksbs if m.ksb_id else m.unit_id not in wanted_units)]
    EvidenceMapping.objects.filter(pk__in=stale).delete()
    held_ksbs = {m.ksb_id for m in current if m.ksb_id and m.pk not in stale}
    held_units = {m.unit_id for m in current if m.unit_id and m.pk not in stale}
    _map(evidence, {"ksbs": [k for pk, k in wanted_ksbs.items() if pk not in held_ksbs],
                    "units": [u for pk, u in wanted_units.items() if pk not in held_units]},
         MappingStage.CLAIMED, actor)


def _writer_party(actor: Actor, evidence: PortfolioEvidence) -> str:
    """Who may change this item's content and claims now: the apprentice (their own kinds, in draft or
    needing more work) or the coach (their own coach kinds, while not locked). NotAllowed or
    ValidationError otherwise."""
    apprenticeship = evidence.apprenticeship
    if evidence.kind in COACH_KINDS:
        require_party(actor, apprenticeship, Party.PROVIDER)  # the apprentice never changes the coach's record
        if evidence.created_by_id != actor.user.pk:
            raise ValidationError(NOT_YOURS_MESSAGE)
        return Party.PROVIDER
    require_party(actor, apprenticeship, Party.APPRENTICE)
    _not_locked(evidence)  # said first: "locked" tells them who can change that, "waiting" does not
    if evidence.status not in APPRENTICE_EDITABLE:
        raise ValidationError(NOT_EDITABLE_MESSAGE)
    return Party.APPRENTICE


# --- The apprentice's and the coach's own writing ---


@transaction.atomic
def create_evidence(*, actor: Actor, apprenticeship: Apprenticeship, kind: str, title: str, occurred_on: date,
                    body: str = "", reflection_model: str = ReflectionModel.FREE, reflection: dict | None = None,
                    file=None, ksbs: Iterable[Ksb] = (), units: Iterable[QualificationUnit] = (),
                    today: date | None = None) -> PortfolioEvidence:
    """The apprentice adds a file or a reflective account as a draft, claiming KSBs and units; the coach
    adds an observation or professional discussion notes, already waiting for assessment."""
    if kind not in WRITTEN_HERE:
        raise ValidationError({"kind": [ELSEWHERE_MESSAGE if kind in EvidenceKind.values else KIND_MESSAGE]})
    party = Party.PROVIDER if kind in COACH_KINDS else Party.APPRENTICE
    require_party(actor, apprenticeship, party)
    require_open(apprenticeship)
    reflection_model = reflection_model if kind == EvidenceKind.REFLECTIVE_ACCOUNT else ReflectionModel.FREE
    reflection = _clean_reflection(reflection_model, reflection)
    errors = _content_errors(kind, title=title, occurred_on=occurred_on, body=body, reflection_model=reflection_model,
                             reflection=reflection, file=file, has_file=False, today=today or timezone.localdate())
    try:
        targets = _targets(apprenticeship, ksbs, units)
    except ValidationError as bad:
        errors.update(bad.message_dict)
    if errors:
        raise ValidationError(errors)
    coach_item = party == Party.PROVIDER
    evidence = PortfolioEvidence(
        apprenticeship=apprenticeship, kind=kind, title=title.strip(), occurred_on=occurred_on,
        body="" if reflection_model == ReflectionModel.GIBBS else (body or "").strip(),
        reflection_model=reflection_model, reflection=reflection, created_by=actor.user,
        status=EvidenceStatus.SUBMITTED if coach_item else EvidenceStatus.DRAFT,
        submitted_at=timezone.now() if coach_item else None)
    if file is not None:
        evidence.file.save(file.name, file, save=False)  # under the item's random public_id
        evidence.file_name = file.name[:200]
    evidence.save()
    _map(evidence, targets, MappingStage.ADDED_BY_COACH if coach_item else MappingStage.CLAIMED, actor)
    evidence_events.record_event(evidence, EvidenceEventKind.CREATED, by=actor.user)
    audit.record(actor, Action.CREATE, evidence, details={"apprenticeship": str(apprenticeship.public_id),
                                                          "kind": kind})
    return evidence


@transaction.atomic
def edit_evidence(*, actor: Actor, evidence: PortfolioEvidence, seen_version: int, title: str | None = None,
                  occurred_on: date | None = None, body: str | None = None, reflection_model: str | None = None,
                  reflection: dict | None = None, file=None, ksbs: Iterable[Ksb] = (),
                  units: Iterable[QualificationUnit] = (), today: date | None = None) -> PortfolioEvidence:
    """The writer changes an item that is not locked: the apprentice their file or reflective account
    (and the claims of any of their items) while a draft or needing more work; the coach their own
    observation or discussion notes while it waits, or when they marked it as needing more work (it
    then waits for them again). Content arguments left None stay as they are."""
    party = _writer_party(actor, evidence)
    require_open(evidence.apprenticeship)
    _not_locked(evidence)
    _fresh(evidence, seen_version)
    content = evidence.kind in WRITTEN_HERE
    fields = []
    errors = {}
    if content:
        title = evidence.title if title is None else title
        occurred_on = evidence.occurred_on if occurred_on is None else occurred_on
        body = evidence.body if body is None else body
        model = evidence.reflection_model if reflection_model is None else reflection_model
        model = model if evidence.kind == EvidenceKind.REFLECTIVE_ACCOUNT else ReflectionModel.FREE
        reflection = _clean_reflection(model, evidence.reflection if reflection is None else reflection)
        errors = _content_errors(evidence.kind, title=title, occurred_on=occurred_on, body=body,
                                 reflection_model=model, reflection=reflection, file=file,
                                 has_file=bool(evidence.file), today=today or timezone.localdate())
    try:
        targets = _targets(evidence.apprenticeship, ksbs, units)
    except ValidationError as bad:
        errors.update(bad.message_dict)
    if errors:
        raise ValidationError(errors)
    if content:
        evidence.title, evidence.occurred_on, evidence.reflection_model = title.strip(), occurred_on, model
        evidence.body = "" if model == ReflectionModel.GIBBS else body.strip()
        evidence.reflection = reflection
        fields = ["title", "occurred_on", "body", "reflection_model", "reflection"]
        if file is not None:
            evidence.file.save(file.name, file, save=False)
            evidence.file_name = file.name[:200]
            fields += ["file", "file_name"]
    if party == Party.PROVIDER and evidence.status == EvidenceStatus.NEEDS_MORE_WORK:
        # Nobody else can send the coach's own record back to them: changing it puts it in their queue again.
        evidence.status, evidence.submitted_at = EvidenceStatus.SUBMITTED, timezone.now()
        fields += ["status", "submitted_at"]
    save_versioned(evidence, seen_version=seen_version, fields=fields)
    if party == Party.APPRENTICE:
        _claim(evidence, targets, actor)
    else:
        EvidenceMapping.objects.filter(evidence=evidence).delete()
        _map(evidence, targets, MappingStage.ADDED_BY_COACH, actor)
    evidence_events.record_event(evidence, EvidenceEventKind.EDITED, by=actor.user)
    audit.record(actor, Action.UPDATE, evidence, details={"fields": fields, "mappings": True})
    return evidence


@transaction.atomic
def submit_evidence(*, actor: Actor, evidence: PortfolioEvidence, seen_version: int) -> PortfolioEvidence:
    """The apprentice sends a draft, or evidence needing more work, to the coach: it needs at least one
    mapping, and a Gibbs reflection all six stages."""
    require_party(actor, evidence.apprenticeship, Party.APPRENTICE)
    require_open(evidence.apprenticeship)
    _not_locked(evidence)
    if evidence.kind in COACH_KINDS or evidence.status not in APPRENTICE_EDITABLE:
        raise ValidationError(NOT_SUBMITTABLE_MESSAGE)
    _fresh(evidence, seen_version)
    if evidence.kind == EvidenceKind.WITNESS_TESTIMONY and evidence.witness_confirmed_at is None:
        raise ValidationError(WITNESS_NOT_CONFIRMED_MESSAGE)  # the coach assesses the witness's words only
    if evidence.reflection_model == ReflectionModel.GIBBS:
        for key, stage, _ in GIBBS_STAGES:
            if not (evidence.reflection.get(key) or "").strip():
                raise ValidationError(GIBBS_STAGE_MESSAGE.format(stage=stage))
    if not evidence.mappings.exists():
        raise ValidationError(NO_MAPPING_MESSAGE)
    evidence.status, evidence.submitted_at = EvidenceStatus.SUBMITTED, timezone.now()
    save_versioned(evidence, seen_version=seen_version, fields=["status", "submitted_at"])
    evidence_events.record_event(evidence, EvidenceEventKind.SUBMITTED, by=actor.user)
    audit.record(actor, Action.UPDATE, evidence, details={"submitted": True})
    return evidence


# --- The coach's assessment ---


def _coach_on_waiting(actor: Actor, evidence: PortfolioEvidence, seen_version: int) -> None:
    require_party(actor, evidence.apprenticeship, Party.PROVIDER)
    require_open(evidence.apprenticeship)
    _not_locked(evidence)
    if evidence.status != EvidenceStatus.SUBMITTED:
        raise ValidationError(NOT_WAITING_MESSAGE)
    _fresh(evidence, seen_version)


@transaction.atomic
def add_mapping(*, actor: Actor, evidence: PortfolioEvidence, seen_version: int, ksb: Ksb | None = None,
                unit: QualificationUnit | None = None) -> EvidenceMapping:
    """The coach maps evidence waiting for them to one more KSB or Diploma unit (stage two)."""
    _coach_on_waiting(actor, evidence, seen_version)
    if (ksb is None) == (unit is None):
        raise ValidationError(ONE_TARGET_MESSAGE)
    targets = _targets(evidence.apprenticeship, [ksb] if ksb else [], [unit] if unit else [])
    held = evidence.mappings.filter(ksb=ksb) if ksb else evidence.mappings.filter(unit=unit)
    if held.exists():
        raise ValidationError(ALREADY_MAPPED_MESSAGE.format(label=ksb.code if ksb else f"Unit {unit.position}"))
    save_versioned(evidence, seen_version=seen_version, fields=[])
    _map(evidence, targets, MappingStage.ADDED_BY_COACH, actor)
    mapping = evidence.mappings.select_related("ksb", "unit").get(**({"ksb": ksb} if ksb else {"unit": unit}))
    evidence_events.record_event(evidence, EvidenceEventKind.MAPPED, by=actor.user, comment=f"Added {mapping.label}")
    audit.record(actor, Action.UPDATE, evidence, details={"mapping_added": mapping.label})
    return mapping


@transaction.atomic
def remove_mapping(*, actor: Actor, evidence: PortfolioEvidence, seen_version: int, mapping_id: int) -> None:
    """The coach removes any mapping, claimed or their own, from evidence waiting for them."""
    _coach_on_waiting(actor, evidence, seen_version)
    mapping = evidence.mappings.select_related("ksb", "unit").filter(pk=mapping_id).first()
    if mapping is None:
        raise ValidationError(NO_SUCH_MAPPING_MESSAGE)
    label = mapping.label
    mapping.delete()
    save_versioned(evidence, seen_version=seen_version, fields=[])
    evidence_events.record_event(evidence, EvidenceEventKind.MAPPED, by=actor.user, comment=f"Removed {label}")
    audit.record(actor, Action.UPDATE, evidence, details={"mapping_removed": label})


@transaction.atomic
def assess_evidence(*, actor: Actor, evidence: PortfolioEvidence, seen_version: int, decision: str,
                    feedback: str = "") -> PortfolioEvidence:
    """The coach accepts evidence waiting for them (it is then locked) or asks for more work with
    feedback (required); accepting needs at least one mapping."""
    _coach_on_waiting(actor, evidence, seen_version)
    feedback = (feedback or "").strip()
    if decision not in DECISIONS:
        raise ValidationError({"decision": [DECISION_MESSAGE]})
    if decision == NEEDS_MORE_WORK and not feedback:
        raise ValidationError({"feedback": [FEEDBACK_MESSAGE]})
    if decision == ACCEPT and not evidence.mappings.exists():
        raise ValidationError({"decision": [NO_MAPPING_MESSAGE]})
    now = timezone.now()
    evidence.status, evidence.assessed_by, evidence.assessed_at, evidence.feedback = decision, actor.user, now, feedback
    evidence.locked_at = now if decision == ACCEPT else None
    save_versioned(evidence, seen_version=seen_version,
                   fields=["status", "assessed_by", "assessed_at", "feedback", "locked_at"])
    evidence_events.record_event(evidence, DECISIONS[decision], by=actor.user, comment=feedback)
    audit.record(actor, Action.UPDATE, evidence, details={"decision": decision})
    return evidence


@transaction.atomic
def unlock_evidence(*, actor: Actor, evidence: PortfolioEvidence, seen_version: int, reason: str) -> PortfolioEvidence:
    """The coach unlocks accepted evidence, giving a reason: it waits for them again (submitted), and
    the reason is kept as an 'unlocked' event."""
    require_party(actor, evidence.apprenticeship, Party.PROVIDER)
    require_open(evidence.apprenticeship)
    reason = (reason or "").strip()
    _not_iqa_locked(evidence)
    if not evidence.is_locked:
        raise ValidationError(NOT_LOCKED_MESSAGE)
    if not reason:
        raise ValidationError({"reason": [REASON_MESSAGE]})
    _fresh(evidence, seen_version)
    evidence.status, evidence.locked_at, evidence.assessed_by, evidence.assessed_at = (
        EvidenceStatus.SUBMITTED, None, None, None)
    save_versioned(evidence, seen_version=seen_version, fields=["status", "locked_at", "assessed_by", "assessed_at"])
    evidence_events.record_event(evidence, EvidenceEventKind.UNLOCKED, by=actor.user, comment=reason)
    audit.record(actor, Action.UPDATE, evidence, details={"unlocked": True})
    return evidence
