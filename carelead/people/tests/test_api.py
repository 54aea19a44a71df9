"""The people API: scripts sign in with a real personal token; the browser session only after MFA.

Negative tests come first: another location's person is a 404 whatever the method, and nothing is
written; a stale version is a 409 and nothing changes; bad input is a 400 naming each field.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import ApiToken, hash_token
from carelead.core.api import HasRequiredPerm
from carelead.core.errors import StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory, OrganisationFactory
from carelead.people import rules
from carelead.core.api import UNKNOWN_FIELD_MESSAGE
from carelead.people.api import LOCATION_FILTER_MESSAGE, LOCATION_NOT_ALLOWED_MESSAGE
from carelead.people.models import AboutMe, CommunicationNeed, ConsentRecord, Contact, EquipmentItem, Person
from carelead.people.services import ONE_PERSON_MESSAGE
from carelead.people.tests.factories import (
    AboutMeFactory, CommunicationNeedFactory, ConsentRecordFactory, ContactFactory, EquipmentItemFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

REQUIRED = "This field is required."


class TokenClient:
    """The test client, sending `Authorization: Token <key>` and JSON bodies, as a script would."""

    def __init__(self, client, key: str):
        self.client, self.auth = client, {"HTTP_AUTHORIZATION": f"Token {key}"}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, **self.auth)

    def post(self, url, body):
        return self.client.post(url, body, content_type="application/json", **self.auth)

    def patch(self, url, body):
        return self.client.patch(url, body, content_type="application/json", **self.auth)

    def put(self, url, body):
        return self.client.put(url, body, content_type="application/json", **self.auth)

    def delete(self, url):
        return self.client.delete(url, **self.auth)


def token_for(user) -> str:
    """A real personal token, as accounts:token-create makes one: only for a user enrolled in MFA."""
    TOTPDevice.objects.get_or_create(user=user, name="Authenticator app", defaults={"confirmed": True})
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="Script", prefix=key[:8], key_hash=hash_token(key))
    return key


@pytest.fixture
def api(client):
    """api(membership_or_user) -> a client whose requests carry that user's API token."""

    def _api(who):
        return TokenClient(client, token_for(getattr(who, "user", who)))

    return _api


def staff(role=Role.LEAD_PRACTITIONER, location=None):
    """A member of staff with `role` at `location` (a fresh one of a fresh organisation by default)."""
    location = location or LocationFactory()
    return MembershipFactory(role=role, organisation=location.organisation, locations=[location]), location


def url(name, *args):
    return reverse(f"api:{name}", args=args)


# Each kind of record: list and detail URL names, the audit part, factory, a valid new body, a change.
KINDS = [
    ("api-contacts", "api-contact-detail", "contacts", Contact, ContactFactory,
     {"kind": "next_of_kin", "name": "Asha Patel", "phone": "0113 496 0001"}, {"relationship": "Niece"}),
    ("api-communication-needs", "api-communication-need-detail", "communication-needs", CommunicationNeed,
     CommunicationNeedFactory, {"need": "Reads large print only", "information_format": "large_print"},
     {"support": "hearing_loop"}),
    ("api-consents", "api-consent-detail", "consents", ConsentRecord, ConsentRecordFactory,
     {"subject": "Sharing records with the GP", "given_by": "person", "capacity": "has_capacity"},
     {"notes": "Talked it through again"}),
    ("api-equipment", "api-equipment-detail", "equipment", EquipmentItem, EquipmentItemFactory,
     {"item": "Bed occupancy sensor", "category": "telecare"}, {"supplier": "Tunstall"}),
]
KIND_IDS = [kind[2] for kind in KINDS]


# --- Who may: signing in, roles, other locations ---------------------------------------------------


def test_no_token_a_wrong_token_and_a_revoked_token_are_refused(client, api):
    lead, _ = staff()
    assert client.get(url("api-people")).status_code == 401
    assert client.get(url("api-people"), HTTP_AUTHORIZATION="Token not-a-real-key").status_code == 401
    script = api(lead)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert script.get(url("api-people")).status_code == 401
    assert not AuditEvent.objects.exists()


