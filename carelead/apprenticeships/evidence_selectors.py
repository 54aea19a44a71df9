"""Reads of portfolio evidence (issue 6), always reached through an apprenticeship the user may see
(`selectors.apprenticeships_for`): one apprentice's portfolio, one item with its history, and the
coach's assessment queue across their own apprentices. Lists load every relation their pages show
in a constant number of queries."""

from uuid import UUID

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from carelead.apprenticeships import otj_selectors, selectors
from carelead.apprenticeships.models import (
    Apprenticeship, EvidenceEvent, EvidenceMapping, EvidenceStatus, Ksb, PortfolioEvidence, QualificationUnit,
)
from carelead.apprenticeships.parties import LOCKED_STATUSES
from carelead.core.permissions import Perm
from carelead.organisations.selectors import organisations_granting


def _with_mappings(evidence: QuerySet[PortfolioEvidence]) -> QuerySet[PortfolioEvidence]:
    mappings = EvidenceMapping.objects.select_related("ksb", "unit").order_by("ksb__code", "unit__position", "id")
    return evidence.prefetch_related(Prefetch("mappings", queryset=mappings))


def evidence_of(apprenticeship: Apprenticeship, *, status: str = "", kind: str = "") -> QuerySet[PortfolioEvidence]:
    """The apprenticeship's portfolio, newest first, with its mappings (two queries for a page)."""
    evidence = PortfolioEvidence.objects.filter(apprenticeship=apprenticeship)
    if status:
        evidence = evidence.filter(status=status)
    if kind:
        evidence = evidence.filter(kind=kind)
    return _with_mappings(evidence.select_related("apprenticeship").order_by("-occurred_on", "-id"))


def status_counts(apprenticeship: Apprenticeship) -> dict[str, int]:
    """How many items the portfolio holds in each status, every status present (one query)."""
    rows = dict(PortfolioEvidence.objects.filter(apprenticeship=apprenticeship).order_by()
                .values_list("status").annotate(n=Count("id")))
    return {status: rows.get(status, 0) for status in EvidenceStatus.values}


def evidence_for(user, evidence_id: UUID) -> PortfolioEvidence:
    """One item whose apprenticeship the user may see; 404 whether it does not exist or is out of reach."""
    reach = selectors.apprenticeships_for(user).values("pk")
    return get_object_or_404(_with_mappings(
        PortfolioEvidence.objects.filter(apprenticeship__in=reach).select_related(
            "apprenticeship__apprentice", "apprenticeship__employer", "apprenticeship__provider",
            "apprenticeship__coach", "apprenticeship__standard_version__standard", "apprenticeship__qualification",
            "created_by", "assessed_by")), public_id=evidence_id)


def events_of(evidence: PortfolioEvidence) -> list[EvidenceEvent]:
    """Every change to the item, oldest first, with who made it (one query)."""
    return list(evidence.events.select_related("changed_by").order_by("number"))


def claimable_ksbs(apprenticeship: Apprenticeship) -> QuerySet[Ksb]:
    """The KSBs evidence can be mapped to: the apprentice's standard version's, not retired."""
    return otj_selectors.current_ksbs(apprenticeship)


def claimable_units(apprenticeship: Apprenticeship) -> QuerySet[QualificationUnit]:
    """The units of the apprentice's Diploma evidence can be mapped to, not retired, in order."""
    if apprenticeship.qualification_id is None:
        return QualificationUnit.objects.none()
    return QualificationUnit.objects.filter(qualification_id=apprenticeship.qualification_id,
                                            retired=False).order_by("position")


def evidence_awaiting_assessment_by(user) -> QuerySet[PortfolioEvidence]:
    """Evidence waiting for assessment (submitted) on the open apprenticeships this user coaches while
    holding APPRENTICESHIP_MANAGE at their provider (the PROVIDER party); oldest sent first, with the
    apprentice and the mappings (two queries for a page)."""
    if not getattr(user, "is_authenticated", False):
        return PortfolioEvidence.objects.none()
    return _with_mappings(
        PortfolioEvidence.objects.filter(
            status=EvidenceStatus.SUBMITTED, apprenticeship__coach=user,
            apprenticeship__provider__in=organisations_granting(user, Perm.APPRENTICESHIP_MANAGE).values("pk"))
        .exclude(apprenticeship__status__in=LOCKED_STATUSES)
        .select_related("apprenticeship__apprentice").order_by("submitted_at", "id"))
