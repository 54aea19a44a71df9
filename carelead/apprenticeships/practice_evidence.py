"""Practice records as portfolio evidence (issue 6, DESIGN.md "Practice becomes evidence"): the
apprentice's own practice records from the evidence registry (`core.evidence`), and attaching one
to their portfolio as a snapshot.

The portfolio never reads another app's models: candidates come from `core.evidence.items_led_by`
and an attached item from `core.evidence.item(user, key, record_id)`, which returns a record only
to the user who led it, so only the apprentice's own practice can become their evidence. What is
kept is the registry's REDACTED item as it was when attached (`source_snapshot`): editing or
deleting the practice record later never changes the evidence, and nothing links to a care record.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from carelead.apprenticeships.evidence_events import record_event
from carelead.apprenticeships.models import (
    Apprenticeship, EvidenceEventKind, EvidenceKind, EvidenceMapping, EvidenceStatus, Ksb, MappingStage, Party,
    PortfolioEvidence, QualificationUnit,
)
from carelead.apprenticeships.parties import require_open, require_party
from carelead.core import audit
from carelead.core import evidence as registry
from carelead.core.actor import Actor
from carelead.core.models import Action

NOT_YOURS_MESSAGE = "Choose a practice record you led: this one is not yours, or no longer exists."
ALREADY_ATTACHED_MESSAGE = "This practice record is already in your portfolio."
KSB_MESSAGE = "Select knowledge, skills and behaviours of your standard only"
UNIT_MESSAGE = "Select units of your Diploma only"
TITLE_MAX = 200


# --- Selectors ----------------------------------------------------------------------------------


def source_choices() -> list[tuple[str, str]]:
    """Every registered kind of practice record, as (key, label), in key order."""
    return [(source.key, source.label) for source in registry.sources()]


def source_labels() -> dict[str, str]:
    return dict(source_choices())


def attached_record_ids(apprenticeship: Apprenticeship) -> set[tuple[str, str]]:
    """(source key, record id) of every practice record already in this portfolio: one query."""
    return set(PortfolioEvidence.objects.filter(apprenticeship=apprenticeship, kind=EvidenceKind.PRACTICE_RECORD)
               .values_list("source_key", "source_record_id"))


def candidate_records(apprenticeship: Apprenticeship, *, source: str = "", since: date | None = None,
                      until: date | None = None) -> list[registry.EvidenceItem]:
    """The apprentice's own practice records that are not yet in their portfolio, newest first,
    optionally of one kind and within inclusive dates: one query per registered source (one in all
    when a source is chosen) and one for what is attached, whatever the number of records."""
    user = apprenticeship.apprentice
    if source:
        chosen = [each for each in registry.sources() if each.key == source]
        items = [item for each in chosen for item in each.items_led_by(user, since, until)]
        items.sort(key=lambda item: (item.occurred_on, item.record_id), reverse=True)
    else:
        items = registry.items_led_by(user, since=since, until=until)
    attached = attached_record_ids(apprenticeship)
    return [item for item in items if (item.source, item.record_id) not in attached]


def claimable_ksbs(apprenticeship: Apprenticeship) -> QuerySet[Ksb]:
    """The current (not retired) KSBs of the apprentice's standard version, in the standard's order."""
    return Ksb.objects.filter(version_id=apprenticeship.standard_version_id, retired=False).order_by(
        "kind", "position", "pk")


def claimable_units(apprenticeship: Apprenticeship) -> QuerySet[QualificationUnit]:
    """The current units of the apprentice's Diploma (none when no Diploma is recorded)."""
    if apprenticeship.qualification_id is None:
        return QualificationUnit.objects.none()
    return QualificationUnit.objects.filter(qualification_id=apprenticeship.qualification_id, retired=False).order_by(
        "position")


def portfolio_url(apprenticeship: Apprenticeship) -> str:
    """The apprenticeship's portfolio page when the portfolio pages have it, else its overview."""
    try:
        return reverse("apprenticeships:evidence-list", args=[apprenticeship.public_id])
    except NoReverseMatch:
        return reverse("apprenticeships:apprenticeship-detail", args=[apprenticeship.public_id])