def test_a_session_that_has_not_passed_mfa_is_refused(sign_in):
    lead, location = staff()
    client = sign_in(lead, verified=False)
    assert client.get(url("api-people")).status_code == 401
    assert client.get(url("api-person-detail", PersonFactory(location=location).public_id)).status_code == 401
    assert not AuditEvent.objects.exists()


def test_org_admin_with_no_care_role_gets_403_on_the_list_and_404_on_a_person(api):
    admin, location = staff(Role.ORG_ADMIN)
    person = PersonFactory(location=location)
    script = api(admin)
    response = script.get(url("api-people"))
    assert response.status_code == 403
    assert response.json() == {"detail": HasRequiredPerm.message}
    assert script.get(url("api-person-detail", person.public_id)).status_code == 404
    assert script.get(url("api-contacts", person.public_id)).status_code == 404
    assert not AuditEvent.objects.exists()


def elsewhere_requests(person):
    """Every method on every URL naming a person (or one of their records)."""
    contact = ContactFactory(person=person)
    yield "get", url("api-person-detail", person.public_id), None
    yield "patch", url("api-person-detail", person.public_id), {"version": 1, "given_name": "Changed"}
    yield "get", url("api-about-me", person.public_id), None
    yield "put", url("api-about-me", person.public_id), {
        **{name: "Changed" for name in AboutMe.SECTIONS}, "supported_by": "", "version": 1}
    for list_name, detail_name, _, _, factory, body, change in KINDS:
        record = contact if factory is ContactFactory else factory(person=person)
        yield "get", url(list_name, person.public_id), None
        yield "post", url(list_name, person.public_id), body
        yield "get", url(detail_name, person.public_id, record.public_id), None
        yield "patch", url(detail_name, person.public_id, record.public_id), change
        yield "delete", url(detail_name, person.public_id, record.public_id), None


def send(script, method, target, body):
    return getattr(script, method)(target, body) if body is not None else getattr(script, method)(target)


def snapshot():
    """Everything the requests could change, to show that nothing was written."""
    return (
        list(Person.objects.values_list("public_id", "version", "given_name")),
        list(AboutMe.objects.values_list("person_id", "version", "most_important")),
        *(sorted(model.objects.values_list("public_id", "updated_at")) for _, _, _, model, *_ in KINDS),
    )


def test_a_person_at_another_location_is_404_for_every_method_and_nothing_is_written(api):
    senior, _ = staff(Role.SENIOR_CARER)  # may edit records, but only at their own location
    elsewhere = PersonFactory()
    AboutMeFactory(person=elsewhere)
    requests = list(elsewhere_requests(elsewhere))
    script, before = api(senior), snapshot()
    for method, target, body in requests:
        assert send(script, method, target, body).status_code == 404, (method, target)
    assert snapshot() == before
    assert not AuditEvent.objects.exists()


def test_unknown_person_and_unknown_record_are_404(api):
    lead, location = staff()
    person, script = PersonFactory(location=location), api(lead)
    missing = "2f1d3c4b-5a69-4788-9a0b-0c1d2e3f4a5b"
    assert script.get(url("api-person-detail", missing)).status_code == 404
    assert script.patch(url("api-person-detail", missing), {"version": 1}).status_code == 404
    assert script.get(url("api-contact-detail", person.public_id, missing)).status_code == 404
    assert script.delete(url("api-contact-detail", person.public_id, missing)).status_code == 404


def test_a_care_worker_cannot_change_a_profile_or_records_even_at_their_own_location(api):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    contact = ContactFactory(person=person)
    script, before = api(worker), snapshot()
    assert script.patch(url("api-person-detail", person.public_id), {"version": 1, "given_name": "X"}).status_code == 404
    assert script.post(url("api-contacts", person.public_id), KINDS[0][5]).status_code == 404
    assert script.patch(url("api-contact-detail", person.public_id, contact.public_id), {"name": "X"}).status_code == 404
    assert script.delete(url("api-contact-detail", person.public_id, contact.public_id)).status_code == 404
    assert snapshot() == before
    assert not AuditEvent.objects.exclude(action=Action.VIEW).exists()


