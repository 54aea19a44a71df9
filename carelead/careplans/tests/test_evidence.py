"""Evidence declarations of the careplans app (careplans/evidence.py): redaction first (no name, NHS
number, date of birth or location name, even in the free text), then only the leader's records,
date bounds, newest first, one query, and `item`."""

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.assessments.models import NeedsArea
from carelead.careplans import evidence
from carelead.careplans.models import CarePlan, RiskActivity, RiskAssessment
from carelead.careplans.tests.factories import (
    CarePlanFactory, CarePlanReviewFactory, CarePlanSectionFactory, RiskAssessmentFactory,
)
from carelead.organisations.tests.factories import LocationFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return PersonFactory(given_name="Zebedee", family_name="Quillfeather-Ormskirk", date_of_birth=date(1931, 2, 17),
                         location=LocationFactory(name="Quillfeather Lodge"))


def identifying(person) -> list[str]:
    digits = person.nhs_number
    return ["Zebedee", "Quillfeather", "Ormskirk", digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}",
            "1931", "17 Feb", "17/02", "Lodge"]


def free_text(person) -> str:
    return f"Zebedee Quillfeather-Ormskirk, NHS {person.nhs_number}, born 17/02/1931, of Quillfeather Lodge"


def assert_redacted(items, person):
    assert items
    for item in items:
        for text in identifying(person):
            assert text not in item.title and text not in item.summary, (text, item.summary)


def risk(person, user, day, **fields):
    text = free_text(person)
    made = RiskAssessmentFactory(person=person, assessed_by=user, title=text[:200], hazard=text,
                                 who_is_at_risk=text, controls=text, person_views=text, **fields)
    RiskAssessment.objects.filter(pk=made.pk).update(
        created_at=timezone.make_aware(datetime(day.year, day.month, day.day, 12)))
    return made


def review(person, user, day, *, section=True, **fields):
    text = free_text(person)
    plan = CarePlan.objects.filter(person=person).first() or CarePlanFactory(person=person, summary=text)
    part = CarePlanSectionFactory(plan=plan, area=NeedsArea.SKIN, title=text[:200], outcome=text) if section else None
    return CarePlanReviewFactory(plan=plan, section=part, section_title=text[:200] if section else "",
                                 reviewed_by=user, reviewed_on=day, person_views=text, findings=text, **fields)


def test_risk_summary_keeps_only_the_activity_ratings_and_agreement(person):
    user = UserFactory()
    made = risk(person, user, date(2026, 11, 2), agreed_with_person=True)
    (item,) = evidence.risk_source.items_led_by(user)
    assert_redacted([item], person)
    assert item.record_id == str(made.public_id) and item.occurred_on == date(2026, 11, 2)
    assert item.summary == ("Risk assessment on the 5 x 5 likelihood and severity matrix. Activity: Falls. Risk "
                            "before controls: High (12); with the controls in place: Moderate (6). Agreed with the "
                            "person: yes.")


def test_review_summary_names_the_area_not_the_section_title(person):
    user = UserFactory()
    review(person, user, date(2026, 11, 3), person_involved=True, changes_made=free_text(person))
    (item,) = evidence.review_source.items_led_by(user)
    assert_redacted([item], person)
    assert item.summary == ("Reviewed the skin section of a care and support plan. The person took part: yes. "
                            "Changes made to the plan: yes.")
    assert item.themes == ("Tasks and responsibilities", "Dignity and human rights")


def test_a_whole_plan_review_and_a_removed_section(person):
    user = UserFactory()
    whole = review(person, user, date(2026, 11, 3), section=False)
    removed = review(person, user, date(2026, 11, 4))
    removed.section.delete()
    found = {item.record_id: item.summary for item in evidence.review_source.items_led_by(user)}
    assert found[str(whole.public_id)].startswith("Reviewed a whole care and support plan. The person took part: no.")
    assert found[str(removed.public_id)].startswith("Reviewed a section of a care and support plan (since removed).")
    assert_redacted(evidence.review_source.items_led_by(user), person)


def test_only_the_leaders_records_and_item_is_none_otherwise(person):
    user, other = UserFactory(), UserFactory()
    mine, theirs = risk(person, user, date(2026, 11, 1)), risk(person, other, date(2026, 11, 1))
    assert [item.record_id for item in evidence.risk_source.items_led_by(user)] == [str(mine.public_id)]
    assert evidence.risk_source.item(user, str(theirs.public_id)) is None
    assert evidence.risk_source.item(user, str(mine.public_id)).record_id == str(mine.public_id)
    assert evidence.risk_source.item(user, "nonsense") is None
    their_review = review(person, other, date(2026, 11, 1))
    assert evidence.review_source.item(user, str(their_review.public_id)) is None
    assert evidence.review_source.item(user, str(uuid.uuid4())) is None


@pytest.mark.parametrize("source", ["risk", "review"])
def test_date_bounds_are_inclusive_and_newest_comes_first(person, source):
    user = UserFactory()
    days = [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 16)]
    for day in days:
        (risk if source == "risk" else review)(person, user, day)
    declared = getattr(evidence, f"{source}_source")
    found = declared.items_led_by(user, date(2026, 11, 1), date(2026, 11, 15))
    assert [item.occurred_on for item in found] == [date(2026, 11, 15), date(2026, 11, 1)]
    assert [item.occurred_on for item in declared.items_led_by(user)] == sorted(days, reverse=True)


@pytest.mark.parametrize("source", ["risk", "review"])
def test_each_source_reads_in_one_query(person, source, django_assert_num_queries):
    user = UserFactory()
    for offset in range(4):
        day = date(2026, 11, 1) + timedelta(days=offset)
        risk(person, user, day, activity=RiskActivity.CHOKING)
        review(person, user, day)
    with django_assert_num_queries(1):
        assert len(list(getattr(evidence, f"{source}_source").items_led_by(user))) == 4