def after_creating(evidence: PortfolioEvidence) -> str:
    """Where a page goes once an item is made: the item's own page when the portfolio pages have it,
    else the apprenticeship's overview."""
    try:
        return reverse("apprenticeships:evidence-detail", args=[evidence.public_id])
    except NoReverseMatch:
        return reverse("apprenticeships:apprenticeship-detail", args=[evidence.apprenticeship.public_id])


# --- Services -----------------------------------------------------------------------------------


def check_claims(apprenticeship: Apprenticeship, ksbs: Iterable[Ksb], units: Iterable[QualificationUnit]) -> tuple:
    """The claimed KSBs and units as lists; ValidationError naming the field when one is not the
    apprentice's own (another standard version, a retired KSB, another Diploma's unit)."""
    ksbs, units = list(ksbs), list(units)
    errors = {}
    if any(ksb.version_id != apprenticeship.standard_version_id or ksb.retired for ksb in ksbs):
        errors["ksbs"] = [KSB_MESSAGE]
    if any(unit.qualification_id != apprenticeship.qualification_id or unit.retired for unit in units):
        errors["units"] = [UNIT_MESSAGE]
    if errors:
        raise ValidationError(errors)
    return ksbs, units


def claim(evidence: PortfolioEvidence, actor: Actor, ksbs: list[Ksb], units: list[QualificationUnit]) -> None:
    """Save the apprentice's claimed mappings (stage one of two) in one query."""
    EvidenceMapping.objects.bulk_create(
        [EvidenceMapping(evidence=evidence, ksb=ksb, stage=MappingStage.CLAIMED, added_by=actor.user) for ksb in ksbs]
        + [EvidenceMapping(evidence=evidence, unit=unit, stage=MappingStage.CLAIMED, added_by=actor.user)
           for unit in units])


def snapshot_of(item: registry.EvidenceItem, *, taken_at) -> dict:
    """The registry's redacted item as the portfolio keeps it: never anything the item does not hold."""
    return {"source": item.source, "source_label": source_labels().get(item.source, item.source),
            "title": item.title, "summary": item.summary, "themes": list(item.themes),
            "occurred_on": item.occurred_on.isoformat(), "record_id": item.record_id,
            "taken_at": taken_at.isoformat()}


@transaction.atomic
def attach_practice_record(*, actor: Actor, apprenticeship: Apprenticeship, key: str, record_id: str,
                           title: str = "", ksbs: Iterable[Ksb] = (),
                           units: Iterable[QualificationUnit] = ()) -> PortfolioEvidence:
    """The apprentice attaches a practice record they led to their portfolio as a draft item, with the
    KSBs and Diploma units they claim for it. The record is read only through the registry as the
    actor (so nobody else's practice can be attached), and kept as a redacted snapshot."""
    require_party(actor, apprenticeship, Party.APPRENTICE)
    require_open(apprenticeship)
    item = registry.item(actor.user, key, record_id)
    if item is None:
        raise ValidationError({"record_id": [NOT_YOURS_MESSAGE]})
    ksbs, units = check_claims(apprenticeship, ksbs, units)
    evidence = PortfolioEvidence(
        apprenticeship=apprenticeship, kind=EvidenceKind.PRACTICE_RECORD,
        title=(title or "").strip()[:TITLE_MAX] or item.title, occurred_on=item.occurred_on,
        source_key=item.source, source_record_id=item.record_id,
        source_snapshot=snapshot_of(item, taken_at=timezone.now()), status=EvidenceStatus.DRAFT,
        created_by=actor.user)
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal leaves the outer transaction usable
            evidence.save()
    except IntegrityError:
        raise ValidationError({"record_id": [ALREADY_ATTACHED_MESSAGE]}) from None
    claim(evidence, actor, ksbs, units)
    record_event(evidence, EvidenceEventKind.CREATED, by=actor.user)
    audit.record(actor, Action.CREATE, evidence, details={
        "apprenticeship": str(apprenticeship.public_id), "kind": evidence.kind, "source": item.source,
        "ksbs": len(ksbs), "units": len(units)})
    return evidence
