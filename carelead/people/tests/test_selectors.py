"""Reads of people's records: each starts from the user's locations, never from everyone."""

from datetime import date, datetime

import pytest
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Perm, Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory
from carelead.people import selectors
from carelead.people.models import AboutMe, Contact, PersonStatus
from carelead.people.tests.factories import (
    AboutMeFactory, CommunicationNeedFactory, ContactFactory, PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return MembershipFactory(role=Role.LEAD_PRACTITIONER)


@pytest.fixture
def manager(lead):
    return MembershipFactory(role=Role.REGISTERED_MANAGER, organisation=lead.organisation,
                             locations=[lead.locations.get()])


# --- Scope first -------------------------------------------------------------------------------


def test_person_for_is_404_for_a_person_at_another_location(lead):
    elsewhere = PersonFactory()
    neighbour = PersonFactory(location=LocationFactory(organisation=lead.organisation))
    for person in (elsewhere, neighbour):
        with pytest.raises(Http404):
            selectors.person_for(lead.user, person.public_id)


def test_person_for_is_404_without_the_permission_asked_for(lead):
    person = PersonFactory(location=lead.locations.get())
    assert selectors.person_for(lead.user, person.public_id, perm=Perm.PERSON_EDIT) == person
    with pytest.raises(Http404):
        selectors.person_for(lead.user, person.public_id, perm=Perm.AUDIT_VIEW)


def test_record_for_is_404_unless_the_records_person_is_reachable(lead):
    own = ContactFactory(person=PersonFactory(location=lead.locations.get()))
    assert selectors.record_for(lead.user, Contact, own.public_id, perm=Perm.PERSON_EDIT) == own
    with pytest.raises(Http404):
        selectors.record_for(lead.user, Contact, ContactFactory().public_id)


def test_search_people_never_reaches_beyond_the_users_locations(lead):
    PersonFactory(given_name="Winifred", location=lead.locations.get())
    PersonFactory(given_name="Winifred")
    assert selectors.search_people(lead.user, text="winifred").count() == 1


# --- Searching people --------------------------------------------------------------------------


@pytest.fixture
def people(lead):
    here = lead.locations.get()
    return {
        "win": PersonFactory(location=here, given_name="Winifred", family_name="Oakenshaw", nhs_number="9434765919"),
        "bert": PersonFactory(location=here, given_name="Albert", family_name="Smith", preferred_name="Bertie",
                              status=PersonStatus.IN_HOSPITAL),
        "ann": PersonFactory(location=here, given_name="Ann", family_name="Smithson", nhs_number=""),
    }


@pytest.mark.parametrize(("text", "found"), [
    ("", {"win", "bert", "ann"}),
    ("smith", {"bert", "ann"}),
    ("Albert Smith", {"bert"}),  # every word must match
    ("bertie", {"bert"}),  # preferred name
    ("943", {"win"}),  # the first digits of an NHS number
    ("943 476 5919", {"win"}),
    ("943-476-5919", {"win"}),
    ("12", set()),  # too few digits to mean an NHS number, and no name has them
])
def test_search_people_by_name_preferred_name_or_nhs_number(lead, people, text, found):
    assert set(selectors.search_people(lead.user, text=text)) == {people[key] for key in found}


def test_search_people_filters_by_status_and_location(lead, people):
    assert list(selectors.search_people(lead.user, status=PersonStatus.IN_HOSPITAL)) == [people["bert"]]
    other = LocationFactory(organisation=lead.organisation)
    lead.locations.add(other)
    elsewhere = PersonFactory(location=other)
    assert list(selectors.search_people(lead.user, location=other)) == [elsewhere]


def test_search_people_orders_by_last_then_first_name(lead, people):
    assert [p.family_name for p in selectors.search_people(lead.user)] == ["Oakenshaw", "Smith", "Smithson"]


# --- What a page needs -------------------------------------------------------------------------


def test_person_for_carries_the_communication_needs_flag(lead):
    person = PersonFactory(location=lead.locations.get())
    assert selectors.person_for(lead.user, person.public_id).has_communication_needs is False
    CommunicationNeedFactory(person=person)
    assert selectors.person_for(lead.user, person.public_id).has_communication_needs is True


def test_perms_for_person_are_those_of_the_roles_at_the_persons_location(lead):
    person = PersonFactory(location=lead.locations.get())
    assert Perm.PERSON_EDIT in selectors.perms_for_person(lead.user, person)
    assert Perm.AUDIT_VIEW not in selectors.perms_for_person(lead.user, person)
    # A manager's role at another location of the organisation adds nothing here.
    MembershipFactory(user=lead.user, role=Role.REGISTERED_MANAGER, organisation=lead.organisation)
    assert Perm.AUDIT_VIEW not in selectors.perms_for_person(lead.user, person)


def test_perms_for_person_count_organisation_wide_roles_and_the_audit_grant():
    admin = MembershipFactory(role=Role.ORG_ADMIN, all_locations=True, audit_access=True)
    person = PersonFactory(location=LocationFactory(organisation=admin.organisation))
    perms = selectors.perms_for_person(admin.user, person)
    assert Perm.AUDIT_VIEW in perms and Perm.PERSON_VIEW not in perms


def test_perms_for_person_ignore_ended_memberships(lead):
    person = PersonFactory(location=lead.locations.get())
    lead.ended_at = timezone.now()
    lead.save()
    assert selectors.perms_for_person(lead.user, person) == frozenset()


def test_about_me_of_gives_a_blank_unsaved_one_when_nothing_is_written():
    person = PersonFactory()
    blank = selectors.about_me_of(person)
    assert (blank.pk, blank.version, blank.person) == (None, 1, person)
    written = AboutMeFactory(person=person)
    assert selectors.about_me_of(person) == written
    assert AboutMe.objects.count() == 1


def test_records_of_gives_only_that_persons_records():
    person = PersonFactory()
    own = ContactFactory(person=person)
    ContactFactory()
    assert list(selectors.records_of(person, Contact)) == [own]


# --- The audit trail ---------------------------------------------------------------------------


def event(person, by, when: datetime):
    made = audit.record(Actor(user=by), Action.VIEW, person, person=person)
    QuerySet.update(AuditEvent.objects.filter(pk=made.pk), occurred_at=timezone.make_aware(when))
    return made


def test_audit_events_are_only_those_at_locations_where_the_user_may_see_the_trail(lead, manager):
    here = PersonFactory(location=lead.locations.get())
    elsewhere = PersonFactory()
    mine = event(here, lead.user, datetime(2026, 11, 1, 9, 0))
    event(elsewhere, lead.user, datetime(2026, 11, 1, 9, 0))
    assert list(selectors.search_audit_events(manager.user)) == [mine]
    assert list(selectors.search_audit_events(lead.user)) == []  # no audit.view


def test_audit_dates_are_whole_local_days_inclusive(lead, manager):
    person = PersonFactory(location=lead.locations.get())
    before = event(person, lead.user, datetime(2026, 10, 31, 23, 59, 59))
    first = event(person, lead.user, datetime(2026, 11, 1, 0, 0))
    last = event(person, lead.user, datetime(2026, 11, 2, 23, 59, 59))
    after = event(person, lead.user, datetime(2026, 11, 3, 0, 0))
    found = selectors.search_audit_events(manager.user, date_from=date(2026, 11, 1), date_to=date(2026, 11, 2))
    assert list(found) == [last, first]
    assert before not in found and after not in found


def test_audit_search_by_person_text_and_staff_text(lead, manager):
    win = PersonFactory(location=lead.locations.get(), given_name="Winifred", family_name="Oakenshaw",
                        nhs_number="9434765919")
    bert = PersonFactory(location=lead.locations.get(), given_name="Albert", family_name="Smith")
    lead.user.full_name, lead.user.email = "Chidi Okafor", "chidi@example.org"
    lead.user.save()
    by_lead = event(win, lead.user, datetime(2026, 11, 1, 9, 0))
    event(bert, manager.user, datetime(2026, 11, 1, 9, 0))
    assert list(selectors.search_audit_events(manager.user, person_text="oaken")) == [by_lead]
    assert list(selectors.search_audit_events(manager.user, person_text="943 476 5919")) == [by_lead]
    assert list(selectors.search_audit_events(manager.user, staff="chidi@")) == [by_lead]
    assert list(selectors.search_audit_events(manager.user, staff="chidi okafor")) == [by_lead]
    assert list(selectors.search_audit_events(manager.user, person=bert, staff="chidi")) == []
