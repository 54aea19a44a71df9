"""Witness testimony through a one-time link (issue 6, "Evidence"): the apprentice names a colleague
who saw their practice and drafts what they witnessed (or leaves it to the witness); the witness,
who has no carelead account, opens the emailed link, writes or corrects the testimony and confirms
it with their name and job title.

The link's secret is the witness's only permission, so:
- only its SHA-256 is stored (a copy of the database opens nothing); it is shown to the apprentice
  once and emailed to the witness;
- it works for 14 days and once: confirming clears it; sending it again makes a new secret and the
  old one stops working;
- an unknown, expired, used or replaced secret gets the same answer (`None` here, 404 on the page),
  so the page never says which.

The witness is not a user, so their confirmation is recorded with `by=None` on the item's event and,
in the audit trail (whose actor is a required user), as the apprentice who issued the link acting
`via="witness"`: the same way the calendar feed records what its link's holder reads.
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import dateformat, timezone

from carelead.apprenticeships import selectors
from carelead.apprenticeships.evidence_events import record_event
from carelead.apprenticeships.models import (
    Apprenticeship, EvidenceEventKind, EvidenceKind, EvidenceStatus, Ksb, Party, PortfolioEvidence,
    QualificationUnit,
)
from carelead.apprenticeships.parties import LOCKED_STATUSES, require_open, require_party
from carelead.apprenticeships.practice_evidence import TITLE_MAX, check_claims, claim
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action

LINK_DAYS = 14
WITNESS_VIA = "witness"  # AuditEvent.via for what a witness does through their link
# What the witness's page and email show: the apprentice's name and the standard they are working towards.
WITNESS_PAGE_RELATIONS = ("apprenticeship__apprentice", "apprenticeship__standard_version__standard")
NAME_MESSAGE = "Enter the witness's full name"
ROLE_MESSAGE = "Enter the witness's job title"
EMAIL_MESSAGE = "Enter the witness's email address"
EMAIL_FORMAT_MESSAGE = "Enter an email address like name@example.org"
SELF_WITNESS_MESSAGE = "The witness must be someone other than you: ask a colleague who saw your practice"
TITLE_MESSAGE = "Enter what the witness saw, in a few words"
DATE_MESSAGE = "The date must be today or in the past"
CONFIRMED_MESSAGE = "The witness has already confirmed this testimony: it cannot be sent again."
NOT_WITNESS_KIND_MESSAGE = "Only a witness testimony has a link to send."
TESTIMONY_MESSAGE = "Enter what you saw the apprentice do"
WITNESS_NAME_MESSAGE = "Enter your full name"
WITNESS_ROLE_MESSAGE = "Enter your job title"
DECLARATION_MESSAGE = "Confirm that this is a true account of what you saw"
APPRENTICE_CONFIRMS_MESSAGE = "You cannot confirm your own witness testimony: the witness must confirm it."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def witness_url(token: str) -> str:
    """The witness's page for this secret, as a full address for the email."""
    return settings.SITE_URL.rstrip("/") + reverse("apprenticeships:witness-testimony", args=[token])


# --- Selectors ----------------------------------------------------------------------------------


def witness_evidence_for(user, public_id) -> PortfolioEvidence:
    """A witness testimony on an apprenticeship in the user's reach; 404 otherwise."""
    return get_object_or_404(
        PortfolioEvidence.objects.select_related("apprenticeship__apprentice").filter(
            apprenticeship__in=selectors.apprenticeships_for(user).values("pk"), kind=EvidenceKind.WITNESS_TESTIMONY),
        public_id=public_id)


def testimony_for_token(token: str, *, now=None) -> PortfolioEvidence | None:
    """The testimony this secret opens, or None: unknown, replaced, used, past its 14 days, no longer
    a draft (with the coach, or accepted and locked) or on a closed apprenticeship all look the same.
    One query."""
    if not token or len(token) > 200:
        return None
    return (PortfolioEvidence.objects.select_related(*WITNESS_PAGE_RELATIONS)
            .filter(kind=EvidenceKind.WITNESS_TESTIMONY, witness_token_hash=token_hash(token),
                    witness_confirmed_at__isnull=True, witness_link_expires_at__gt=now or timezone.now(),
                    status=EvidenceStatus.DRAFT, locked_at__isnull=True)
            .exclude(apprenticeship__status__in=LOCKED_STATUSES)
            .first())


