"""Care plans, their sections and risk assessments carry their person's location (so the status page
counts by location without joining through people): set when made by a service or a factory, and
filled for rows that existed before the column (careplans 0003, assessments 0006)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carelead.assessments.models import CapacityAssessment, DolsApplication, NeedsArea, NeedsAssessment
from carelead.careplans import plan_services, services
from carelead.careplans.models import CarePlan, CarePlanSection, RiskAssessment
from carelead.careplans.tests.factories import (
    CarePlanFactory, CarePlanSectionFactory, NeedsAssessmentFactory, RiskAssessmentFactory, assessed, risk_fields,
)
from carelead.core.actor import Actor
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory
from carelead.people.tests.factories import PersonFactory
from carelead.reports.tests import factories as status

pytestmark = pytest.mark.django_db


def _lead_and_person():
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    return Actor(user=membership.user), PersonFactory(location=membership.locations.get())


def test_a_plan_built_by_the_service_and_every_section_carry_the_persons_location():
    lead, person = _lead_and_person()
    assessment = assessed(person, **{NeedsArea.SKIN: "Waterlow 16", NeedsArea.MOBILITY_AND_FALLS: "Two falls"})
    plan = plan_services.build_plan(actor=lead, person=person, assessment=assessment)
    plan.refresh_from_db()
    assert plan.location_id == person.location_id
    sections = CarePlanSection.objects.filter(plan=plan)
    assert sections.count() == 2
    assert set(sections.values_list("location", flat=True)) == {person.location_id}


def test_a_section_added_later_carries_the_plans_location():
    lead, person = _lead_and_person()
    plan = plan_services.build_plan(actor=lead, person=person, assessment=assessed(person, **{NeedsArea.SKIN: "Sore"}))
    plan_services.save_section(actor=lead, plan=plan, seen_version=plan.version, title="Falls",
                               area=NeedsArea.MOBILITY_AND_FALLS, assessed_need="Falls at night",
                               outcome="Walk safely", actions=[])
    assert set(CarePlanSection.objects.filter(plan=plan).values_list("location", flat=True)) == {person.location_id}


def test_a_risk_assessment_recorded_by_the_service_carries_the_persons_location():
    membership = MembershipFactory(role=Role.SENIOR_CARER)
    person = PersonFactory(location=membership.locations.get())
    risk = services.create_risk_assessment(actor=Actor(user=membership.user), person=person, **risk_fields())
    assert RiskAssessment.objects.get(pk=risk.pk).location_id == person.location_id


def test_factory_rows_carry_their_persons_location_and_an_explicit_one_is_kept():
    person = PersonFactory()
    rows = [RiskAssessmentFactory(person=person), CarePlanFactory(person=person), NeedsAssessmentFactory(person=person)]
    rows.append(CarePlanSectionFactory(plan=rows[1]))
    for row in rows:
        assert type(row).objects.get(pk=row.pk).location_id == person.location_id, type(row).__name__
    elsewhere = LocationFactory()
    kept = RiskAssessmentFactory(person=person, location=elsewhere)  # as bulk seeding gives it
    assert RiskAssessment.objects.get(pk=kept.pk).location_id == elsewhere.pk


def _located(model, path="person__location"):
    return dict(model.objects.values_list("pk", "location")), dict(model.objects.values_list("pk", path))


@pytest.mark.django_db(transaction=True)
def test_the_migrations_fill_each_existing_record_with_its_persons_location():
    """Rows written before the column existed: migrate both apps back past it and forward again."""
    people = [PersonFactory(), PersonFactory()]
    assert people[0].location_id != people[1].location_id
    for person in people:
        plan = status.plan(person)
        status.section(plan)
        status.section(plan, title="Falls")
        status.risk(person)
        status.needs(person)
        status.capacity(person)
        status.dols_granted(person)
    targets = {"careplans": "0003_location_on_records", "assessments": "0006_location_on_records"}
    executor = MigrationExecutor(connection)
    executor.migrate([("careplans", "0002_care_plans"), ("assessments", "0005_dols_version")])
    with connection.cursor() as cursor:  # the column is gone: nothing is left over to find
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "careplans_careplan")]
    assert "location_id" not in columns
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets.items()))
    for model in (CarePlan, RiskAssessment, NeedsAssessment, CapacityAssessment, DolsApplication):
        locations, persons_locations = _located(model)
        assert len(locations) == 2 and locations == persons_locations, model.__name__
    locations, persons_locations = _located(CarePlanSection, "plan__person__location")
    assert len(locations) == 4 and locations == persons_locations
