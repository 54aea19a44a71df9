"""The organisation API: the same scope and services as the pages; other organisations' objects are 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.accounts.models import ApiToken, hash_token
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations import services
from carelead.organisations.models import CQC_LOCATION_ID_MESSAGE, Location, Membership
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LOCATIONS = "/api/v1/locations/"
MEMBERSHIPS = "/api/v1/memberships/"


def admin_of(organisation=None, **kwargs):
    return MembershipFactory(role=Role.ORG_ADMIN, organisation=organisation or OrganisationFactory(),
                             all_locations=True, **kwargs)


def location_url(location):
    return reverse("api:api-location-detail", args=[location.public_id])


def membership_url(membership):
    return reverse("api:api-membership-detail", args=[membership.public_id])


def end_url(membership):
    return reverse("api:api-membership-end", args=[membership.public_id])


def new_location(**overrides):
    return {"name": "Rosewood House", "setting_type": "care_home", "cqc_location_id": "1-101614546",
            "postcode": "LS1 4AP", **overrides}


def test_the_urls_have_the_agreed_names():
    assert reverse("api:api-locations") == LOCATIONS and reverse("api:api-memberships") == MEMBERSHIPS


# --- Locations: negative cases first -------------------------------------------------------------


def test_a_care_worker_sees_only_their_own_locations(sign_in):
    worker = MembershipFactory(role=Role.CARE_WORKER)
    LocationFactory(organisation=worker.organisation)  # same organisation, not theirs
    LocationFactory()  # another organisation
    response = sign_in(worker).get(LOCATIONS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(worker.locations.get().public_id)]


def test_another_organisations_location_is_a_404(sign_in):
    client = sign_in(admin_of())
    theirs = LocationFactory(name="Theirs")
    assert client.get(location_url(theirs)).status_code == 404
    assert client.patch(location_url(theirs), {"name": "Mine"}, content_type="application/json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.REGISTERED_MANAGER])
def test_only_an_admin_may_add_or_change_a_location(sign_in, role):
    member = MembershipFactory(role=role)
    client = sign_in(member)
    assert client.post(LOCATIONS, new_location(), content_type="application/json").status_code == 403
    own = member.locations.get()
    response = client.patch(location_url(own), {"name": "Renamed"}, content_type="application/json")
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.name != "Renamed" and not Location.objects.filter(name="Rosewood House").exists()


@pytest.mark.parametrize("role", [Role.SKILLS_COACH, Role.EPA_ASSESSOR])
def test_roles_without_location_view_get_403_for_the_list(sign_in, role):
    assert sign_in(MembershipFactory(role=role)).get(LOCATIONS).status_code == 403


@pytest.mark.parametrize(("cqc_id", "status"), [
    ("1-12345678", 400), ("1-123456789", 201), ("1-12345678901", 201), ("1-123456789012", 400), ("1-1234S6789", 400),
])
def test_a_bad_cqc_location_id_is_a_400_naming_the_field(sign_in, cqc_id, status):
    admin = admin_of()
    response = sign_in(admin).post(LOCATIONS, new_location(cqc_location_id=cqc_id), content_type="application/json")
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"cqc_location_id": [CQC_LOCATION_ID_MESSAGE]}
        assert not Location.objects.filter(organisation=admin.organisation).exists()


def test_each_bad_field_is_named(sign_in):
    response = sign_in(admin_of()).post(
        LOCATIONS, {"setting_type": "castle", "closed_on": "31/02/2026", "colour": "blue"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "setting_type", "closed_on", "colour"}


def test_a_lead_pa_employers_location_must_be_own_home_through_the_api_too(sign_in):
    admin = admin_of(OrganisationFactory(lead_pa_employer=True))
    client = sign_in(admin)
    response = client.post(LOCATIONS, new_location(), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"setting_type": [services.OWN_HOME_MESSAGE]}
    assert client.post(LOCATIONS, new_location(setting_type="own_home"), content_type="application/json").status_code == 201
    response = client.post(LOCATIONS, new_location(setting_type="own_home"), content_type="application/json")
    assert response.json() == {"non_field_errors": [services.ONE_LOCATION_MESSAGE]}


def test_an_admin_of_two_organisations_names_which(sign_in):
    first = admin_of()
    second = admin_of(user=first.user)
    client = sign_in(first)
    response = client.post(LOCATIONS, new_location(), content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["organisation"]
    elsewhere = OrganisationFactory()
    response = client.post(LOCATIONS, new_location(organisation=str(elsewhere.public_id)),
                           content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["organisation"]
    response = client.post(LOCATIONS, new_location(organisation=str(second.organisation.public_id)),
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["organisation_id"] == str(second.organisation.public_id)
    assert not elsewhere.locations.exists()


# --- Locations: what works --------------------------------------------------------------------


def test_an_admin_lists_every_location_of_their_organisation(sign_in):
    admin = admin_of()
    ours = LocationFactory.create_batch(3, organisation=admin.organisation)
    LocationFactory()
    response = sign_in(admin).get(LOCATIONS)
    assert {row["id"] for row in response.json()["results"]} == {str(location.public_id) for location in ours}
    row = response.json()["results"][0]
    assert set(row) == {"id", "organisation_id", "organisation", "name", "setting_type", "setting_type_name",
                        "cqc_location_id", "address", "postcode", "closed_on"}


def test_an_admin_adds_and_changes_a_location(sign_in):
    admin = admin_of()
    client = sign_in(admin)
    response = client.post(LOCATIONS, new_location(), content_type="application/json")
    assert response.status_code == 201
    location = Location.objects.get(public_id=response.json()["id"])
    assert location.organisation == admin.organisation
    response = client.patch(location_url(location), {"closed_on": "2026-03-31"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["closed_on"] == "2026-03-31"
    assert [event.via for event in AuditEvent.objects.all()] == ["api", "api"]
    response = client.patch(location_url(location), {"organisation": str(OrganisationFactory().public_id)},
                            content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["organisation"]


def test_location_list_queries_do_not_grow_with_locations(sign_in, django_assert_num_queries):
    admin = admin_of()
    LocationFactory.create_batch(2, organisation=admin.organisation)
    client = sign_in(admin)
    client.get(LOCATIONS)
    with CaptureQueriesContext(connection) as captured:
        client.get(LOCATIONS)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    LocationFactory.create_batch(30, organisation=admin.organisation)
    with django_assert_num_queries(few):
        assert len(client.get(LOCATIONS).json()["results"]) == 32


# --- Memberships ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.REGISTERED_MANAGER, Role.LEAD_PRACTITIONER])
def test_only_admins_may_list_memberships(sign_in, role):
    member = MembershipFactory(role=role)
    client = sign_in(member)
    assert client.get(MEMBERSHIPS).status_code == 403
    assert client.get(membership_url(member)).status_code == 404
    assert client.post(end_url(member)).status_code == 404
    member.refresh_from_db()
    assert member.ended_at is None


def test_another_organisations_membership_is_a_404(sign_in):
    client = sign_in(admin_of())
    theirs = MembershipFactory()
    assert client.get(membership_url(theirs)).status_code == 404
    assert client.patch(membership_url(theirs), {"role": "org_admin"}, content_type="application/json").status_code == 404
    assert client.post(end_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.ended_at is None and theirs.role == Role.CARE_WORKER


def test_an_admin_lists_current_staff_of_their_organisation(sign_in):
    admin = admin_of()
    north = LocationFactory(organisation=admin.organisation)
    worker = MembershipFactory(organisation=admin.organisation, locations=[north])
    senior = MembershipFactory(organisation=admin.organisation, role=Role.SENIOR_CARER)
    MembershipFactory(organisation=admin.organisation, ended_at="2026-01-01T00:00Z")
    MembershipFactory()
    client = sign_in(admin)

    def ids(query=""):
        response = client.get(MEMBERSHIPS + query)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {str(m.public_id) for m in (admin, worker, senior)}
    assert ids("?role=senior_carer") == {str(senior.public_id)}
    assert ids(f"?location={north.public_id}") == {str(admin.public_id), str(worker.public_id)}
    assert ids(f"?organisation={OrganisationFactory().public_id}") == set()
    assert client.get(MEMBERSHIPS + f"?location={LocationFactory().public_id}").status_code == 400
    assert client.get(MEMBERSHIPS + "?role=king").status_code == 400


def test_an_admin_changes_a_role_and_locations(sign_in):
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation)
    second = LocationFactory(organisation=admin.organisation)
    client = sign_in(admin)
    response = client.patch(membership_url(worker), {"role": "senior_carer", "locations": [str(second.public_id)]},
                            content_type="application/json")
    assert response.status_code == 200
    assert response.json()["role"] == "senior_carer"
    assert [row["id"] for row in response.json()["locations"]] == [str(second.public_id)]
    response = client.patch(membership_url(worker), {"locations": [str(LocationFactory().public_id)]},
                            content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["locations"]
    response = client.patch(membership_url(worker), {"audit_access": True}, content_type="application/json")
    assert response.json() == {"audit_access": [services.AUDIT_ACCESS_ADMIN_ONLY_MESSAGE]}


def test_ending_a_membership_through_the_api_stops_the_persons_token_at_once(client, sign_in):
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation, role=Role.CARE_WORKER)
    key = ApiToken.new_key()
    ApiToken.objects.create(user=worker.user, name="Script", prefix=key[:8], key_hash=hash_token(key))
    assert client.get(LOCATIONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.logout()
    response = sign_in(admin).post(end_url(worker))
    assert response.status_code == 200 and response.json()["ended_at"]
    client.logout()
    assert client.get(LOCATIONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


def test_the_last_admin_cannot_end_their_own_membership_through_the_api(sign_in):
    admin = admin_of()
    response = sign_in(admin).post(end_url(admin))
    assert response.status_code == 400
    assert "You are the only organisation admin" in response.json()["non_field_errors"][0]
    assert Membership.objects.current().filter(pk=admin.pk).exists()


def test_membership_list_queries_do_not_grow_with_staff(sign_in, django_assert_num_queries):
    admin = admin_of()
    locations = LocationFactory.create_batch(3, organisation=admin.organisation)
    MembershipFactory.create_batch(2, organisation=admin.organisation, locations=locations)
    client = sign_in(admin)
    client.get(MEMBERSHIPS)
    with CaptureQueriesContext(connection) as captured:
        client.get(MEMBERSHIPS)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    MembershipFactory.create_batch(30, organisation=admin.organisation, locations=locations)
    with django_assert_num_queries(few):
        assert len(client.get(MEMBERSHIPS).json()["results"]) == 33


def test_the_schema_describes_the_organisation_api(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert {"/api/v1/locations/", "/api/v1/locations/{public_id}/", "/api/v1/memberships/",
            "/api/v1/memberships/{public_id}/", "/api/v1/memberships/{public_id}/end/"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/locations/"]) >= {"get", "post"}
    body = schema["components"]["schemas"]["LocationsInputRequest"]
    assert "cqc_location_id" in body["properties"] and body["required"] == ["name", "setting_type"]
