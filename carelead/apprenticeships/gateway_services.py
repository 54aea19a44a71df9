"""Writes of the gateway (issue 6 "Gateway", reference/apprenticeship-standard.md §2.1 and §4).

Who records what: the coach (the PROVIDER party) records the Diploma with its certificate, English
and maths achieved during the programme (and the date of birth when the age at the start decides),
and the agreed observation scope, and finally confirms the gateway date; the apprentice declares
the portfolio complete; the readiness decision is signed by the provider, the apprentice and the
employer in that order (parties.SIGNING_ORDER), online or recorded as obtained offline by the coach.

Decisions carelead takes:
- The provider signs only when every other item is met; the first signature freezes what is
  recorded (as for plans and reviews). To correct it, the coach withdraws every signature with
  a reason (audited with who had signed), and the three sign again in order. Live items
  (off-the-job hours, the portfolio) are checked again when the gateway date is confirmed.
- The gateway date is not in the future and not before the start; setting it locks this record
  and off-the-job logging after it (§4: nothing counts after gateway; otj_services refuses it). A date
  before an entry already logged (waiting or approved) is refused, so no hours after gateway count.
Every write checks the party again, refuses a withdrawn or completed apprenticeship, is atomic and audited.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import gateway_selectors, parties
from carelead.apprenticeships.gateway_rules import READINESS, portfolio_item
from carelead.apprenticeships.models import (
    Apprenticeship, EnglishMaths, GatewayReadiness, OtjStatus, Party, Signature, SignatureMethod,
)
from carelead.apprenticeships.otj_services import evidence_errors
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.services import save_versioned

CONFIRMED_MESSAGE = "The gateway date is confirmed, so the gateway checklist is locked."
SIGNED_FROZEN = "The readiness decision has been signed, so what it was signed on cannot change."
DATE_REQUIRED = "Enter {what}"
DATE_FUTURE = "{what} must be today or in the past"
DATE_BEFORE_START = "{what} must be on or after {start}, the start of the apprenticeship"
CERTIFICATE_REQUIRED = "Upload the certificate"
CERTIFICATE_WITHOUT_DATE = "Enter the date it was achieved as well as the certificate"
NOT_WORKING_TOWARDS = ("English and maths are enrolled as “{status}”: change the enrolment if they were "
                       "achieved during the apprenticeship.")
BIRTH_FUTURE = "The date of birth must be in the past"
SCOPE_REQUIRED = "Enter the leadership activity to be observed"
NOT_READY_TO_SIGN = "Every other item must be met before the readiness decision is signed: {reasons}"
ALREADY_SIGNED = "The {party} has already signed the readiness decision."
OUT_OF_ORDER = "The {party} signs after the {waiting}: waiting for the {waiting} to sign first."
ALL_SIGNED = "The readiness decision is signed by all three."
SIGNED_AS_OTHER = "You have already signed the readiness decision as the {party}: another person must sign."
OFFLINE_PARTY = "Choose the apprentice or the employer: the coach signs online."
SIGNATORY_REQUIRED = "Enter the name of the person who signed"
HOW_REQUIRED = "Enter how the signature was obtained, for example a signed paper copy"
NOT_READY_TO_CONFIRM = "The gateway date can be confirmed only when every item is met: {reasons}"
OTJ_AFTER_GATEWAY = ("{count} off-the-job {entries} dated after {gateway}, and nothing counts after gateway: choose a "
                     "gateway date on or after {latest}, or return the {entry} to the apprentice to change its date")
NOTHING_SIGNED = "Nobody has signed the readiness decision yet, so there is nothing to withdraw."
WITHDRAW_REASON_REQUIRED = "Enter why the signatures are withdrawn, for example the Diploma date was wrong"
PARTY_WORDS = {Party.PROVIDER: "training provider", Party.APPRENTICE: "apprentice", Party.EMPLOYER: "employer"}


def _fmt(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _date_errors(value: date | None, what: str, *, start: date, today: date) -> list[str]:
    if value is None:
        return [DATE_REQUIRED.format(what=what.lower())]
    if value > today:
        return [DATE_FUTURE.format(what=what)]
    if value < start:
        return [DATE_BEFORE_START.format(what=what, start=_fmt(start))]
    return []


def _open_readiness(actor: Actor, apprenticeship: Apprenticeship, *allowed: str,
                    unsigned: bool = True) -> GatewayReadiness:
    """The record to change, made on first use: only by `allowed` parties, while the apprenticeship is open and
    the gateway not confirmed, and (`unsigned`) before anyone has signed the readiness decision."""
    parties.require_party(actor, apprenticeship, *allowed)
    apprenticeship.refresh_from_db(fields=["gateway_date", "version", "status"])  # as saved, not as first read
    parties.require_open(apprenticeship)
    if apprenticeship.gateway_date is not None:
        raise ValidationError(CONFIRMED_MESSAGE)
    readiness, _ = GatewayReadiness.objects.select_for_update().get_or_create(
        apprenticeship=apprenticeship, defaults={"created_by": actor.user})
    readiness.apprenticeship = apprenticeship
    if unsigned and readiness.signatures.exists():
        raise ValidationError(SIGNED_FROZEN)
    return readiness


def _save(actor: Actor, readiness: GatewayReadiness, fields: list[str], seen_version: int | None, **details) -> None:
    save_versioned(readiness, seen_version=readiness.version if seen_version is None else seen_version, fields=fields)
    audit.record(actor, Action.UPDATE, readiness, details={
        "apprenticeship": str(readiness.apprenticeship.public_id), "fields": sorted(fields), **details})


def _store(readiness: GatewayReadiness, field: str, upload) -> list[str]:
    """Save an uploaded certificate under the record's random directory; the fields to save."""
    getattr(readiness, field).save(upload.name, upload, save=False)
    setattr(readiness, f"{field}_name", upload.name[:200])
    return [field, f"{field}_name"]


