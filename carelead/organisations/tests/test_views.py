"""The organisation admin's pages: who may reach them, what they change, and flat query counts."""

import re

import pytest
from django.utils.html import escape
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.tests.factories import UserFactory
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations import services
from carelead.organisations.models import (
    CQC_LOCATION_ID_MESSAGE, Invitation, Location, Membership, OrganisationKind, SettingType,
)
from carelead.organisations.rules import hash_invitation_token
from carelead.organisations.tests.factories import (
    InvitationFactory, LocationFactory, MembershipFactory, OrganisationFactory,
)

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "plum-orchard-kettle-41"
ADMIN_PAGES = ["organisations:admin-home", "organisations:location-list", "organisations:location-new",
               "organisations:staff-list", "organisations:staff-invite"]


def admin_of(organisation=None):
    return MembershipFactory(role=Role.ORG_ADMIN, organisation=organisation or OrganisationFactory(),
                             all_locations=True)


def signed_in_client(user) -> Client:
    """A second browser, for tests where two people use the site at once."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def every_stored_value() -> str:
    """Every column of every row in the database, as text: to prove a secret is not stored."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            dump.extend(str(row) for row in cursor.fetchall())
    return "\n".join(dump)


def location_post(**overrides):
    data = {"name": "Rosewood House", "setting_type": SettingType.CARE_HOME, "cqc_location_id": "1-101614546",
            "address": "1 Rose Lane", "postcode": "ls1 4ap", "closed_on_0": "", "closed_on_1": "", "closed_on_2": ""}
    return {**data, **overrides}


def with_organisation(name, organisation):
    return f"{reverse(name)}?organisation={organisation.public_id}"


# --- Who may reach the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.REGISTERED_MANAGER, Role.LEAD_PRACTITIONER])
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_care_roles_cannot_reach_the_admin_pages(sign_in, role, name):
    client = sign_in(MembershipFactory(role=role))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.REGISTERED_MANAGER])
def test_care_roles_get_404_for_their_own_organisations_records_on_admin_urls(sign_in, role):
    member = MembershipFactory(role=role)
    client = sign_in(member)
    location = member.locations.get()
    assert client.get(reverse("organisations:location-edit", args=[location.public_id])).status_code == 404
    assert client.get(reverse("organisations:membership-edit", args=[member.public_id])).status_code == 404
    assert client.post(reverse("organisations:membership-end", args=[member.public_id])).status_code == 404
    member.refresh_from_db()
    assert member.ended_at is None


