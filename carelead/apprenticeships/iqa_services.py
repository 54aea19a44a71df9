"""Writes for internal quality assurance (issue 6; reference/eportfolio-anchors.md §5): sampling
policies, drawing a sampling plan, signing a decision on a sampled item, and releasing the lock a
signed decision puts on the item. Every write is the IQA's (IQA_MANAGE at the training provider),
atomic and audited; a decision and a release are also events on the item.

Stage rule (iqa_sampling.stage_for): an item is summative when its coach assessed it on or after the
apprenticeship's gateway date, else interim.
"""

import secrets
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from carelead.apprenticeships import evidence_events, iqa_sampling, iqa_selectors
from carelead.apprenticeships.models import (
    EvidenceEventKind, EvidenceKind, PlannedSample, PortfolioEvidence, SampleDecision, SampleVerdict, SamplingPlan, SamplingPolicy,
    SamplingRate, SamplingStage,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.services import require
from carelead.organisations.models import Organisation

NAME_MESSAGE = "Enter a name for the policy"
PERCENT_MESSAGE = "Enter a percentage from 0 to 100"
PERIOD_ORDER_MESSAGE = "The end of the period must be the same as or after its start"
INACTIVE_POLICY_MESSAGE = "This policy is not in use: make it active before drawing a plan from it"
NOT_SAMPLED_MESSAGE = "This evidence is not waiting for a decision in any of your sampling plans"
OWN_ASSESSMENT_MESSAGE = "You assessed this evidence yourself: another internal quality assurer must sample it"
NOT_ASSESSED_MESSAGE = "Only evidence the coach has assessed can be sampled"
VERDICT_MESSAGE = "Select whether you agree or disagree with the coach's decision"
FEEDBACK_MESSAGE = "Enter feedback for the coach: what they should do differently"
ALREADY_DECIDED_MESSAGE = "A decision on this sample has already been signed"
REASON_MESSAGE = "Enter why you are unlocking this evidence"
NOT_LOCKED_MESSAGE = "This decision no longer locks the evidence"

# Events on the item (EvidenceEvent.event); labels for the item's history.
EVENT_AGREED, EVENT_DISAGREED, EVENT_RELEASED = (
    EvidenceEventKind.IQA_AGREED, EvidenceEventKind.IQA_DISAGREED, EvidenceEventKind.IQA_LOCK_RELEASED)
EVENT_LABELS = {EVENT_AGREED: "Internal quality assurer agreed", EVENT_DISAGREED: "Internal quality assurer disagreed",
                EVENT_RELEASED: "Internal quality assurance lock released"}


def rate_field(kind: str, stage: str) -> str:
    """The form field and error key of one rate: rate_<kind>_<stage>."""
    return f"rate_{kind}_{stage}"


def _percent_ok(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool) and 0 <= value <= 100


def _policy_errors(name: str, default_percent, rates: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [NAME_MESSAGE]
    if not _percent_ok(default_percent):
        errors["default_percent"] = [PERCENT_MESSAGE]
    for (kind, stage), percent in rates.items():
        if kind not in EvidenceKind.values or stage not in SamplingStage.values:
            raise ValueError(f"no such evidence kind and stage: {kind}, {stage}")
        if percent is not None and not _percent_ok(percent):
            errors[rate_field(kind, stage)] = [PERCENT_MESSAGE]
    return errors


def _save_rates(policy: SamplingPolicy, rates: dict) -> None:
    SamplingRate.objects.filter(policy=policy).delete()
    SamplingRate.objects.bulk_create([SamplingRate(policy=policy, kind=kind, stage=stage, percent=percent)
                                      for (kind, stage), percent in sorted(rates.items()) if percent is not None])


@transaction.atomic
def create_policy(*, actor: Actor, provider: Organisation, name: str, default_percent, rates: dict,
                  active: bool = True) -> SamplingPolicy:
    """The provider's IQA writes a sampling policy: a percentage from 0 to 100 for each evidence kind and
    stage they name ({(kind, stage): percent or None}); the rest use the default percentage."""
    require(actor, Perm.IQA_MANAGE, organisation_id=provider.pk)
    errors = _policy_errors(name, default_percent, rates)
    if errors:
        raise ValidationError(errors)
    policy = SamplingPolicy.objects.create(provider=provider, name=name.strip(), default_percent=default_percent,
                                           active=active, created_by=actor.user)
    _save_rates(policy, rates)
    audit.record(actor, Action.CREATE, policy)
    return policy


@transaction.atomic
def edit_policy(*, actor: Actor, policy: SamplingPolicy, name: str, default_percent, rates: dict,
                active: bool) -> SamplingPolicy:
    """The provider's IQA changes a policy. Plans already drawn keep their samples; their compliance is
    read against the policy as it is now."""
    require(actor, Perm.IQA_MANAGE, organisation_id=policy.provider_id)
    errors = _policy_errors(name, default_percent, rates)
    if errors:
        raise ValidationError(errors)
    policy.name, policy.default_percent, policy.active = name.strip(), default_percent, active
    policy.save(update_fields=["name", "default_percent", "active", "updated_at"])
    _save_rates(policy, rates)
    audit.record(actor, Action.UPDATE, policy, details={"fields": ["name", "default_percent", "active", "rates"]})
    return policy


def _draw(plan: SamplingPlan, keep: set[int]) -> int:
    """Add the samples the policy asks for that the plan does not hold yet; returns how many were added."""
    policy = SamplingPolicy.objects.prefetch_related("rates").get(pk=plan.policy_id)
    items = iqa_selectors.assessed_items(policy.provider_id, plan.period_from, plan.period_to)
    by_id = {item.item_id: item for item in items}
    groups = iqa_sampling.sample_plan(iqa_selectors.policy_rule(policy), items, plan.seed)
    new = [PlannedSample(plan=plan, evidence_id=int(item_id), coach_id=group.coach_id, kind=group.kind,
                         stage=by_id[item_id].stage)
           for group in groups for item_id in group.item_ids if int(item_id) not in keep]
    PlannedSample.objects.bulk_create(new)
    return len(new)


def _period_errors(period_from: date, period_to: date) -> None:
    if period_to < period_from:
        raise ValidationError({"period_to": [PERIOD_ORDER_MESSAGE]})


@transaction.atomic
def generate_plan(*, actor: Actor, policy: SamplingPolicy, period_from: date, period_to: date,
                  seed: str = "") -> SamplingPlan:
    """Draw a plan: for each coach x kind x stage of the provider's evidence assessed in the period,
    ceil(percent x n / 100) items, chosen by the seed (a new random seed unless given), so the same
    seed always draws the same sample."""
    require(actor, Perm.IQA_MANAGE, organisation_id=policy.provider_id)
    if not policy.active:
        raise ValidationError(INACTIVE_POLICY_MESSAGE)
    _period_errors(period_from, period_to)
    plan = SamplingPlan.objects.create(policy=policy, period_from=period_from, period_to=period_to,
                                       seed=seed.strip() or secrets.token_hex(4), generated_by=actor.user)
    added = _draw(plan, keep=set())
    audit.record(actor, Action.CREATE, plan, details={"samples": added})
    return plan


@transaction.atomic
def regenerate_plan(*, actor: Actor, plan: SamplingPlan, seed: str = "") -> SamplingPlan:
    """Draw the plan again (with a new seed unless given): samples with a signed decision stay; every
    undecided sample is replaced by the new draw, which adds only items the plan does not hold."""
    require(actor, Perm.IQA_MANAGE, organisation_id=plan.policy.provider_id)
    plan = SamplingPlan.objects.select_for_update().get(pk=plan.pk)
    PlannedSample.objects.filter(plan=plan, decision__isnull=True).delete()
    kept = set(PlannedSample.objects.filter(plan=plan).values_list("evidence_id", flat=True))
    plan.seed = seed.strip() or secrets.token_hex(4)
    plan.generated_at, plan.generated_by = timezone.now(), actor.user
    plan.save(update_fields=["seed", "generated_at", "generated_by", "updated_at"])
    added = _draw(plan, keep=kept)
    audit.record(actor, Action.UPDATE, plan, details={"regenerated": True, "kept": len(kept), "samples": added})
    return plan


@transaction.atomic
def record_decision(*, actor: Actor, evidence: PortfolioEvidence, verdict: str, feedback: str = "") -> SampleDecision:
    """The provider's IQA signs a decision on a sampled item: agree, or disagree with feedback to the
    coach (required). Signing locks the item for the IQA (`locks_evidence`) and is an event on it. An
    IQA never samples an item they assessed themselves (TQUK)."""
    require(actor, Perm.IQA_MANAGE, organisation_id=evidence.apprenticeship.provider_id)
    # The item as it is now, held until commit: a coach unlocking it at the same moment either went
    # first (then it is no longer assessed) or finds its version moved on below (a stale edit).
    current = PortfolioEvidence.objects.select_for_update().only("status", "assessed_by", "version").get(
        pk=evidence.pk)
    sample = iqa_selectors.open_sample_of(actor.user, evidence)
    if sample is None:
        raise ValidationError(NOT_SAMPLED_MESSAGE)
    if current.assessed_by_id == actor.user.pk:
        raise ValidationError(OWN_ASSESSMENT_MESSAGE)
    if current.status not in iqa_selectors.ASSESSED_STATUSES:
        raise ValidationError(NOT_ASSESSED_MESSAGE)
    feedback = feedback.strip()
    if verdict not in SampleVerdict.values:
        raise ValidationError({"verdict": [VERDICT_MESSAGE]})
    if verdict == SampleVerdict.DISAGREE and not feedback:
        raise ValidationError({"feedback": [FEEDBACK_MESSAGE]})
    try:
        with transaction.atomic():
            decision = SampleDecision.objects.create(sample=sample, evidence=evidence, verdict=verdict,
                                                     feedback=feedback, iqa=actor.user)
    except IntegrityError as error:  # someone signed this sample a moment ago
        raise ValidationError(ALREADY_DECIDED_MESSAGE) from error
    # The item is now locked: any form opened on it before this is stale.
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(version=F("version") + 1, updated_at=timezone.now())
    evidence.version = current.version + 1
    event = EVENT_AGREED if verdict == SampleVerdict.AGREE else EVENT_DISAGREED
    evidence_events.record_event(evidence, event, by=actor.user, comment=feedback)
    audit.record(actor, Action.CREATE, decision, details={"evidence": str(evidence.public_id), "verdict": verdict})
    return decision


@transaction.atomic
def release_iqa_lock(*, actor: Actor, decision: SampleDecision, reason: str) -> SampleDecision:
    """An IQA of the provider releases the lock a signed decision put on the item, giving a reason
    (OneFile: IQA-signed work only a centre manager can unlock). The decision itself stays as signed;
    the coach may then unlock the item in the usual way."""
    evidence = decision.evidence
    require(actor, Perm.IQA_MANAGE, organisation_id=evidence.apprenticeship.provider_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [REASON_MESSAGE]})
    updated = SampleDecision.objects.filter(pk=decision.pk, locks_evidence=True).update(
        locks_evidence=False, lock_released_at=timezone.now(), lock_released_by=actor.user,
        lock_release_reason=reason)
    if not updated:
        raise ValidationError(NOT_LOCKED_MESSAGE)
    decision.refresh_from_db()
    evidence_events.record_event(evidence, EVENT_RELEASED, by=actor.user, comment=reason)
    audit.record(actor, Action.UPDATE, decision, details={"fields": ["locks_evidence"]})
    return decision
