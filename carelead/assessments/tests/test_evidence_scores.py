"""Evidence declaration of scoring tools (assessments/evidence.py, `score_source`): a standard tool a
user scored becomes evidence by its name and result band only. Redaction first (no name, NHS number,
date of birth, location, inputs, total or notes), then only the scorer's own records, dates, one query."""

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.assessments import evidence
from carelead.assessments.models import ToolScoreRecord
from carelead.assessments.tools.guidance import categories, guidance
from carelead.core import evidence as registry
from carelead.organisations.tests.factories import LocationFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return PersonFactory(given_name="Zebedee", family_name="Quillfeather-Ormskirk", date_of_birth=date(1931, 2, 17),
                         location=LocationFactory(name="Quillfeather Lodge"))


def free_text(person) -> str:
    return f"Zebedee Quillfeather-Ormskirk, NHS {person.nhs_number}, born 17/02/1931, of 14 Marrowbone Crescent"


def scored(person, user, day, tool="news2", category=None, total="7"):
    return ToolScoreRecord.objects.create(
        person=person, tool=tool, inputs={"note": free_text(person)}, total=total,
        category=category or categories(tool)[-1], scored_by=user, notes=free_text(person),
        scored_at=timezone.make_aware(datetime(day.year, day.month, day.day, 12)))


def test_no_name_nhs_number_date_of_birth_address_inputs_total_or_notes_leak(person):
    user = UserFactory()
    scored(person, user, date(2026, 11, 2), total="13")
    scored(person, user, date(2026, 11, 3), tool="waterlow", category=categories("waterlow")[0], total="18.5")
    digits = person.nhs_number
    for item in evidence.score_source.items_led_by(user) + registry.items_led_by(user):
        for text in ("Zebedee", "Quillfeather", "Ormskirk", digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}", "1931",
                     "17/02", "17 Feb", "Lodge", "Marrowbone", "13", "18.5"):
            assert text not in item.title and text not in item.summary, (text, item)


@pytest.mark.parametrize("tool", ["news2", "must", "waterlow", "braden", "abbey_pain_scale", "four_at"])
def test_summary_is_the_tool_and_its_band(person, tool):
    user = UserFactory()
    band = categories(tool)[0]
    record = scored(person, user, date(2026, 11, 2), tool=tool, category=band)
    (item,) = evidence.score_source.items_led_by(user)
    assert item.record_id == str(record.public_id) and item.occurred_on == date(2026, 11, 2)
    assert item.summary == f"Scored {record.info.name}. Result band: {guidance(tool, band).label}."
    assert item.title == f"Scored a standard tool: {record.info.short_name}"
    assert item.themes == ("Health and wellbeing", "Tasks and responsibilities")


def test_only_the_scorers_records_and_item_is_none_otherwise(person):
    user, other = UserFactory(), UserFactory()
    mine, theirs = scored(person, user, date(2026, 11, 1)), scored(person, other, date(2026, 11, 1))
    assert [item.record_id for item in evidence.score_source.items_led_by(user)] == [str(mine.public_id)]
    assert evidence.score_source.item(user, str(theirs.public_id)) is None
    assert evidence.score_source.item(user, str(uuid.uuid4())) is None
    assert evidence.score_source.item(user, "nonsense") is None
    assert registry.item(user, "assessments.tool_score", str(mine.public_id)).record_id == str(mine.public_id)


def test_date_bounds_are_inclusive_and_newest_comes_first(person):
    user = UserFactory()
    days = [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 16)]
    for day in days:
        scored(person, user, day)
    found = evidence.score_source.items_led_by(user, date(2026, 11, 1), date(2026, 11, 15))
    assert [item.occurred_on for item in found] == [date(2026, 11, 15), date(2026, 11, 1)]
    assert [item.occurred_on for item in evidence.score_source.items_led_by(user)] == sorted(days, reverse=True)


def test_reads_in_one_query(person, django_assert_num_queries):
    user = UserFactory()
    for offset in range(4):
        scored(person, user, date(2026, 11, 1) + timedelta(days=offset))
    with django_assert_num_queries(1):
        assert len(evidence.score_source.items_led_by(user)) == 4
