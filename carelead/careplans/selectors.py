"""Reads of risk assessments. The person comes from people.selectors.person_for, already scoped to
the user, so these only narrow to that person's records."""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from carelead.careplans.models import RiskAssessment, RiskStatus
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for


def risk_assessments_of(person, *, status: str = RiskStatus.CURRENT) -> QuerySet[RiskAssessment]:
    """The person's risk assessments with this status, the soonest review first."""
    return (RiskAssessment.objects.filter(person=person, status=status)
            .select_related("assessed_by").order_by("review_on", "id"))


def risk_assessment_for(user, person_public_id: UUID, risk_public_id: UUID, *,
                        perm: Perm = Perm.PERSON_VIEW) -> RiskAssessment:
    """One of a person's risk assessments: 404 unless the user holds `perm` at the person's location
    and the risk assessment is that person's."""
    person = person_for(user, person_public_id, perm=perm)
    risk = get_object_or_404(
        RiskAssessment.objects.select_related("assessed_by").filter(person=person), public_id=risk_public_id
    )
    risk.person = person  # already loaded, with the banner's flags
    return risk
