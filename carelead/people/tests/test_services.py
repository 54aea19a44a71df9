"""Every write to a person's record: checked, validated, saved and audited in one transaction."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory, OrganisationFactory
from carelead.people import services
from carelead.people.models import (
    DATE_OF_BIRTH_PAST_MESSAGE, AboutMe, Contact, ContactKind, EquipmentItem, Person, PersonStatus,
)
from carelead.people.tests.factories import AboutMeFactory, ContactFactory, EquipmentItemFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return MembershipFactory(role=Role.LEAD_PRACTITIONER)


@pytest.fixture
def actor(lead):
    return Actor(user=lead.user, ip_address="10.0.0.7")


@pytest.fixture
def person(lead):
    return PersonFactory(location=lead.locations.get())


NEW_PERSON = {"given_name": "Winifred", "family_name": "Oakenshaw", "date_of_birth": date(1948, 11, 22)}


# --- Refusals first: nothing written -----------------------------------------------------------


def test_no_one_adds_a_person_at_a_location_they_do_not_work_at(actor):
    with pytest.raises(NotAllowed):
        services.create_person(actor=actor, location=LocationFactory(), **NEW_PERSON)
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_a_care_worker_cannot_add_or_change_a_persons_records(person):
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=person.location.organisation,
                               locations=[person.location])
    actor = Actor(user=worker.user)
    contact = ContactFactory(person=person)
    with pytest.raises(NotAllowed):
        services.create_person(actor=actor, location=person.location, **NEW_PERSON)
    with pytest.raises(NotAllowed):
        services.update_person_profile(actor=actor, person=person, seen_version=1, preferred_name="Peggy")
    with pytest.raises(NotAllowed):
        services.add_person_record(actor=actor, person=person, model=Contact, kind="other", name="X")
    with pytest.raises(NotAllowed):
        services.update_person_record(actor=actor, record=contact, name="Changed")
    with pytest.raises(NotAllowed):
        services.remove_person_record(actor=actor, record=contact)
    contact.refresh_from_db()
    assert contact.name != "Changed" and not AuditEvent.objects.exists()


def test_a_lead_pa_employer_records_only_one_person():
    employer = OrganisationFactory(lead_pa_employer=True)
    home = LocationFactory(organisation=employer)
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER, organisation=employer, locations=[home])
    services.create_person(actor=Actor(user=lead.user), location=home, **NEW_PERSON)
    with pytest.raises(ValidationError) as refused:
        services.create_person(actor=Actor(user=lead.user), location=home, **NEW_PERSON)
    assert refused.value.messages == [services.ONE_PERSON_MESSAGE]
    assert Person.objects.count() == 1 and AuditEvent.objects.count() == 1


def test_a_date_of_birth_in_the_future_is_refused(actor, lead):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.create_person(actor=actor, location=lead.locations.get(), **{**NEW_PERSON, "date_of_birth": tomorrow})
    assert refused.value.message_dict == {"date_of_birth": [DATE_OF_BIRTH_PAST_MESSAGE]}
    assert not Person.objects.exists()


def test_a_stale_profile_edit_is_refused_and_nothing_changes(actor, person):
    services.update_person_profile(actor=actor, person=person, seen_version=1, preferred_name="Peggy")
    stale = Person.objects.get(pk=person.pk)
    stale.version = 1  # as the second editor opened it
    with pytest.raises(StaleEdit):
        services.update_person_profile(actor=actor, person=stale, seen_version=1, preferred_name="Maggie")
    person.refresh_from_db()
    assert (person.preferred_name, person.version) == ("Peggy", 2)
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 1


def test_a_stale_about_me_edit_is_refused(actor, person):
    AboutMeFactory(person=person, version=2)
    with pytest.raises(StaleEdit):
        services.save_about_me(actor=actor, person=person, seen_version=1, wellness="Overwritten")
    assert AboutMe.objects.get(person=person).wellness == ""
    assert not AuditEvent.objects.exists()


# --- Writes that succeed -----------------------------------------------------------------------


def test_adding_a_person_gives_them_an_about_me_and_audits_it(actor, lead):
    person = services.create_person(actor=actor, location=lead.locations.get(), **NEW_PERSON)
    assert AboutMe.objects.filter(person=person).exists()
    event = AuditEvent.objects.get()
    assert (event.action, event.person, event.location, event.ip_address) == (
        Action.CREATE, person, person.location, "10.0.0.7")
    assert event.details == {"fields": ["date_of_birth", "family_name", "given_name"]}


def test_a_profile_change_bumps_the_version_and_audits_the_field_names_only(actor, person):
    services.update_person_profile(actor=actor, person=person, seen_version=1, preferred_name="Peggy",
                                   pronouns="she/her")
    person.refresh_from_db()
    assert person.version == 2
    event = AuditEvent.objects.get()
    assert event.details == {"fields": ["preferred_name", "pronouns"]}
    assert "Peggy" not in str(event.details)


def test_a_profile_save_with_no_changes_writes_nothing(actor, person):
    services.update_person_profile(actor=actor, person=person, seen_version=1, given_name=person.given_name)
    person.refresh_from_db()
    assert person.version == 1 and not AuditEvent.objects.exists()


def test_a_new_status_is_dated_today_unless_a_date_is_given(actor):
    person = PersonFactory(location=actor.user.memberships.get().locations.get(), status_since=date(2020, 1, 1))
    services.update_person_profile(actor=actor, person=person, seen_version=1, status=PersonStatus.IN_HOSPITAL)
    assert person.status_since == timezone.localdate()
    services.update_person_profile(actor=actor, person=person, seen_version=2, status=PersonStatus.ACTIVE,
                                   status_since=date(2026, 11, 20))
    person.refresh_from_db()
    assert (person.status, person.status_since) == (PersonStatus.ACTIVE, date(2026, 11, 20))


def test_about_me_records_who_helped_and_when(actor, lead, person):
    about = services.save_about_me(actor=actor, person=person, seen_version=1, most_important="My garden.")
    assert (about.supported_by_user, about.last_updated_on, about.version) == (lead.user, timezone.localdate(), 2)
    assert AuditEvent.objects.get().details == {"fields": ["most_important"]}


def test_adding_changing_and_removing_a_record_are_each_audited(actor, person):
    contact = services.add_person_record(actor=actor, person=person, model=Contact, kind=ContactKind.ADVOCATE,
                                         name="Pat Advocate")
    services.update_person_record(actor=actor, record=contact, phone="0113 496 0001")
    services.remove_person_record(actor=actor, record=contact)
    assert not Contact.objects.exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        Action.CREATE, Action.UPDATE, Action.DELETE]
    assert all(event.person == person for event in AuditEvent.objects.all())


def test_a_record_breaking_its_rules_is_refused(actor, person):
    with pytest.raises(ValidationError) as refused:
        services.add_person_record(actor=actor, person=person, model=Contact, kind=ContactKind.LPA_HEALTH,
                                   name="Dele Oyelaran")
    assert "lpa_registered_on" in refused.value.message_dict
    item = EquipmentItemFactory(person=person, installed_on=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.update_person_record(actor=actor, record=item, next_service_due=date(2025, 12, 31))
    assert EquipmentItem.objects.get(pk=item.pk).next_service_due is None
    assert not AuditEvent.objects.exists()
