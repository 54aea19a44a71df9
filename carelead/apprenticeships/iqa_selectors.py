"""Reads for internal quality assurance (issue 6): a provider's sampling policies and plans, a plan's
samples and compliance, the sampled items an IQA may open, and the IQA feedback a coach receives.

An IQA reaches only the training providers where they hold IQA_MANAGE, and within them only the items
in one of their provider's plans (`sampled_item_for`): IQA_MANAGE never widens
`selectors.apprenticeships_for`, so an IQA never opens a whole apprenticeship.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.apprenticeships import iqa_sampling
from carelead.apprenticeships.models import (
    EvidenceKind, EvidenceMapping, EvidenceStatus, PlannedSample, PortfolioEvidence, SampleDecision, SamplingPlan,
    SamplingPolicy, SamplingStage,
)
from carelead.core.permissions import Perm
from carelead.organisations.models import Organisation, OrganisationKind
from carelead.organisations.selectors import organisations_granting

ASSESSED_STATUSES = (EvidenceStatus.ACCEPTED, EvidenceStatus.NEEDS_MORE_WORK)
IQA_LOCKED_MESSAGE = ("An internal quality assurer has signed a decision on this evidence, so it is locked: only "
                      "an internal quality assurer at the training provider can unlock it, giving a reason.")
COMPLIANT, NOT_COMPLIANT = "Compliant", "Not compliant"


def iqa_providers(user) -> QuerySet[Organisation]:
    """The training providers where the user holds IQA_MANAGE (one subquery)."""
    return organisations_granting(user, Perm.IQA_MANAGE).filter(kind=OrganisationKind.TRAINING_PROVIDER)


def policies_for(user) -> QuerySet[SamplingPolicy]:
    """The sampling policies of the user's providers, with their rates (two queries)."""
    return (SamplingPolicy.objects.filter(provider__in=iqa_providers(user).values("pk"))
            .select_related("provider", "created_by").prefetch_related("rates")
            .order_by("provider__name", "name", "id"))


def policy_for(user, policy_id: UUID) -> SamplingPolicy:
    """One policy of the user's providers; 404 whether it does not exist or is out of reach."""
    return get_object_or_404(policies_for(user), public_id=policy_id)


def plans_for(user) -> QuerySet[SamplingPlan]:
    """The plans of the user's providers, latest period first, with their counts (one query)."""
    return (SamplingPlan.objects.filter(policy__provider__in=iqa_providers(user).values("pk"))
            .select_related("policy__provider", "generated_by")
            .annotate(sample_count=Count("samples", distinct=True),
                      decided_count=Count("samples__decision", distinct=True))
            .order_by("-period_to", "-id"))


def plan_for(user, plan_id: UUID) -> SamplingPlan:
    return get_object_or_404(plans_for(user).prefetch_related("policy__rates"), public_id=plan_id)


def samples_of(plan: SamplingPlan, *, coach_id: int | None = None, kind: str = "", stage: str = "",
               decided: bool | None = None) -> QuerySet[PlannedSample]:
    """The plan's samples by coach, kind and stage, with the item, its apprentice, the coach and any
    decision (one query for a page)."""
    samples = PlannedSample.objects.filter(plan=plan)
    if coach_id:
        samples = samples.filter(coach_id=coach_id)
    if kind:
        samples = samples.filter(kind=kind)
    if stage:
        samples = samples.filter(stage=stage)
    if decided is not None:
        samples = samples.filter(decision__isnull=not decided)
    return samples.select_related("evidence__apprenticeship__apprentice", "coach", "decision__iqa").order_by(
        "coach__full_name", "coach_id", "kind", "stage", "id")


def coaches_in(plan: SamplingPlan) -> QuerySet:
    """The coaches with samples in the plan, for the filter (one query)."""
    return get_user_model().objects.filter(pk__in=PlannedSample.objects.filter(plan=plan).values("coach")).order_by(
        "full_name", "id")


def assessed_items(provider_id: int, period_from: date, period_to: date) -> list[iqa_sampling.AssessedItem]:
    """The provider's evidence its coaches assessed in the period (inclusive), as the sampling rules take
    it: id, coach, kind and whether it was assessed on or after gateway (one query)."""
    rows = (PortfolioEvidence.objects.filter(
        apprenticeship__provider_id=provider_id, status__in=ASSESSED_STATUSES, assessed_by__isnull=False,
        assessed_at__date__gte=period_from, assessed_at__date__lte=period_to)
        .values_list("pk", "assessed_by_id", "kind", "assessed_at", "apprenticeship__gateway_date"))
    return [iqa_sampling.AssessedItem(
        str(pk), coach_id, kind,
        iqa_sampling.stage_for(timezone.localtime(assessed_at).date(), gateway) == iqa_sampling.SUMMATIVE)
        for pk, coach_id, kind, assessed_at, gateway in rows]


def policy_rule(policy: SamplingPolicy) -> iqa_sampling.SamplingPolicy:
    """The stored policy as the pure sampling rules take it (uses the prefetched rates)."""
    return iqa_sampling.SamplingPolicy(
        rates=tuple(iqa_sampling.SamplingRate(rate.kind, rate.stage, rate.percent) for rate in policy.rates.all()),
        default_percent=policy.default_percent)