def test_a_record_addressed_under_another_person_is_404(api):
    lead, location = staff()
    mine, theirs = PersonFactory(location=location), PersonFactory(location=location)
    contact = ContactFactory(person=theirs)
    script, before = api(lead), snapshot()
    target = url("api-contact-detail", mine.public_id, contact.public_id)
    assert script.get(target).status_code == 404
    assert script.patch(target, {"name": "Someone else"}).status_code == 404
    assert script.delete(target).status_code == 404
    assert snapshot() == before
    assert not AuditEvent.objects.exists()


def test_a_care_worker_cannot_add_people(api):
    worker, location = staff(Role.CARE_WORKER)
    response = api(worker).post(url("api-people"), {
        "location": str(location.public_id), "given_name": "Ada", "family_name": "Lovelace"})
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_adding_a_person_where_you_cannot_add_people_is_400_naming_location(api):
    lead, _ = staff()
    other_organisation = LocationFactory()
    worker_only = LocationFactory(organisation=lead.organisation)
    MembershipFactory(user=lead.user, organisation=lead.organisation, role=Role.CARE_WORKER, locations=[worker_only])
    script = api(lead)
    for location_id in [other_organisation.public_id, worker_only.public_id, "2f1d3c4b-5a69-4788-9a0b-0c1d2e3f4a5b"]:
        response = script.post(url("api-people"), {
            "location": str(location_id), "given_name": "Ada", "family_name": "Lovelace"})
        assert response.status_code == 400
        assert response.json() == {"location": [LOCATION_NOT_ALLOWED_MESSAGE]}
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


# --- Stale versions ---------------------------------------------------------------------------------


def test_a_stale_profile_version_is_409_and_nothing_changes(api):
    lead, location = staff()
    person = PersonFactory(location=location, given_name="Mary")
    Person.objects.filter(pk=person.pk).update(version=2)  # someone else saved since version 1 was read
    response = api(lead).patch(url("api-person-detail", person.public_id), {"version": 1, "given_name": "Maria"})
    assert response.status_code == 409
    assert response.json() == {"detail": StaleEdit().message}
    person.refresh_from_db()
    assert (person.given_name, person.version) == ("Mary", 2)
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()


def test_a_stale_about_me_version_is_409_and_nothing_changes(api):
    worker, location = staff(Role.CARE_WORKER)
    about = AboutMeFactory(person=PersonFactory(location=location), most_important="My garden")
    AboutMe.objects.filter(pk=about.pk).update(version=3)
    body = {**{name: "" for name in AboutMe.SECTIONS}, "most_important": "My dog", "supported_by": "", "version": 2}
    response = api(worker).put(url("api-about-me", about.person.public_id), body)
    assert response.status_code == 409
    assert response.json() == {"detail": StaleEdit().message}
    about.refresh_from_db()
    assert (about.most_important, about.version) == ("My garden", 3)


# --- Bad input: 400 naming each field ----------------------------------------------------------------


def test_bad_fields_when_adding_a_person_are_400_naming_each_and_nothing_is_created(api):
    lead, location = staff()
    response = api(lead).post(url("api-people"), {
        "location": str(location.public_id),
        "given_name": "Ada",
        "nhs_number": "123 456 7890",
        "date_of_birth": "1950-02-30",
        "status": "on_holiday",
        "favourite_colour": "green",
    })
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"family_name", "nhs_number", "date_of_birth", "status", "favourite_colour"}
    assert errors["family_name"] == [REQUIRED]
    assert errors["nhs_number"] == [rules.NHS_NUMBER_MESSAGE]
    assert errors["favourite_colour"] == [UNKNOWN_FIELD_MESSAGE]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"given_name": "Maria"}, "version"),
    ({"version": "one"}, "version"),
    ({"version": 0}, "version"),
    ({"version": 2**40}, "version"),  # beyond the database column: a 400, never a 500
    ({"version": 1, "given_name": ""}, "given_name"),
    ({"version": 1, "given_name": None}, "given_name"),
    ({"version": 1, "location": "2f1d3c4b-5a69-4788-9a0b-0c1d2e3f4a5b"}, "location"),  # no moving people here
    ({"version": 1, "status_since": "yesterday"}, "status_since"),
])
def test_bad_profile_changes_are_400_naming_the_field(api, body, field):
    lead, location = staff()
    person = PersonFactory(location=location)
    response = api(lead).patch(url("api-person-detail", person.public_id), body)
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert Person.objects.get(pk=person.pk).version == 1


