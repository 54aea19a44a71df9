"""Services: each checks who may, validates, saves atomically and leaves an audit event (person=None)."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Perm, Role
from carelead.organisations import services
from carelead.organisations.models import (
    CQC_LOCATION_ID_MESSAGE, Invitation, Location, Membership, Organisation, OrganisationKind, SettingType,
)
from carelead.organisations.rules import hash_invitation_token
from carelead.organisations.selectors import holds_anywhere
from carelead.organisations.tests.factories import (
    InvitationFactory, LocationFactory, MembershipFactory, OrganisationFactory,
)

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "plum-orchard-kettle-41"


def admin_of(organisation=None, **kwargs):
    organisation = organisation or OrganisationFactory()
    return MembershipFactory(role=Role.ORG_ADMIN, organisation=organisation, all_locations=True, **kwargs)


def actor(membership) -> Actor:
    return Actor(user=membership.user, ip_address="192.0.2.1")


def location_fields(**overrides):
    return {"name": "Rosewood House", "setting_type": SettingType.CARE_HOME, "cqc_location_id": "1-101614546",
            "address": "1 Rose Lane\nLeeds", "postcode": "LS1 4AP", **overrides}


# --- Locations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.REGISTERED_MANAGER, Role.LEAD_PRACTITIONER])
def test_only_an_organisation_admin_may_add_a_location(role):
    member = MembershipFactory(role=role)
    with pytest.raises(NotAllowed):
        services.create_location(actor=actor(member), organisation=member.organisation, **location_fields())
    assert not Location.objects.filter(name="Rosewood House").exists()
    assert not AuditEvent.objects.exists()


def test_an_admin_cannot_add_a_location_to_another_organisation():
    admin = admin_of()
    elsewhere = OrganisationFactory()
    with pytest.raises(NotAllowed):
        services.create_location(actor=actor(admin), organisation=elsewhere, **location_fields())
    assert not elsewhere.locations.exists()


def test_an_admin_adds_a_location_and_the_audit_records_who():
    admin = admin_of()
    location = services.create_location(actor=actor(admin), organisation=admin.organisation, **location_fields())
    assert location.organisation == admin.organisation
    event = AuditEvent.objects.get()
    assert (event.actor, event.person, event.action) == (admin.user, None, Action.CREATE)
    assert event.subject == f"organisations.Location:{location.public_id}"
    assert event.details["fields"] == sorted(location_fields())
    assert "Rosewood" not in str(event.details)  # names of fields, never values


@pytest.mark.parametrize(("cqc_id", "valid"), [
    ("", True),
    ("1-12345678", False),        # 8 digits: too short
    ("1-123456789", True),        # 9 digits
    ("1-1234567890", True),       # 10 digits
    ("1-12345678901", True),      # 11 digits
    ("1-123456789012", False),    # 12 digits: too long
    ("1-12345678a", False),       # letters
    ("1-ABCDEFGHIJ", False),
    ("2-123456789", False),       # CQC location IDs start 1-
    ("123456789", False),
    (" 1-123456789", False),
])
def test_cqc_location_id_is_1_dash_then_9_to_11_digits(cqc_id, valid):
    admin = admin_of()
    create = lambda: services.create_location(  # noqa: E731
        actor=actor(admin), organisation=admin.organisation, **location_fields(cqc_location_id=cqc_id)
    )
    if valid:
        assert create().cqc_location_id == cqc_id
        return
    with pytest.raises(ValidationError) as error:
        create()
    assert error.value.message_dict == {"cqc_location_id": [CQC_LOCATION_ID_MESSAGE]}
    assert not Location.objects.exists() and not AuditEvent.objects.exists()


def test_changing_a_location_records_only_the_fields_that_changed():
    admin = admin_of()
    location = LocationFactory(organisation=admin.organisation, name="Old name")
    services.update_location(actor=actor(admin), location=location, name="New name", postcode=location.postcode,
                             closed_on=date(2026, 3, 31))
    location.refresh_from_db()
    assert (location.name, location.closed_on) == ("New name", date(2026, 3, 31))
    event = AuditEvent.objects.get()
    assert event.action == Action.UPDATE and event.details == {"fields": ["closed_on", "name"]}


def test_saving_a_location_unchanged_records_nothing():
    admin = admin_of()
    location = LocationFactory(organisation=admin.organisation)
    services.update_location(actor=actor(admin), location=location, name=location.name)
    assert not AuditEvent.objects.exists()


def test_an_admin_cannot_change_another_organisations_location():
    admin = admin_of()
    location = LocationFactory(name="Theirs")
    with pytest.raises(NotAllowed):
        services.update_location(actor=actor(admin), location=location, name="Mine now")
    location.refresh_from_db()
    assert location.name == "Theirs"


def test_a_location_field_outside_the_list_is_refused():
    admin = admin_of()
    location = LocationFactory(organisation=admin.organisation)
    with pytest.raises(ValueError):
        services.update_location(actor=actor(admin), location=location, organisation=OrganisationFactory())


# --- A Lead Personal Assistant's employer: one person, at home ----------------------------------------


def test_a_lead_pa_employers_location_must_be_the_persons_own_home():
    admin = admin_of(OrganisationFactory(lead_pa_employer=True))
    with pytest.raises(ValidationError) as error:
        services.create_location(actor=actor(admin), organisation=admin.organisation,
                                 **location_fields(setting_type=SettingType.CARE_HOME))
    assert error.value.message_dict == {"setting_type": [services.OWN_HOME_MESSAGE]}
    assert not Location.objects.exists()


def test_a_lead_pa_employer_has_only_one_location():
    admin = admin_of(OrganisationFactory(lead_pa_employer=True))
    home = services.create_location(actor=actor(admin), organisation=admin.organisation,
                                    **location_fields(name="Home", setting_type=SettingType.OWN_HOME, cqc_location_id=""))
    with pytest.raises(ValidationError) as error:
        services.create_location(actor=actor(admin), organisation=admin.organisation,
                                 **location_fields(name="Second home", setting_type=SettingType.OWN_HOME))
    assert error.value.message_dict == {"__all__": [services.ONE_LOCATION_MESSAGE]}
    assert list(admin.organisation.locations.all()) == [home]


def test_a_lead_pa_employers_home_cannot_become_a_care_home():
    admin = admin_of(OrganisationFactory(lead_pa_employer=True))
    home = LocationFactory(organisation=admin.organisation, setting_type=SettingType.OWN_HOME)
    services.update_location(actor=actor(admin), location=home, name="Mrs Patel's home")  # other changes are fine
    with pytest.raises(ValidationError) as error:
        services.update_location(actor=actor(admin), location=home, setting_type=SettingType.CARE_HOME)
    assert error.value.message_dict == {"setting_type": [services.OWN_HOME_MESSAGE]}
    home.refresh_from_db()
    assert home.setting_type == SettingType.OWN_HOME


def test_a_care_provider_may_have_many_locations_of_any_type():
    admin = admin_of()
    for n, setting in enumerate([SettingType.CARE_HOME, SettingType.HOME_CARE, SettingType.OWN_HOME]):
        services.create_location(actor=actor(admin), organisation=admin.organisation,
                                 **location_fields(name=f"Place {n}", setting_type=setting, cqc_location_id=""))
    assert admin.organisation.locations.count() == 3


def test_registering_an_organisation_makes_its_first_admin_and_location():
    user = UserFactory()
    organisation = services.register_organisation(
        name="Sunrise Care Ltd", kind=OrganisationKind.CARE_PROVIDER, admin_user=user,
        first_location=location_fields(),
    )
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role, membership.all_locations) == (user, Role.ORG_ADMIN, True)
    assert organisation.locations.get().name == "Rosewood House"
    assert holds_anywhere(user, Perm.LOCATION_MANAGE)
    assert AuditEvent.objects.filter(actor=user, via="command").count() == 3


def test_registering_a_lead_pa_employer_in_a_care_home_saves_nothing():
    with pytest.raises(ValidationError):
        services.register_organisation(
            name="Employer", kind=OrganisationKind.INDIVIDUAL_EMPLOYER, admin_user=UserFactory(),
            first_location=location_fields(setting_type=SettingType.CARE_HOME),
        )
    assert not Organisation.objects.exists() and not Membership.objects.exists()


# --- Memberships --------------------------------------------------------------------------------


def test_an_admin_changes_someones_role_and_locations():
    admin = admin_of()
    first, second = LocationFactory.create_batch(2, organisation=admin.organisation)
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=admin.organisation, locations=[first])
    services.update_membership(actor=actor(admin), membership=worker, role=Role.SENIOR_CARER,
                               locations=[first, second], job_title="Senior carer (nights)")
    worker.refresh_from_db()
    assert worker.role == Role.SENIOR_CARER and set(worker.locations.all()) == {first, second}
    event = AuditEvent.objects.get()
    assert event.details == {"fields": ["job_title", "locations", "role"]}
    assert event.subject == f"organisations.Membership:{worker.public_id}"


def test_a_membership_cannot_name_another_organisations_location():
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation)
    with pytest.raises(ValidationError) as error:
        services.update_membership(actor=actor(admin), membership=worker, locations=[LocationFactory()])
    assert error.value.message_dict == {"locations": [services.LOCATION_ELSEWHERE_MESSAGE]}


def test_only_an_organisation_admin_can_see_who_has_seen_records_by_grant():
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation)
    with pytest.raises(ValidationError) as error:
        services.update_membership(actor=actor(admin), membership=worker, audit_access=True)
    assert error.value.message_dict == {"audit_access": [services.AUDIT_ACCESS_ADMIN_ONLY_MESSAGE]}
    other_admin = admin_of(admin.organisation)
    services.update_membership(actor=actor(admin), membership=other_admin, audit_access=True)
    assert holds_anywhere(other_admin.user, Perm.AUDIT_VIEW)


def test_an_admin_of_another_organisation_cannot_change_a_membership():
    admin = admin_of()
    worker = MembershipFactory()
    with pytest.raises(NotAllowed):
        services.update_membership(actor=actor(admin), membership=worker, role=Role.ORG_ADMIN)
    worker.refresh_from_db()
    assert worker.role == Role.CARE_WORKER


def test_the_last_admin_cannot_give_up_the_admin_role():
    admin = admin_of()
    with pytest.raises(ValidationError) as error:
        services.update_membership(actor=actor(admin), membership=admin, role=Role.REGISTERED_MANAGER)
    assert "You are the only organisation admin" in error.value.message_dict["role"][0]
    admin.refresh_from_db()
    assert admin.role == Role.ORG_ADMIN


def test_ending_a_membership_stops_access_at_once_and_is_audited():
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation)
    assert holds_anywhere(worker.user, Perm.PERSON_VIEW)
    services.end_membership(actor=actor(admin), membership=worker)
    worker.refresh_from_db()
    assert worker.ended_at is not None and worker.ended_by == admin.user
    assert not holds_anywhere(worker.user, Perm.PERSON_VIEW)
    event = AuditEvent.objects.get()
    assert event.action == Action.UPDATE and event.details == {"fields": ["ended_at", "ended_by"]}


def test_an_admin_cannot_end_their_own_last_admin_membership():
    admin = admin_of()
    with pytest.raises(ValidationError) as error:
        services.end_membership(actor=actor(admin), membership=admin)
    assert error.value.messages == [services.LAST_ADMIN_OWN_MESSAGE.format(organisation=admin.organisation.name)]
    admin.refresh_from_db()
    assert admin.ended_at is None and not AuditEvent.objects.exists()


def test_an_admin_may_end_their_own_membership_when_another_admin_remains():
    admin = admin_of()
    admin_of(admin.organisation)
    services.end_membership(actor=actor(admin), membership=admin)
    assert not holds_anywhere(admin.user, Perm.STAFF_MANAGE)


def test_an_ended_membership_cannot_be_ended_again():
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation, ended_at=timezone.now())
    with pytest.raises(ValidationError):
        services.end_membership(actor=actor(admin), membership=worker)


# --- Invitations --------------------------------------------------------------------------------


def invite(admin, **overrides):
    fields = {"email": "New.Starter@Example.org", "full_name": "Amara Okafor", "role": Role.CARE_WORKER,
              "locations": [LocationFactory(organisation=admin.organisation)], **overrides}
    return services.invite_staff(actor=actor(admin), organisation=admin.organisation, **fields)


def test_an_invitation_stores_only_the_hash_of_its_token_and_emails_the_link(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://care.example.org"
    admin = admin_of()
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(admin)
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_invitation_token(token) and token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.email == "new.starter@example.org"
    days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
    assert settings.INVITATION_VALID_DAYS - 0.01 < days <= settings.INVITATION_VALID_DAYS
    (message,) = mail.outbox
    assert message.to == ["new.starter@example.org"]
    assert "https://care.example.org" + reverse("organisations:invitation-accept", args=[token]) in message.body
    assert AuditEvent.objects.get().subject == f"organisations.Invitation:{invitation.public_id}"
    assert token not in str(AuditEvent.objects.get().details)


def test_no_email_is_sent_when_the_invitation_is_refused(django_capture_on_commit_callbacks):
    admin = admin_of()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invite(admin, locations=[], all_locations=False)
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_inviting_an_email_again_cancels_the_open_invitation():
    admin = admin_of()
    first, first_token = invite(admin)
    second, second_token = invite(admin, email="new.starter@example.org", role=Role.SENIOR_CARER)
    first.refresh_from_db()
    assert first.cancelled_at is not None and second.is_usable()
    with pytest.raises(services.InvitationUnusable):
        services.accept_invitation(token=first_token, full_name="Amara Okafor", password=STRONG_PASSWORD,
                                   password_again=STRONG_PASSWORD)


@pytest.mark.parametrize("role", [Role.SKILLS_COACH, Role.EPA_ASSESSOR])
def test_a_care_provider_does_not_give_training_provider_roles(role):
    admin = admin_of()
    with pytest.raises(ValidationError) as error:
        invite(admin, role=role)
    assert error.value.message_dict == {"role": [services.ROLE_NOT_OFFERED_MESSAGE]}


def test_someone_who_already_has_the_role_is_not_invited_again():
    admin = admin_of()
    worker = MembershipFactory(organisation=admin.organisation, role=Role.CARE_WORKER)
    with pytest.raises(ValidationError) as error:
        invite(admin, email=worker.user.email.upper())
    assert list(error.value.message_dict) == ["email"]


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.REGISTERED_MANAGER])
def test_only_an_admin_may_invite(role):
    member = MembershipFactory(role=role)
    with pytest.raises(NotAllowed):
        services.invite_staff(actor=actor(member), organisation=member.organisation, email="a@example.org",
                              full_name="A", role=Role.CARE_WORKER, all_locations=True)
    assert not Invitation.objects.exists()


def test_accepting_creates_the_account_and_the_membership_it_describes():
    location = LocationFactory()
    invitation = InvitationFactory(organisation=location.organisation, role=Role.ORG_ADMIN, locations=[location],
                                   audit_access=True, email="amara@example.org")
    membership = services.accept_invitation(token=invitation.token, full_name="Amara Okafor",
                                            password=STRONG_PASSWORD, password_again=STRONG_PASSWORD)
    user = membership.user
    assert (user.email, user.full_name) == ("amara@example.org", "Amara Okafor")
    assert user.check_password(STRONG_PASSWORD)
    assert (membership.role, membership.audit_access, list(membership.locations.all())) == (
        Role.ORG_ADMIN, True, [location])
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    event = AuditEvent.objects.get()
    assert (event.actor, event.action) == (user, Action.CREATE)


def test_an_invitation_link_works_once():
    invitation = InvitationFactory()
    services.accept_invitation(token=invitation.token, full_name="A Person", password=STRONG_PASSWORD,
                               password_again=STRONG_PASSWORD)
    with pytest.raises(services.InvitationUnusable):
        services.accept_invitation(token=invitation.token, user=Membership.objects.get().user)
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("state", [
    {"expired": True}, {"cancelled_at": timezone.now()}, {"accepted_at": timezone.now()},
])
def test_an_expired_cancelled_or_used_link_is_refused(state):
    invitation = InvitationFactory(**state)
    with pytest.raises(services.InvitationUnusable):
        services.accept_invitation(token=invitation.token, full_name="A Person", password=STRONG_PASSWORD,
                                   password_again=STRONG_PASSWORD)
    assert not Membership.objects.exists()


def test_a_made_up_token_is_refused():
    with pytest.raises(services.InvitationUnusable):
        services.accept_invitation(token="not-a-real-token", full_name="A", password=STRONG_PASSWORD,
                                   password_again=STRONG_PASSWORD)


@pytest.mark.parametrize(("password", "again", "field"), [
    ("short", "short", "password"),
    ("password1234", "password1234", "password"),   # too common
    ("40938475629384", "40938475629384", "password"),  # all numbers
    (STRONG_PASSWORD, STRONG_PASSWORD + "x", "password_again"),
])
def test_the_password_must_pass_the_sites_rules(password, again, field):
    invitation = InvitationFactory()
    with pytest.raises(ValidationError) as error:
        services.accept_invitation(token=invitation.token, full_name="A Person", password=password,
                                   password_again=again)
    assert field in error.value.message_dict
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not Membership.objects.exists()


def test_someone_with_an_account_must_sign_in_to_accept():
    user = UserFactory(email="amara@example.org")
    invitation = InvitationFactory(email="amara@example.org")
    with pytest.raises(services.InvitationNeedsSignIn):
        services.accept_invitation(token=invitation.token, full_name="x", password=STRONG_PASSWORD,
                                   password_again=STRONG_PASSWORD)
    membership = services.accept_invitation(token=invitation.token, user=user)
    assert membership.user == user and membership.organisation == invitation.organisation


def test_a_signed_in_user_cannot_accept_someone_elses_invitation():
    invitation = InvitationFactory(email="amara@example.org")
    with pytest.raises(services.InvitationForSomeoneElse):
        services.accept_invitation(token=invitation.token, user=UserFactory(email="other@example.org"))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_admin_cancels_an_invitation():
    admin = admin_of()
    invitation = InvitationFactory(organisation=admin.organisation)
    services.cancel_invitation(actor=actor(admin), invitation=invitation)
    with pytest.raises(services.InvitationUnusable):
        services.accept_invitation(token=invitation.token, full_name="A", password=STRONG_PASSWORD,
                                   password_again=STRONG_PASSWORD)
    with pytest.raises(ValidationError):
        services.cancel_invitation(actor=actor(admin), invitation=invitation)


def test_an_admin_cannot_cancel_another_organisations_invitation():
    admin = admin_of()
    invitation = InvitationFactory()
    with pytest.raises(NotAllowed):
        services.cancel_invitation(actor=actor(admin), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None
