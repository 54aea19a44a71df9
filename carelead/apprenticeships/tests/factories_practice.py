"""Practice records an apprentice led, about a person with distinctive identifying details, so tests
can attach them as evidence and check that nothing identifying reaches the portfolio (issue 6)."""

from datetime import date, datetime

from django.utils import timezone

from carelead.assessments.models import NeedsArea
from carelead.careplans.models import CarePlan, RiskAssessment
from carelead.careplans.tests.factories import (
    CarePlanFactory, CarePlanReviewFactory, CarePlanSectionFactory, NeedsAssessmentFactory, NeedsSectionFactory,
    RiskAssessmentFactory,
)
from carelead.organisations.tests.factories import LocationFactory
from carelead.people.tests.factories import PersonFactory

NEEDS, RISK, REVIEW = "assessments.needs_assessment", "careplans.risk_assessment", "careplans.plan_review"
ADDRESS = "14 Quillfeather Lane, Ormskirk L39 2ZQ"


def identifiable_person():
    """A person whose home (their care home's address: a Person has no address of its own) and name
    are in the free text of every record below."""
    location = LocationFactory(name="Quillfeather Lodge", address="14 Quillfeather Lane, Ormskirk",
                               postcode="L39 2ZQ")
    return PersonFactory(given_name="Zebedee", family_name="Quillfeather-Ormskirk", date_of_birth=date(1931, 2, 17),
                         location=location)


def identifying(person) -> list[str]:
    """Every way the person could be recognised in text."""
    digits = person.nhs_number
    return ["Zebedee", "Quillfeather", "Ormskirk", digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}", "1931",
            "17 Feb", "17/02", "Lodge", "L39 2ZQ", "Quillfeather Lane"]


def free_text(person) -> str:
    return (f"Zebedee Quillfeather-Ormskirk, NHS {person.nhs_number}, born 17/02/1931, of {ADDRESS}, "
            "Quillfeather Lodge")


def needs_assessment(person, user, completed_on=date(2026, 11, 2)):
    assessment = NeedsAssessmentFactory(person=person, led_by=user, completed_on=completed_on)
    NeedsSectionFactory(assessment=assessment, area=NeedsArea.SKIN, persons_view=free_text(person),
                        needs=free_text(person), tools_used=f"Waterlow 18 for {free_text(person)}")
    return assessment


def risk_assessment(person, user, day=date(2026, 11, 3), **fields):
    text = free_text(person)
    made = RiskAssessmentFactory(person=person, assessed_by=user, title=text[:200], hazard=text, who_is_at_risk=text,
                                 controls=text, person_views=text, **fields)
    RiskAssessment.objects.filter(pk=made.pk).update(
        created_at=timezone.make_aware(datetime(day.year, day.month, day.day, 12)))
    return made


def plan_review(person, user, day=date(2026, 11, 4)):
    text = free_text(person)
    plan = CarePlan.objects.filter(person=person).first() or CarePlanFactory(person=person, summary=text)
    section = CarePlanSectionFactory(plan=plan, area=NeedsArea.SKIN, title=text[:200], outcome=text)
    return CarePlanReviewFactory(plan=plan, section=section, section_title=text[:200], reviewed_by=user,
                                 reviewed_on=day, person_views=text, findings=text, changes_made=text)


def assert_nothing_identifying(text: str, person) -> None:
    for words in identifying(person):
        assert words not in text, words
