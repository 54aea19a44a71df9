"""Writes of progress reviews (issue 5, reference/apprenticeship-standard.md §5.1).

The skills coach (Party.PROVIDER) starts the next review, which opens pre-filled with everything
since the last signed one (review_selectors.prefill_for), and writes it: the date held, progress,
the employer's comments, wellbeing, the safeguarding check, changes of circumstance, SMART actions,
and whether the last review's actions were done. It is signed in order by the coach, the apprentice
and the employer (each online as themselves, or the coach records a signature obtained offline for
the apprentice or the employer). The first signature freezes the content; with all three it is
locked. Every write checks the party, refuses a withdrawn or completed apprenticeship, validates,
saves and audits in one transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carelead.apprenticeships import parties, review_schedule, review_selectors
from carelead.apprenticeships.models import (
    ActionOwner, Apprenticeship, Party, ProgressReview, ReviewAction, ReviewStatus, Signature, SignatureMethod,
)
from carelead.apprenticeships.review_selectors import SIGNING_ORDER, WAITING_FOR
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action
from carelead.core.services import save_versioned

OPEN_REVIEW_MESSAGE = "Review {number} is not yet signed by all three: finish it before starting the next."
FROZEN_MESSAGE = "Review {number} has been signed, so its content cannot change."
HELD_ON_REQUIRED = "Enter the date the review was held"
HELD_ON_FUTURE = "The date the review was held must be today or in the past"
HELD_ON_BEFORE = "The date the review was held must be after {date}, the last review"
HELD_ON_BEFORE_START = "The date the review was held must be on or after {date}, the start date"
SAFEGUARDING_NOTES_REQUIRED = "Say what the concern is and what was done about it"
ACTION_DESCRIPTION = "Action {n}: enter what will be done"
ACTION_MEASURE = "Action {n}: enter how we will know it is done"
ACTION_OWNER = "Action {n}: select who will do it"
ACTION_DUE = "Action {n}: enter by when"
ACTION_DUE_AFTER = "Action {n}: enter a date after the review was held ({date})"
UNKNOWN_LAST_ACTION = "Choose actions of the last review"
READY_HELD_ON = "Enter the date the review was held before signing"
READY_PROGRESS = "Record progress since the last review before signing"
READY_ACTIONS = "Agree at least one SMART action before signing"
ALREADY_SIGNED = "The {party} has already signed review {number}."
OUT_OF_ORDER = "The {party} signs after the {waiting}: waiting for the {waiting} to sign first."
ALL_SIGNED = "Review {number} is signed by all three and locked."
SIGNED_AS_OTHER = "You have already signed review {number} as the {party}: another person must sign."
OFFLINE_PARTY = "Choose the apprentice or the employer: the coach signs online."
SIGNATORY_REQUIRED = "Enter the name of the person who signed"
HOW_REQUIRED = "Enter how the signature was obtained, for example a signed paper copy"
OBTAINED_ON_REQUIRED = "Enter the date they signed"
OBTAINED_FUTURE = "The date they signed must be today or in the past"
OBTAINED_BEFORE = "The date they signed must be on or after {date}, when the review was held"

CONTENT_FIELDS = ["held_on", "progress", "employer_comments", "wellbeing", "safeguarding_concern",
                  "safeguarding_notes", "changes_of_circumstance", "prefill"]
PARTY_WORDS = {Party.PROVIDER: "skills coach", Party.APPRENTICE: "apprentice", Party.EMPLOYER: "employer"}
NEXT_STATUS = {Party.PROVIDER: ReviewStatus.AWAITING_APPRENTICE, Party.APPRENTICE: ReviewStatus.AWAITING_EMPLOYER,
               Party.EMPLOYER: ReviewStatus.SIGNED}


def _fmt(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _lock(review: ProgressReview) -> ProgressReview:
    """The review as it is now, row locked for this transaction, with its apprenticeship."""
    return ProgressReview.objects.select_for_update().select_related("apprenticeship").get(pk=review.pk)


@transaction.atomic
def start_review(*, actor: Actor, apprenticeship: Apprenticeship) -> ProgressReview:
    """The coach starts the next review, pre-filled with everything since the last signed one and
    due by the §5.1 rule; one review at a time."""
    parties.require_party(actor, apprenticeship, Party.PROVIDER)
    parties.require_open(apprenticeship)
    Apprenticeship.objects.select_for_update().filter(pk=apprenticeship.pk).first()  # one number each
    current = review_selectors.open_review(apprenticeship)
    if current is not None:
        raise ValidationError(OPEN_REVIEW_MESSAGE.format(number=current.number))
    today = timezone.localdate()
    prefill = review_selectors.prefill_for(apprenticeship, today=today)
    last = prefill["last_review"]
    due_on = review_schedule.next_due(start=apprenticeship.start_date,
                                      last_held_on=date.fromisoformat(last["held_on"]) if last else None)
    number = (apprenticeship.progress_reviews.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    review = ProgressReview.objects.create(apprenticeship=apprenticeship, number=number, due_on=due_on,
                                           prefill=prefill, created_by=actor.user)
    audit.record(actor, Action.CREATE, review, details={
        "apprenticeship": str(apprenticeship.public_id), "number": number, "due_on": due_on.isoformat()})
    return review


def _content_errors(review: ProgressReview, *, held_on, safeguarding_concern, safeguarding_notes) -> dict:
    errors: dict[str, list[str]] = {}
    last = review.prefill.get("last_review")
    start = review.apprenticeship.start_date
    if held_on is None:
        errors["held_on"] = [HELD_ON_REQUIRED]
    elif held_on > timezone.localdate():
        errors["held_on"] = [HELD_ON_FUTURE]
    elif last and held_on <= date.fromisoformat(last["held_on"]):
        errors["held_on"] = [HELD_ON_BEFORE.format(date=_fmt(date.fromisoformat(last["held_on"])))]
    elif held_on < start:
        errors["held_on"] = [HELD_ON_BEFORE_START.format(date=_fmt(start))]
    if safeguarding_concern and not (safeguarding_notes or "").strip():
        errors["safeguarding_notes"] = [SAFEGUARDING_NOTES_REQUIRED]
    return errors


def _action_errors(actions: list[dict], held_on: date | None) -> list[str]:
    """Every field of every SMART action is required, and "by when" falls after the review (§5.1)."""
    messages = []
    late = review_schedule.action_due_errors(held_on=held_on, due_dates=[row.get("due_on") for row in actions])
    for index, row in enumerate(actions):
        n = index + 1
        if not (row.get("description") or "").strip():
            messages.append(ACTION_DESCRIPTION.format(n=n))
        if not (row.get("measure") or "").strip():
            messages.append(ACTION_MEASURE.format(n=n))
        if row.get("owner") not in ActionOwner.values:
            messages.append(ACTION_OWNER.format(n=n))
        if row.get("due_on") is None:
            messages.append(ACTION_DUE.format(n=n))
        elif index in late:
            messages.append(ACTION_DUE_AFTER.format(n=n, date=_fmt(held_on)))
    return messages


@transaction.atomic
def save_review(*, actor: Actor, review: ProgressReview, seen_version: int, held_on: date | None, progress: str,
                employer_comments: str, wellbeing: str, safeguarding_concern: bool, safeguarding_notes: str,
                changes_of_circumstance: str, actions: list[dict], done_action_ids=()) -> ProgressReview:
    """The coach saves the review and its SMART actions together (all or nothing), and marks which of
    the last review's actions were done; only while nobody has signed, and only from the version
    they opened (a stale version is a StaleEdit, their typing kept by the page)."""
    review = _lock(review)
    parties.require_party(actor, review.apprenticeship, Party.PROVIDER)
    parties.require_open(review.apprenticeship)
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError(FROZEN_MESSAGE.format(number=review.number))
    errors = _content_errors(review, held_on=held_on, safeguarding_concern=safeguarding_concern,
                             safeguarding_notes=safeguarding_notes)
    action_messages = _action_errors(actions, held_on if "held_on" not in errors else None)
    if action_messages:
        errors["actions"] = action_messages
    done = {int(pk) for pk in done_action_ids}
    last_actions = review.prefill.get("last_actions", [])
    if done - {row["id"] for row in last_actions}:
        errors["done_action_ids"] = [UNKNOWN_LAST_ACTION]
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(review, name) for name in CONTENT_FIELDS}
    review.held_on, review.progress, review.employer_comments = held_on, progress.strip(), employer_comments.strip()
    review.wellbeing, review.changes_of_circumstance = wellbeing.strip(), changes_of_circumstance.strip()
    review.safeguarding_concern = bool(safeguarding_concern)
    review.safeguarding_notes = (safeguarding_notes or "").strip()
    review.prefill = {**review.prefill, "last_actions": [{**row, "done": row["id"] in done} for row in last_actions]}
    save_versioned(review, seen_version=seen_version, fields=CONTENT_FIELDS)
    _replace_actions(review, actions)
    ReviewAction.objects.filter(pk__in=done, review__apprenticeship=review.apprenticeship).update(completed_on=held_on)
    ReviewAction.objects.filter(pk__in={row["id"] for row in last_actions} - done,
                                review__apprenticeship=review.apprenticeship).update(completed_on=None)
    after = {name: getattr(review, name) for name in CONTENT_FIELDS}
    audit.record(actor, Action.UPDATE, review, details={
        "fields": audit.changed_fields(before, after), "actions": len(actions), "done_actions": sorted(done)})
    return review


def _replace_actions(review: ProgressReview, actions: list[dict]) -> None:
    review.actions.all().delete()
    ReviewAction.objects.bulk_create([ReviewAction(
        review=review, description=row["description"].strip(), measure=row["measure"].strip(), owner=row["owner"],
        due_on=row["due_on"], position=index + 1) for index, row in enumerate(actions)])


# --- Signatures ------------------------------------------------------------------------------------


def _check_ready(review: ProgressReview) -> None:
    """The coach signs a review that says when it was held, what progress was made, and what happens next."""
    problems = []
    if review.held_on is None:
        problems.append(READY_HELD_ON)
    if not review.progress.strip():
        problems.append(READY_PROGRESS)
    if not review.actions.exists():
        problems.append(READY_ACTIONS)
    if problems:
        raise ValidationError(problems)


def _check_turn(review: ProgressReview, party: str) -> None:
    parties.require_open(review.apprenticeship)
    waiting = WAITING_FOR[ReviewStatus(review.status)]
    if waiting is None:
        raise ValidationError({"party": [ALL_SIGNED.format(number=review.number)]})
    if party in {signature.party for signature in review.signatures.all()}:
        raise ValidationError({"party": [ALREADY_SIGNED.format(party=PARTY_WORDS[party], number=review.number)]})
    if party != waiting:
        raise ValidationError({"party": [OUT_OF_ORDER.format(party=PARTY_WORDS[party],
                                                             waiting=PARTY_WORDS[waiting])]})
    if party == Party.PROVIDER:
        _check_ready(review)


def _signed(actor: Actor, review: ProgressReview, signature: Signature) -> Signature:
    status = NEXT_STATUS[Party(signature.party)]
    ProgressReview.objects.filter(pk=review.pk).update(status=status, version=F("version") + 1,
                                                       updated_at=timezone.now())
    review.status, review.version = status, review.version + 1
    audit.record(actor, Action.UPDATE, review, details={
        "signed": signature.party, "method": signature.method, "status": status})
    return signature


@transaction.atomic
def sign_review(*, actor: Actor, review: ProgressReview, party: str | None = None) -> Signature:
    """A party signs online as themselves, in order: the coach (for the provider), then the apprentice,
    then the employer (a named contact or the registered manager). A person who is not a party is
    refused (NotAllowed); a party whose turn it is not is told whose turn it is."""
    review = _lock(review)
    held = parties.require_party(actor, review.apprenticeship, *([party] if party else SIGNING_ORDER))
    if party is None:  # the party whose turn it is, else the first they hold (told whose turn it is)
        waiting = WAITING_FOR[ReviewStatus(review.status)]
        signed = {signature.party for signature in review.signatures.all()}
        mine = [held_party for held_party in SIGNING_ORDER if held_party in held]
        party = waiting if waiting in held else next((p for p in mine if p not in signed), mine[0])
    _check_turn(review, party)
    mine = next((s for s in review.signatures.all()
                 if s.method == SignatureMethod.ONLINE and s.signed_by_id == actor.user.pk), None)
    if mine is not None:
        raise ValidationError(SIGNED_AS_OTHER.format(number=review.number, party=PARTY_WORDS[mine.party]))
    signature = Signature.objects.create(review=review, party=party, method=SignatureMethod.ONLINE,
                                         signed_by=actor.user)
    return _signed(actor, review, signature)


@transaction.atomic
def record_offline_signature(*, actor: Actor, review: ProgressReview, party: str, signatory_name: str,
                             obtained_on: date | None, obtained_how: str) -> Signature:
    """The coach records the apprentice's or the employer's signature obtained outside carelead (a
    signed paper copy, an email), saying who signed, when and how; in its turn like any other."""
    review = _lock(review)
    parties.require_party(actor, review.apprenticeship, Party.PROVIDER)
    errors: dict[str, list[str]] = {}
    if party not in (Party.APPRENTICE, Party.EMPLOYER):
        errors["party"] = [OFFLINE_PARTY]
    if not (signatory_name or "").strip():
        errors["signatory_name"] = [SIGNATORY_REQUIRED]
    if not (obtained_how or "").strip():
        errors["obtained_how"] = [HOW_REQUIRED]
    if obtained_on is None:
        errors["obtained_on"] = [OBTAINED_ON_REQUIRED]
    elif obtained_on > timezone.localdate():
        errors["obtained_on"] = [OBTAINED_FUTURE]
    elif review.held_on and obtained_on < review.held_on:
        errors["obtained_on"] = [OBTAINED_BEFORE.format(date=_fmt(review.held_on))]
    if errors:
        raise ValidationError(errors)
    _check_turn(review, party)
    signature = Signature.objects.create(
        review=review, party=party, method=SignatureMethod.OFFLINE, signed_by=actor.user,
        signatory_name=signatory_name.strip(), obtained_on=obtained_on, obtained_how=obtained_how.strip())
    return _signed(actor, review, signature)
