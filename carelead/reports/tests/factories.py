"""Small builders for the records the status pages count. The careplans factories are being
extended at the same time; these need only the fields a count looks at."""

from datetime import date, timedelta

from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.assessments.models import CapacityAssessment, DolsApplication, NeedsArea, NeedsAssessment
from carelead.careplans.models import CarePlan, CarePlanSection, PlanStatus
from carelead.careplans.tests.factories import RiskAssessmentFactory


def days(n: int) -> date:
    """Today plus n days (negative for the past)."""
    return timezone.localdate() + timedelta(days=n)


def plan(person, *, review_in: int = 60, status=PlanStatus.ACTIVE) -> CarePlan:
    return CarePlan.objects.create(person=person, review_interval_days=28, review_on=days(review_in),
                                   status=status, created_by=UserFactory())


def section(care_plan, *, review_in: int = 60, title: str = "Skin") -> CarePlanSection:
    return CarePlanSection.objects.create(plan=care_plan, area=NeedsArea.SKIN, title=title, assessed_need="Sore heels",
                                          outcome="Stay comfortable", review_on=days(review_in))


def risk(person, *, review_in: int = 60, **fields):
    return RiskAssessmentFactory(person=person, review_on=days(review_in), **fields)


def needs(person, *, review_in: int = 60, completed_ago: int = 30,
          status=NeedsAssessment.Status.COMPLETED) -> NeedsAssessment:
    return NeedsAssessment.objects.create(person=person, led_by=UserFactory(), status=status,
                                          completed_on=days(-completed_ago), review_on=days(review_in))


def capacity(person, *, review_in: int | None = 60) -> CapacityAssessment:
    return CapacityAssessment.objects.create(
        person=person, decision="Whether to move to a ground-floor room", assessor=UserFactory(),
        practicable_steps="Talked it through with pictures", can_understand=True, can_retain=True,
        can_use_or_weigh=True, can_communicate=True, outcome=CapacityAssessment.Outcome.HAS_CAPACITY,
        review_on=None if review_in is None else days(review_in),
    )


def dols_granted(person, *, ends_in: int = 200, status=DolsApplication.Status.GRANTED) -> DolsApplication:
    until = days(ends_in)
    return DolsApplication.objects.create(
        person=person, kind=DolsApplication.Kind.STANDARD, supervisory_body="Leeds City Council",
        reason="Needs constant supervision", applied_on=until - timedelta(days=380), status=status,
        authorised_from=until - timedelta(days=364), authorised_until=until, recorded_by=UserFactory(),
    )
