"""The gateway evidence pack (issue 6, "Gateway"): one zip for one apprenticeship, made as a
background job (core.jobs), holding

- `gateway-summary.pdf`: a cover page (the parties, the standard version, the Diploma, the dates),
  the gateway checklist (each item met or not and why, from gateway_selectors), KSB and Diploma-unit
  coverage (coverage_selectors: counts grouped in the database), the off-the-job record (approved
  entries, totals against the minimum), the progress reviews with who signed them, and an index of
  the evidence;
- `portfolio/NNN-title/`: each item sent to the coach (drafts are the apprentice's own work in
  progress and stay out) as `item.html` (what was written, the Gibbs stages, the witness's
  confirmation, the coach's decision, the KSBs and units it maps to) and, for an upload, the file as
  stored. A practice record is its redacted snapshot only: the care record is never read.

The requester's reach is checked again when the job runs (`selectors.apprenticeship_for` and a
party of the apprenticeship), so a pack is never made for someone who has since lost access. The
number of queries does not grow with the items (everything an item shows is prefetched).
"""

import shutil
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.files import File
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from carelead.apprenticeships import gateway_selectors, otj_selectors, review_selectors, selectors
from carelead.apprenticeships.coverage_selectors import coverage_of
from carelead.apprenticeships.evidence_services import GIBBS_STAGES
from carelead.apprenticeships.models import (
    Apprenticeship, EvidenceKind, EvidenceMapping, EvidenceStatus, OtjStatus, Party, PortfolioEvidence,
    ReflectionModel,
)
from carelead.apprenticeships.otj import hours_and_minutes
from carelead.apprenticeships.parties import require_party
from carelead.core import audit, jobs
from carelead.core import pdf as core_pdf
from carelead.core.actor import Actor
from carelead.core.models import Action

KIND = "apprenticeships.gateway_pack"
SUMMARY_NAME = "gateway-summary.pdf"
STYLESHEET = "apprenticeships/pack/print.css"
PACK_PARTIES = (Party.APPRENTICE, Party.PROVIDER, Party.EMPLOYER)
# Sent to the coach at least once; a draft is the apprentice's unfinished work and is not evidence yet.
PACKED_STATUSES = (EvidenceStatus.SUBMITTED, EvidenceStatus.NEEDS_MORE_WORK, EvidenceStatus.ACCEPTED)
EMPTY_PORTFOLIO = ("There is no evidence in this portfolio yet that has been sent to the coach, so there is "
                   "nothing to put in a pack.")
MISSING_FILE = "The uploaded file could not be found in storage when this pack was made."


@dataclass(frozen=True)
class PackedItem:
    """An item as the pack lists it: its number, its folder in the zip and what is written there."""

    number: int
    evidence: PortfolioEvidence
    folder: str
    file_name: str  # the uploaded file's name in the folder, blank for written items
    mappings: tuple[str, ...]


def pack_filename(apprenticeship: Apprenticeship) -> str:
    """gateway-pack-<apprentice>-<date>.zip, safe in a Content-Disposition header."""
    who = slugify(apprenticeship.apprentice.full_name) or "apprentice"
    return f"gateway-pack-{who}-{timezone.localdate():%Y-%m-%d}.zip"


def evidence_for_pack(apprenticeship: Apprenticeship) -> QuerySet[PortfolioEvidence]:
    """The items sent to the coach, oldest first, with who made and assessed them and their
    mappings (two queries whatever the number of items)."""
    mappings = EvidenceMapping.objects.select_related("ksb", "unit").order_by("ksb__code", "unit__position", "id")
    return (PortfolioEvidence.objects.filter(apprenticeship=apprenticeship, status__in=PACKED_STATUSES)
            .select_related("created_by", "assessed_by")
            .prefetch_related(Prefetch("mappings", queryset=mappings))
            .order_by("occurred_on", "id"))


def build_gateway_pack(job, *, actor: Actor, progress, apprenticeship_id: str) -> File:
    """The job: every item into the zip (a progress step each), then the summary PDF (the last step).
    Audited as one export listing the items packed."""
    apprenticeship = selectors.apprenticeship_for(actor.user, apprenticeship_id)
    require_party(actor, apprenticeship, *PACK_PARTIES)
    items = list(evidence_for_pack(apprenticeship))
    if not items:
        raise jobs.JobFailed(EMPTY_PORTFOLIO)
    total = len(items) + 1
    archive = tempfile.TemporaryFile()  # on disk, not in memory: uploads can be several megabytes each
    packed = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for number, evidence in enumerate(items, start=1):
            packed.append(_pack_item(bundle, number, evidence, apprenticeship))
            progress(number, total, f"Added item {number} of {len(items)} to the pack")
        progress(len(items), total, "Making the summary PDF", force=True)  # the slowest step: say so
        bundle.writestr(SUMMARY_NAME, summary_pdf(apprenticeship, packed, printed_by=actor.user.full_name))
    progress(total, total, "Pack made")
    audit.record_list(actor, items, what="apprenticeships.PortfolioEvidence", action=Action.EXPORT, details={
        "apprenticeship": str(apprenticeship.public_id), "job": str(job.public_id), "format": "zip"})
    archive.seek(0)
    return File(archive, name=pack_filename(apprenticeship))


