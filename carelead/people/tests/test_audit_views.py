"""Who has seen a person's record: who may look, what they see, and that looking is recorded."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory
from carelead.people.audit_views import CSV_HEADER, part_of_record
from carelead.people.forms import DATE_RANGE_MESSAGE
from carelead.people.tests.factories import ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"people:{name}", args=args)


def seen(person, by, *, at=None, action=Action.VIEW, obj=None, ip="10.1.2.3", **details):
    """An event in the trail: `by` did `action` to the person's record, at `at` (local time)."""
    event = audit.record(Actor(user=by, ip_address=ip), action, obj or person, person=person, details=details)
    if at is not None:
        backdate(event, timezone.make_aware(at))
    return event


def backdate(event, when):
    """Move an event into the past. The trail refuses updates, so go round its queryset, in tests only."""
    QuerySet.update(AuditEvent.objects.filter(pk=event.pk), occurred_at=when)


def date_parts(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


@pytest.fixture
def manager():
    return MembershipFactory(role=Role.REGISTERED_MANAGER)


@pytest.fixture
def person(manager):
    return PersonFactory(location=manager.locations.get(), given_name="Margaret", family_name="Oyelaran",
                         nhs_number="9434765919")


@pytest.fixture
def carer(manager, person):
    membership = MembershipFactory(role=Role.CARE_WORKER, organisation=manager.organisation,
                                   locations=[person.location])
    membership.user.full_name = "Chidi Okafor"
    membership.user.email = "chidi@example.org"
    membership.user.save()
    return membership


# --- Negative first ----------------------------------------------------------------------------


def test_an_org_admin_without_the_audit_grant_cannot_see_the_trail(sign_in, manager, person):
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=manager.organisation, all_locations=True)
    client = sign_in(admin)
    before = AuditEvent.objects.count()
    assert client.get(url("audit-search")).status_code == 403
    assert client.get(url("audit-export")).status_code == 403
    assert client.get(url("person-audit", person.public_id)).status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.SENIOR_CARER, Role.LEAD_PRACTITIONER,
                                  Role.SAFEGUARDING_LEAD])
def test_care_roles_cannot_see_the_trail(sign_in, manager, person, role):
    member = MembershipFactory(role=role, organisation=manager.organisation, locations=[person.location])
    client = sign_in(member)
    assert client.get(url("audit-search")).status_code == 403
    assert client.get(url("person-audit", person.public_id)).status_code == 404


def test_a_manager_gets_404_for_the_trail_of_a_person_elsewhere(sign_in, manager, person):
    stranger = PersonFactory()
    neighbour = PersonFactory(location=LocationFactory(organisation=manager.organisation))
    client = sign_in(manager)
    before = AuditEvent.objects.count()
    for other in (stranger, neighbour):
        assert client.get(url("person-audit", other.public_id)).status_code == 404
        assert client.get(url("audit-export"), {"person_id": str(other.public_id)}).status_code == 404
    assert client.get(url("audit-export"), {"person_id": "not-a-uuid"}).status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_search_never_shows_events_about_people_elsewhere(sign_in, manager, person, carer):
    stranger = PersonFactory(given_name="Stranger", family_name="Elsewhere")
    seen(stranger, carer.user)
    seen(person, carer.user)
    page = sign_in(manager).get(url("audit-search")).content.decode()
    assert "Margaret Oyelaran" in page
    assert "Elsewhere" not in page


# --- Who may see the trail ---------------------------------------------------------------------


def test_a_registered_manager_sees_who_has_seen_the_record(sign_in, manager, person, carer):
    seen(person, carer.user, at=datetime(2026, 11, 22, 14, 5), tab="contacts")
    response = sign_in(manager).get(url("person-audit", person.public_id))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chidi Okafor" in page and "chidi@example.org" in page
    assert "22 Nov 2026,</span> 14:05" in page
    assert "10.1.2.3" in page
    assert "Contacts tab" in page and "Viewed" in page


def test_an_org_admin_with_the_audit_grant_sees_the_trail_but_not_the_record(sign_in, manager, person, carer):
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=manager.organisation, all_locations=True,
                              audit_access=True)
    seen(person, carer.user)
    client = sign_in(admin)
    page = client.get(url("person-audit", person.public_id)).content.decode()
    assert "Chidi Okafor" in page
    assert url("contacts", person.public_id) not in page  # only the audit tab is offered
    assert client.get(url("person-detail", person.public_id)).status_code == 404
    assert client.get(url("audit-search")).status_code == 200


