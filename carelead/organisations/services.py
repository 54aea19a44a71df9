"""Every change to an organisation: its locations, and who works there (memberships, invitations).

Audit is for people's records, but who changed access matters to the same trail: every change
here records an event with no person, keeping field names and ids, never values.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Perm, Role
from carelead.core.services import require
from carelead.organisations import rules
from carelead.organisations.models import (
    Invitation, Location, Membership, Organisation, OrganisationKind, SettingType,
)

LOCATION_FIELDS = ("name", "setting_type", "cqc_location_id", "address", "postcode", "closed_on")
MEMBERSHIP_FIELDS = ("role", "locations", "all_locations", "audit_access", "job_title")

ONE_LOCATION_MESSAGE = (
    "A Lead Personal Assistant's employer supports one person at their home, so it can have only one "
    "location. Change the existing location instead."
)
OWN_HOME_MESSAGE = (
    "Select person's own home: a Lead Personal Assistant's employer supports one person in their own home"
)
ROLE_NOT_OFFERED_MESSAGE = "Select a role this organisation can give"
NO_LOCATIONS_MESSAGE = "Select the locations they will work at, or select every location"
LOCATION_ELSEWHERE_MESSAGE = "Select locations of this organisation"
AUDIT_ACCESS_ADMIN_ONLY_MESSAGE = (
    "Only an organisation admin can be given access to who has seen people's records"
)
ALREADY_HAS_ROLE_MESSAGE = "This person already has this role at {organisation}. Change their role instead."
INVITATION_CLOSED_MESSAGE = "This invitation has already been accepted or cancelled"
MEMBERSHIP_ENDED_MESSAGE = "This person's role has already ended"
LAST_ADMIN_OWN_MESSAGE = (
    "You are the only organisation admin at {organisation}. Give someone else the organisation admin "
    "role before you end or change yours."
)
LAST_ADMIN_MESSAGE = (
    "{organisation} needs at least one organisation admin. Give someone else the organisation admin "
    "role first."
)
PASSWORDS_DIFFER_MESSAGE = "The passwords do not match. Enter the same password twice"

# Which roles each kind of organisation gives. Care organisations (and a Lead PA's employer) do not
# employ skills coaches, end-point assessors or internal quality assurers; a training provider employs
# only those and admins.
_CARE_ROLES = (
    Role.CARE_WORKER, Role.SENIOR_CARER, Role.LEAD_PRACTITIONER, Role.REGISTERED_MANAGER,
    Role.SAFEGUARDING_LEAD, Role.EMPLOYER_CONTACT, Role.ORG_ADMIN,
)
ROLES_BY_KIND = {
    OrganisationKind.CARE_PROVIDER: _CARE_ROLES,
    OrganisationKind.INDIVIDUAL_EMPLOYER: _CARE_ROLES,
    OrganisationKind.TRAINING_PROVIDER: (Role.SKILLS_COACH, Role.EPA_ASSESSOR, Role.IQA, Role.ORG_ADMIN),
}


class InvitationUnusable(Exception):
    """The link was used, cancelled, has expired, or never existed."""

    message = "This invitation link has expired or been used"


class InvitationNeedsSignIn(Exception):
    """Someone already has an account with the invited email: they sign in, then accept."""


class InvitationForSomeoneElse(Exception):
    """The signed-in user is not the person the invitation was sent to."""


def roles_offered(organisation: Organisation) -> list[tuple[str, str]]:
    """The roles this kind of organisation gives, as (value, label) choices."""
    return [(str(role), role.label) for role in ROLES_BY_KIND.get(organisation.kind, _CARE_ROLES)]


# --- Locations ---------------------------------------------------------------------------------


def _lead_pa_errors(location: Location, *, creating: bool) -> dict[str, list[str]]:
    """A Lead PA's employer: one location, at the person's own home."""
    organisation = location.organisation
    if not organisation.supports_one_person:
        return {}
    errors: dict[str, list[str]] = {}
    existing = organisation.locations.count() if creating else 0
    if rules.exceeds_one_location(supports_one_person=True, existing_locations=existing):
        errors["__all__"] = [ONE_LOCATION_MESSAGE]
    if location.setting_type and location.setting_type != SettingType.OWN_HOME:
        errors["setting_type"] = [OWN_HOME_MESSAGE]
    return errors


def _merge_model_errors(errors: dict[str, list[str]], instance, *, exclude=()) -> dict[str, list[str]]:
    """Add the model's own validation messages for fields that have no message of ours yet."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field not in errors:
                errors[field] = messages
    return errors