def _pack_item(bundle: zipfile.ZipFile, number: int, evidence: PortfolioEvidence, apprenticeship) -> PackedItem:
    folder = f"portfolio/{number:03d}-{slugify(evidence.title)[:50] or 'evidence'}"
    file_name = _copy_upload(bundle, folder, evidence) if evidence.kind == EvidenceKind.FILE else ""
    mappings = sorted(evidence.mappings.all(), key=_ksbs_then_units)
    item = PackedItem(number=number, evidence=evidence, folder=folder, file_name=file_name,
                      mappings=tuple(mapping.label for mapping in mappings))
    bundle.writestr(f"{folder}/item.html", item_html(item, apprenticeship))
    return item


def _ksbs_then_units(mapping: EvidenceMapping) -> tuple:
    """KSBs by code, then Diploma units by number (the database puts a null code first on SQLite only)."""
    return (0, mapping.ksb.code, 0) if mapping.ksb_id else (1, "", mapping.unit.position)


def _copy_upload(bundle: zipfile.ZipFile, folder: str, evidence: PortfolioEvidence) -> str:
    """The uploaded file as stored, under the name it was uploaded with; a note when it is missing."""
    if not evidence.file:
        return ""
    name = evidence.file_name or evidence.file.name.rsplit("/", 1)[-1]
    name = name.replace("/", "_").replace("\\", "_").lstrip(".") or "upload"
    if name.lower() == "item.html":  # the item's own page has that name in the folder
        name = f"uploaded-{name}"
    try:
        with evidence.file.open("rb") as source, bundle.open(f"{folder}/{name}", "w") as target:
            shutil.copyfileobj(source, target)
    except FileNotFoundError:
        bundle.writestr(f"{folder}/file-missing.txt", MISSING_FILE)
        return ""
    return name


def item_html(item: PackedItem, apprenticeship) -> str:
    """One item as a self-contained HTML page (no scripts, no links out)."""
    evidence = item.evidence
    gibbs = ([(heading, evidence.reflection.get(key, "")) for key, heading, _ in GIBBS_STAGES]
             if evidence.reflection_model == ReflectionModel.GIBBS else [])
    return render_to_string("apprenticeships/pack/item.html", {
        "item": item, "evidence": evidence, "apprenticeship": apprenticeship, "gibbs": gibbs,
        "snapshot": evidence.source_snapshot if evidence.kind == EvidenceKind.PRACTICE_RECORD else {},
        "kinds": EvidenceKind, "statuses": EvidenceStatus})


def summary_context(apprenticeship: Apprenticeship, packed: list[PackedItem], *, printed_by: str) -> dict:
    """What the summary PDF shows (a constant number of queries)."""
    today = timezone.localdate()
    entries = list(otj_selectors.entries_of(apprenticeship, status=OtjStatus.APPROVED).order_by("entry_date", "id"))
    for entry in entries:
        entry.time_label = hours_and_minutes(entry.minutes)
    reviews = review_selectors.reviews_of(apprenticeship)
    gateway = gateway_selectors.gateway_status(apprenticeship, today)
    return {
        "gateway": gateway, "gateway_met": sum(item.met for item in gateway.checklist.items),
        "apprenticeship": apprenticeship, "version": apprenticeship.standard_version,
        "printing": core_pdf.Printing(by=printed_by, on=today),
        "coverage": coverage_of(apprenticeship, with_items=False),
        "otj": otj_selectors.otj_figures(apprenticeship, today), "entries": entries,
        "reviews": [(review, review_selectors.signature_rows(review)) for review in reversed(reviews)],
        "packed": packed,
    }


def summary_html(apprenticeship: Apprenticeship, packed: list[PackedItem], *, printed_by: str) -> str:
    return render_to_string("apprenticeships/pack/summary.html",
                            summary_context(apprenticeship, packed, printed_by=printed_by))


def summary_pdf(apprenticeship: Apprenticeship, packed: list[PackedItem], *, printed_by: str) -> bytes:
    """The summary laid out on A4 by WeasyPrint; nothing is fetched."""
    return core_pdf.html_to_pdf(summary_html(apprenticeship, packed, printed_by=printed_by),
                                stylesheet=render_to_string(STYLESHEET), what="gateway evidence pack")


jobs.register(KIND, build_gateway_pack)