@transaction.atomic
def record_diploma(*, actor: Actor, apprenticeship: Apprenticeship, achieved_on: date | None, certificate=None,
                   seen_version: int | None = None, today: date | None = None) -> GatewayReadiness:
    """The coach records the Level 4 Diploma achieved (§2.1): the date, not in the future nor before the start,
    and the certificate (PDF, Word, JPG or PNG up to 10 MB; required unless one is already recorded)."""
    readiness = _open_readiness(actor, apprenticeship, Party.PROVIDER)
    errors = {}
    if problems := _date_errors(achieved_on, "The date the Diploma was achieved", start=apprenticeship.start_date,
                                today=today or timezone.localdate()):
        errors["achieved_on"] = problems
    if certificate is None and not readiness.diploma_certificate:
        errors["certificate"] = [CERTIFICATE_REQUIRED]
    elif certificate is not None and (problems := evidence_errors(certificate)):
        errors["certificate"] = problems
    if errors:
        raise ValidationError(errors)
    readiness.diploma_achieved_on = achieved_on
    fields = ["diploma_achieved_on"] + (_store(readiness, "diploma_certificate", certificate) if certificate else [])
    _save(actor, readiness, fields, seen_version, certificate=certificate is not None)
    return readiness


def _subject_errors(subject: str, achieved_on, certificate, held_certificate, *, start: date, today: date) -> dict:
    what = f"The date {subject.capitalize() if subject == 'english' else subject} was achieved"
    if achieved_on is None and certificate is None:
        return {}
    if achieved_on is None:
        return {f"{subject}_achieved_on": [CERTIFICATE_WITHOUT_DATE]}
    errors = {}
    if problems := _date_errors(achieved_on, what, start=start, today=today):
        errors[f"{subject}_achieved_on"] = problems
    if certificate is None and not held_certificate:
        errors[f"{subject}_certificate"] = [CERTIFICATE_REQUIRED]
    elif certificate is not None and (problems := evidence_errors(certificate)):
        errors[f"{subject}_certificate"] = problems
    return errors