def test_a_body_that_is_not_an_object_is_400(api):
    lead, location = staff()
    person = PersonFactory(location=location)
    response = api(lead).patch(url("api-person-detail", person.public_id), ["version", 1])
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_about_me_needs_every_section_and_the_version(api):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    response = api(worker).put(url("api-about-me", person.public_id), {"most_important": "My family"})
    assert response.status_code == 400
    assert set(response.json()) == {*AboutMe.SECTIONS, "supported_by", "version"} - {"most_important"}
    assert not AboutMe.objects.exists()


@pytest.mark.parametrize(("list_name", "body", "fields"), [
    ("api-contacts", {"kind": "lpa_health", "name": "Sam Okafor"}, {"lpa_registered_on"}),
    ("api-contacts", {"kind": "cousin", "name": "", "email": "not-an-email"}, {"kind", "name", "email"}),
    ("api-consents", {"subject": "Photographs", "given_by": "deputy", "capacity": "lacks_capacity",
                      "recorded_on": "2026-03-01", "review_on": "2026-02-01"}, {"given_by_name", "review_on"}),
    ("api-equipment", {"item": "Hoist", "category": "mobility", "installed_on": "2026-03-01",
                       "next_service_due": "2026-01-01"}, {"next_service_due"}),
    ("api-equipment", {"item": "Hoist", "category": "mobility", "installed_on": "01/03/2026x"}, {"installed_on"}),
    ("api-communication-needs", {"need": "", "information_format": "smoke_signals"}, {"need", "information_format"}),
])
def test_bad_records_are_400_naming_each_field_whether_the_serializer_or_the_model_finds_them(
    api, list_name, body, fields
):
    lead, location = staff()
    person = PersonFactory(location=location)
    response = api(lead).post(url(list_name, person.public_id), body)
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert snapshot()[2:] == ([], [], [], [])
    assert not AuditEvent.objects.exists()


def test_a_model_rule_broken_by_a_change_is_400_and_the_record_is_unchanged(api):
    lead, location = staff()
    contact = ContactFactory(person=PersonFactory(location=location))
    response = api(lead).patch(url("api-contact-detail", contact.person.public_id, contact.public_id),
                               {"kind": "lpa_property"})
    assert response.status_code == 400
    assert set(response.json()) == {"lpa_registered_on"}
    assert Contact.objects.get(pk=contact.pk).kind == "next_of_kin"


def test_an_organisation_supporting_one_person_cannot_add_a_second(api):
    location = LocationFactory(organisation=OrganisationFactory(lead_pa_employer=True))
    lead, _ = staff(location=location)
    PersonFactory(location=location)
    response = api(lead).post(url("api-people"), {
        "location": str(location.public_id), "given_name": "Ada", "family_name": "Lovelace"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ONE_PERSON_MESSAGE]}
    assert Person.objects.count() == 1


@pytest.mark.parametrize(("params", "field"), [
    ({"status": "on_holiday"}, "status"),
    ({"location": "not-a-uuid"}, "location"),
])
def test_bad_list_filters_are_400_naming_the_filter(api, params, field):
    lead, _ = staff()
    response = api(lead).get(url("api-people"), params)
    assert response.status_code == 400
    assert set(response.json()) == {field}


def test_filtering_by_a_location_you_cannot_see_is_400_and_shows_nobody(api):
    lead, _ = staff()
    elsewhere = PersonFactory()
    response = api(lead).get(url("api-people"), {"location": str(elsewhere.location.public_id)})
    assert response.status_code == 400
    assert response.json() == {"location": [LOCATION_FILTER_MESSAGE]}
    assert not AuditEvent.objects.exists()