def _validate_location(location: Location, *, creating: bool) -> None:
    errors = _merge_model_errors(_lead_pa_errors(location, creating=creating), location)
    if errors:
        raise ValidationError(errors)


def _check_location_fields(fields: dict) -> None:
    unknown = set(fields) - set(LOCATION_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set on a location")


@transaction.atomic
def create_location(*, actor: Actor, organisation: Organisation, **fields) -> Location:
    """An organisation admin adds a location (a Lead PA's employer has one, the person's own home)."""
    require(actor, Perm.LOCATION_MANAGE, organisation_id=organisation.pk)
    _check_location_fields(fields)
    # Lock the organisation so two admins cannot both add a Lead PA employer's only location.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    location = Location(organisation=organisation, **fields)
    _validate_location(location, creating=True)
    location.save()
    audit.record(actor, Action.CREATE, location,
                 details={"fields": sorted(fields), "organisation": str(organisation.public_id)})
    return location


@transaction.atomic
def update_location(*, actor: Actor, location: Location, **changes) -> Location:
    """An organisation admin changes a location's details, or records the date it closed."""
    require(actor, Perm.LOCATION_MANAGE, organisation_id=location.organisation_id)
    _check_location_fields(changes)
    before = {name: getattr(location, name) for name in LOCATION_FIELDS}
    for name, value in changes.items():
        setattr(location, name, value)
    _validate_location(location, creating=False)
    changed = audit.changed_fields(before, {name: getattr(location, name) for name in LOCATION_FIELDS})
    if changed:
        location.save(update_fields=[*changed, "updated_at"])
        audit.record(actor, Action.UPDATE, location, details={"fields": changed})
    return location


REVIEW_INTERVAL_MESSAGE = "Enter a number of days from 1 to 366"


@transaction.atomic
def update_care_plan_settings(*, actor: Actor, organisation: Organisation, plan_review_interval_days: int) -> Organisation:
    """An organisation admin sets how often care plans are reviewed: a new plan's review cycle, and
    the date a completed needs assessment is due again (28 days unless changed; 1 to 366)."""
    require(actor, Perm.LOCATION_MANAGE, organisation_id=organisation.pk)
    days = plan_review_interval_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        raise ValidationError({"plan_review_interval_days": [REVIEW_INTERVAL_MESSAGE]})
    if organisation.plan_review_interval_days != days:
        organisation.plan_review_interval_days = days
        organisation.save(update_fields=["plan_review_interval_days", "updated_at"])
        audit.record(actor, Action.UPDATE, organisation, details={"fields": ["plan_review_interval_days"]})
    return organisation


@transaction.atomic
def register_organisation(*, name: str, kind: str, admin_user, first_location: dict | None = None) -> Organisation:
    """A new organisation with its first admin (every location, now and future), and a first location.

    Used by seeding and onboarding commands: the admin user is the actor.
    """
    organisation = Organisation(name=name, kind=kind)
    organisation.full_clean()
    organisation.save()
    membership = Membership.objects.create(
        user=admin_user, organisation=organisation, role=Role.ORG_ADMIN, all_locations=True
    )
    actor = Actor.command(admin_user)
    audit.record(actor, Action.CREATE, organisation, details={"kind": str(kind)})
    audit.record(actor, Action.CREATE, membership,
                 details={"role": str(Role.ORG_ADMIN), "organisation": str(organisation.public_id)})
    if first_location:
        create_location(actor=actor, organisation=organisation, **first_location)
    return organisation


# --- Memberships ----------------------------------------------------------------------------


def _membership_errors(organisation: Organisation, *, role: str, locations, all_locations: bool,
                       audit_access: bool) -> dict[str, list[str]]:
    """What makes a role at locations invalid for this organisation, field by field."""
    errors: dict[str, list[str]] = {}
    if role not in dict(roles_offered(organisation)):
        errors["role"] = [ROLE_NOT_OFFERED_MESSAGE]
    if not all_locations and not locations:
        errors["locations"] = [NO_LOCATIONS_MESSAGE]
    elif any(location.organisation_id != organisation.pk for location in locations):
        errors["locations"] = [LOCATION_ELSEWHERE_MESSAGE]
    if audit_access and role != Role.ORG_ADMIN:
        errors["audit_access"] = [AUDIT_ACCESS_ADMIN_ONLY_MESSAGE]
    return errors


def _admin_count(organisation: Organisation) -> int:
    """Current organisation admins, locked so two admins cannot remove each other at once."""
    return len(
        Membership.objects.select_for_update().current()
        .filter(organisation=organisation, role=Role.ORG_ADMIN).values_list("pk", flat=True)
    )


def _last_admin_message(actor: Actor, membership: Membership) -> str:
    template = LAST_ADMIN_OWN_MESSAGE if membership.user_id == actor.user.pk else LAST_ADMIN_MESSAGE
    return template.format(organisation=membership.organisation.name)


@transaction.atomic
def update_membership(*, actor: Actor, membership: Membership, **changes) -> Membership:
    """An organisation admin changes someone's role, locations, audit grant or job title."""
    require(actor, Perm.STAFF_MANAGE, organisation_id=membership.organisation_id)
    unknown = set(changes) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set on a membership")
    if not membership.is_current:
        raise ValidationError(MEMBERSHIP_ENDED_MESSAGE)
    scalar = [name for name in MEMBERSHIP_FIELDS if name != "locations"]
    before = {name: getattr(membership, name) for name in scalar}
    before["locations"] = sorted(membership.locations.values_list("pk", flat=True))
    locations = list(changes.pop("locations", membership.locations.all()))
    for name, value in changes.items():
        setattr(membership, name, value)
    if membership.all_locations:
        locations = []
    errors = _membership_errors(membership.organisation, role=membership.role, locations=locations,
                                all_locations=membership.all_locations, audit_access=membership.audit_access)
    if before["role"] == Role.ORG_ADMIN and membership.role != Role.ORG_ADMIN and rules.leaves_organisation_without_admin(
        current_admins=_admin_count(membership.organisation), losing=1
    ):
        errors.setdefault("role", []).append(_last_admin_message(actor, membership))
    _merge_model_errors(errors, membership, exclude=["user", "organisation", "ended_by"])
    if errors:
        raise ValidationError(errors)
    after = {name: getattr(membership, name) for name in scalar}
    after["locations"] = sorted(location.pk for location in locations)
    changed = audit.changed_fields(before, after)
    if changed:
        membership.save(update_fields=[*(name for name in changed if name != "locations"), "updated_at"])
        if "locations" in changed:
            membership.locations.set(locations)
        audit.record(actor, Action.UPDATE, membership, details={"fields": changed})
    return membership


@transaction.atomic
def end_membership(*, actor: Actor, membership: Membership) -> Membership:
    """End someone's role: their access stops from their next request. An organisation keeps one admin."""
    require(actor, Perm.STAFF_MANAGE, organisation_id=membership.organisation_id)
    if membership.role == Role.ORG_ADMIN and membership.is_current and rules.leaves_organisation_without_admin(
        current_admins=_admin_count(membership.organisation), losing=1
    ):
        raise ValidationError(_last_admin_message(actor, membership))
    now = timezone.now()
    ended = Membership.objects.filter(pk=membership.pk, ended_at__isnull=True).update(
        ended_at=now, ended_by=actor.user, updated_at=now
    )
    if not ended:
        raise ValidationError(MEMBERSHIP_ENDED_MESSAGE)
    membership.ended_at, membership.ended_by = now, actor.user
    audit.record(actor, Action.UPDATE, membership, details={"fields": ["ended_at", "ended_by"]})
    return membership


# --- Invitations ------------------------------------------------------------------------------


def _open_invitations(organisation: Organisation, email: str):
    return Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True
    )