@transaction.atomic
def record_english_maths(*, actor: Actor, apprenticeship: Apprenticeship, date_of_birth: date | None = None,
                         english_achieved_on: date | None = None, english_certificate=None,
                         maths_achieved_on: date | None = None, maths_certificate=None,
                         seen_version: int | None = None, today: date | None = None) -> GatewayReadiness:
    """The coach records English and maths achieved during the programme (each a date and a certificate; only
    for an apprentice enrolled as working towards them) and the apprentice's date of birth, which decides
    whether they are required (§2.1: mandatory for those aged 16 to 18 at the start)."""
    readiness = _open_readiness(actor, apprenticeship, Party.PROVIDER)
    today = today or timezone.localdate()
    achieved = {"english": (english_achieved_on, english_certificate), "maths": (maths_achieved_on, maths_certificate)}
    errors = {}
    if date_of_birth is not None and date_of_birth >= today:
        errors["date_of_birth"] = [BIRTH_FUTURE]
    if any(value is not None for pair in achieved.values() for value in pair) and (
            apprenticeship.english_maths != EnglishMaths.IN_PROGRESS):
        errors["english_achieved_on"] = [NOT_WORKING_TOWARDS.format(
            status=apprenticeship.get_english_maths_display().lower())]
    else:
        for subject, (on, certificate) in achieved.items():
            errors.update(_subject_errors(subject, on, certificate, getattr(readiness, f"{subject}_certificate"),
                                          start=apprenticeship.start_date, today=today))
    if errors:
        raise ValidationError(errors)
    readiness.apprentice_date_of_birth = date_of_birth
    fields = ["apprentice_date_of_birth"]
    for subject, (on, certificate) in achieved.items():
        if on is not None:
            setattr(readiness, f"{subject}_achieved_on", on)
            fields.append(f"{subject}_achieved_on")
        if certificate is not None:
            fields += _store(readiness, f"{subject}_certificate", certificate)
    _save(actor, readiness, fields, seen_version)
    return readiness


@transaction.atomic
def record_observation_scope(*, actor: Actor, apprenticeship: Apprenticeship, scope: str, agreed_on: date | None,
                             seen_version: int | None = None, today: date | None = None) -> GatewayReadiness:
    """The coach records the leadership activity agreed for the EPA observation (§2.2 method 1) and when it
    was agreed (not in the future, not before the start)."""
    readiness = _open_readiness(actor, apprenticeship, Party.PROVIDER)
    errors = {}
    if not (scope or "").strip():
        errors["scope"] = [SCOPE_REQUIRED]
    if problems := _date_errors(agreed_on, "The date agreed", start=apprenticeship.start_date,
                                today=today or timezone.localdate()):
        errors["agreed_on"] = problems
    if errors:
        raise ValidationError(errors)
    readiness.observation_scope, readiness.observation_scope_agreed_on = scope.strip(), agreed_on
    readiness.observation_scope_recorded_by = actor.user
    _save(actor, readiness, ["observation_scope", "observation_scope_agreed_on", "observation_scope_recorded_by"],
          seen_version)
    return readiness


@transaction.atomic
def declare_portfolio_submitted(*, actor: Actor, apprenticeship: Apprenticeship) -> GatewayReadiness:
    """The apprentice declares the portfolio complete: refused unless at least one item is accepted and none is
    waiting for the coach (gateway_rules.portfolio_item)."""
    readiness = _open_readiness(actor, apprenticeship, Party.APPRENTICE)
    counts = gateway_selectors.portfolio_counts(apprenticeship)
    check = portfolio_item(True, counts["accepted"], counts["waiting"])
    if not check.met:
        raise ValidationError(check.reason.replace("The portfolio was declared complete, but", "You cannot declare "
                                                   "the portfolio complete yet:"))
    readiness.portfolio_declared_at, readiness.portfolio_declared_by = timezone.now(), actor.user
    _save(actor, readiness, ["portfolio_declared_at", "portfolio_declared_by"], None, declared=True)
    return readiness


# --- The readiness decision: signed by the provider, the apprentice and the employer, in that order ---------


