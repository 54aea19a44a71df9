"""Writes of the training plan (issue 5, reference/apprenticeship-standard.md §5.2): versions, their
activities, and the three signatures.

The skills coach (Party.PROVIDER) writes the plan. A version is a draft while nobody has signed it:
only then may its activities change, and only one draft exists at a time. It is signed in order by
the provider, the apprentice and the employer, each online as themselves, or the coach records a
signature obtained offline (who, when, how) for the apprentice or the employer. The first signature
freezes the version; with all three it is the agreed plan and is locked. A change after that is a
new version, copied from the last one. Every write checks the party, refuses a withdrawn or
completed apprenticeship (parties.require_open), validates, saves and audits in one transaction.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carelead.apprenticeships import parties, rules
from carelead.apprenticeships.models import (
    Apprenticeship, Ksb, Party, Signature, SignatureMethod, TrainingPlanActivity, TrainingPlanVersion,
)
from carelead.apprenticeships.plan_selectors import (
    AGREED, SIGNING_ORDER, next_party, plan_state, signatures_by_party,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.models import Action

DRAFT_EXISTS_MESSAGE = "Version {number} is still a draft: change it, or have it signed, before starting another."
SUMMARY_REQUIRED_MESSAGE = "Say what changed since the last version."
NO_DRAFT_MESSAGE = ("Version {number} has been signed, so its activities cannot change. Start a new version "
                    "to change the plan.")
NO_PLAN_MESSAGE = "There is no training plan yet: start version 1 first."
DATE_OUTSIDE_MESSAGE = "Enter a date from {start} to {end}: the apprenticeship's start and planned end."
DATES_REVERSED_MESSAGE = "Enter an end date on or after the start date."
KSB_MESSAGE = "Choose knowledge, skills and behaviours of this apprentice's standard version."
NOT_LATEST_MESSAGE = "Only the latest version of the plan (version {number}) can be signed."
EMPTY_PLAN_MESSAGE = "Add at least one activity before the plan is signed."
ALREADY_SIGNED_MESSAGE = "The {party} has already signed version {number}."
OUT_OF_ORDER_MESSAGE = "The {party} signs after the {waiting}: waiting for the {waiting} to sign first."
NOT_YOUR_TURN_MESSAGE = "Nothing is waiting for your signature on version {number}."
SIGNED_ALREADY_AS_OTHER = "You have already signed version {number} as the {party}: another person must sign."
OFFLINE_PARTY_MESSAGE = "Choose the apprentice or the employer: the coach signs for the provider online."
SIGNATORY_MESSAGE = "Enter the name of the person who signed"
HOW_MESSAGE = "Enter how the signature was obtained, for example a signed paper copy"
OBTAINED_ON_MESSAGE = "Enter the date they signed"
OBTAINED_FUTURE_MESSAGE = "The date they signed must be today or in the past."
OBTAINED_BEFORE_MESSAGE = "The date they signed must be on or after {date}, when version {number} was started."


def _fmt(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _party_label(party: str) -> str:
    return {Party.PROVIDER: "training provider", Party.APPRENTICE: "apprentice",
            Party.EMPLOYER: "employer"}[Party(party)]


def _latest(apprenticeship: Apprenticeship, *, lock: bool = False) -> TrainingPlanVersion | None:
    versions = apprenticeship.training_plans.order_by("-number")
    if lock:  # two coaches starting a version at once get numbers one after the other
        Apprenticeship.objects.select_for_update().filter(pk=apprenticeship.pk).first()
    return versions.first()


def _is_draft(version: TrainingPlanVersion) -> bool:
    return not version.signatures.exists()


def _copy_activities(source: TrainingPlanVersion, target: TrainingPlanVersion) -> int:
    """Copy the activities and their KSBs (three queries, whatever the number of activities)."""
    originals = list(source.activities.prefetch_related("ksbs").order_by("position", "planned_from", "pk"))
    copies = TrainingPlanActivity.objects.bulk_create([TrainingPlanActivity(
        plan=target, activity_type=row.activity_type, title=row.title, planned_hours=row.planned_hours,
        planned_from=row.planned_from, planned_to=row.planned_to, counts_as_otj=row.counts_as_otj,
        responsible=row.responsible, position=row.position) for row in originals])
    through = TrainingPlanActivity.ksbs.through
    through.objects.bulk_create([through(trainingplanactivity_id=copy.pk, ksb_id=ksb.pk)
                                 for original, copy in zip(originals, copies, strict=True)
                                 for ksb in original.ksbs.all()])
    return len(copies)


@transaction.atomic
def start_plan_version(*, actor: Actor, apprenticeship: Apprenticeship,
                       change_summary: str = "") -> TrainingPlanVersion:
    """The coach starts version 1, or a new draft copied from the latest signed version, saying what
    changed (§5.2: the plan is updated as plans change). Only one draft at a time."""
    parties.require_party(actor, apprenticeship, Party.PROVIDER)
    parties.require_open(apprenticeship)
    latest = _latest(apprenticeship, lock=True)
    change_summary = change_summary.strip()
    if latest is not None and _is_draft(latest):
        raise ValidationError(DRAFT_EXISTS_MESSAGE.format(number=latest.number))
    if latest is not None and not change_summary:
        raise ValidationError({"change_summary": [SUMMARY_REQUIRED_MESSAGE]})
    version = TrainingPlanVersion.objects.create(
        apprenticeship=apprenticeship, number=latest.number + 1 if latest else 1,
        change_summary=change_summary, created_by=actor.user)
    copied = _copy_activities(latest, version) if latest else 0
    audit.record(actor, Action.CREATE, version, details={
        "apprenticeship": str(apprenticeship.public_id), "number": version.number,
        "copied_from": latest.number if latest else None, "activities": copied})
    return version


def _draft_for_change(actor: Actor, apprenticeship: Apprenticeship) -> TrainingPlanVersion:
    parties.require_party(actor, apprenticeship, Party.PROVIDER)
    parties.require_open(apprenticeship)
    latest = _latest(apprenticeship, lock=True)
    if latest is None:
        raise ValidationError(NO_PLAN_MESSAGE)
    if not _is_draft(latest):
        raise ValidationError(NO_DRAFT_MESSAGE.format(number=latest.number))
    return latest


def _valid_ksbs(apprenticeship: Apprenticeship, ksb_ids) -> list[Ksb]:
    wanted = {int(pk) for pk in ksb_ids}
    found = list(Ksb.objects.filter(version=apprenticeship.standard_version_id, retired=False, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"ksbs": [KSB_MESSAGE]})
    return found


def _validate(apprenticeship: Apprenticeship, activity: TrainingPlanActivity) -> None:
    """The model's own checks, and planned dates inside the practical period, each beside its field."""
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean(exclude=["plan", "counts_as_otj"])
    except ValidationError as error:
        errors.update(error.message_dict)
    start, end = apprenticeship.start_date, apprenticeship.practical_period_end
    for name in ("planned_from", "planned_to"):
        day = getattr(activity, name)
        if isinstance(day, date) and not start <= day <= end:
            errors.setdefault(name, []).append(DATE_OUTSIDE_MESSAGE.format(start=_fmt(start), end=_fmt(end)))
    if (isinstance(activity.planned_from, date) and isinstance(activity.planned_to, date)
            and activity.planned_to < activity.planned_from and "planned_to" not in errors):
        errors["planned_to"] = [DATES_REVERSED_MESSAGE]
    if errors:
        raise ValidationError(errors)


