"""Evidence declaration of the people app (people/evidence.py): About Me records a user supported a
person to write. Redaction first (no name, NHS number, date of birth, address or any of the person's
words, even when the sections hold them), then only the supporter's records, dates, one query, `item`."""

import uuid
from datetime import date, timedelta

import pytest

from carelead.accounts.tests.factories import UserFactory
from carelead.core import evidence as registry
from carelead.organisations.tests.factories import LocationFactory
from carelead.people import evidence
from carelead.people.models import AboutMe
from carelead.people.tests.factories import AboutMeFactory, ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADDRESS = "14 Marrowbone Crescent, Hexthorpe, DN4 0XY"


@pytest.fixture
def person():
    made = PersonFactory(given_name="Zebedee", family_name="Quillfeather-Ormskirk", date_of_birth=date(1931, 2, 17),
                         location=LocationFactory(name="Quillfeather Lodge"))
    ContactFactory(person=made, name="Philippa Quillfeather", address=ADDRESS)
    return made


def identifying(person) -> list[str]:
    digits = person.nhs_number
    return ["Zebedee", "Quillfeather", "Ormskirk", "Philippa", digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}",
            "1931", "17 Feb", "17/02", "Lodge", "Marrowbone", "Hexthorpe", "DN4", "garden", "daughter"]


def free_text(person) -> str:
    return (f"I am Zebedee Quillfeather-Ormskirk, NHS {person.nhs_number}, born 17/02/1931, of {ADDRESS}; "
            "my daughter Philippa and my garden matter most")


def about_me(person, user, day, **sections):
    text = free_text(person)
    sections = sections or {name: text for name in ("most_important", "important_people", "communication")}
    made = AboutMeFactory(person=person, supported_by=f"Philippa Quillfeather ({text})", supported_by_user=user,
                          last_updated_on=day, **{"most_important": "", **sections})
    return made


def assert_redacted(items, person):
    assert items
    for item in items:
        for text in identifying(person):
            assert text.lower() not in item.title.lower() and text.lower() not in item.summary.lower(), (text, item)


def test_no_name_nhs_number_date_of_birth_address_or_words_of_the_person_leak(person):
    user = UserFactory()
    every = {name: free_text(person) for name in AboutMe.SECTIONS}
    about_me(person, user, date(2026, 11, 2), **every)
    assert_redacted(evidence.about_me_source.items_led_by(user), person)
    assert_redacted(registry.items_led_by(user), person)


def test_summary_names_the_filled_sections_by_their_headings(person):
    user = UserFactory()
    made = about_me(person, user, date(2026, 11, 2))
    (item,) = evidence.about_me_source.items_led_by(user)
    assert item.record_id == str(made.public_id) and item.occurred_on == date(2026, 11, 2)
    assert item.title == "Supported a person to write their About Me"
    assert item.summary == ("Supported a person to write their About Me (PRSB About Me) in their own words. 3 of its "
                            "7 sections filled: What is most important to me; People who are important to me; How I "
                            "communicate and how to communicate with me.")
    assert item.themes == ("Communication", "Dignity and human rights")


def test_blank_sections_do_not_count(person):
    user = UserFactory()
    about_me(person, user, date(2026, 11, 2), wellness="   ", do_and_dont="Knock before coming in")
    (item,) = evidence.about_me_source.items_led_by(user)
    assert "1 of its 7 sections filled: Please do and please don't." in item.summary


def test_undated_about_me_is_dated_by_its_last_save(person):
    user = UserFactory()
    made = about_me(person, user, None)
    (item,) = evidence.about_me_source.items_led_by(user)
    assert item.occurred_on == made.updated_at.date()


def test_only_records_the_user_supported_and_item_is_none_otherwise(person):
    user, other = UserFactory(), UserFactory()
    mine = about_me(person, user, date(2026, 11, 1))
    theirs = about_me(PersonFactory(), other, date(2026, 11, 1))
    AboutMeFactory(person=PersonFactory(), supported_by_user=None)
    assert [item.record_id for item in evidence.about_me_source.items_led_by(user)] == [str(mine.public_id)]
    assert evidence.about_me_source.item(user, str(theirs.public_id)) is None
    assert evidence.about_me_source.item(user, str(mine.public_id)).record_id == str(mine.public_id)
    assert evidence.about_me_source.item(user, "nonsense") is None
    assert evidence.about_me_source.item(user, str(uuid.uuid4())) is None
    assert registry.item(user, "people.about_me", str(mine.public_id)).record_id == str(mine.public_id)


def test_date_bounds_are_inclusive_and_newest_comes_first():
    user = UserFactory()
    days = [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 16)]
    for day in days:
        about_me(PersonFactory(), user, day)
    found = evidence.about_me_source.items_led_by(user, date(2026, 11, 1), date(2026, 11, 15))
    assert [item.occurred_on for item in found] == [date(2026, 11, 15), date(2026, 11, 1)]
    assert [item.occurred_on for item in evidence.about_me_source.items_led_by(user)] == sorted(days, reverse=True)


def test_reads_in_one_query(django_assert_num_queries):
    user = UserFactory()
    for offset in range(4):
        about_me(PersonFactory(), user, date(2026, 11, 1) + timedelta(days=offset))
    with django_assert_num_queries(1):
        assert len(evidence.about_me_source.items_led_by(user)) == 4
