"""Evidence declarations of the assessments app (assessments/evidence.py): redaction first (no name,
NHS number, date of birth or location name of the person, even when the free text holds them),
then only the leader's records, date bounds, newest first, one query, and `item`."""

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.assessments import evidence
from carelead.assessments.models import BestInterestsDecision, CapacityAssessment, NeedsArea
from carelead.careplans.tests.factories import NeedsAssessmentFactory, NeedsSectionFactory
from carelead.core import evidence as registry
from carelead.organisations.tests.factories import LocationFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DOB = date(1931, 2, 17)


@pytest.fixture
def person():
    location = LocationFactory(name="Quillfeather Lodge")
    return PersonFactory(given_name="Zebedee", family_name="Quillfeather-Ormskirk", date_of_birth=DOB,
                         location=location)


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


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def needs(person, user, completed_on, **section):
    assessment = NeedsAssessmentFactory(person=person, led_by=user, completed_on=completed_on)
    NeedsSectionFactory(assessment=assessment, area=NeedsArea.SKIN, persons_view=free_text(person),
                        needs=free_text(person), tools_used=f"Waterlow 18 and MUST 2 for {free_text(person)}",
                        **section)
    NeedsSectionFactory(assessment=assessment, area=NeedsArea.MOBILITY_AND_FALLS, strengths=free_text(person),
                        tools_used="")
    return assessment


def capacity(person, user, day, **fields):
    text = free_text(person)
    return CapacityAssessment.objects.create(
        person=person, decision=f"Whether {text} should move", assessed_at=at(day), assessor=user,
        practicable_steps=text, can_understand=False, understand_evidence=text, can_retain=True,
        can_use_or_weigh=True, can_communicate=True, impairment_present=True, impairment_evidence=text,
        causal_link=True, causal_link_evidence=text, outcome=CapacityAssessment.Outcome.LACKS_CAPACITY, **fields)


def best_interests(assessment, user, day):
    text = free_text(assessment.person)
    return BestInterestsDecision.objects.create(
        capacity_assessment=assessment, decided_at=at(day), decision_maker=user, persons_wishes_and_feelings=text,
        beliefs_and_values=text, consultees=text, options_considered=text, least_restrictive_rationale=text,
        decision=text, participation=text)


# --- Redaction ---------------------------------------------------------------------------------


def test_needs_assessment_summary_keeps_only_structure(person):
    user = UserFactory()
    needs(person, user, date(2026, 11, 2))
    (item,) = evidence.needs_source.items_led_by(user)
    assert_redacted([item], person)
    assert item.title == "Led a holistic needs assessment"
    assert item.summary == ("Holistic needs assessment in a care home setting, covering 2 areas: Mobility and "
                            "falls, Skin. Standard tools used: MUST, Waterlow.")
    assert item.themes == ("Tasks and responsibilities", "Health and wellbeing")
    assert item.occurred_on == date(2026, 11, 2) and item.led_by_id == user.pk


def test_a_tool_is_named_only_by_its_name_and_must_in_a_sentence_is_not_a_tool():
    assert evidence._tool_names(["She must be turned", "waterlow 12", "PH-FRAT done", "news2"]) == [
        "Waterlow", "PH-FRAT"]


def test_capacity_assessment_summary_keeps_only_the_answers_and_outcome(person):
    user = UserFactory()
    assessment = capacity(person, user, date(2026, 11, 3))
    best_interests(assessment, user, date(2026, 11, 4))
    (item,) = evidence.capacity_source.items_led_by(user)
    assert_redacted([item], person)
    assert "should move" not in item.summary
    assert item.title == "Assessed mental capacity for a specific decision"
    assert ("Able to understand the information: no; able to retain it: yes; able to use or weigh it: yes; "
            "able to communicate the decision: yes.") in item.summary
    assert "found to lack capacity for the specific decision" in item.summary
    assert "Best-interests decision followed: yes" in item.summary
    assert item.themes == ("Dignity and human rights", "Safeguarding")


def test_best_interests_summary_says_what_was_recorded_not_what(person):
    user = UserFactory()
    decision = best_interests(capacity(person, UserFactory(), date(2026, 11, 3)), user, date(2026, 11, 4))
    (item,) = evidence.best_interests_source.items_led_by(user)
    assert_redacted([item], person)
    assert item.record_id == str(decision.public_id) and item.title == "Made a best-interests decision"
    assert "others consulted (yes)" in item.summary


# --- Whose, when, how many queries -------------------------------------------------------------


def test_only_the_leaders_records_and_item_is_none_otherwise(person):
    user, other = UserFactory(), UserFactory()
    mine, theirs = needs(person, user, date(2026, 11, 1)), needs(person, other, date(2026, 11, 1))
    assert [item.record_id for item in evidence.needs_source.items_led_by(user)] == [str(mine.public_id)]
    assert evidence.needs_source.item(user, str(mine.public_id)).record_id == str(mine.public_id)
    assert evidence.needs_source.item(user, str(theirs.public_id)) is None
    assert evidence.needs_source.item(user, str(uuid.uuid4())) is None
    assert evidence.needs_source.item(user, "not-an-id") is None
    assert registry.item(user, "assessments.needs_assessment", str(mine.public_id)) is not None
    assessment = capacity(person, other, date(2026, 11, 1))
    assert evidence.capacity_source.item(user, str(assessment.public_id)) is None
    assert evidence.best_interests_source.item(user, str(assessment.public_id)) is None


def test_a_draft_needs_assessment_is_not_evidence(person):
    user = UserFactory()
    draft = needs(person, user, None)
    draft.status = "draft"
    draft.save()
    assert list(evidence.needs_source.items_led_by(user)) == []


@pytest.mark.parametrize("source", ["needs", "capacity", "best_interests"])
def test_date_bounds_are_inclusive_and_newest_comes_first(person, source):
    user = UserFactory()
    days = [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 16)]
    for day in days:
        if source == "needs":
            needs(person, user, day)
        elif source == "capacity":
            capacity(person, user, day)
        else:
            best_interests(capacity(person, UserFactory(), day), user, day)
    declared = getattr(evidence, f"{source}_source")
    found = declared.items_led_by(user, date(2026, 11, 1), date(2026, 11, 15))
    assert [item.occurred_on for item in found] == [date(2026, 11, 15), date(2026, 11, 1)]
    assert [item.occurred_on for item in declared.items_led_by(user)] == sorted(days, reverse=True)


@pytest.mark.parametrize("source", ["needs", "capacity", "best_interests"])
def test_each_source_reads_in_one_query(person, source, django_assert_num_queries):
    user = UserFactory()
    for offset in range(4):
        day = date(2026, 11, 1) + timedelta(days=offset)
        needs(person, user, day)
        best_interests(capacity(person, user, day), user, day)
    with django_assert_num_queries(1):
        assert len(list(getattr(evidence, f"{source}_source").items_led_by(user))) == 4