def _fill(activity: TrainingPlanActivity, *, activity_type: str, title: str, planned_hours: Decimal,
          planned_from: date, planned_to: date, responsible: str) -> None:
    activity.activity_type, activity.title = activity_type, (title or "").strip()
    activity.planned_hours, activity.responsible = planned_hours, responsible
    activity.planned_from, activity.planned_to = planned_from, planned_to
    try:  # §4: reviews, English and maths, onboarding and normal work never count; all else in a plan does
        activity.counts_as_otj = rules.counts_as_otj(activity_type, in_training_plan=True)
    except ValueError:
        activity.counts_as_otj = False  # full_clean names the bad type beside its field


@transaction.atomic
def add_activity(*, actor: Actor, apprenticeship: Apprenticeship, activity_type: str, title: str,
                 planned_hours: Decimal, planned_from: date, planned_to: date, responsible: str,
                 ksb_ids=()) -> TrainingPlanActivity:
    """The coach adds an activity, with the KSBs it covers, to the draft version of the plan."""
    plan = _draft_for_change(actor, apprenticeship)
    activity = TrainingPlanActivity(plan=plan, position=plan.activities.count() + 1)
    _fill(activity, activity_type=activity_type, title=title, planned_hours=planned_hours,
          planned_from=planned_from, planned_to=planned_to, responsible=responsible)
    _validate(apprenticeship, activity)
    ksbs = _valid_ksbs(apprenticeship, ksb_ids)
    activity.save()
    activity.ksbs.set(ksbs)
    audit.record(actor, Action.CREATE, plan, details={
        "activity": activity.pk, "ksbs": sorted(ksb.pk for ksb in ksbs)})
    return activity