@transaction.atomic
def invite_staff(*, actor: Actor, organisation: Organisation, email: str, full_name: str, role: str,
                 locations=(), all_locations: bool = False, audit_access: bool = False) -> tuple[Invitation, str]:
    """Invite someone by email to a role at locations: a one-time link, valid for a few days.

    Inviting an email again cancels its earlier open invitation, so only the newest link works.
    Returns the invitation and its token (shown nowhere: it goes only into the email).
    """
    require(actor, Perm.STAFF_MANAGE, organisation_id=organisation.pk)
    email = email.strip().lower()
    locations = [] if all_locations else list(locations)
    errors = _membership_errors(organisation, role=role, locations=locations, all_locations=all_locations,
                                audit_access=audit_access)
    if Membership.objects.current().filter(organisation=organisation, role=role, user__email__iexact=email).exists():
        errors.setdefault("email", []).append(ALREADY_HAS_ROLE_MESSAGE.format(organisation=organisation.name))
    now = timezone.now()
    token = rules.new_invitation_token()
    invitation = Invitation(
        organisation=organisation, email=email, full_name=full_name.strip(), role=role,
        all_locations=all_locations, audit_access=audit_access,
        token_hash=rules.hash_invitation_token(token), invited_by=actor.user,
        expires_at=rules.invitation_expires_at(sent_at=now, valid_days=settings.INVITATION_VALID_DAYS),
    )
    _merge_model_errors(errors, invitation, exclude=["organisation", "invited_by"])
    if errors:
        raise ValidationError(errors)
    for earlier in _open_invitations(organisation, email).select_for_update():
        Invitation.objects.filter(pk=earlier.pk).update(cancelled_at=now, updated_at=now)
        audit.record(actor, Action.UPDATE, earlier, details={"fields": ["cancelled_at"], "replaced": True})
    invitation.save()
    invitation.locations.set(locations)
    audit.record(actor, Action.CREATE, invitation,
                 details={"role": str(role), "organisation": str(organisation.public_id),
                          "locations": [str(location.public_id) for location in locations],
                          "all_locations": all_locations, "audit_access": audit_access})
    transaction.on_commit(partial(send_invitation_email, invitation_id=invitation.pk, token=token))
    return invitation, token


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("organisations:invitation-accept", args=[token])