# --- The apprentice asks, and asks again --------------------------------------------------------


def _witness_errors(apprenticeship, *, witness_name, witness_role, witness_email, title, occurred_on) -> dict:
    errors = {}
    for field, value, message in (("witness_name", witness_name, NAME_MESSAGE), ("witness_role", witness_role,
                                  ROLE_MESSAGE), ("witness_email", witness_email, EMAIL_MESSAGE),
                                  ("title", title, TITLE_MESSAGE)):
        if not (value or "").strip():
            errors[field] = [message]
    email = (witness_email or "").strip().lower()
    if email and email == (apprenticeship.apprentice.email or "").lower():
        errors["witness_email"] = [SELF_WITNESS_MESSAGE]
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["witness_email"] = [EMAIL_FORMAT_MESSAGE]
    if occurred_on is None or occurred_on > timezone.localdate():
        errors["occurred_on"] = [DATE_MESSAGE]
    return errors


def _new_link(evidence: PortfolioEvidence, now) -> str:
    token = secrets.token_urlsafe(32)
    evidence.witness_token_hash = token_hash(token)
    evidence.witness_link_expires_at = now + timedelta(days=LINK_DAYS)
    return token


@transaction.atomic
def request_witness_testimony(*, actor: Actor, apprenticeship: Apprenticeship, witness_name: str, witness_role: str,
                              witness_email: str, title: str, occurred_on: date, body: str = "",
                              ksbs: Iterable[Ksb] = (), units: Iterable[QualificationUnit] = (),
                              now=None) -> tuple[PortfolioEvidence, str]:
    """The apprentice asks a named colleague (not themselves) to witness their practice: a draft item
    with the KSBs and units they claim, and a one-time link valid for 14 days, emailed to the
    witness. Returns the item and the link's secret, which is never stored and cannot be shown again."""
    require_party(actor, apprenticeship, Party.APPRENTICE)
    require_open(apprenticeship)
    errors = _witness_errors(apprenticeship, witness_name=witness_name, witness_role=witness_role,
                             witness_email=witness_email, title=title, occurred_on=occurred_on)
    if errors:
        raise ValidationError(errors)
    ksbs, units = check_claims(apprenticeship, ksbs, units)
    now = now or timezone.now()
    evidence = PortfolioEvidence(
        apprenticeship=apprenticeship, kind=EvidenceKind.WITNESS_TESTIMONY, title=title.strip()[:TITLE_MAX],
        occurred_on=occurred_on, body=(body or "").strip(), witness_name=witness_name.strip(),
        witness_role=witness_role.strip(), witness_email=witness_email.strip().lower(),
        status=EvidenceStatus.DRAFT, created_by=actor.user)
    token = _new_link(evidence, now)
    evidence.save()
    claim(evidence, actor, ksbs, units)
    record_event(evidence, EvidenceEventKind.CREATED, by=actor.user)
    record_event(evidence, EvidenceEventKind.WITNESS_LINK_SENT, by=actor.user)
    audit.record(actor, Action.CREATE, evidence, details={
        "apprenticeship": str(apprenticeship.public_id), "kind": evidence.kind, "ksbs": len(ksbs),
        "units": len(units), "witness_link": True})
    transaction.on_commit(partial(send_witness_email, evidence_id=evidence.pk, token=token))
    return evidence, token


@transaction.atomic
def resend_witness_link(*, actor: Actor, evidence: PortfolioEvidence, now=None) -> str:
    """The apprentice sends the witness a new link (lost, expired, or sent to the wrong address before
    they corrected it): the old link stops working at once. Not once the witness has confirmed."""
    apprenticeship = evidence.apprenticeship
    require_party(actor, apprenticeship, Party.APPRENTICE)
    require_open(apprenticeship)
    evidence = PortfolioEvidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.kind != EvidenceKind.WITNESS_TESTIMONY:
        raise ValidationError(NOT_WITNESS_KIND_MESSAGE)
    if evidence.witness_confirmed_at is not None:
        raise ValidationError(CONFIRMED_MESSAGE)
    token = _new_link(evidence, now or timezone.now())
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(
        witness_token_hash=evidence.witness_token_hash, witness_link_expires_at=evidence.witness_link_expires_at,
        version=F("version") + 1, updated_at=timezone.now())
    evidence.refresh_from_db()
    record_event(evidence, EvidenceEventKind.WITNESS_LINK_SENT, by=actor.user)
    audit.record(actor, Action.UPDATE, evidence, details={"fields": ["witness_link"], "resent": True})
    transaction.on_commit(partial(send_witness_email, evidence_id=evidence.pk, token=token))
    return token