# --- People: list, add, read, change -----------------------------------------------------------------


def test_the_list_shows_only_people_you_may_see_and_audits_one_row_per_page(api):
    worker, location = staff(Role.CARE_WORKER)
    people = {name: PersonFactory(location=location, family_name=name) for name in ("Clarke", "Adams", "Brown")}
    mine = [people[name] for name in ("Adams", "Brown", "Clarke")]  # in name order, not the order added
    PersonFactory()  # at another organisation's location
    response = api(worker).get(url("api-people"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["public_id"] for row in body["results"]] == [str(p.public_id) for p in mine]
    assert body["results"][0]["location"] == {"public_id": str(location.public_id), "name": location.name}
    event = AuditEvent.objects.get()
    assert (event.action, event.via, event.actor) == (Action.LIST, "api", worker.user)
    assert event.details["ids"] == [str(p.public_id) for p in mine]


def test_the_list_pages_and_each_page_is_audited_with_the_ids_it_shows(api):
    worker, location = staff(Role.CARE_WORKER)
    PersonFactory.create_batch(3, location=location)
    script = api(worker)
    first = script.get(url("api-people"), {"page_size": 2}).json()
    second = script.get(url("api-people"), {"page_size": 2, "page": 2}).json()
    assert (first["count"], len(first["results"]), len(second["results"])) == (3, 2, 1)
    assert first["next"] and second["previous"]
    pages = [event.details["ids"] for event in AuditEvent.objects.order_by("id")]
    assert pages == [[row["public_id"] for row in page["results"]] for page in (first, second)]


def test_the_list_searches_by_name_and_nhs_number_and_filters_by_status_and_location(api):
    lead, home = staff()
    annexe = LocationFactory(organisation=lead.organisation)
    lead.locations.add(annexe)
    ada = PersonFactory(location=home, given_name="Ada", family_name="Lovelace")
    bert = PersonFactory(location=annexe, given_name="Bert", family_name="Jansch", status="in_hospital")
    script = api(lead)

    def ids(params):
        return [row["public_id"] for row in script.get(url("api-people"), params).json()["results"]]

    assert ids({"search": "lovel"}) == [str(ada.public_id)]
    assert ids({"search": rules.format_nhs_number(bert.nhs_number)}) == [str(bert.public_id)]
    assert ids({"status": "in_hospital"}) == [str(bert.public_id)]
    assert ids({"location": str(home.public_id)}) == [str(ada.public_id)]


def test_adding_a_person_returns_201_with_their_profile_and_is_audited_via_the_api(api):
    lead, location = staff()
    response = api(lead).post(url("api-people"), {
        "location": str(location.public_id), "given_name": "Ada", "family_name": "Lovelace",
        "preferred_name": "Addie", "nhs_number": "943 476 5919", "date_of_birth": "1940-12-10",
    })
    assert response.status_code == 201
    person = Person.objects.get()
    body = response.json()
    assert response["Location"] == url("api-person-detail", person.public_id)
    assert body["public_id"] == str(person.public_id)
    assert (body["display_name"], body["nhs_number"], body["version"]) == ("Addie Lovelace", "9434765919", 1)
    assert person.location == location
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert (event.person, event.via, event.actor) == (person, "api", lead.user)


def test_reading_a_profile_shows_its_version_and_is_audited(api):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    response = api(worker).get(url("api-person-detail", person.public_id))
    assert response.status_code == 200
    body = response.json()
    assert (body["public_id"], body["version"], body["nhs_number"]) == (str(person.public_id), 1, person.nhs_number)
    event = AuditEvent.objects.get()
    assert (event.action, event.person, event.via, event.details) == (Action.VIEW, person, "api", {"part": "profile"})


def test_changing_a_profile_bumps_the_version_and_audits_the_fields_changed(api):
    senior, location = staff(Role.SENIOR_CARER)
    person = PersonFactory(location=location, given_name="Mary", status="active",
                           status_since=timezone.localdate() - timedelta(days=400))
    response = api(senior).patch(url("api-person-detail", person.public_id),
                                 {"version": 1, "given_name": "Maria", "status": "in_hospital"})
    assert response.status_code == 200
    assert (response.json()["given_name"], response.json()["version"]) == ("Maria", 2)
    person.refresh_from_db()
    assert (person.given_name, person.status, person.status_since) == ("Maria", "in_hospital", timezone.localdate())
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert (event.via, event.details) == ("api", {"fields": ["given_name", "status", "status_since"]})


def test_a_session_that_has_passed_mfa_can_use_the_api(sign_in):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    client = sign_in(worker)
    assert client.get(url("api-people")).json()["count"] == 1
    assert client.get(url("api-person-detail", person.public_id)).status_code == 200
    assert set(AuditEvent.objects.values_list("via", flat=True)) == {"api"}


# --- About Me ----------------------------------------------------------------------------------------


def test_about_me_reads_blank_before_anything_is_written_and_writing_it_needs_no_earlier_read(api):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    script = api(worker)
    blank = script.get(url("api-about-me", person.public_id)).json()
    assert blank == {**{name: "" for name in AboutMe.SECTIONS}, "supported_by": "", "last_updated_on": None,
                     "version": 1}
    assert not AboutMe.objects.exists()  # a read writes nothing but the audit
    body = {**blank, "most_important": "My garden", "supported_by": "My daughter, Jo"}
    del body["last_updated_on"]
    response = script.put(url("api-about-me", person.public_id), body)
    assert response.status_code == 200
    assert response.json()["most_important"] == "My garden"
    assert (response.json()["version"], response.json()["last_updated_on"]) == (2, timezone.localdate().isoformat())
    about = AboutMe.objects.get()
    assert (about.supported_by, about.supported_by_user) == ("My daughter, Jo", worker.user)
    assert list(AuditEvent.objects.order_by("id").values_list("action", "via", "details")) == [
        (Action.VIEW, "api", {"part": "about-me"}),
        (Action.UPDATE, "api", {"fields": ["most_important", "supported_by"]}),
    ]


# --- A person's records ------------------------------------------------------------------------------


@pytest.mark.parametrize(("list_name", "detail_name", "part", "model", "factory", "body", "change"), KINDS,
                         ids=KIND_IDS)
def test_records_can_be_added_listed_read_changed_and_removed_and_each_step_is_audited(
    api, list_name, detail_name, part, model, factory, body, change
):
    senior, location = staff(Role.SENIOR_CARER)
    person = PersonFactory(location=location)
    script = api(senior)

    created = script.post(url(list_name, person.public_id), body)
    assert created.status_code == 201, created.json()
    record = model.objects.get()
    assert created.json()["public_id"] == str(record.public_id)
    listed = script.get(url(list_name, person.public_id)).json()
    assert [row["public_id"] for row in listed["results"]] == [str(record.public_id)]
    detail = url(detail_name, person.public_id, record.public_id)
    assert script.get(detail).json() == created.json()
    changed = script.patch(detail, change)
    assert changed.status_code == 200
    field, value = next(iter(change.items()))
    assert changed.json()[field] == value
    assert getattr(model.objects.get(), field) == value
    assert script.delete(detail).status_code == 204
    assert not model.objects.exists()
    assert script.get(detail).status_code == 404

    events = AuditEvent.objects.order_by("id")
    assert {event.via for event in events} == {"api"}
    assert {event.person for event in events} == {person}
    assert [(event.action, event.details) for event in events] == [
        (Action.CREATE, {"fields": sorted(body)}),
        (Action.VIEW, {"part": part}),
        (Action.VIEW, {"part": part}),
        (Action.UPDATE, {"fields": [field]}),
        (Action.DELETE, {}),
    ]


def test_equipment_says_whether_its_service_is_overdue(api):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    today = timezone.localdate()
    due_today = EquipmentItemFactory(person=person, item="Hoist", next_service_due=today)
    overdue = EquipmentItemFactory(person=person, item="Pendant", next_service_due=today - timedelta(days=1))
    EquipmentItemFactory(person=person, item="Walking frame", next_service_due=None)
    rows = api(worker).get(url("api-equipment", person.public_id)).json()["results"]
    assert {row["item"]: row["service_overdue"] for row in rows} == {
        "Pendant": True, "Hoist": False, "Walking frame": False}
    dated = [row["public_id"] for row in rows if row["next_service_due"]]  # where undated ones go varies by database
    assert dated == [str(overdue.public_id), str(due_today.public_id)]


def test_consent_says_whether_its_review_is_overdue(api):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    today = timezone.localdate()
    ConsentRecordFactory(person=person, subject="Photographs", recorded_on=today - timedelta(days=30),
                         review_on=today - timedelta(days=1))
    ConsentRecordFactory(person=person, subject="Sharing with the GP", recorded_on=today - timedelta(days=30),
                         review_on=today)
    rows = api(worker).get(url("api-consents", person.public_id)).json()["results"]
    assert {row["subject"]: row["review_overdue"] for row in rows} == {
        "Photographs": True, "Sharing with the GP": False}


# --- Query counts stay flat as the data grows (STYLE.md §10) ---------------------------------------------


def assert_flat(django_assert_num_queries, request, grow):
    request()  # warm: the token's last-used time is written at most once a minute
    with CaptureQueriesContext(connection) as captured:
        assert request().status_code == 200
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    grow()
    with django_assert_num_queries(few):
        assert request().status_code == 200


def test_people_list_queries_do_not_grow_with_people(api, django_assert_num_queries):
    worker, location = staff(Role.CARE_WORKER)
    PersonFactory.create_batch(2, location=location)
    script = api(worker)
    assert_flat(django_assert_num_queries, lambda: script.get(url("api-people")),
                lambda: PersonFactory.create_batch(30, location=location))


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_record_list_queries_do_not_grow_with_records(api, django_assert_num_queries, kind):
    list_name, _, _, _, factory, _, _ = kind
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    factory(person=person)
    script = api(worker)
    assert_flat(django_assert_num_queries, lambda: script.get(url(list_name, person.public_id)),
                lambda: factory.create_batch(30, person=person))


def test_detail_queries_do_not_grow_with_the_persons_records(api, django_assert_num_queries):
    worker, location = staff(Role.CARE_WORKER)
    person = PersonFactory(location=location)
    AboutMeFactory(person=person)
    contact = ContactFactory(person=person)
    script = api(worker)

    def grow():
        for _, _, _, _, factory, _, _ in KINDS:
            factory.create_batch(10, person=person)

    for target in [url("api-person-detail", person.public_id), url("api-about-me", person.public_id),
                   url("api-contact-detail", person.public_id, contact.public_id)]:
        assert_flat(django_assert_num_queries, lambda: script.get(target), grow)


# --- The schema documents the people endpoints -----------------------------------------------------------


def test_the_schema_documents_each_people_endpoints_request_and_response_bodies(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    people = {path: ops for path, ops in schema["paths"].items()
              if path.startswith("/api/v1/people/") and not path.endswith("/scores/")
              and "/assessments/" not in path  # scores and needs assessments: the assessments app's
              and "/capacity-assessments/" not in path  # mental capacity: the assessments app's
              and "/risks/" not in path  # risk assessments: the careplans app's
              and "/care-plan/" not in path  # care plans: the careplans app's
              and "/dols-applications/" not in path}  # DoLS: the assessments app's
    assert len(people) == 3 + 2 * len(KINDS)
    for path, operations in people.items():
        for method, operation in operations.items():
            if method in {"post", "put", "patch"}:
                assert "application/json" in operation["requestBody"]["content"], (method, path)
            if method != "get":
                assert "404" in operation["responses"] or path == "/api/v1/people/", (method, path)
    stale = schema["paths"]["/api/v1/people/{public_id}/"]["patch"]["responses"]
    assert "409" in stale
    equipment = schema["components"]["schemas"]["EquipmentOutput"]["properties"]
    assert equipment["service_overdue"]["type"] == "boolean"
