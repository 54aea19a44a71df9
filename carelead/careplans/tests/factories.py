from datetime import timedelta

import factory
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.assessments.models import NeedsArea, NeedsAssessment, NeedsAssessmentSection, SupportLevel
from carelead.careplans.models import (
    CarePlan, CarePlanReview, CarePlanSection, RiskActivity, RiskAssessment, SupportAction,
)
from carelead.people.tests.factories import PersonFactory


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    """A current falls risk (high, 4 x 3 = 12) reduced to moderate (2 x 3 = 6), due for review in 90 days."""

    class Meta:
        model = RiskAssessment

    person = factory.SubFactory(PersonFactory)
    activity = RiskActivity.FALLS
    title = "Falls when walking to the bathroom at night"
    hazard = "Unsteady on her feet after waking; rug by the bed"
    who_is_at_risk = "The person"
    likelihood = 4
    severity = 3
    controls = "Sensor mat, rug removed, night light on, walking frame by the bed"
    residual_likelihood = 2
    residual_severity = 3
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    assessed_by = factory.SubFactory(UserFactory)


def risk_fields(**overrides) -> dict:
    """Valid fields for create_risk_assessment."""
    return {
        "activity": RiskActivity.CHOKING, "title": "Choking on food", "hazard": "Dysphagia after a stroke",
        "who_is_at_risk": "The person", "likelihood": 3, "severity": 5, "controls": "IDDSI level 5 diet; supervised meals",
        "residual_likelihood": 1, "residual_severity": 5, "agreed_with_person": True, "person_views": "",
        "review_on": timezone.localdate() + timedelta(days=30), **overrides,
    }


# --- Care and support plans (issue 4) --------------------------------------------------------


class NeedsAssessmentFactory(factory.django.DjangoModelFactory):
    """A completed needs assessment (no sections: add them with NeedsSectionFactory or `assessed`)."""

    class Meta:
        model = NeedsAssessment

    person = factory.SubFactory(PersonFactory)
    led_by = factory.SubFactory(UserFactory)
    status = NeedsAssessment.Status.COMPLETED
    completed_on = factory.LazyFunction(timezone.localdate)


class NeedsSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsAssessmentSection

    assessment = factory.SubFactory(NeedsAssessmentFactory)
    area = NeedsArea.SKIN
    persons_view = "I want my skin to stay healthy and not be sore"
    strengths = "Moves position in bed when reminded"
    needs = "Waterlow 16: at risk of pressure damage to heels and sacrum"
    support_level = SupportLevel.SOME_HELP


def assessed(person, **areas) -> NeedsAssessment:
    """A completed assessment of `person` with one section per area given as area=needs ("" = no needs)."""
    assessment = NeedsAssessmentFactory(person=person)
    for area, needs in areas.items():
        NeedsSectionFactory(assessment=assessment, area=area, needs=needs,
                            persons_view=f"My words about {area.replace('_', ' ')}")
    return assessment


class CarePlanFactory(factory.django.DjangoModelFactory):
    """An active plan at version 1, not yet approved, reviewed every 28 days (no CarePlanVersion row:
    plans built through plan_services have one)."""

    class Meta:
        model = CarePlan

    person = factory.SubFactory(PersonFactory)
    summary = "Staying in touch with her daughter and keeping her garden"
    person_involvement = "Talked it through with her in her room"
    review_interval_days = 28
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=28))
    created_by = factory.SubFactory(UserFactory)


class CarePlanSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlanSection

    plan = factory.SubFactory(CarePlanFactory)
    area = NeedsArea.SKIN
    title = "Skin"
    assessed_need = "At risk of pressure damage to heels"
    strengths = "Moves in bed when reminded"
    outcome = "I don't want to get sore again"
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=28))
    position = factory.Sequence(lambda n: n)


class SupportActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportAction

    section = factory.SubFactory(CarePlanSectionFactory)
    what = "Help to change position"
    who = "Care workers"
    when = "Every 4 hours at night"
    how = "Ask first; she likes to lie on her left side"
    position = factory.Sequence(lambda n: n)


class CarePlanReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlanReview

    plan = factory.SubFactory(CarePlanFactory)
    reviewed_by = factory.SubFactory(UserFactory)
    findings = "Skin intact; support working"
    next_review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=28))
    plan_version = 1


def action_rows(*rows: dict) -> list[dict]:
    """Support action rows for plan_services.save_section, defaults filled in."""
    base = {"what": "Help to wash", "who": "Care workers", "when": "Each morning", "how": ""}
    return [{**base, **row} for row in rows] if rows else [dict(base)]