def test_looking_at_a_persons_trail_is_itself_recorded(sign_in, manager, person):
    client = sign_in(manager)
    before = AuditEvent.objects.count()
    client.get(url("person-audit", person.public_id))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.person, event.actor, event.details) == (
        Action.VIEW, person, manager.user, {"tab": "audit"})
    # and the next look shows the last one
    assert "Who has seen this record tab" in client.get(url("person-audit", person.public_id)).content.decode()


def test_the_trail_filters_by_staff_member_and_dates_inclusive(sign_in, manager, person, carer):
    other = MembershipFactory(role=Role.CARE_WORKER, organisation=manager.organisation, locations=[person.location])
    seen(person, carer.user, at=datetime(2026, 11, 1, 0, 0), tab="profile")
    seen(person, carer.user, at=datetime(2026, 11, 3, 23, 59), tab="consent")
    seen(person, carer.user, at=datetime(2026, 11, 4, 0, 0), tab="equipment")
    seen(person, other.user, at=datetime(2026, 11, 2, 12, 0), tab="contacts")
    query = {"staff": "chidi", **date_parts("date_from", date(2026, 11, 1)), **date_parts("date_to", date(2026, 11, 3))}
    page = sign_in(manager).get(url("person-audit", person.public_id), query).content.decode()
    assert "Profile tab" in page and "Consent tab" in page
    assert "Equipment tab" not in page and "Contacts tab" not in page


@pytest.mark.parametrize("name", ["person-audit", "audit-search", "audit-export"])
def test_a_backwards_date_range_is_an_error_and_shows_no_events(sign_in, manager, person, carer, name):
    seen(person, carer.user)
    query = {**date_parts("date_from", date(2026, 11, 3)), **date_parts("date_to", date(2026, 11, 1))}
    args = [person.public_id] if name == "person-audit" else []
    response = sign_in(manager).get(url(name, *args), query)
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f'<a href="#id_date_to_0">{DATE_RANGE_MESSAGE}</a>' in page
    assert "Chidi Okafor" not in page
    assert not AuditEvent.objects.filter(action__in=[Action.LIST, Action.EXPORT]).exists()


def test_the_trail_is_paginated_by_50(sign_in, manager, person, carer):
    for _ in range(50):
        seen(person, carer.user)
    page = sign_in(manager).get(url("person-audit", person.public_id)).content.decode()
    assert "Page 2 of 2" in page  # 50 events plus this look
    assert page.count('<tr class="nhsuk-table__row">') == 51  # header row + 50


# --- The audit search --------------------------------------------------------------------------


def test_the_search_finds_events_by_person_name_or_nhs_number(sign_in, manager, person, carer):
    other = PersonFactory(location=person.location, given_name="Albert", family_name="Smith", nhs_number="")
    seen(person, carer.user)
    seen(other, carer.user)
    client = sign_in(manager)
    for text in ("oyelaran", "943 476 5919", "Margaret Oyel"):
        page = client.get(url("audit-search"), {"person": text}).content.decode()
        assert "Margaret Oyelaran" in page and "Albert Smith" not in page, text


def test_the_search_finds_events_by_staff_name_or_email(sign_in, manager, person, carer):
    other = MembershipFactory(role=Role.CARE_WORKER, organisation=manager.organisation, locations=[person.location])
    other.user.full_name = "Beatrix Potter"
    other.user.save()
    seen(person, carer.user)
    seen(person, other.user)
    client = sign_in(manager)
    for text in ("chidi@example", "Okafor"):
        page = client.get(url("audit-search"), {"staff": text}).content.decode()
        assert "Chidi Okafor" in page and "Beatrix Potter" not in page, text


def test_the_search_is_recorded_with_the_events_shown(sign_in, manager, person, carer):
    shown = seen(person, carer.user)
    client = sign_in(manager)
    before = AuditEvent.objects.count()
    client.get(url("audit-search"), {"staff": "chidi"})
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.subject) == (Action.LIST, "core.AuditEvent")
    assert event.details == {"ids": [str(shown.pk)], "filters": {"staff": "chidi"}}


def test_audit_search_queries_do_not_grow_with_events(sign_in, manager, person, carer, django_assert_num_queries):
    client = sign_in(manager)
    people = [person, *PersonFactory.create_batch(3, location=person.location)]
    for someone in people:
        seen(someone, carer.user, obj=ContactFactory(person=someone), fields=["name"])
    client.get(url("audit-search"))
    with CaptureQueriesContext(connection) as captured:
        client.get(url("audit-search"))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for someone in PersonFactory.create_batch(30, location=person.location):
        seen(someone, MembershipFactory(role=Role.CARE_WORKER, organisation=manager.organisation).user)
    with django_assert_num_queries(few):
        client.get(url("audit-search"))