def send_witness_email(*, evidence_id: int, token: str) -> None:
    """Email the witness their one-time link (run on commit, so a refused request sends nothing)."""
    evidence = PortfolioEvidence.objects.select_related(*WITNESS_PAGE_RELATIONS).get(pk=evidence_id)
    apprentice, standard = evidence.apprenticeship.apprentice, evidence.apprenticeship.standard_version.standard
    expires = dateformat.format(timezone.localtime(evidence.witness_link_expires_at), "j M Y")
    body = (
        f"Hello {evidence.witness_name},\n\n"
        f"{apprentice.full_name} is working towards the {standard.title} apprenticeship and has asked you "
        f"to confirm what you saw of their practice: \"{evidence.title}\" on "
        f"{dateformat.format(evidence.occurred_on, 'j M Y')}.\n\n"
        f"Open this link to read what they wrote, correct or add to it in your own words, and confirm it:\n"
        f"{witness_url(token)}\n\n"
        f"You do not need an account. The link works once and expires on {expires}. Please do not name or "
        f"describe the people they support. If you were not expecting this email, ignore it.\n")
    send_mail(f"{apprentice.full_name} asks you to confirm what you saw", body, None, [evidence.witness_email])


# --- The witness confirms -----------------------------------------------------------------------


def witness_actor(evidence: PortfolioEvidence, ip_address: str | None) -> Actor:
    """Who the audit trail names for a witness acting through their link: the apprentice who issued it,
    marked `via="witness"` (the witness has no account; the audit's actor must be a user)."""
    return Actor(user=evidence.apprenticeship.apprentice, ip_address=ip_address, via=WITNESS_VIA)


@transaction.atomic
def confirm_witness_testimony(*, token: str, body: str, witness_name: str, witness_role: str, declared: bool,
                              ip_address: str | None = None, signed_in_user=None,
                              now=None) -> PortfolioEvidence | None:
    """The witness writes or corrects the testimony and confirms it with their name and job title.
    The link is then used up. None when the link does not open a testimony (the page answers 404);
    the apprentice, signed in, can never confirm their own."""
    now = now or timezone.now()
    found = testimony_for_token(token, now=now)
    if found is None:
        return None
    evidence = (PortfolioEvidence.objects.select_for_update(of=("self",)).select_related(*WITNESS_PAGE_RELATIONS)
                .get(pk=found.pk))
    if (evidence.witness_token_hash != found.witness_token_hash or evidence.witness_confirmed_at is not None
            or evidence.status != EvidenceStatus.DRAFT or evidence.is_locked):
        return None  # confirmed, replaced or no longer a draft while the witness was writing
    if getattr(signed_in_user, "pk", None) == evidence.apprenticeship.apprentice_id:
        raise ValidationError(APPRENTICE_CONFIRMS_MESSAGE)
    errors = {}
    for field, value, message in (("body", body, TESTIMONY_MESSAGE), ("witness_name", witness_name,
                                  WITNESS_NAME_MESSAGE), ("witness_role", witness_role, WITNESS_ROLE_MESSAGE)):
        if not (value or "").strip():
            errors[field] = [message]
    if not declared:
        errors["declared"] = [DECLARATION_MESSAGE]
    if errors:
        raise ValidationError(errors)
    before = {"body": evidence.body, "witness_name": evidence.witness_name, "witness_role": evidence.witness_role}
    evidence.body = body.strip()
    evidence.witness_name, evidence.witness_role = witness_name.strip()[:200], witness_role.strip()[:200]
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(
        body=evidence.body, witness_name=evidence.witness_name, witness_role=evidence.witness_role,
        witness_confirmed_at=now, witness_token_hash="", witness_link_expires_at=None,
        version=F("version") + 1, updated_at=now)
    evidence.refresh_from_db()
    record_event(evidence, EvidenceEventKind.WITNESS_CONFIRMED, by=None)
    audit.record(witness_actor(evidence, ip_address), Action.UPDATE, evidence, details={
        "witness_confirmed": True,
        "fields": sorted(name for name, value in before.items() if getattr(evidence, name) != value)})
    return evidence

