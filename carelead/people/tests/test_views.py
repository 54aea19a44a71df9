"""The people pages: who reaches which person, what each page audits, and what each form saves."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from carelead.core.errors import StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory, OrganisationFactory
from carelead.people import rules
from carelead.people.models import (
    DATE_OF_BIRTH_PAST_MESSAGE, AboutMe, CommunicationNeed, ConsentRecord, Contact, ContactKind, EquipmentItem,
    Person, PersonStatus,
)
from carelead.people.services import ONE_PERSON_MESSAGE
from carelead.people.tests.factories import (
    AboutMeFactory, CommunicationNeedFactory, ConsentRecordFactory, ContactFactory, EquipmentItemFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

STALE_MESSAGE = StaleEdit().message
RECORD_FACTORIES = {
    "contact": ContactFactory,
    "communication": CommunicationNeedFactory,
    "consent": ConsentRecordFactory,
    "equipment": EquipmentItemFactory,
}
FORM_PAGES = [
    "person-edit", "about-me-edit", "contact-new", "communication-new", "consent-new", "equipment-new",
]
READ_ONLY_PAGES = ["person-detail", "about-me", "contacts", "communication", "consent", "equipment", "person-audit"]
TABS = ["person-detail", "about-me", "contacts", "communication", "consent", "equipment"]


def url(name, *args):
    return reverse(f"people:{name}", args=args)


def date_parts(prefix: str, day: date | None) -> dict:
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def valid_data(name: str, person: Person) -> dict:
    """A form a user allowed to use the page could send successfully."""
    if name == "person-edit":
        return {
            "version": person.version, "given_name": "Margaret", "family_name": "Oyelaran",
            "preferred_name": "Peggy", "pronouns": "she/her", **date_parts("date_of_birth", date(1948, 11, 22)),
            "nhs_number": "943 476 5919", "status": PersonStatus.ACTIVE, **date_parts("status_since", None),
            **date_parts("support_started_on", None),
        }
    if name == "about-me-edit":
        return {"version": 1, "most_important": "My garden.", "supported_by": "Her son, Dele"}
    if name.startswith("contact"):
        return {"kind": ContactKind.NEXT_OF_KIN, "name": "Dele Oyelaran", "relationship": "Son",
                **date_parts("lpa_registered_on", None)}
    if name.startswith("communication"):
        return {"need": "Deaf: uses British Sign Language", "information_format": "bsl_video",
                "support": "bsl_interpreter", "share_with_others": "on"}
    if name.startswith("consent"):
        return {"subject": "Flu vaccination", "decision": "given", "given_by": "person", "capacity": "has_capacity",
                **date_parts("recorded_on", date(2026, 10, 1)), **date_parts("review_on", None)}
    if name.startswith("equipment"):
        return {"item": "Pressure mat", "category": "pressure", **date_parts("installed_on", None),
                **date_parts("next_service_due", None)}
    return {}


def every_url_of(person: Person) -> list[tuple[str, str]]:
    """(URL name, URL) for every page of the person's record, including each record's pages."""
    pages = [(name, url(name, person.public_id)) for name in READ_ONLY_PAGES + FORM_PAGES]
    for prefix, factory in RECORD_FACTORIES.items():
        record = factory(person=person)
        pages += [(f"{prefix}-{action}", url(f"{prefix}-{action}", person.public_id, record.public_id))
                  for action in ("edit", "delete")]
    return pages


def snapshot() -> tuple:
    """Everything a page could write, to show that nothing was."""
    return (
        AuditEvent.objects.count(), Person.objects.count(), AboutMe.objects.count(),
        list(Person.objects.values_list("version", "given_name", "status").order_by("pk")),
        Contact.objects.count(), CommunicationNeed.objects.count(), ConsentRecord.objects.count(),
        EquipmentItem.objects.count(), list(Contact.objects.values_list("name", flat=True).order_by("pk")),
    )


def new_events():
    return AuditEvent.objects.order_by("-id")


@pytest.fixture
def lead():
    return MembershipFactory(role=Role.LEAD_PRACTITIONER)


@pytest.fixture
def person(lead):
    return PersonFactory(location=lead.locations.get(), given_name="Margaret", family_name="Oyelaran")


# --- Negative first: people elsewhere do not exist ---------------------------------------------


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.SENIOR_CARER, Role.LEAD_PRACTITIONER,
                                  Role.REGISTERED_MANAGER])
@pytest.mark.parametrize("elsewhere", ["other organisation", "other location, same organisation"])
def test_staff_get_404_for_every_page_of_a_person_at_another_location(sign_in, role, elsewhere):
    membership = MembershipFactory(role=role)
    if elsewhere == "other organisation":
        stranger = PersonFactory()
    else:
        stranger = PersonFactory(location=LocationFactory(organisation=membership.organisation))
    pages = every_url_of(stranger)
    client = sign_in(membership)
    before = snapshot()
    for name, page in pages:
        assert client.get(page).status_code == 404, name
        expected = 405 if name in READ_ONLY_PAGES else 404
        assert client.post(page, valid_data(name, stranger)).status_code == expected, name
    assert snapshot() == before


def test_a_record_cannot_be_reached_through_another_persons_url(sign_in, lead, person):
    stranger_contact = ContactFactory()  # another organisation's person
    own_contact = ContactFactory(person=PersonFactory(location=person.location))  # a neighbour's contact
    client = sign_in(lead)
    before = snapshot()
    for contact in (stranger_contact, own_contact):
        for action in ("edit", "delete"):
            page = url(f"contact-{action}", person.public_id, contact.public_id)
            assert client.get(page).status_code == 404
            assert client.post(page, valid_data("contact-edit", person)).status_code == 404
    assert snapshot() == before


def test_an_ended_membership_reaches_no_one(sign_in, lead, person):
    client = sign_in(lead)
    lead.ended_at = timezone.now()
    lead.save()
    assert client.get(url("person-detail", person.public_id)).status_code == 404
    assert client.get(url("person-list")).status_code == 403


def test_a_care_worker_cannot_change_the_profile_or_records(sign_in, person):
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=person.location.organisation,
                               locations=[person.location])
    contact = ContactFactory(person=person)
    client = sign_in(worker)
    before = snapshot()
    for name in ("person-edit", "contact-new", "communication-new", "consent-new", "equipment-new"):
        assert client.post(url(name, person.public_id), valid_data(name, person)).status_code == 404
    assert client.post(url("contact-delete", person.public_id, contact.public_id)).status_code == 404
    assert snapshot() == before
    assert client.get(url("person-new")).status_code == 403
    page = client.get(url("person-detail", person.public_id)).content.decode()
    assert url("person-edit", person.public_id) not in page
    assert url("person-audit", person.public_id) not in page


def test_change_links_follow_the_role_at_the_persons_own_location(sign_in, person):
    """A senior carer elsewhere in the organisation is only a care worker here: no change links."""
    here, there = person.location, LocationFactory(organisation=person.location.organisation)
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=here.organisation, locations=[here])
    MembershipFactory(user=worker.user, role=Role.SENIOR_CARER, organisation=here.organisation, locations=[there])
    client = sign_in(worker)
    assert client.get(url("person-edit", person.public_id)).status_code == 404
    page = client.get(url("contacts", person.public_id)).content.decode()
    assert url("contact-new", person.public_id) not in page
    # About Me is every care role's to write, so its change link shows.
    assert url("about-me-edit", person.public_id) in client.get(url("about-me", person.public_id)).content.decode()


# --- The people list ---------------------------------------------------------------------------


def test_the_list_shows_only_people_at_the_users_locations(sign_in, lead, person):
    PersonFactory(given_name="Stranger", family_name="Elsewhere")
    PersonFactory(location=LocationFactory(organisation=lead.organisation), family_name="Nextdoor")
    page = sign_in(lead).get(url("person-list")).content.decode()
    assert "Margaret Oyelaran" in page
    assert "Elsewhere" not in page and "Nextdoor" not in page


def test_the_list_shows_each_person_as_the_nhs_writes_them(sign_in, lead):
    born = timezone.localdate().replace(year=timezone.localdate().year - 80) - timedelta(days=1)
    PersonFactory(location=lead.locations.get(), given_name="Ada", family_name="Lovelace", preferred_name="Addie",
                  date_of_birth=born, nhs_number="9434765919", status=PersonStatus.IN_HOSPITAL)
    page = sign_in(lead).get(url("person-list")).content.decode()
    assert "Ada Lovelace</a>" in page and "Addie" in page
    assert f"{born.day} {born:%b %Y}</span> <span class=\"nhsuk-u-secondary-text-colour\">(80)</span>" in page
    assert "943 476 5919" in page
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">In hospital</strong>' in page


@pytest.mark.parametrize(("status", "colour"), [
    (PersonStatus.ACTIVE, "green"), (PersonStatus.IN_HOSPITAL, "orange"),
    (PersonStatus.MOVED_ON, "grey"), (PersonStatus.DIED, "purple"),
])
def test_each_status_has_its_own_tag_colour(sign_in, lead, status, colour):
    PersonFactory(location=lead.locations.get(), status=status)
    page = sign_in(lead).get(url("person-list")).content.decode()
    assert f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{status.label}</strong>' in page


def test_search_by_name_preferred_name_or_nhs_number(sign_in, lead):
    location = lead.locations.get()
    PersonFactory(location=location, given_name="Winifred", family_name="Oakenshaw", nhs_number="9434765919")
    # A surname Faker never gives the signed-in staff member, whose name is in the page's header.
    PersonFactory(location=location, given_name="Albert", family_name="Quennevaux", preferred_name="Bertie")
    client = sign_in(lead)
    for text, shown, hidden in [("oakensh", "Oakenshaw", "Quennevaux"), ("bertie", "Quennevaux", "Oakenshaw"),
                                ("943 476", "Oakenshaw", "Quennevaux"), ("9434765919", "Oakenshaw", "Quennevaux")]:
        page = client.get(url("person-list"), {"text": text}).content.decode()
        assert shown in page and hidden not in page, text


def test_filter_by_status_and_by_one_of_the_users_locations(sign_in):
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    first = lead.locations.get()
    second = LocationFactory(organisation=lead.organisation, name="Second Home")
    lead.locations.add(second)
    PersonFactory(location=first, family_name="Firsthome", status=PersonStatus.ACTIVE)
    PersonFactory(location=second, family_name="Secondhome", status=PersonStatus.IN_HOSPITAL)
    client = sign_in(lead)
    page = client.get(url("person-list"), {"status": "in_hospital"}).content.decode()
    assert "Secondhome" in page and "Firsthome" not in page
    page = client.get(url("person-list"), {"location": str(first.public_id)}).content.decode()
    assert "Firsthome" in page and "Secondhome" not in page


def test_the_location_filter_offers_only_the_users_locations(sign_in, lead):
    other = LocationFactory(name="Somebody Else's Home")
    client = sign_in(lead)
    page = client.get(url("person-list")).content.decode()
    assert lead.locations.get().name in page and other.name not in page
    # A location the user cannot see is refused as a filter, never used to list its people.
    PersonFactory(location=other, family_name="Hiddenaway")
    page = client.get(url("person-list"), {"location": str(other.public_id)}).content.decode()
    assert "Hiddenaway" not in page


def test_the_list_is_paginated_by_25_and_audits_the_ids_on_the_page(sign_in, lead):
    people = PersonFactory.create_batch(26, location=lead.locations.get())
    client = sign_in(lead)
    response = client.get(url("person-list"))
    assert response.content.decode().count('<tr class="nhsuk-table__row">') == 26  # header row + 25
    assert "Page 2 of 2" in response.content.decode()
    event = new_events().first()
    assert (event.action, event.subject, event.person) == (Action.LIST, "people.Person", None)
    first_page = sorted(people, key=lambda p: (p.family_name, p.given_name, p.pk))[:25]
    assert event.details["ids"] == [str(p.public_id) for p in first_page]
    second = client.get(url("person-list"), {"page": 2})
    assert second.content.decode().count('<tr class="nhsuk-table__row">') == 2


def test_the_list_writes_exactly_one_audit_event(sign_in, lead, person):
    client = sign_in(lead)
    before = AuditEvent.objects.count()
    client.get(url("person-list"))
    assert AuditEvent.objects.count() == before + 1


def test_htmx_search_returns_only_the_results(sign_in, lead, person):
    response = sign_in(lead).get(url("person-list"), {"text": "Oyel"}, headers={"HX-Request": "true"})
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith('<div id="results"') and body.endswith("</div>")
    assert "<html" not in body and "<form" not in body
    assert "Margaret Oyelaran" in body
    assert "HX-Request" in response["Vary"]


def test_the_search_form_works_without_javascript_and_with_htmx(sign_in, lead, person):
    page = sign_in(lead).get(url("person-list")).content.decode()
    assert '<form method="get" action="/people/"' in page
    assert 'hx-get="/people/" hx-trigger="input changed delay:400ms, submit"' in page
    assert 'hx-target="#results"' in page and 'hx-push-url="true"' in page


def test_add_a_person_shows_only_to_those_who_may(sign_in, lead, person):
    assert "Add a person" in sign_in(lead).get(url("person-list")).content.decode()
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=lead.organisation, locations=[person.location])
    assert "Add a person" not in sign_in(worker).get(url("person-list")).content.decode()


def test_person_list_queries_do_not_grow_with_people(sign_in, lead, django_assert_num_queries):
    client, location = sign_in(lead), lead.locations.get()
    PersonFactory.create_batch(2, location=location)
    client.get(url("person-list"))  # warm sessions and caches
    with CaptureQueriesContext(connection) as captured:
        client.get(url("person-list"))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    PersonFactory.create_batch(40, location=location)
    with django_assert_num_queries(few):
        client.get(url("person-list"))


# --- Adding a person ---------------------------------------------------------------------------


def new_person_data(where, **overrides) -> dict:
    data = {"location": str(where.public_id), "given_name": "Winifred", "family_name": "Oakenshaw",
            "preferred_name": "Win", "pronouns": "she/her", **date_parts("date_of_birth", date(1940, 2, 29)),
            "nhs_number": "943 476 5919", **date_parts("support_started_on", date(2026, 9, 3))}
    return {**data, **overrides}


def test_adding_a_person_saves_them_audits_it_and_opens_their_record(sign_in, lead):
    location = lead.locations.get()
    client = sign_in(lead)
    response = client.post(url("person-new"), new_person_data(location), follow=True)
    person = Person.objects.get()
    assert response.redirect_chain[0][0] == url("person-detail", person.public_id)
    assert "Winifred Oakenshaw added" in response.content.decode()
    assert (person.location, person.nhs_number, person.date_of_birth) == (location, "9434765919", date(1940, 2, 29))
    assert AboutMe.objects.filter(person=person).exists()
    create = AuditEvent.objects.get(action=Action.CREATE)
    assert (create.person, create.actor) == (person, lead.user)


def test_the_location_choice_lists_only_where_the_user_may_add_people(sign_in, lead):
    elsewhere = LocationFactory(name="Not Mine")
    worker_here = LocationFactory(organisation=lead.organisation, name="Only A Care Worker Here")
    MembershipFactory(user=lead.user, role=Role.CARE_WORKER, organisation=lead.organisation, locations=[worker_here])
    client = sign_in(lead)
    page = client.get(url("person-new")).content.decode()
    assert lead.locations.get().name in page
    assert "Not Mine" not in page and "Only A Care Worker Here" not in page
    before = snapshot()
    for location in (elsewhere, worker_here):
        response = client.post(url("person-new"), new_person_data(location))
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(("field", "value", "message"), [
    ("nhs_number", "943 476 5918", rules.NHS_NUMBER_MESSAGE),
    ("nhs_number", "94347659", rules.NHS_NUMBER_MESSAGE),
    ("given_name", "", "Enter first name"),
    ("family_name", "", "Enter last name"),
    ("location", "", "Select the location where they are supported"),
])
def test_a_mistake_is_shown_beside_the_field_and_in_the_summary(sign_in, lead, field, value, message):
    client = sign_in(lead)
    before = snapshot()
    response = client.post(url("person-new"), new_person_data(lead.locations.get(), **{field: value}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'<span class="nhsuk-error-message" id="id_{field}-error"><span class="nhsuk-u-visually-hidden">Error: </span>{message}' in page
    assert f'<a href="#id_{field}">{message}</a>' in page
    assert snapshot() == before


@pytest.mark.parametrize(("days_from_today", "message"), [
    (0, DATE_OF_BIRTH_PAST_MESSAGE),
    (1, DATE_OF_BIRTH_PAST_MESSAGE),
    (None, "Enter date of birth"),
])
def test_the_date_of_birth_must_be_given_and_in_the_past(sign_in, lead, days_from_today, message):
    born = None if days_from_today is None else timezone.localdate() + timedelta(days=days_from_today)
    data = new_person_data(lead.locations.get(), **date_parts("date_of_birth", born))
    response = sign_in(lead).post(url("person-new"), data)
    assert f'<a href="#id_date_of_birth_0">{message}</a>' in response.content.decode()
    assert not Person.objects.exists()


def test_a_lead_pa_employer_records_only_one_person(sign_in):
    employer = OrganisationFactory(lead_pa_employer=True)
    home = LocationFactory(organisation=employer)
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER, organisation=employer, locations=[home])
    PersonFactory(location=home)
    before = snapshot()
    response = sign_in(lead).post(url("person-new"), new_person_data(home))
    assert response.status_code == 200
    assert f"<li>{ONE_PERSON_MESSAGE}</li>" in response.content.decode()
    assert snapshot() == before


# --- The tabs of a person's record -------------------------------------------------------------


@pytest.mark.parametrize("name", TABS)
def test_each_tab_writes_exactly_one_audit_event_naming_the_tab(sign_in, lead, person, name):
    client = sign_in(lead)
    before = AuditEvent.objects.count()
    response = client.get(url(name, person.public_id))
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = new_events().first()
    assert (event.action, event.person, event.actor, event.ip_address) == (Action.VIEW, person, lead.user, "127.0.0.1")
    assert event.details["tab"] in {"profile", "about_me", "contacts", "communication", "consent", "equipment"}


@pytest.mark.parametrize("name", TABS)
def test_each_tab_shows_the_banner_and_marks_itself_current(sign_in, lead, name):
    person = PersonFactory(location=lead.locations.get(), given_name="Winifred", family_name="Oakenshaw",
                           preferred_name="Win", pronouns="she/her", nhs_number="9434765919",
                           date_of_birth=date(1948, 11, 22))
    page = sign_in(lead).get(url(name, person.public_id)).content.decode()
    assert "Winifred Oakenshaw" in page and "Known as Win" in page and "she/her" in page
    assert "22 Nov 1948" in page and "943 476 5919" in page and person.location.name in page
    assert f'href="{url(name, person.public_id)}" aria-current="page"' in page
    assert page.count('aria-current="page"') == 2  # the header's "People" and this tab


def test_the_audit_tab_shows_only_to_those_who_may_see_the_trail(sign_in, person, lead):
    manager = MembershipFactory(role=Role.REGISTERED_MANAGER, organisation=lead.organisation,
                                locations=[person.location])
    assert "Who has seen this record" not in sign_in(lead).get(url("person-detail", person.public_id)).content.decode()
    assert "Who has seen this record" in sign_in(manager).get(url("person-detail", person.public_id)).content.decode()


def test_the_banner_flags_communication_needs(sign_in, lead, person):
    client = sign_in(lead)
    assert "Communication needs</strong>" not in client.get(url("person-detail", person.public_id)).content.decode()
    CommunicationNeedFactory(person=person)
    assert "Communication needs</strong>" in client.get(url("person-detail", person.public_id)).content.decode()


@pytest.mark.parametrize("name", TABS)
def test_tab_queries_do_not_grow_with_records(sign_in, lead, person, name, django_assert_num_queries):
    client = sign_in(lead)
    for factory in RECORD_FACTORIES.values():
        factory.create_batch(2, person=person)
    client.get(url(name, person.public_id))
    with CaptureQueriesContext(connection) as captured:
        client.get(url(name, person.public_id))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for factory in RECORD_FACTORIES.values():
        factory.create_batch(20, person=person)
    with django_assert_num_queries(few):
        client.get(url(name, person.public_id))


# --- Profile -----------------------------------------------------------------------------------


def test_the_profile_is_a_summary_list_with_a_change_link(sign_in, lead, person):
    page = sign_in(lead).get(url("person-detail", person.public_id)).content.decode()
    assert '<dl class="nhsuk-summary-list">' in page
    assert f'href="{url("person-edit", person.public_id)}">Change' in page


def test_opening_the_profile_form_is_audited_and_carries_the_version(sign_in, lead, person):
    before = AuditEvent.objects.count()
    page = sign_in(lead).get(url("person-edit", person.public_id)).content.decode()
    assert f'<input type="hidden" name="version" value="{person.version}"' in page
    assert AuditEvent.objects.count() == before + 1
    assert new_events().first().details == {"tab": "profile", "form": "edit"}


def test_saving_the_profile_changes_it_audits_once_and_says_so(sign_in, lead, person):
    client = sign_in(lead)
    before = AuditEvent.objects.count()
    response = client.post(url("person-edit", person.public_id), valid_data("person-edit", person), follow=True)
    assert response.redirect_chain[0][0] == url("person-detail", person.public_id)
    assert "Profile saved" in response.content.decode()
    person.refresh_from_db()
    assert (person.preferred_name, person.nhs_number, person.version) == ("Peggy", "9434765919", 2)
    update = AuditEvent.objects.filter(action=Action.UPDATE).get()
    assert "preferred_name" in update.details["fields"]
    assert AuditEvent.objects.count() == before + 2  # the change, then the profile it redirected to


def test_a_stale_profile_edit_is_refused_with_a_message_and_nothing_changes(sign_in, lead, person):
    data = valid_data("person-edit", person)
    Person.objects.filter(pk=person.pk).update(version=2, preferred_name="Maggie")  # someone else saved
    before = snapshot()
    response = sign_in(lead).post(url("person-edit", person.public_id), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"<li>{STALE_MESSAGE}</li>" in page
    assert snapshot() == before
    person.refresh_from_db()
    assert person.preferred_name == "Maggie"


def test_changing_the_status_without_a_date_dates_it_today(sign_in, lead):
    person = PersonFactory(location=lead.locations.get(), status_since=date(2020, 1, 1))
    data = {**valid_data("person-edit", person), "status": PersonStatus.IN_HOSPITAL,
            **date_parts("status_since", date(2020, 1, 1))}
    sign_in(lead).post(url("person-edit", person.public_id), data)
    person.refresh_from_db()
    assert (person.status, person.status_since) == (PersonStatus.IN_HOSPITAL, timezone.localdate())


def test_changing_the_status_with_a_date_keeps_that_date(sign_in, lead, person):
    data = {**valid_data("person-edit", person), "status": PersonStatus.DIED,
            **date_parts("status_since", date(2026, 11, 1))}
    sign_in(lead).post(url("person-edit", person.public_id), data)
    person.refresh_from_db()
    assert (person.status, person.status_since) == (PersonStatus.DIED, date(2026, 11, 1))


def test_an_invalid_nhs_number_on_the_profile_is_refused(sign_in, lead, person):
    data = {**valid_data("person-edit", person), "nhs_number": "123 456 7890"}
    before = snapshot()
    response = sign_in(lead).post(url("person-edit", person.public_id), data)
    assert response.status_code == 200
    assert f'<a href="#id_nhs_number">{rules.NHS_NUMBER_MESSAGE}</a>' in response.content.decode()
    assert snapshot() == before


# --- About Me ----------------------------------------------------------------------------------


def test_about_me_shows_the_seven_sections_in_the_persons_words(sign_in, lead, person):
    AboutMeFactory(person=person, most_important="My cat, Bramble.", supported_by="Her son, Dele")
    page = sign_in(lead).get(url("about-me", person.public_id)).content.decode()
    for name in AboutMe.SECTIONS:
        assert escape(AboutMe._meta.get_field(name).verbose_name) in page
    assert "My cat, Bramble." in page and "Her son, Dele" in page
    assert "Supported to write this by" in page and "Date last updated" in page


def test_a_care_worker_writes_about_me_and_the_form_reminds_them_whose_words_they_are(sign_in, person):
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=person.location.organisation,
                               locations=[person.location])
    client = sign_in(worker)
    page = client.get(url("about-me-edit", person.public_id)).content.decode()
    assert "Write in the person's own words. If you disagree with something, talk to them rather than change it." in page
    response = client.post(url("about-me-edit", person.public_id), valid_data("about-me-edit", person), follow=True)
    assert response.redirect_chain[0][0] == url("about-me", person.public_id)
    assert "About Me saved" in response.content.decode()
    about = AboutMe.objects.get(person=person)
    assert (about.most_important, about.supported_by_user, about.version) == ("My garden.", worker.user, 2)
    assert AuditEvent.objects.filter(action=Action.UPDATE, person=person).count() == 1


def test_a_stale_about_me_edit_is_refused_and_nothing_changes(sign_in, lead, person):
    AboutMeFactory(person=person, most_important="Original words", version=3)
    before = snapshot()
    response = sign_in(lead).post(url("about-me-edit", person.public_id),
                                  {"version": 2, "most_important": "Overwritten"})
    assert f"<li>{STALE_MESSAGE}</li>" in response.content.decode()
    assert AboutMe.objects.get(person=person).most_important == "Original words"
    assert snapshot() == before


# --- Contacts, communication needs, consent and equipment --------------------------------------


@pytest.mark.parametrize(("prefix", "model"), [
    ("contact", Contact), ("communication", CommunicationNeed), ("consent", ConsentRecord),
    ("equipment", EquipmentItem),
])
def test_adding_changing_and_removing_a_record_each_write_one_event(sign_in, lead, person, prefix, model):
    client = sign_in(lead)
    tab = {"contact": "contacts"}.get(prefix, prefix)
    response = client.post(url(f"{prefix}-new", person.public_id), valid_data(f"{prefix}-new", person))
    assert response.status_code == 302 and response["Location"] == url(tab, person.public_id)
    record = model.objects.get(person=person)
    assert AuditEvent.objects.filter(action=Action.CREATE).count() == 1

    data = valid_data(f"{prefix}-edit", person)
    data["notes" if prefix != "communication" else "details"] = "Changed"
    before = AuditEvent.objects.count()
    client.post(url(f"{prefix}-edit", person.public_id, record.public_id), data)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.filter(action=Action.UPDATE).get().details["fields"] in (["notes"], ["details"])

    before = AuditEvent.objects.count()
    confirm = client.get(url(f"{prefix}-delete", person.public_id, record.public_id))
    assert "Are you sure" in confirm.content.decode()
    assert AuditEvent.objects.count() == before + 1 and model.objects.filter(pk=record.pk).exists()
    response = client.post(url(f"{prefix}-delete", person.public_id, record.public_id), follow=True)
    assert "removed" in response.content.decode()
    assert not model.objects.filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(action=Action.DELETE).count() == 1


def test_a_lasting_power_of_attorney_needs_its_registration_date_beside_the_field(sign_in, lead, person):
    data = {**valid_data("contact-new", person), "kind": ContactKind.LPA_HEALTH}
    before = snapshot()
    response = sign_in(lead).post(url("contact-new", person.public_id), data)
    page = response.content.decode()
    message = "Enter the date the lasting power of attorney was registered"
    assert response.status_code == 200
    assert f'id="id_lpa_registered_on-error"><span class="nhsuk-u-visually-hidden">Error: </span>{message}' in page
    assert f'<a href="#id_lpa_registered_on_0">{message}</a>' in page
    assert snapshot() == before


def test_a_consent_review_past_its_date_is_flagged_overdue(sign_in, lead, person):
    today = timezone.localdate()
    ConsentRecordFactory(person=person, subject="Due today", recorded_on=today - timedelta(days=30), review_on=today)
    ConsentRecordFactory(person=person, subject="Due yesterday", recorded_on=today - timedelta(days=30),
                         review_on=today - timedelta(days=1))
    page = sign_in(lead).get(url("consent", person.public_id)).content.decode()
    assert page.count("Review overdue") == 1
    assert page.index("Due yesterday") < page.index("Review overdue")
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Review overdue</strong>' in page


def test_equipment_past_its_service_date_is_flagged_overdue(sign_in, lead, person):
    today = timezone.localdate()
    EquipmentItemFactory(person=person, item="Hoist", next_service_due=today - timedelta(days=1))
    EquipmentItemFactory(person=person, item="Bed", next_service_due=today)
    page = sign_in(lead).get(url("equipment", person.public_id)).content.decode()
    assert page.count('<strong class="nhsuk-tag nhsuk-tag--red">Service overdue</strong>') == 1
    assert page.index("Hoist") < page.index("Service overdue") < page.index("Bed")


def test_communication_needs_show_the_accessible_information_standard_fields(sign_in, lead, person):
    CommunicationNeedFactory(person=person, need="Blind: reads braille", information_format="braille",
                             support="advocate", preferred_contact="Phone call", share_with_others=False)
    page = sign_in(lead).get(url("communication", person.public_id)).content.decode()
    for text in ("Blind: reads braille", "Braille", "Advocate", "Phone call", "Shared with other services"):
        assert text in page


def test_a_consent_decision_by_someone_else_needs_their_name(sign_in, lead, person):
    data = {**valid_data("consent-new", person), "given_by": "lpa_health", "given_by_name": ""}
    response = sign_in(lead).post(url("consent-new", person.public_id), data)
    assert '<a href="#id_given_by_name">Enter the name of the person who decided</a>' in response.content.decode()
    assert not ConsentRecord.objects.exists()
