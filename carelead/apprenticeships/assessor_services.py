"""Granting and revoking an independent end-point assessor's read-only, time-limited access to one
apprentice's gateway portfolio (issue 6 "End-point assessment"; assessor_rules states the window).

Who the assessor is. The grant names a user who already holds a current membership with the role
End-point assessor (Role.EPA_ASSESSOR). That role carries NO permission (core.permissions), so the
membership opens nothing by itself: only a grant does, for one apprenticeship and a few months. The
least-privilege home for that membership is the assessment organisation's own organisation (an
EPAO is set up as a training-provider organisation, the only kind that offers the role, see
organisations.services.ROLES_BY_KIND): the assessor is then not staff of the provider at all. A
membership at the apprenticeship's provider works too, for providers whose EPAO has no carelead
organisation; it is equally empty. The account is created by that organisation's admin through
the existing staff invitation (organisations.services.invite_staff, which needs STAFF_MANAGE); the
coach is never given the power to create accounts or memberships, so a grant to an unknown email
is refused in words that say who to ask.
"""

from datetime import date
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships import assessor_rules
from carelead.apprenticeships.models import Apprenticeship, AssessorAccess, Party
from carelead.apprenticeships.parties import parties_of, require_open, require_party
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.permissions import Role

GATEWAY_NOT_SET = "Confirm the gateway date first: an end-point assessor sees the portfolio only after gateway."
NO_ASSESSOR = ("Nobody with this email address is an end-point assessor on carelead. Ask the admin of their "
               "assessment organisation (or of your training provider) to invite them with the role "
               "'End-point assessor', then grant access.")
NOT_INDEPENDENT = ("The end-point assessor must be independent: not the apprentice, their coach or anyone who acts "
                   "for their employer. Enter the email of the assessor the assessment organisation named.")
OVERLAPS = "This assessor already has access to this apprenticeship for some of these dates ({start} to {end})."
REASON_REQUIRED = "Enter why you are stopping this assessor's access."
ALREADY_REVOKED = "This assessor's access has already been stopped."


def current_assessor(email: str):
    """The user with this email who holds a current End-point assessor membership anywhere, or None."""
    return get_user_model().objects.filter(
        email__iexact=email.strip(), memberships__role=Role.EPA_ASSESSOR, memberships__ended_at__isnull=True,
    ).distinct().first()


def _check_assessor(apprenticeship: Apprenticeship, email: str):
    assessor = current_assessor(email or "")
    if assessor is None:
        raise ValidationError({"email": [NO_ASSESSOR]})
    if assessor.pk in (apprenticeship.apprentice_id, apprenticeship.coach_id) or parties_of(assessor, apprenticeship):
        raise ValidationError({"email": [NOT_INDEPENDENT]})
    return assessor


@transaction.atomic
def grant_assessor_access(*, actor: Actor, apprenticeship: Apprenticeship, email: str, starts_on: date,
                          ends_on: date, today: date | None = None) -> AssessorAccess:
    """The apprentice's coach gives a named end-point assessor read-only access to this apprenticeship's
    gateway portfolio from `starts_on` to `ends_on` inclusive, once the gateway date is confirmed."""
    today = today or timezone.localdate()
    require_party(actor, apprenticeship, Party.PROVIDER)
    require_open(apprenticeship)
    if apprenticeship.gateway_date is None:
        raise ValidationError(GATEWAY_NOT_SET)
    assessor = _check_assessor(apprenticeship, email)
    if errors := assessor_rules.access_window_errors(starts_on=starts_on, ends_on=ends_on,
                                                     gateway_date=apprenticeship.gateway_date, today=today):
        raise ValidationError(errors)
    # Two grants at once would each see no overlap: the apprenticeship row serialises them.
    Apprenticeship.objects.select_for_update().filter(pk=apprenticeship.pk).first()
    overlapping = AssessorAccess.objects.select_for_update().filter(
        Q(starts_on__lte=ends_on) & Q(ends_on__gte=starts_on), apprenticeship=apprenticeship, assessor=assessor,
        revoked_at__isnull=True).first()
    if overlapping is not None:
        raise ValidationError({"starts_on": [OVERLAPS.format(start=assessor_rules.day_label(overlapping.starts_on),
                                                             end=assessor_rules.day_label(overlapping.ends_on))]})
    grant = AssessorAccess(apprenticeship=apprenticeship, assessor=assessor, starts_on=starts_on, ends_on=ends_on,
                           granted_by=actor.user)
    grant.full_clean()
    grant.save()
    audit.record(actor, Action.CREATE, grant, details={
        "apprenticeship": str(apprenticeship.public_id), "assessor": assessor.pk,
        "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()})
    transaction.on_commit(partial(send_access_email, grant_id=grant.pk))
    return grant


def send_access_email(*, grant_id: int) -> None:
    """Tell the assessor where to read the portfolio and until when (on commit). The email names the
    apprentice only: the portfolio itself is read signed in, through the grant."""
    grant = AssessorAccess.objects.select_related("assessor", "granted_by", "apprenticeship__apprentice").get(
        pk=grant_id)
    link = settings.SITE_URL.rstrip("/") + reverse("apprenticeships:assessor-home")
    body = (f"Hello {grant.assessor.full_name},\n\n{grant.granted_by.full_name} has given you read-only access to "
            f"{grant.apprenticeship.apprentice.full_name}'s gateway portfolio on carelead, from "
            f"{assessor_rules.day_label(grant.starts_on)} to {assessor_rules.day_label(grant.ends_on)}.\n\n"
            f"Sign in and open it here:\n{link}\n")
    send_mail("Gateway portfolio access on carelead", body, None, [grant.assessor.email])


@transaction.atomic
def revoke_assessor_access(*, actor: Actor, grant: AssessorAccess, reason: str) -> AssessorAccess:
    """The coach stops an assessor's access at once, with a reason. Allowed even after completion: it
    only takes access away."""
    require_party(actor, grant.apprenticeship, Party.PROVIDER)
    if not (reason or "").strip():
        raise ValidationError({"reason": [REASON_REQUIRED]})
    now = timezone.now()
    stopped = AssessorAccess.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor.user, revoke_reason=reason.strip(), updated_at=now)
    if not stopped:
        raise ValidationError(ALREADY_REVOKED)
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = now, actor.user, reason.strip()
    audit.record(actor, Action.UPDATE, grant, details={"fields": ["revoked_at"],
                                                       "apprenticeship": str(grant.apprenticeship.public_id)})
    return grant
