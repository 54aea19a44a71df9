"""The people forms: parsing and messages. They never save; services do."""

from copy import copy
from datetime import date, timedelta

import pytest
from django.utils import timezone

from carelead.organisations.models import Location
from carelead.organisations.tests.factories import LocationFactory
from carelead.people import rules
from carelead.people.forms import (
    DATE_RANGE_MESSAGE, VERSION_MESSAGE, AboutMeForm, AuditFilterForm, ConsentRecordForm, ContactForm, PersonForm,
    PersonProfileForm,
)
from carelead.people.models import DATE_OF_BIRTH_PAST_MESSAGE, Person, PersonStatus
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def date_parts(prefix, day):
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def person_form(location, **overrides):
    data = {"location": str(location.public_id), "given_name": "Winifred", "family_name": "Oakenshaw",
            **date_parts("date_of_birth", date(1948, 11, 22)), "nhs_number": "", **date_parts("support_started_on", None)}
    data.update(overrides)
    return PersonForm(data, locations=Location.objects.filter(pk=location.pk))


def profile_form(person, **overrides):
    data = {"version": person.version, "given_name": person.given_name, "family_name": person.family_name,
            **date_parts("date_of_birth", person.date_of_birth), "nhs_number": person.nhs_number,
            "status": person.status, **date_parts("status_since", person.status_since),
            **date_parts("support_started_on", None)}
    data.update(overrides)
    return PersonProfileForm(data, instance=copy(person))


@pytest.mark.parametrize(("typed", "saved"), [
    ("9434765919", "9434765919"),
    ("943 476 5919", "9434765919"),
    (" 943-476-5919 ", "9434765919"),
    ("", ""),
])
def test_an_nhs_number_is_saved_as_digits_whichever_way_it_is_typed(typed, saved):
    form = person_form(LocationFactory(), nhs_number=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nhs_number"] == saved


@pytest.mark.parametrize("typed", ["9434765918", "943476591", "94347659190", "943476591A", "943 476 591 9 0", "9434 7659 1912 3456 789"])
def test_an_invalid_nhs_number_gets_the_one_message(typed):
    form = person_form(LocationFactory(), nhs_number=typed)
    assert not form.is_valid()
    assert form.errors["nhs_number"] == [rules.NHS_NUMBER_MESSAGE]


@pytest.mark.parametrize(("born", "valid"), [(-1, True), (0, False), (1, False)])
def test_a_date_of_birth_must_be_before_today(born, valid):
    form = person_form(LocationFactory(), **date_parts("date_of_birth", timezone.localdate() + timedelta(days=born)))
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["date_of_birth"] == [DATE_OF_BIRTH_PAST_MESSAGE]


@pytest.mark.parametrize(("parts", "message"), [
    (("", "", ""), "Enter date of birth"),
    (("31", "2", "1948"), "Date of birth must be a real date"),
    (("22", "", "1948"), "Date of birth must include a day, month and year"),
])
def test_date_of_birth_messages_follow_the_nhs_date_input_pattern(parts, message):
    data = {f"date_of_birth_{i}": part for i, part in enumerate(parts)}
    form = person_form(LocationFactory(), **data)
    assert form.errors["date_of_birth"] == [message]


def test_the_location_must_be_one_offered():
    offered, other = LocationFactory(), LocationFactory()
    form = PersonForm({"location": str(other.public_id)}, locations=Location.objects.filter(pk=offered.pk))
    assert not form.is_valid()
    assert "location" in form.errors


def test_the_profile_form_does_not_change_the_person_it_was_given():
    person = PersonFactory(preferred_name="")
    form = profile_form(person, preferred_name="Peggy")
    assert form.is_valid(), form.errors
    assert person.preferred_name == ""  # the view passes a copy; the service compares against the original
    assert form.changes()["preferred_name"] == "Peggy"


def test_the_profile_form_carries_the_version_it_was_opened_at():
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(version=4)
    person.refresh_from_db()
    assert PersonProfileForm(instance=person)["version"].value() == 4
    form = profile_form(person, version="")
    assert not form.is_valid()
    assert form.errors["version"] == [VERSION_MESSAGE]


def test_a_new_status_with_the_old_date_takes_todays_date():
    person = PersonFactory(status=PersonStatus.ACTIVE, status_since=date(2020, 1, 1))
    form = profile_form(person, status=PersonStatus.IN_HOSPITAL)
    assert form.is_valid(), form.errors
    assert "status_since" not in form.changes()  # so the service dates the change today


def test_a_new_status_with_a_new_date_keeps_it():
    person = PersonFactory(status=PersonStatus.ACTIVE, status_since=date(2020, 1, 1))
    form = profile_form(person, status=PersonStatus.DIED, **date_parts("status_since", date(2026, 11, 1)))
    assert form.is_valid(), form.errors
    assert form.changes()["status_since"] == date(2026, 11, 1)


def test_a_blank_status_date_leaves_the_date_to_the_service():
    person = PersonFactory()
    form = profile_form(person, **date_parts("status_since", None))
    assert form.is_valid(), form.errors
    assert "status_since" not in form.changes()


def test_status_radios_offer_the_four_statuses_and_no_blank():
    assert [value for value, _ in PersonProfileForm().fields["status"].choices] == [
        "active", "in_hospital", "moved_on", "died"]


def test_consent_radios_have_no_blank_choice():
    form = ConsentRecordForm()
    for name in ("decision", "given_by", "capacity"):
        assert "" not in [value for value, _ in form.fields[name].choices], name


def test_a_lasting_power_of_attorney_needs_its_registration_date():
    form = ContactForm({"kind": "lpa_property", "name": "Dele Oyelaran", **date_parts("lpa_registered_on", None)})
    assert not form.is_valid()
    assert form.errors["lpa_registered_on"] == ["Enter the date the lasting power of attorney was registered"]


def test_only_a_lasting_power_of_attorney_has_a_registration_date():
    form = ContactForm({"kind": "next_of_kin", "name": "Dele Oyelaran",
                        **date_parts("lpa_registered_on", date(2021, 3, 15))})
    assert form.errors["lpa_registered_on"] == ["Only a lasting power of attorney has a registration date"]


def test_about_me_offers_the_seven_sections_and_who_helped():
    assert list(AboutMeForm().fields) == [
        "most_important", "important_people", "communication", "wellness", "do_and_dont", "how_to_support",
        "also_worth_knowing", "supported_by", "version",
    ]


def test_required_messages_are_in_the_nhs_voice():
    form = ContactForm({"kind": "", "name": ""})
    assert form.errors["kind"] == ["Select type of contact"]
    assert form.errors["name"] == ["Enter the contact's name"]


def test_audit_filters_are_all_optional_and_give_the_selectors_arguments():
    form = AuditFilterForm({"person": "oyelaran", **date_parts("date_from", date(2026, 11, 1))})
    assert form.filters() == {"person_text": "oyelaran", "staff": "", "date_from": date(2026, 11, 1), "date_to": None}
    assert AuditFilterForm({}).filters() == {"person_text": "", "staff": "", "date_from": None, "date_to": None}


@pytest.mark.parametrize(("start", "end", "valid"), [
    (date(2026, 11, 1), date(2026, 11, 1), True),  # one day
    (date(2026, 11, 2), date(2026, 11, 1), False),
])
def test_the_audit_date_range_must_not_run_backwards(start, end, valid):
    form = AuditFilterForm({**date_parts("date_from", start), **date_parts("date_to", end)})
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["date_to"] == [DATE_RANGE_MESSAGE]
        assert form.filters() == {}
