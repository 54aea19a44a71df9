"""The event log of a portfolio item (issue 6): every write to a `PortfolioEvidence` records one
`EvidenceEvent` with the item as it is after the change, so nothing about an item is ever lost."""

from django.db.models import Max

from carelead.apprenticeships.models import EvidenceEvent, EvidenceMapping, PortfolioEvidence


def mapping_labels(evidence: PortfolioEvidence) -> list[str]:
    """The item's KSB codes and Diploma unit positions as the snapshot keeps them (one query)."""
    rows = EvidenceMapping.objects.filter(evidence=evidence).values_list("ksb__code", "unit__position")
    return sorted(code if code else f"Unit {position}" for code, position in rows)


def record_event(evidence: PortfolioEvidence, event: str, *, by, comment: str = "") -> EvidenceEvent:
    """Append one event (call inside the write's transaction, after the item and its mappings are
    saved). `by` is None only for a witness acting through their one-time link."""
    last = EvidenceEvent.objects.filter(evidence=evidence).aggregate(n=Max("number"))["n"] or 0
    return EvidenceEvent.objects.create(evidence=evidence, number=last + 1, event=event,
                                        snapshot=evidence.snapshot(mapping_labels(evidence)), comment=comment,
                                        changed_by=by)
