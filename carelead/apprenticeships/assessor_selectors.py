"""What an end-point assessor may read, decided in ONE place (`grant_for`), and the coach's view of
the grants on an apprenticeship (issue 6 "End-point assessment").

An assessor reaches an apprenticeship only through a grant that is theirs, not revoked, open today
(start to end inclusive, assessor_rules.is_access_open), backed by a current End-point assessor
membership (ending it stops access at once), on an apprenticeship not withdrawn. Anything else is a
404, never a 403: carelead never confirms the record exists. `selectors.apprenticeships_for` knows
nothing of grants, so every other apprenticeship page stays closed to an assessor.

What a grant opens, read-only: the gateway portfolio (ACCEPTED items only, with their KSB and unit
mappings; a practice record only as its redacted snapshot), the coverage matrix, the off-the-job
summary and the end-point assessment results so far.
"""

from datetime import date
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from carelead.apprenticeships import evidence_selectors
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, AssessorAccess, EvidenceStatus, PortfolioEvidence,
)
from carelead.core.permissions import Role
from carelead.organisations.models import Membership


def active_grants(user, today: date) -> QuerySet[AssessorAccess]:
    """The user's grants open today, soonest ending first, with the apprenticeship each opens (one query)."""
    if not getattr(user, "is_authenticated", False):
        return AssessorAccess.objects.none()
    assessor_role = Membership.objects.filter(user=OuterRef("assessor"), role=Role.EPA_ASSESSOR,
                                              ended_at__isnull=True)
    return (AssessorAccess.objects.filter(assessor=user, revoked_at__isnull=True, starts_on__lte=today,
                                          ends_on__gte=today, apprenticeship__gateway_date__isnull=False)
            .exclude(apprenticeship__status=ApprenticeshipStatus.WITHDRAWN)  # no assessment follows a withdrawal
            .filter(Exists(assessor_role))
            .select_related("apprenticeship__apprentice", "apprenticeship__standard_version__standard",
                            "apprenticeship__qualification", "apprenticeship__provider")
            .order_by("ends_on", "id"))


def grant_for(user, apprenticeship_id: UUID, today: date) -> AssessorAccess:
    """The assessor's open grant on this apprenticeship; 404 outside its dates, once revoked, for another
    apprenticeship or for anyone who is not the named assessor. The ONLY door for an assessor."""
    return get_object_or_404(active_grants(user, today), apprenticeship__public_id=apprenticeship_id)


def gateway_portfolio(apprenticeship: Apprenticeship) -> QuerySet[PortfolioEvidence]:
    """The accepted items of the portfolio with their mappings, newest first (two queries for a page)."""
    return evidence_selectors.evidence_of(apprenticeship, status=EvidenceStatus.ACCEPTED)


def gateway_item_for(grant: AssessorAccess, evidence_id: UUID) -> PortfolioEvidence:
    """One accepted item of the granted apprenticeship; a draft, waiting or returned item is a 404."""
    return get_object_or_404(gateway_portfolio(grant.apprenticeship).select_related("assessed_by"),
                             public_id=evidence_id)


def grants_of(apprenticeship: Apprenticeship) -> list[AssessorAccess]:
    """Every grant on the apprenticeship, newest first, with who holds and gave it (one query)."""
    return list(AssessorAccess.objects.filter(apprenticeship=apprenticeship)
                .select_related("assessor", "granted_by", "revoked_by").order_by("-starts_on", "-id"))


def grant_on(apprenticeship: Apprenticeship, grant_id: UUID) -> AssessorAccess:
    """One grant of an apprenticeship already reached through `selectors.apprenticeship_for`; 404 otherwise."""
    grant = get_object_or_404(AssessorAccess.objects.select_related("assessor", "granted_by", "revoked_by"),
                              apprenticeship=apprenticeship, public_id=grant_id)
    grant.apprenticeship = apprenticeship
    return grant