def test_an_admin_gets_404_for_another_organisations_location_and_nothing_changes(sign_in):
    client = sign_in(admin_of())
    theirs = LocationFactory(name="Theirs")
    url = reverse("organisations:location-edit", args=[theirs.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, location_post(name="Mine now")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and not AuditEvent.objects.exists()


def test_an_admin_gets_404_for_another_organisations_membership_and_nothing_changes(sign_in):
    client = sign_in(admin_of())
    theirs = MembershipFactory(role=Role.CARE_WORKER)
    for name in ("organisations:membership-edit", "organisations:membership-end"):
        assert client.get(reverse(name, args=[theirs.public_id])).status_code == 404
    assert client.post(reverse("organisations:membership-end", args=[theirs.public_id])).status_code == 404
    assert client.post(reverse("organisations:membership-edit", args=[theirs.public_id]),
                       {"role": Role.ORG_ADMIN, "all_locations": "on"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.ended_at is None and theirs.role == Role.CARE_WORKER


def test_an_admin_gets_404_for_another_organisations_invitation(sign_in):
    client = sign_in(admin_of())
    theirs = InvitationFactory()
    assert client.post(reverse("organisations:invitation-cancel", args=[theirs.public_id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.cancelled_at is None


@pytest.mark.parametrize("name", ["organisations:location-list", "organisations:staff-list",
                                  "organisations:staff-invite", "organisations:location-new"])
def test_choosing_another_organisation_is_a_404(sign_in, name):
    client = sign_in(admin_of())
    other = OrganisationFactory()
    assert client.get(with_organisation(name, other)).status_code == 404
    assert client.get(reverse(name) + "?organisation=not-a-uuid").status_code == 404


# --- Admin home -------------------------------------------------------------------------------


def test_admin_home_counts_each_organisation_the_admin_runs(sign_in):
    first = admin_of(OrganisationFactory(name="Alder Care"))
    second = MembershipFactory(user=first.user, role=Role.ORG_ADMIN, organisation=OrganisationFactory(name="Birch Care"),
                               all_locations=True)
    LocationFactory.create_batch(3, organisation=first.organisation)
    MembershipFactory.create_batch(2, organisation=first.organisation)
    InvitationFactory(organisation=first.organisation)
    InvitationFactory(organisation=first.organisation, expired=True)
    MembershipFactory(organisation=second.organisation, ended_at="2026-01-01T00:00Z")
    response = sign_in(first).get(reverse("organisations:admin-home"))
    assert response.status_code == 200
    alder, birch = response.context["organisations"]
    # Each staff membership brings its own location, and the invitation its location.
    assert (alder.open_locations, alder.current_staff, alder.open_invitations) == (3 + 2 + 2, 3, 1)
    assert (birch.open_locations, birch.current_staff, birch.open_invitations) == (1, 1, 0)
    assert f"?organisation={second.organisation.public_id}" in response.content.decode()


# --- Locations ---------------------------------------------------------------------------------


def test_an_admin_adds_a_location(sign_in):
    admin = admin_of()
    response = sign_in(admin).post(with_organisation("organisations:location-new", admin.organisation),
                                   location_post())
    assert response.status_code == 302
    assert response["Location"] == with_organisation("organisations:location-list", admin.organisation)
    location = Location.objects.get(name="Rosewood House")
    assert (location.organisation, location.postcode) == (admin.organisation, "LS1 4AP")


@pytest.mark.parametrize("cqc_id", ["1-12345678", "1-123456789012", "1-12345678a"])
def test_a_bad_cqc_location_id_is_shown_beside_the_field(sign_in, cqc_id):
    admin = admin_of()
    response = sign_in(admin).post(with_organisation("organisations:location-new", admin.organisation),
                                   location_post(cqc_location_id=cqc_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_cqc_location_id"' in html  # the error summary links to the field
    error = re.search(r'<span class="nhsuk-error-message" id="id_cqc_location_id-error">(.*?)</span>\s*<input',
                      html, re.S)
    assert error and CQC_LOCATION_ID_MESSAGE.replace("'", "&#x27;") in error.group(1)
    assert not Location.objects.exists()


def test_a_lead_pa_employers_second_location_is_refused_with_a_clear_message(sign_in):
    admin = admin_of(OrganisationFactory(kind=OrganisationKind.INDIVIDUAL_EMPLOYER))
    LocationFactory(organisation=admin.organisation, setting_type=SettingType.OWN_HOME)
    client = sign_in(admin)
    url = with_organisation("organisations:location-new", admin.organisation)
    assert 'value="own_home" checked' in client.get(url).content.decode()
    response = client.post(url, location_post(setting_type=SettingType.OWN_HOME))
    assert response.status_code == 200
    assert "it can have only one location" in response.content.decode()
    assert admin.organisation.locations.count() == 1


def test_an_admin_closes_a_location(sign_in):
    admin = admin_of()
    location = LocationFactory(organisation=admin.organisation)
    client = sign_in(admin)
    url = reverse("organisations:location-edit", args=[location.public_id])
    assert location.name in client.get(url).content.decode()
    response = client.post(url, location_post(name=location.name, closed_on_0="31", closed_on_1="3",
                                              closed_on_2="2026"))
    assert response.status_code == 302
    location.refresh_from_db()
    assert str(location.closed_on) == "2026-03-31"
    assert AuditEvent.objects.get().details["fields"] == ["address", "closed_on", "cqc_location_id"]


def test_a_half_entered_closing_date_is_an_error_beside_the_field(sign_in):
    admin = admin_of()
    location = LocationFactory(organisation=admin.organisation)
    response = sign_in(admin).post(reverse("organisations:location-edit", args=[location.public_id]),
                                   location_post(closed_on_0="31", closed_on_2="2026"))
    assert response.status_code == 200
    assert "must include a day, month and year" in response.content.decode()


def test_the_location_list_is_paginated_by_25(sign_in):
    admin = admin_of()
    LocationFactory.create_batch(30, organisation=admin.organisation)
    client = sign_in(admin)
    first = client.get(with_organisation("organisations:location-list", admin.organisation))
    assert len(first.context["page"].object_list) == 25
    second = client.get(with_organisation("organisations:location-list", admin.organisation) + "&page=2")
    assert len(second.context["page"].object_list) == 5


def test_location_list_queries_do_not_grow_with_locations(sign_in, django_assert_num_queries):
    admin = admin_of()
    LocationFactory.create_batch(2, organisation=admin.organisation)
    client, url = sign_in(admin), reverse("organisations:location-list")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    LocationFactory.create_batch(30, organisation=admin.organisation)
    with django_assert_num_queries(few):
        client.get(url)


def test_the_location_list_answers_htmx_with_the_results_only(sign_in):
    admin = admin_of()
    LocationFactory(organisation=admin.organisation, name="Willow Court")
    response = sign_in(admin).get(reverse("organisations:location-list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "Willow Court" in html
    assert "<html" not in html


# --- Staff -------------------------------------------------------------------------------------


def test_the_staff_list_shows_current_staff_only_and_filters_by_location_and_role(sign_in):
    admin = admin_of()
    north, south = LocationFactory.create_batch(2, organisation=admin.organisation)
    at_north = MembershipFactory(organisation=admin.organisation, locations=[north], role=Role.CARE_WORKER)
    at_south = MembershipFactory(organisation=admin.organisation, locations=[south], role=Role.SENIOR_CARER)
    ended = MembershipFactory(organisation=admin.organisation, locations=[north], ended_at="2026-01-01T00:00Z")
    MembershipFactory(role=Role.CARE_WORKER)  # another organisation
    client = sign_in(admin)
    url = with_organisation("organisations:staff-list", admin.organisation)

    def shown(query=""):
        return set(client.get(url + query).context["page"].object_list)

    assert shown() == {admin, at_north, at_south}
    assert ended not in shown()
    assert shown(f"&location={north.public_id}") == {admin, at_north}  # the admin covers every location
    assert shown(f"&role={Role.SENIOR_CARER}") == {at_south}
    assert shown("&role=nonsense") == {admin, at_north, at_south}  # a bad filter is ignored


def test_the_staff_list_filters_in_place_with_htmx(sign_in):
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation, role=Role.SENIOR_CARER)
    response = sign_in(admin).get(reverse("organisations:staff-list") + f"?role={Role.SENIOR_CARER}",
                                  HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and escape(worker.user.full_name) in html
    assert escape(admin.user.full_name) not in html and "Invitations not yet accepted" not in html


def test_staff_list_queries_do_not_grow_with_staff(sign_in, django_assert_num_queries):
    admin = admin_of()
    locations = LocationFactory.create_batch(3, organisation=admin.organisation)
    MembershipFactory.create_batch(2, organisation=admin.organisation, locations=locations)
    InvitationFactory(organisation=admin.organisation, locations=locations)
    client, url = sign_in(admin), reverse("organisations:staff-list")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    MembershipFactory.create_batch(30, organisation=admin.organisation, locations=locations)
    InvitationFactory.create_batch(5, organisation=admin.organisation, locations=locations)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25


def test_an_admin_invites_someone_by_email(sign_in, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://care.example.org"
    admin = admin_of()
    location = LocationFactory(organisation=admin.organisation, name="Willow Court")
    LocationFactory(organisation=admin.organisation, name="Closed House", closed_on="2025-01-01")
    client = sign_in(admin)
    url = with_organisation("organisations:staff-invite", admin.organisation)
    page = client.get(url).content.decode()
    assert "Willow Court" in page and "Closed House" not in page
    assert "Skills coach" not in page and "Care worker" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"full_name": "Amara Okafor", "email": "amara@example.org",
                                     "role": Role.CARE_WORKER, "locations": [str(location.public_id)]})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert list(invitation.locations.all()) == [location] and invitation.invited_by == admin.user
    (message,) = mail.outbox
    token = re.search(r"/organisation/invitations/([A-Za-z0-9_-]+)/", message.body).group(1)
    assert invitation.token_hash == hash_invitation_token(token)
    assert f"https://care.example.org/organisation/invitations/{token}/" in message.body
    assert token not in every_stored_value()  # only its hash is kept


def test_an_invitation_needs_locations_or_every_location(sign_in):
    admin = admin_of()
    response = sign_in(admin).post(with_organisation("organisations:staff-invite", admin.organisation),
                                   {"full_name": "Amara Okafor", "email": "amara@example.org",
                                    "role": Role.CARE_WORKER})
    assert response.status_code == 200
    assert "Select the locations they will work at, or select every location" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_admin_cancels_an_invitation(sign_in):
    admin = admin_of()
    invitation = InvitationFactory(organisation=admin.organisation)
    response = sign_in(admin).post(reverse("organisations:invitation-cancel", args=[invitation.public_id]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None


def test_an_admin_changes_someones_role(sign_in):
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation)
    location = worker.locations.get()
    response = sign_in(admin).post(reverse("organisations:membership-edit", args=[worker.public_id]), {
        "role": Role.LEAD_PRACTITIONER, "locations": [str(location.public_id)], "job_title": "Lead practitioner",
    })
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.role, worker.job_title) == (Role.LEAD_PRACTITIONER, "Lead practitioner")


def test_ending_a_membership_stops_access_at_once(sign_in):
    admin = admin_of()
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=admin.organisation)
    worker_client = signed_in_client(worker.user)
    assert worker_client.get(reverse("people:person-list")).status_code == 200
    admin_client = sign_in(admin)
    confirm = admin_client.get(reverse("organisations:membership-end", args=[worker.public_id]))
    assert "Are you sure you want to end" in confirm.content.decode()
    assert admin_client.post(reverse("organisations:membership-end", args=[worker.public_id])).status_code == 302
    assert worker_client.get(reverse("people:person-list")).status_code == 403


def test_an_admin_cannot_end_their_own_last_admin_membership(sign_in):
    admin = admin_of()
    response = sign_in(admin).post(reverse("organisations:membership-end", args=[admin.public_id]))
    assert response.status_code == 200
    assert "You are the only organisation admin" in response.content.decode()
    admin.refresh_from_db()
    assert admin.ended_at is None


# --- Accepting an invitation ----------------------------------------------------------------------


def accept_url(invitation):
    return reverse("organisations:invitation-accept", args=[invitation.token])


def accept_post(**overrides):
    return {"full_name": "Amara Okafor", "password": STRONG_PASSWORD, "password_again": STRONG_PASSWORD,
            **overrides}


def test_the_invitation_page_shows_the_organisation_and_role(client):
    invitation = InvitationFactory(role=Role.SENIOR_CARER)
    html = client.get(accept_url(invitation)).content.decode()
    assert invitation.organisation.name in html and "Senior carer" in html


def test_accepting_creates_the_account_signs_in_and_goes_to_authenticator_set_up(client):
    invitation = InvitationFactory(email="amara@example.org")
    response = client.post(accept_url(invitation), accept_post())
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mfa-enrol")
    membership = Membership.objects.get(user__email="amara@example.org")
    assert membership.organisation == invitation.organisation
    assert int(client.session["_auth_user_id"]) == membership.user.pk


def test_an_invitation_link_works_only_once(client):
    invitation = InvitationFactory()
    client.post(accept_url(invitation), accept_post())
    other = Client()
    for response in (other.get(accept_url(invitation)), other.post(accept_url(invitation), accept_post())):
        assert response.status_code == 410
        assert "This invitation link has expired or been used" in response.content.decode()
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("state", [{"expired": True}, {"cancelled_at": "2026-01-01T00:00Z"}])
def test_an_expired_or_cancelled_link_shows_a_clear_page(client, state):
    invitation = InvitationFactory(**state)
    response = client.post(accept_url(invitation), accept_post())
    assert response.status_code == 410
    assert "This invitation link has expired or been used" in response.content.decode()
    assert not Membership.objects.exists()


def test_a_made_up_link_shows_the_same_page(client):
    response = client.get(reverse("organisations:invitation-accept", args=["x" * 43]))
    assert response.status_code == 410


def test_a_weak_password_is_shown_beside_the_field(client):
    invitation = InvitationFactory()
    response = client.post(accept_url(invitation), accept_post(password="short", password_again="short"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_password-error"' in html and "too short" in html
    assert not Membership.objects.exists()
    assert "_auth_user_id" not in client.session


def test_someone_with_an_account_is_asked_to_sign_in_first(client):
    UserFactory(email="amara@example.org")
    invitation = InvitationFactory(email="amara@example.org")
    response = client.get(accept_url(invitation))
    html = response.content.decode()
    assert "Sign in to accept your invitation" in html
    assert reverse("accounts:sign-in") + "?next=" in html
    assert client.post(accept_url(invitation), accept_post()).status_code == 200
    assert not Membership.objects.exists()


def test_a_signed_in_invitee_accepts_and_gains_the_role(sign_in):
    existing = MembershipFactory(role=Role.CARE_WORKER)
    invitation = InvitationFactory(email=existing.user.email, role=Role.SENIOR_CARER)
    client = sign_in(existing)
    assert "Accept invitation" in client.get(accept_url(invitation)).content.decode()
    response = client.post(accept_url(invitation))
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert existing.user.memberships.filter(role=Role.SENIOR_CARER, organisation=invitation.organisation).exists()


def test_someone_signed_in_as_another_person_cannot_accept(sign_in):
    client = sign_in(MembershipFactory())
    invitation = InvitationFactory(email="amara@example.org")
    response = client.post(accept_url(invitation))
    assert response.status_code == 403
    assert "This invitation is for someone else" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_services_module_messages_are_used_by_the_pages():
    assert services.InvitationUnusable.message == "This invitation link has expired or been used"
