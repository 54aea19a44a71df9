"""Reads of one apprenticeship's training plan and programme changes (issue 5, §5.2).

The apprenticeship itself is always fetched first through `selectors.apprenticeship_for` (404 out of
reach); everything here hangs off it, so a plan is never reached by its own id. Each read loads what
its page shows in a fixed number of queries, whatever the number of activities or versions.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from carelead.apprenticeships import parties
from carelead.apprenticeships.models import (
    Apprenticeship, Ksb, KsbKind, ProgrammeChange, Signature, TrainingPlanActivity, TrainingPlanVersion,
)
from carelead.apprenticeships.selectors import KIND_ORDER

SIGNING_ORDER = parties.SIGNING_ORDER  # §5.2: provider, apprentice, employer

DRAFT, SIGNING, AGREED = "draft", "signing", "agreed"
STATE_LABELS = {DRAFT: "Draft", SIGNING: "Waiting for signatures", AGREED: "Agreed and locked"}
STATE_COLOURS = {DRAFT: "grey", SIGNING: "yellow", AGREED: "green"}


def _activities() -> QuerySet[TrainingPlanActivity]:
    return TrainingPlanActivity.objects.prefetch_related(
        Prefetch("ksbs", queryset=Ksb.objects.order_by(KIND_ORDER, "position", "pk")))


def _with_content(versions: QuerySet[TrainingPlanVersion]) -> QuerySet[TrainingPlanVersion]:
    return versions.select_related("created_by").prefetch_related(
        Prefetch("activities", queryset=_activities()),
        Prefetch("signatures", queryset=Signature.objects.select_related("signed_by")))


def plan_versions(apprenticeship: Apprenticeship) -> list[TrainingPlanVersion]:
    """Every version of the plan, latest first, each with how many parties have signed it (one query)."""
    return list(apprenticeship.training_plans.select_related("created_by").annotate(
        signature_count=Count("signatures")).order_by("-number"))


def current_plan(apprenticeship: Apprenticeship) -> TrainingPlanVersion | None:
    """The latest version with its activities, KSBs and signatures, or None before version 1."""
    return _with_content(apprenticeship.training_plans.order_by("-number")).first()


def plan_version_for(apprenticeship: Apprenticeship, number: int) -> TrainingPlanVersion:
    """One version of this apprenticeship's plan with its content; 404 when there is no such version."""
    version = _with_content(apprenticeship.training_plans.filter(number=number)).first()
    if version is None:
        raise Http404("No such version of the training plan")
    return version


def activity_for(apprenticeship: Apprenticeship, activity_id: int) -> TrainingPlanActivity:
    """One activity of the latest version of this apprenticeship's plan; 404 otherwise."""
    latest = apprenticeship.training_plans.order_by("-number").values("pk")[:1]
    activity = _activities().select_related("plan").filter(plan__in=latest, pk=activity_id).first()
    if activity is None:
        raise Http404("No such activity in the current training plan")
    return activity


def signatures_by_party(version: TrainingPlanVersion) -> dict[str, Signature]:
    return {signature.party: signature for signature in version.signatures.all()}


def plan_state(version: TrainingPlanVersion) -> str:
    """Draft until the first signature (its content may change), then signing, then agreed when all
    three parties have signed (§5.2: agreed by provider, apprentice and employer)."""
    count = getattr(version, "signature_count", None)
    if count is None:
        count = len(signatures_by_party(version))
    return DRAFT if count == 0 else AGREED if count >= len(SIGNING_ORDER) else SIGNING


def next_party(version: TrainingPlanVersion) -> str | None:
    """The party whose signature is awaited next, in the order provider, apprentice, employer."""
    signed = signatures_by_party(version)
    return next((party for party in SIGNING_ORDER if party not in signed), None)


@dataclass(frozen=True)
class PlanTotals:
    planned_hours: Decimal
    planned_otj_hours: Decimal


def plan_totals(activities) -> PlanTotals:
    """All planned hours, and those that count as off-the-job training (§4), of already loaded activities."""
    rows = list(activities)
    return PlanTotals(planned_hours=sum((row.planned_hours for row in rows), Decimal(0)),
                      planned_otj_hours=sum((row.planned_hours for row in rows if row.counts_as_otj), Decimal(0)))


def current_ksbs(apprenticeship: Apprenticeship) -> dict[str, list[Ksb]]:
    """The standard version's current (not retired) KSBs by kind, in their listed order (one query)."""
    grouped: dict[str, list[Ksb]] = {kind: [] for kind in KsbKind.values}
    for ksb in apprenticeship.standard_version.ksbs.filter(retired=False).order_by(KIND_ORDER, "position", "pk"):
        grouped[ksb.kind].append(ksb)
    return grouped


def programme_changes(apprenticeship: Apprenticeship) -> list[ProgrammeChange]:
    """Breaks, returns and withdrawals asked for on this apprenticeship, latest first (one query)."""
    return list(apprenticeship.programme_changes.select_related("requested_by", "decided_by", "processed_by")
                .order_by("-requested_at", "-pk"))


def change_for(apprenticeship: Apprenticeship, change_id) -> ProgrammeChange:
    """One change of this apprenticeship; 404 otherwise."""
    change = apprenticeship.programme_changes.select_related(
        "requested_by", "decided_by", "processed_by").filter(public_id=change_id).first()
    if change is None:
        raise Http404("No such change to this apprenticeship")
    return change