def _check_turn(readiness: GatewayReadiness, party: str, today: date) -> None:
    status = gateway_selectors.gateway_status(readiness.apprenticeship, today)
    if status.waiting is None:
        raise ValidationError({"party": [ALL_SIGNED]})
    if party in status.signed:
        raise ValidationError({"party": [ALREADY_SIGNED.format(party=PARTY_WORDS[party])]})
    if party != status.waiting:
        raise ValidationError({"party": [OUT_OF_ORDER.format(party=PARTY_WORDS[party],
                                                             waiting=PARTY_WORDS[status.waiting])]})
    unmet = [item.reason for item in status.items_before_signing if not item.met]
    if party == Party.PROVIDER and unmet:
        raise ValidationError(NOT_READY_TO_SIGN.format(reasons=" ".join(unmet)))


def _signed(actor: Actor, readiness: GatewayReadiness, signature: Signature) -> Signature:
    audit.record(actor, Action.UPDATE, readiness, details={
        "apprenticeship": str(readiness.apprenticeship.public_id), "signed": signature.party,
        "method": signature.method})
    return signature


@transaction.atomic
def sign_readiness(*, actor: Actor, apprenticeship: Apprenticeship, party: str | None = None,
                   today: date | None = None) -> Signature:
    """A party signs the readiness decision online as themselves, in order: the coach (for the provider, once
    every other item is met), the apprentice, then the employer. Someone who is not a party is refused
    (NotAllowed); one who has signed for one party cannot sign for another."""
    held = parties.require_party(actor, apprenticeship, *([party] if party else parties.SIGNING_ORDER))
    readiness = _open_readiness(actor, apprenticeship, *held, unsigned=False)
    signatures = list(readiness.signatures.all())
    if party is None:  # the party whose turn it is, else the first they hold (then told whose turn it is)
        waiting = gateway_selectors.waiting_for({signature.party: signature for signature in signatures})
        party = waiting if waiting in held else next(p for p in parties.SIGNING_ORDER if p in held)
    _check_turn(readiness, party, today or timezone.localdate())
    mine = next((s for s in signatures if s.method == SignatureMethod.ONLINE and s.signed_by_id == actor.user.pk), None)
    if mine is not None:
        raise ValidationError(SIGNED_AS_OTHER.format(party=PARTY_WORDS[mine.party]))
    signature = Signature.objects.create(gateway=readiness, party=party, method=SignatureMethod.ONLINE,
                                         signed_by=actor.user)
    return _signed(actor, readiness, signature)


@transaction.atomic
def record_offline_readiness_signature(*, actor: Actor, apprenticeship: Apprenticeship, party: str,
                                       signatory_name: str, obtained_on: date | None, obtained_how: str,
                                       today: date | None = None) -> Signature:
    """The coach records the apprentice's or the employer's signature of the readiness decision obtained outside
    carelead (a signed paper copy, an email): who signed, when (not in the future) and how; in its turn."""
    readiness = _open_readiness(actor, apprenticeship, Party.PROVIDER, unsigned=False)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if party not in (Party.APPRENTICE, Party.EMPLOYER):
        errors["party"] = [OFFLINE_PARTY]
    if not (signatory_name or "").strip():
        errors["signatory_name"] = [SIGNATORY_REQUIRED]
    if not (obtained_how or "").strip():
        errors["obtained_how"] = [HOW_REQUIRED]
    if problems := _date_errors(obtained_on, "The date they signed", start=apprenticeship.start_date, today=today):
        errors["obtained_on"] = problems
    if errors:
        raise ValidationError(errors)
    _check_turn(readiness, party, today)
    signature = Signature.objects.create(
        gateway=readiness, party=party, method=SignatureMethod.OFFLINE, signed_by=actor.user,
        signatory_name=signatory_name.strip(), obtained_on=obtained_on, obtained_how=obtained_how.strip())
    return _signed(actor, readiness, signature)


