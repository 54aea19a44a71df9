from datetime import timedelta

import factory
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.careplans.models import RiskActivity, RiskAssessment
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