@transaction.atomic
def change_activity(*, actor: Actor, activity: TrainingPlanActivity, activity_type: str, title: str,
                    planned_hours: Decimal, planned_from: date, planned_to: date, responsible: str,
                    ksb_ids=()) -> TrainingPlanActivity:
    """The coach changes an activity of the draft version: its fields and its KSBs, together."""
    apprenticeship = activity.plan.apprenticeship
    plan = _draft_for_change(actor, apprenticeship)
    if activity.plan_id != plan.pk:
        raise ValidationError(NO_DRAFT_MESSAGE.format(number=activity.plan.number))
    before = {name: getattr(activity, name) for name in ("activity_type", "title", "planned_hours", "planned_from",
                                                          "planned_to", "responsible")}
    _fill(activity, activity_type=activity_type, title=title, planned_hours=planned_hours,
          planned_from=planned_from, planned_to=planned_to, responsible=responsible)
    _validate(apprenticeship, activity)
    ksbs = _valid_ksbs(apprenticeship, ksb_ids)
    activity.save()
    activity.ksbs.set(ksbs)
    after = {name: getattr(activity, name) for name in before}
    audit.record(actor, Action.UPDATE, plan, details={
        "activity": activity.pk, "fields": audit.changed_fields(before, after), "ksbs": sorted(k.pk for k in ksbs)})
    return activity


@transaction.atomic
def remove_activity(*, actor: Actor, activity: TrainingPlanActivity) -> None:
    """The coach removes an activity from the draft version."""
    plan = _draft_for_change(actor, activity.plan.apprenticeship)
    if activity.plan_id != plan.pk:
        raise ValidationError(NO_DRAFT_MESSAGE.format(number=activity.plan.number))
    removed = activity.pk
    activity.delete()
    audit.record(actor, Action.DELETE, plan, details={"activity": removed})


# --- Signatures ----------------------------------------------------------------------------------


def _check_turn(version: TrainingPlanVersion, party: str) -> TrainingPlanVersion:
    """Refuse a signature on an old version, on an empty plan, twice, or out of order (§5.2). The
    signatures are read again once the apprenticeship is locked (a signature saved by another request
    meanwhile is seen here), and the version as read then is returned."""
    apprenticeship = version.apprenticeship
    parties.require_open(apprenticeship)
    latest = _latest(apprenticeship, lock=True)
    if latest is None or latest.pk != version.pk:
        raise ValidationError(NOT_LATEST_MESSAGE.format(number=latest.number if latest else version.number))
    version = _fresh(version)
    signed = signatures_by_party(version)
    if party in signed:
        raise ValidationError({"party": [ALREADY_SIGNED_MESSAGE.format(party=_party_label(party),
                                                                       number=version.number)]})
    waiting = next_party(version)
    if waiting != party:
        raise ValidationError({"party": [OUT_OF_ORDER_MESSAGE.format(party=_party_label(party),
                                                                     waiting=_party_label(waiting))]})
    if party == SIGNING_ORDER[0] and not version.activities.exists():
        raise ValidationError(EMPTY_PLAN_MESSAGE)
    return version


