"""Needs assessments, capacity assessments and DoLS applications carry their person's location (so
the status page counts by location without joining through people), set when a service records them.
The migration that filled existing rows is tested in careplans/tests/test_location.py."""

import pytest

from carelead.assessments import dols_services, services
from carelead.assessments.models import CapacityAssessment, DolsApplication, NeedsAssessment
from carelead.assessments.tests.helpers import actor
from carelead.assessments.tests.test_dols import fields as dols_fields
from carelead.assessments.tests.test_mca import LACKS

pytestmark = pytest.mark.django_db


def test_each_assessment_recorded_by_a_service_carries_the_persons_location(lead):
    person = lead.person
    made = [
        services.start_needs_assessment(actor=actor(lead), person=person),
        services.record_capacity_assessment(actor=actor(lead), person=person, **LACKS),
        dols_services.record_dols_application(actor=actor(lead), person=person, **dols_fields()),
    ]
    assert [type(row) for row in made] == [NeedsAssessment, CapacityAssessment, DolsApplication]
    for row in made:
        assert type(row).objects.get(pk=row.pk).location_id == person.location_id, type(row).__name__