def send_invitation_email(*, invitation_id: int, token: str) -> None:
    """Email the one-time link. Runs after the invitation is saved (on commit)."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    expires = dateformat.format(timezone.localtime(invitation.expires_at), "j M Y")
    body = (
        f"Hello {invitation.full_name},\n\n"
        f"{invitation.invited_by.full_name} has invited you to join {invitation.organisation.name} on carelead "
        f"as {invitation.get_role_display().lower()}.\n\n"
        f"To accept, open this link and set your password:\n{invitation_url(token)}\n\n"
        f"The link works once and expires on {expires}. If you were not expecting this email, ignore it.\n"
    )
    send_mail(f"Join {invitation.organisation.name} on carelead", body, None, [invitation.email])


@transaction.atomic
def cancel_invitation(*, actor: Actor, invitation: Invitation) -> Invitation:
    """An organisation admin withdraws an invitation: its link stops working at once."""
    require(actor, Perm.STAFF_MANAGE, organisation_id=invitation.organisation_id)
    now = timezone.now()
    cancelled = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=now, updated_at=now)
    if not cancelled:
        raise ValidationError(INVITATION_CLOSED_MESSAGE)
    invitation.cancelled_at = now
    audit.record(actor, Action.UPDATE, invitation, details={"fields": ["cancelled_at"]})
    return invitation


def _new_user(invitation: Invitation, *, full_name: str, password: str, password_again: str):
    """The invitee's account, with a password that passes the site's password rules."""
    User = get_user_model()
    user = User(email=invitation.email, full_name=full_name.strip())
    errors = _merge_model_errors({}, user, exclude=["password", "email"])
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = error.messages
    if password != password_again:
        errors["password_again"] = [PASSWORDS_DIFFER_MESSAGE]
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def accept_invitation(*, token: str, user=None, full_name: str = "", password: str = "",
                      password_again: str = "", ip_address: str | None = None) -> Membership:
    """Use a one-time invitation link: create the account (or use the signed-in one) and the role.

    The link is claimed by a conditional update, so two tabs accepting at once give one membership.
    """
    invitation = Invitation.objects.select_related("organisation").filter(
        token_hash=rules.hash_invitation_token(token)
    ).first()
    now = timezone.now()
    if invitation is None or not invitation.is_usable(now):
        raise InvitationUnusable()
    if user is not None and user.email.lower() != invitation.email.lower():
        raise InvitationForSomeoneElse()
    if user is None and get_user_model().objects.filter(email__iexact=invitation.email).exists():
        raise InvitationNeedsSignIn()
    if user is None:
        user = _new_user(invitation, full_name=full_name, password=password, password_again=password_again)
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, updated_at=now)
    if not claimed:
        raise InvitationUnusable()
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role,
        all_locations=invitation.all_locations, audit_access=invitation.audit_access,
    )
    membership.locations.set(invitation.locations.all())
    actor = Actor(user=user, ip_address=ip_address, via="web")
    audit.record(actor, Action.CREATE, membership,
                 details={"role": invitation.role, "invitation": str(invitation.public_id)})
    return membership