@dataclass(frozen=True)
class ComplianceLine:
    """One coach x kind x stage of the compliance report, in words."""

    coach: str
    kind: str
    stage: str
    assessed: int
    required: int
    planned: int
    signed: int

    @property
    def compliant(self) -> bool:
        return self.planned >= self.required

    @property
    def result(self) -> str:
        return COMPLIANT if self.compliant else NOT_COMPLIANT

    @property
    def signed_result(self) -> str:
        return COMPLIANT if self.signed >= self.required else NOT_COMPLIANT


def compliance_report(plan: SamplingPlan) -> list[ComplianceLine]:
    """Per coach x kind x stage: items assessed in the plan's period, the sample the policy requires
    (iqa_sampling.compliance), how many the plan samples and how many are signed (four queries)."""
    items = assessed_items(plan.policy.provider_id, plan.period_from, plan.period_to)
    rule = policy_rule(plan.policy)
    samples = list(PlannedSample.objects.filter(plan=plan).values_list("evidence_id", "decision__id"))
    planned = iqa_sampling.compliance(rule, items, [str(evidence) for evidence, _ in samples])
    signed = {(row.coach_id, row.kind, row.stage): row.sampled for row in iqa_sampling.compliance(
        rule, items, [str(evidence) for evidence, decision in samples if decision])}
    names = dict((user.pk, user.full_name) for user in get_user_model().objects.filter(
        pk__in={row.coach_id for row in planned}))
    kinds = dict(EvidenceKind.choices)
    return [ComplianceLine(coach=names.get(row.coach_id, "Unknown"), kind=kinds.get(row.kind, row.kind),
                           stage=SamplingStage(row.stage).label, assessed=row.assessed, required=row.required,
                           planned=row.sampled, signed=signed[(row.coach_id, row.kind, row.stage)])
            for row in planned]


def _with_mappings(evidence: QuerySet[PortfolioEvidence]) -> QuerySet[PortfolioEvidence]:
    return evidence.prefetch_related(Prefetch("mappings", queryset=EvidenceMapping.objects.select_related(
        "ksb", "unit").order_by("ksb__code", "unit__position", "id")))


def sampled_item_for(user, evidence_id: UUID) -> PortfolioEvidence:
    """An item of evidence in a plan of one of the user's IQA providers (and of that provider's
    apprenticeships); 404 whether it does not exist, is not sampled, or belongs to another provider."""
    providers = iqa_providers(user).values("pk")
    sampled = PlannedSample.objects.filter(plan__policy__provider__in=providers).values("evidence")
    return get_object_or_404(_with_mappings(PortfolioEvidence.objects.filter(
        pk__in=sampled, apprenticeship__provider__in=providers).select_related(
        "apprenticeship__apprentice", "apprenticeship__provider", "apprenticeship__standard_version__standard",
        "apprenticeship__qualification", "assessed_by", "created_by")), public_id=evidence_id)


def open_sample_of(user, evidence: PortfolioEvidence) -> PlannedSample | None:
    """The item's planned sample awaiting a decision in a plan of the user's providers (latest plan first)."""
    return (PlannedSample.objects.filter(evidence=evidence, plan__policy__provider__in=iqa_providers(user).values("pk"),
                                         decision__isnull=True)
            .select_related("plan__policy").order_by("-plan__period_to", "-plan_id").first())


def decisions_on(evidence: PortfolioEvidence) -> list[SampleDecision]:
    """Every IQA decision on the item, latest first, with who signed and who released it (one query)."""
    return list(SampleDecision.objects.filter(evidence=evidence).select_related("iqa", "lock_released_by"))


def is_iqa_locked(evidence: PortfolioEvidence) -> bool:
    """Whether a signed IQA decision still locks the item: then nobody but an IQA of the training
    provider may unlock it (evidence_services.unlock_evidence refuses with IQA_LOCKED_MESSAGE)."""
    return SampleDecision.objects.filter(evidence=evidence, locks_evidence=True).exists()


def feedback_for_coach(user) -> QuerySet[SampleDecision]:
    """IQA decisions on the evidence this coach assessed (as the plan recorded it: unlocking an item
    clears its assessor, not the feedback) at a provider where they hold APPRENTICESHIP_MANAGE, latest
    first, with the item and its apprentice (one query for a page)."""
    if not getattr(user, "is_authenticated", False):
        return SampleDecision.objects.none()
    providers = organisations_granting(user, Perm.APPRENTICESHIP_MANAGE).values("pk")
    return (SampleDecision.objects.filter(Q(sample__coach=user) & Q(evidence__apprenticeship__provider__in=providers))
            .select_related("evidence__apprenticeship__apprentice", "iqa").order_by("-signed_at", "-id"))


def decision_for(user, decision_id: UUID) -> SampleDecision:
    """A decision on an item of one of the user's IQA providers; 404 otherwise."""
    return get_object_or_404(SampleDecision.objects.filter(
        evidence__apprenticeship__provider__in=iqa_providers(user).values("pk")).select_related(
        "evidence__apprenticeship", "iqa"), public_id=decision_id)
