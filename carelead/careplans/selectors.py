"""Reads of risk assessments and care plans. The person comes from people.selectors.person_for,
already scoped to the user, so these only narrow to that person's records."""

from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from carelead.assessments.models import NeedsAssessment, NeedsAssessmentSection
from carelead.careplans.models import (
    CarePlan, CarePlanReview, CarePlanSection, CarePlanVersion, PlanStatus, RiskAssessment, RiskStatus, SupportAction,
)
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


# --- Care and support plans (issue 4) ----------------------------------------------------------


def current_plan_of(person) -> CarePlan | None:
    """The person's active plan (one at most), with who made and approved it."""
    return (CarePlan.objects.filter(person=person, status=PlanStatus.ACTIVE)
            .select_related("approved_by", "created_by").first())


def plan_for(user, person_public_id: UUID, *, perm: Perm = Perm.PERSON_VIEW) -> CarePlan:
    """A person's active plan: 404 unless the user holds `perm` at the person's location and the
    person has a plan."""
    person = person_for(user, person_public_id, perm=perm)
    plan = current_plan_of(person)
    if plan is None:
        raise Http404("This person has no current care plan")
    plan.person = person  # already loaded, with the banner's flags
    return plan


def plan_sections(plan: CarePlan) -> QuerySet[CarePlanSection]:
    """The plan's sections in order with their support actions and linked risks: three queries however many."""
    return plan.sections.prefetch_related(
        Prefetch("actions", queryset=SupportAction.objects.order_by("position", "id")),
        Prefetch("risks", queryset=RiskAssessment.objects.order_by("title", "id")),
    ).order_by("position", "id")


def plan_section_for(plan: CarePlan, section_public_id: UUID) -> CarePlanSection:
    """One section of this plan (404 for a section of another plan), with its actions and risks."""
    section = get_object_or_404(plan_sections(plan), public_id=section_public_id)
    section.plan = plan
    return section


def completed_assessments_of(person) -> QuerySet[NeedsAssessment]:
    """The person's completed needs assessments, the latest first, with their sections."""
    return (NeedsAssessment.objects.filter(person=person, status=NeedsAssessment.Status.COMPLETED)
            .select_related("led_by").prefetch_related("sections").order_by("-completed_on", "-id"))


def unplanned_assessment_sections(plan: CarePlan) -> list[NeedsAssessmentSection]:
    """Sections of the person's completed assessments with something recorded, not yet in the plan."""
    used = plan.sections.exclude(source_section=None).values("source_section")
    return list(NeedsAssessmentSection.objects
                .filter(assessment__person_id=plan.person_id, assessment__status=NeedsAssessment.Status.COMPLETED)
                .exclude(pk__in=used).exclude(needs="", persons_view="", strengths="")
                .select_related("assessment").order_by("-assessment__completed_on", "area"))


def plan_versions(plan: CarePlan) -> QuerySet[CarePlanVersion]:
    """The plan's versions, the latest first, without their snapshots."""
    return plan.versions.select_related("saved_by").defer("snapshot").order_by("-version")


def plan_version(plan: CarePlan, number) -> CarePlanVersion:
    """One version of the plan with its snapshot; 404 for a version that does not exist."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404("No such version") from None
    return get_object_or_404(plan.versions.select_related("saved_by"), version=number)


def recent_reviews(plan: CarePlan, *, limit: int = 5) -> list[CarePlanReview]:
    return list(plan.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-id")[:limit])


def current_risks_of(person) -> QuerySet[RiskAssessment]:
    """The person's current risks, by title: the ones a plan section may link to."""
    return RiskAssessment.objects.filter(person=person, status=RiskStatus.CURRENT).order_by("title", "id")