def test_person_audit_queries_do_not_grow_with_events(sign_in, manager, person, carer, django_assert_num_queries):
    client = sign_in(manager)
    seen(person, carer.user)
    client.get(url("person-audit", person.public_id))
    with CaptureQueriesContext(connection) as captured:
        client.get(url("person-audit", person.public_id))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for _ in range(30):
        seen(person, MembershipFactory(role=Role.CARE_WORKER, organisation=manager.organisation).user)
    with django_assert_num_queries(few):
        client.get(url("person-audit", person.public_id))


# --- The CSV export ----------------------------------------------------------------------------


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_is_a_csv_of_the_filtered_events(sign_in, manager, person, carer):
    contact = ContactFactory(person=person)
    seen(person, carer.user, at=datetime(2026, 11, 22, 14, 5), action=Action.UPDATE, obj=contact,
         fields=["name", "phone"])
    seen(PersonFactory(location=person.location), carer.user)  # someone else: filtered out
    response = sign_in(manager).get(url("audit-export"), {"person": "oyelaran"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="carelead-audit-')
    rows = rows_of(response)
    assert rows == [CSV_HEADER, [
        "2026-11-22T14:05:00+00:00", "Chidi Okafor", "chidi@example.org", "Changed", "Margaret Oyelaran",
        "943 476 5919", "Contact", "Fields: name, phone", "10.1.2.3", "web",
    ]]


def test_the_export_is_recorded_with_its_filters(sign_in, manager, person, carer):
    seen(person, carer.user)
    client = sign_in(manager)
    before = AuditEvent.objects.count()
    rows_of(client.get(url("audit-export"), {"staff": "chidi", **date_parts("date_from", date(2026, 1, 1))}))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.person, event.subject) == (Action.EXPORT, None, "core.AuditEvent")
    assert event.details == {"ids": [], "filters": {"staff": "chidi", "date_from": "2026-01-01"}, "rows": 1}


def test_exporting_one_persons_trail_is_recorded_against_them(sign_in, manager, person, carer):
    seen(person, carer.user)
    seen(PersonFactory(location=person.location), carer.user)
    client = sign_in(manager)
    page = client.get(url("person-audit", person.public_id)).content.decode()
    assert f"person_id={person.public_id}" in page
    rows = rows_of(client.get(url("audit-export"), {"person_id": str(person.public_id)}))
    assert {row[4] for row in rows[1:]} == {"Margaret Oyelaran"}
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.person, event.location) == (Action.EXPORT, person, person.location)


def test_the_export_defuses_spreadsheet_formulas(sign_in, manager, person, carer):
    carer.user.full_name = "=HYPERLINK(\"http://evil.example\")"
    carer.user.save()
    seen(person, carer.user)
    rows = rows_of(sign_in(manager).get(url("audit-export"), {"person": "oyelaran"}))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\")"


def test_an_org_admin_with_the_grant_can_export(sign_in, manager, person, carer):
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=manager.organisation, all_locations=True,
                              audit_access=True)
    seen(person, carer.user)
    rows = rows_of(sign_in(admin).get(url("audit-export")))
    assert len(rows) == 2


# --- Words for the parts of a record -----------------------------------------------------------


@pytest.mark.parametrize(("subject", "details", "words"), [
    ("people.Person:x", {"tab": "consent"}, "Consent tab"),
    ("people.Person:x", {"tab": "profile", "form": "edit"}, "Profile tab (edit form)"),
    ("people.Contact:x", {"tab": "contacts", "form": "delete"}, "Contact (delete form)"),
    ("people.AboutMe:x", {"fields": ["wellness"]}, "About Me"),
    ("careplans.CarePlan:x", {}, "careplans.CarePlan"),
])
def test_part_of_record_in_words(subject, details, words):
    assert part_of_record(subject, details) == words


def test_dates_in_the_trail_are_local_time(sign_in, manager, person, carer):
    # 1 July 2026 13:05 UTC is 14:05 in London (British Summer Time).
    event = seen(person, carer.user)
    backdate(event, datetime(2026, 7, 1, 13, 5, tzinfo=timezone.get_fixed_timezone(0)))
    page = sign_in(manager).get(url("person-audit", person.public_id)).content.decode()
    assert "1 Jul 2026,</span> 14:05" in page
    assert timedelta(hours=1) == timezone.localtime(AuditEvent.objects.get(pk=event.pk).occurred_at).utcoffset()
