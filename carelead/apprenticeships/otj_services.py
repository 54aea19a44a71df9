"""Writes of off-the-job (OTJ) entries (issue 5, reference §4): the apprentice logs and edits, the
coach (the PROVIDER party) approves or returns. Every write checks the party again (the API reaches
these without a page), refuses a withdrawn or completed apprenticeship, is atomic and audited, and
keeps an OffTheJobRevision, the entry as it stood after the change ("every edit kept").

Decisions carelead takes:
- Editing a returned entry resubmits it to the coach; an approved entry is locked: the apprentice
  cannot change it.
- The coach may return an APPROVED entry (with a reason) until the gateway date, then never: after
  gateway the OTJ record is the evidence for the end-point assessment (§2.1) and must not move.
  Returning one takes its time out of "actual" until it is approved again.
- A revision's number is the entry's version after the change, so numbering needs no query.
"""

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carelead.apprenticeships import otj_selectors, rules
from carelead.apprenticeships.models import (
    Apprenticeship, Ksb, OffTheJobEntry, OffTheJobRevision, OtjEvent, OtjSource, OtjStatus, Party,
)
from carelead.apprenticeships.parties import require_open, require_party
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.errors import StaleEdit
from carelead.core.models import Action
from carelead.core.services import save_versioned

EVIDENCE_TYPES = {  # extension: how the file's first bytes must begin
    "pdf": (b"%PDF-",), "docx": (b"PK\x03\x04",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPE_MESSAGE = "The evidence must be a PDF, Word document (.docx), JPG or PNG file."
EVIDENCE_CONTENT_MESSAGE = "The evidence file is not a real {kind} file: its contents do not match its name."
EVIDENCE_SIZE_MESSAGE = "The evidence file must be 10 MB or smaller."
WHAT_LEARNED_MESSAGE = "Enter what you learned"
ACTIVITY_MESSAGE = "Select an activity that counts as off-the-job training"
KSB_MESSAGE = "Select knowledge, skills and behaviours of your standard only"
LOCKED_ENTRY_MESSAGE = "This entry is approved, so it is locked: ask your coach to return it if it needs a change."
NOT_WAITING_MESSAGE = "Only an entry waiting for the coach can be approved."
RETURN_COMMENT_MESSAGE = "Enter why you are returning the entry, so the apprentice knows what to change"
ALREADY_RETURNED_MESSAGE = "This entry is already returned to the apprentice."
AFTER_GATEWAY_MESSAGE = "An approved entry cannot be returned on or after the gateway date: it is gateway evidence."
NOTHING_CHOSEN_MESSAGE = "Select at least one entry"
CHANGED_SINCE_MESSAGE = ("Some of the entries you selected were changed or decided by someone else since you opened "
                         "the list. Nothing was saved: check the list and try again.")
APPROVE, RETURN = "approve", "return"
DECISIONS = {APPROVE: (OtjStatus.APPROVED, OtjEvent.APPROVED), RETURN: (OtjStatus.RETURNED, OtjEvent.RETURNED)}
ENTRY_FIELDS = ["entry_date", "minutes", "activity_type", "what_learned"]


def evidence_errors(upload) -> list[str]:
    """What is wrong with an uploaded evidence file: its type by name AND by its first bytes, and its size."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in EVIDENCE_TYPES:
        return [EVIDENCE_TYPE_MESSAGE]
    if upload.size > EVIDENCE_MAX_BYTES:
        return [EVIDENCE_SIZE_MESSAGE]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(EVIDENCE_TYPES[extension]):
        return [EVIDENCE_CONTENT_MESSAGE.format(kind=extension.upper())]
    return []


def _check(apprenticeship: Apprenticeship, *, entry_date, minutes, activity_type, what_learned, ksbs, evidence,
           today: date) -> list[Ksb]:
    """ValidationError naming every bad field; the KSBs as a list when all is well."""
    errors = dict(rules.otj_entry_errors(entry_date, minutes, today, apprenticeship.gateway_date,
                                         start=apprenticeship.start_date))
    allowed = {value for value, _ in otj_selectors.loggable_activity_types(apprenticeship)}
    if activity_type not in allowed:
        errors["activity_type"] = [ACTIVITY_MESSAGE]
    if not (what_learned or "").strip():
        errors["what_learned"] = [WHAT_LEARNED_MESSAGE]
    ksbs = list(ksbs)
    if any(ksb.version_id != apprenticeship.standard_version_id or ksb.retired for ksb in ksbs):
        errors["ksbs"] = [KSB_MESSAGE]
    if evidence is not None and (problems := evidence_errors(evidence)):
        errors["evidence"] = problems
    if errors:
        raise ValidationError(errors)
    return ksbs


def _revise(entry: OffTheJobEntry, event: str, actor: Actor, ksb_codes: list[str], comment: str = "") -> None:
    OffTheJobRevision.objects.create(entry=entry, number=entry.version, event=event, comment=comment,
                                     snapshot=entry.snapshot(ksb_codes), changed_by=actor.user)


@transaction.atomic
def log_off_the_job_hours(*, actor: Actor, apprenticeship: Apprenticeship, entry_date: date, minutes: int,
                          activity_type: str, what_learned: str, ksbs: Iterable[Ksb] = (), evidence=None,
                          today: date | None = None) -> OffTheJobEntry:
    """The apprentice logs OTJ time (§4): not in the future, not after gateway, not before the start,
    1 to 1440 minutes, an activity that counts; it waits for the coach's approval."""
    require_party(actor, apprenticeship, Party.APPRENTICE)
    require_open(apprenticeship)
    ksbs = _check(apprenticeship, entry_date=entry_date, minutes=minutes, activity_type=activity_type,
                  what_learned=what_learned, ksbs=ksbs, evidence=evidence, today=today or timezone.localdate())
    entry = OffTheJobEntry(apprenticeship=apprenticeship, entry_date=entry_date, minutes=minutes,
                           activity_type=activity_type, what_learned=what_learned.strip(),
                           source=OtjSource.APPRENTICE, status=OtjStatus.SUBMITTED, created_by=actor.user)
    if evidence is not None:
        entry.evidence.save(evidence.name, evidence, save=False)  # under the entry's random public_id
    entry.save()
    entry.ksbs.set(ksbs)
    _revise(entry, OtjEvent.CREATED, actor, [ksb.code for ksb in ksbs])
    audit.record(actor, Action.CREATE, entry, details={"apprenticeship": str(apprenticeship.public_id),
                                                       "evidence": evidence is not None})
    return entry


@transaction.atomic
def edit_off_the_job_entry(*, actor: Actor, entry: OffTheJobEntry, seen_version: int, entry_date: date,
                           minutes: int, activity_type: str, what_learned: str, ksbs: Iterable[Ksb] = (),
                           evidence=None, remove_evidence: bool = False, today: date | None = None) -> OffTheJobEntry:
    """The apprentice changes a waiting or returned entry; a returned one goes back to the coach.
    An approved entry is locked. A save over someone else's newer one is refused (StaleEdit)."""
    apprenticeship = entry.apprenticeship
    require_party(actor, apprenticeship, Party.APPRENTICE)
    require_open(apprenticeship)
    if entry.status == OtjStatus.APPROVED:
        raise ValidationError(LOCKED_ENTRY_MESSAGE)
    if entry.version != seen_version:
        raise StaleEdit()
    ksbs = _check(apprenticeship, entry_date=entry_date, minutes=minutes, activity_type=activity_type,
                  what_learned=what_learned, ksbs=ksbs, evidence=evidence, today=today or timezone.localdate())
    before = entry.snapshot([ksb.code for ksb in entry.ksbs.all()])
    entry.entry_date, entry.minutes, entry.activity_type = entry_date, minutes, activity_type
    entry.what_learned = what_learned.strip()
    fields = list(ENTRY_FIELDS)
    if entry.status == OtjStatus.RETURNED:
        entry.status, entry.decided_by, entry.decided_at, entry.decision_comment = OtjStatus.SUBMITTED, None, None, ""
        fields += ["status", "decided_by", "decided_at", "decision_comment"]
    if evidence is not None or remove_evidence:
        fields.append("evidence")
        entry.evidence = None
        if evidence is not None:
            entry.evidence.save(evidence.name, evidence, save=False)
    save_versioned(entry, seen_version=seen_version, fields=fields)
    entry.ksbs.set(ksbs)
    _revise(entry, OtjEvent.EDITED, actor, [ksb.code for ksb in ksbs])
    audit.record(actor, Action.UPDATE, entry, details={
        "fields": audit.changed_fields(before, entry.snapshot([ksb.code for ksb in ksbs])),
        "resubmitted": "status" in fields})
    return entry


def _decision(entry: OffTheJobEntry, decision: str, comment: str, today: date) -> None:
    """ValidationError unless the coach may take this decision on this entry now."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": ["Choose approve or return"]})
    if decision == APPROVE and entry.status != OtjStatus.SUBMITTED:
        raise ValidationError({"decision": [NOT_WAITING_MESSAGE]})
    if decision == RETURN:
        if not comment.strip():
            raise ValidationError({"comment": [RETURN_COMMENT_MESSAGE]})
        if entry.status == OtjStatus.RETURNED:
            raise ValidationError({"decision": [ALREADY_RETURNED_MESSAGE]})
        gateway = entry.apprenticeship.gateway_date
        if entry.status == OtjStatus.APPROVED and gateway is not None and today >= gateway:
            raise ValidationError({"decision": [AFTER_GATEWAY_MESSAGE]})


@transaction.atomic
def decide_off_the_job_entry(*, actor: Actor, entry: OffTheJobEntry, decision: str, comment: str = "",
                             seen_version: int | None = None, today: date | None = None) -> OffTheJobEntry:
    """The coach approves a waiting entry, or returns it to the apprentice with a reason (§4)."""
    require_party(actor, entry.apprenticeship, Party.PROVIDER)
    require_open(entry.apprenticeship)
    comment = (comment or "").strip()
    _decision(entry, decision, comment, today or timezone.localdate())
    status, event = DECISIONS[decision]
    entry.status, entry.decided_by, entry.decided_at, entry.decision_comment = (
        status, actor.user, timezone.now(), comment)
    save_versioned(entry, seen_version=entry.version if seen_version is None else seen_version,
                   fields=["status", "decided_by", "decided_at", "decision_comment"])
    _revise(entry, event, actor, [ksb.code for ksb in entry.ksbs.all()], comment)
    audit.record(actor, Action.UPDATE, entry, details={"decision": decision})
    return entry


@transaction.atomic
def decide_off_the_job_entries(*, actor: Actor, entry_ids: Iterable[UUID], decision: str, comment: str = "",
                               today: date | None = None) -> list[OffTheJobEntry]:
    """The coach approves or returns several waiting entries at once: all are saved or none (a constant
    number of queries whatever the number of entries). Only entries still waiting in the coach's own
    queue are taken; if any chosen one is not, nothing is saved."""
    wanted = set(entry_ids)
    if not wanted:
        raise ValidationError({"entries": [NOTHING_CHOSEN_MESSAGE]})
    if decision not in DECISIONS:
        raise ValidationError({"decision": ["Choose approve or return"]})
    comment = (comment or "").strip()
    if decision == RETURN and not comment:
        raise ValidationError({"comment": [RETURN_COMMENT_MESSAGE]})
    entries = list(otj_selectors.entries_awaiting_decision_by(actor.user).filter(public_id__in=wanted)
                   .select_for_update(of=("self",)))
    if len(entries) != len(wanted):  # decided since, or not theirs: a coach's queue holds only their own
        raise ValidationError({"entries": [CHANGED_SINCE_MESSAGE]})
    status, event = DECISIONS[decision]
    now = timezone.now()
    updated = OffTheJobEntry.objects.filter(pk__in=[entry.pk for entry in entries], status=OtjStatus.SUBMITTED).update(
        status=status, decided_by=actor.user, decided_at=now, decision_comment=comment, version=F("version") + 1,
        updated_at=now)
    if updated != len(entries):
        raise StaleEdit(CHANGED_SINCE_MESSAGE)
    for entry in entries:
        entry.status, entry.decided_by, entry.decided_at, entry.decision_comment = status, actor.user, now, comment
        entry.version += 1
    OffTheJobRevision.objects.bulk_create([
        OffTheJobRevision(entry=entry, number=entry.version, event=event, comment=comment, changed_by=actor.user,
                          changed_at=now, snapshot=entry.snapshot([ksb.code for ksb in entry.ksbs.all()]))
        for entry in entries])
    audit.record_list(actor, entries, what="apprenticeships.OffTheJobEntry", action=Action.UPDATE,
                      details={"decision": decision})
    return entries