@transaction.atomic
def withdraw_readiness_signatures(*, actor: Actor, apprenticeship: Apprenticeship, reason: str) -> int:
    """The coach withdraws every signature of the readiness decision, with a reason, so that what was signed on
    can be corrected (a wrong date or certificate, a changed observation scope) and signed again in order.
    Only before the gateway date is confirmed. The audit keeps who had signed, when and how, and why they were
    withdrawn; the number withdrawn is returned."""
    readiness = _open_readiness(actor, apprenticeship, Party.PROVIDER, unsigned=False)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [WITHDRAW_REASON_REQUIRED]
    signatures = list(readiness.signatures.order_by("signed_at", "pk"))
    if not signatures:
        errors["reason"] = [NOTHING_SIGNED]
    if errors:
        raise ValidationError(errors)
    withdrawn = [{"party": s.party, "method": s.method, "signed_by": s.signed_by_id,
                  "signatory_name": s.signatory_name, "signed_at": s.signed_at.isoformat(),
                  "obtained_on": s.obtained_on and s.obtained_on.isoformat()} for s in signatures]
    Signature.objects.filter(pk__in=[s.pk for s in signatures]).delete()
    audit.record(actor, Action.UPDATE, readiness, details={
        "apprenticeship": str(apprenticeship.public_id), "signatures_withdrawn": withdrawn, "reason": reason.strip()})
    return len(signatures)


# --- The gateway date -----------------------------------------------------------------------------------------


def _refuse_otj_after(apprenticeship: Apprenticeship, gateway_date: date) -> None:
    """§4: nothing counts after gateway. Entries already logged for a later day (waiting or approved) would count
    towards the minimum, and could still be approved after gateway: the date is refused while they stand."""
    later = apprenticeship.otj_entries.filter(
        entry_date__gt=gateway_date, status__in=(OtjStatus.SUBMITTED, OtjStatus.APPROVED)).order_by("-entry_date")
    dates = list(later.values_list("entry_date", flat=True))
    if dates:
        one = len(dates) == 1
        raise ValidationError({"gateway_date": [OTJ_AFTER_GATEWAY.format(
            count=len(dates), entries="entry is" if one else "entries are", gateway=_fmt(gateway_date),
            latest=_fmt(dates[0]), entry="entry" if one else "entries")]})


@transaction.atomic
def confirm_gateway(*, actor: Actor, apprenticeship: Apprenticeship, gateway_date: date | None, seen_version: int,
                    today: date | None = None) -> Apprenticeship:
    """The coach confirms the gateway date once every item is met and all three have signed: not in the future,
    not before the start. It locks the checklist and off-the-job logging after that date (§4). A confirmation
    over someone else's newer change to the apprenticeship is refused (StaleEdit)."""
    today = today or timezone.localdate()
    readiness = _open_readiness(actor, apprenticeship, Party.PROVIDER, unsigned=False)
    if problems := _date_errors(gateway_date, "The gateway date", start=apprenticeship.start_date, today=today):
        raise ValidationError({"gateway_date": problems})
    _refuse_otj_after(apprenticeship, gateway_date)
    status = gateway_selectors.gateway_status(apprenticeship, today)
    unmet = [item.reason for item in status.checklist.items if not item.met]
    if unmet:
        raise ValidationError(NOT_READY_TO_CONFIRM.format(reasons=" ".join(unmet)))
    apprenticeship.gateway_date = gateway_date
    save_versioned(apprenticeship, seen_version=seen_version, fields=["gateway_date"])
    readiness.confirmed_by, readiness.confirmed_at = actor.user, timezone.now()
    readiness.confirmed_checklist = gateway_selectors.checklist_snapshot(status)
    save_versioned(readiness, seen_version=readiness.version,
                   fields=["confirmed_by", "confirmed_at", "confirmed_checklist"])
    audit.record(actor, Action.UPDATE, apprenticeship, details={"fields": ["gateway_date"]})
    audit.record(actor, Action.UPDATE, readiness, details={
        "apprenticeship": str(apprenticeship.public_id), "confirmed": True,
        "items": [item.key for item in status.checklist.items if item.key != READINESS]})
    return apprenticeship