def _fresh(version: TrainingPlanVersion) -> TrainingPlanVersion:
    """The version with its signatures read now, inside the transaction (not a page's earlier copy)."""
    return TrainingPlanVersion.objects.select_related("apprenticeship").prefetch_related("signatures").get(
        pk=version.pk)


def _audit_signature(actor: Actor, version: TrainingPlanVersion, signature: Signature) -> None:
    state = plan_state(_fresh(version))
    audit.record(actor, Action.UPDATE, version, details={
        "signed": signature.party, "method": signature.method, "agreed": state == AGREED})


@transaction.atomic
def sign_plan(*, actor: Actor, version: TrainingPlanVersion, party: str | None = None) -> Signature:
    """A party signs the version online as themselves: the coach for the provider, then the
    apprentice, then the employer (a named contact or the registered manager)."""
    version = _fresh(version)
    held = parties.require_party(actor, version.apprenticeship, *([party] if party else SIGNING_ORDER))
    if party is None:
        waiting = next_party(version)
        if waiting not in held:
            raise ValidationError(NOT_YOUR_TURN_MESSAGE.format(number=version.number))
        party = waiting
    version = _check_turn(version, party)
    mine = next((s for s in version.signatures.all()
                 if s.method == SignatureMethod.ONLINE and s.signed_by_id == actor.user.pk), None)
    if mine is not None:
        raise ValidationError(SIGNED_ALREADY_AS_OTHER.format(number=version.number, party=_party_label(mine.party)))
    signature = Signature.objects.create(plan_version=version, party=party, method=SignatureMethod.ONLINE,
                                         signed_by=actor.user)
    _audit_signature(actor, version, signature)
    return signature


@transaction.atomic
def record_offline_signature(*, actor: Actor, version: TrainingPlanVersion, party: str, signatory_name: str,
                             obtained_on: date | None, obtained_how: str) -> Signature:
    """The coach records the apprentice's or the employer's signature obtained outside carelead
    (a signed paper copy, an email), saying who signed, when and how."""
    version = _fresh(version)
    parties.require_party(actor, version.apprenticeship, Party.PROVIDER)
    errors: dict[str, list[str]] = {}
    if party not in (Party.APPRENTICE, Party.EMPLOYER):
        errors["party"] = [OFFLINE_PARTY_MESSAGE]
    if not (signatory_name or "").strip():
        errors["signatory_name"] = [SIGNATORY_MESSAGE]
    if not (obtained_how or "").strip():
        errors["obtained_how"] = [HOW_MESSAGE]
    started = timezone.localdate(version.created_at)
    if obtained_on is None:
        errors["obtained_on"] = [OBTAINED_ON_MESSAGE]
    elif obtained_on > timezone.localdate():
        errors["obtained_on"] = [OBTAINED_FUTURE_MESSAGE]
    elif obtained_on < started:
        errors["obtained_on"] = [OBTAINED_BEFORE_MESSAGE.format(date=_fmt(started), number=version.number)]
    if errors:
        raise ValidationError(errors)
    version = _check_turn(version, party)
    signature = Signature.objects.create(
        plan_version=version, party=party, method=SignatureMethod.OFFLINE, signed_by=actor.user,
        signatory_name=signatory_name.strip(), obtained_on=obtained_on, obtained_how=obtained_how.strip())
    _audit_signature(actor, version, signature)
    return signature
