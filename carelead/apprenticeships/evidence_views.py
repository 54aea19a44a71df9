"""The portfolio tab of an apprenticeship (issue 6, "Evidence"): the items with counts by status and
filters, adding and changing one (the apprentice: files and reflective accounts; the coach:
observations and professional discussion notes), sending it to the coach, the coach's assessment
(mappings added or removed, then accepted or needs more work), unlocking with a reason, each item's
history and its file; and the coach's queue across their apprentices.

Each view reads top to bottom: who may (`@requires`), fetch through the scoped selector (out of
reach is a 404), audit the read, change through evidence_services (which check the party again: an
employer contact never gets past them, a 403), render.
"""

import mimetypes
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carelead.apprenticeships import evidence_selectors, evidence_services, selectors
from carelead.apprenticeships.evidence_forms import (
    KIND_HINTS, AddMappingForm, AssessForm, EvidenceForm, FilterForm, KindForm, UnlockForm, VersionForm,
    evidence_form_initial,
)
from carelead.apprenticeships.evidence_services import APPRENTICE_KINDS, GIBBS_STAGES, WRITTEN_HERE
from carelead.apprenticeships.models import COACH_KINDS, EvidenceKind, EvidenceStatus, Party
from carelead.apprenticeships.iqa_selectors import IQA_LOCKED_MESSAGE, is_iqa_locked
from carelead.apprenticeships.parties import is_locked, parties_of, require_party
from carelead.apprenticeships.tabs import programme_tabs
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.errors import StaleEdit
from carelead.core.forms import add_service_errors, save_through
from carelead.core.models import Action
from carelead.core.pagination import query_without_page
from carelead.core.permissions import Perm

PER_PAGE = 25
STATUS_COLOURS = {EvidenceStatus.DRAFT: "grey", EvidenceStatus.SUBMITTED: "yellow",
                  EvidenceStatus.NEEDS_MORE_WORK: "orange", EvidenceStatus.ACCEPTED: "green"}
LOCKED_APPRENTICESHIP = "This apprenticeship is closed: its portfolio can no longer change."
WHAT = "apprenticeships.PortfolioEvidence"
NOT_APPRENTICE_EDIT_MESSAGE = ("The apprentice writes this evidence: you assess it when they send it to you, and "
                               "can add or remove mappings then.")


def optional_url(name: str, *args) -> str:
    """The URL of a page another part provides, or "" while it does not exist (so these pages work
    before it lands)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _labelled(items):
    """Each item with its status tag colour (no queries)."""
    for evidence in items:
        evidence.status_colour = STATUS_COLOURS[evidence.status]
    return items


def _page_context(apprenticeship) -> dict:
    return {"apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, "portfolio")}


def _kinds_for(parties) -> list:
    kinds = [kind for kind in EvidenceKind if kind in APPRENTICE_KINDS] if Party.APPRENTICE in parties else []
    return kinds + ([kind for kind in EvidenceKind if kind in COACH_KINDS] if Party.PROVIDER in parties else [])


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own by relationship: the selector decides
def evidence_list(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    parties = parties_of(request.user, apprenticeship)
    filters = FilterForm(request.GET)
    status, kind = filters.values()
    page = Paginator(evidence_selectors.evidence_of(apprenticeship, status=status, kind=kind),
                     PER_PAGE).get_page(request.GET.get("page"))
    actor = Actor.from_request(request)
    audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "portfolio"})
    if page.object_list:
        audit.record_list(actor, page.object_list, what=WHAT, details={"apprenticeship": str(apprenticeship.public_id)})
    counts = evidence_selectors.status_counts(apprenticeship)
    is_open, own = not is_locked(apprenticeship), Party.APPRENTICE in parties
    return render(request, "apprenticeships/evidence/evidence_list.html", {
        **_page_context(apprenticeship), "filters": filters, "filtered": bool(status or kind), "page": page,
        "items": _labelled(page.object_list), "query": query_without_page(request),
        "counts": [{"label": EvidenceStatus(key).label, "count": n, "colour": STATUS_COLOURS[key]}
                   for key, n in counts.items()],
        "can_add": is_open and bool(_kinds_for(parties)), "is_coach": Party.PROVIDER in parties,
        "practice_url": optional_url("apprenticeships:evidence-practice", apprenticeship.public_id)
        if own and is_open else "",
        "witness_url": optional_url("apprenticeships:evidence-witness-new", apprenticeship.public_id)
        if own and is_open else "",
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def evidence_new(request: HttpRequest, public_id) -> HttpResponse:
    """Choose the kind (a GET form), then fill in that kind's form (?kind=...)."""
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    parties = require_party(actor, apprenticeship, Party.APPRENTICE, Party.PROVIDER)  # NotAllowed: the 403 page
    if is_locked(apprenticeship):
        messages.error(request, LOCKED_APPRENTICESHIP)
        return redirect("apprenticeships:evidence-list", public_id)
    chooser = KindForm(request.GET if "kind" in request.GET else None, kinds=_kinds_for(parties))
    if not chooser.is_valid():
        audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "portfolio", "form": "kind"})
        return render(request, "apprenticeships/evidence/evidence_kind.html", {
            **_page_context(apprenticeship), "form": chooser, "hints": KIND_HINTS})
    kind = chooser.cleaned_data["kind"]
    form = EvidenceForm(request.POST if request.method == "POST" else None, request.FILES or None, kind=kind,
                        ksbs=evidence_selectors.claimable_ksbs(apprenticeship),
                        units=evidence_selectors.claimable_units(apprenticeship))
    if request.method == "GET":
        audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "portfolio", "form": "new"})
    elif form.is_valid() and (evidence := save_through(form, evidence_services.create_evidence, actor=actor,
                                                       apprenticeship=apprenticeship, kind=kind,
                                                       **form.service_kwargs())):
        messages.success(request, "Evidence added. It is waiting for your assessment." if kind in COACH_KINDS
                         else "Evidence saved as a draft. Send it to your coach when it is ready.")
        return redirect("apprenticeships:evidence-detail", evidence.public_id)
    return render(request, "apprenticeships/evidence/evidence_form.html", {
        **_page_context(apprenticeship), "form": form, "evidence": None, "kind": EvidenceKind(kind),
        "gibbs": GIBBS_STAGES})


def _history(events) -> list:
    for event in events:
        event.status_label = EvidenceStatus(event.snapshot.get("status", EvidenceStatus.DRAFT)).label
    return list(reversed(events))


def _abilities(request: HttpRequest, evidence) -> dict:
    """What this user may do with the item now, as the services would allow it (no queries but the parties')."""
    apprenticeship = evidence.apprenticeship
    parties = parties_of(request.user, apprenticeship)
    is_open, own = not is_locked(apprenticeship), Party.APPRENTICE in parties
    coach = Party.PROVIDER in parties and is_open
    apprentice_may = own and is_open and evidence.kind not in COACH_KINDS and (
        evidence.status in evidence_services.APPRENTICE_EDITABLE)
    if (own or coach) and is_iqa_locked(evidence):  # one query, only for someone who could change it
        return {"can_edit": False, "can_submit": False, "can_assess": False, "can_unlock": False,
                "witness_resend_url": "", "iqa_locked": IQA_LOCKED_MESSAGE}
    return {
        "can_edit": not evidence.is_locked and (apprentice_may or (
            coach and evidence.kind in COACH_KINDS and evidence.created_by_id == request.user.pk)),
        "can_submit": apprentice_may and not evidence.is_locked and not (
            evidence.kind == EvidenceKind.WITNESS_TESTIMONY and evidence.witness_confirmed_at is None),
        "can_assess": coach and evidence.status == EvidenceStatus.SUBMITTED and not evidence.is_locked,
        "can_unlock": coach and evidence.is_locked,
        "witness_resend_url": optional_url("apprenticeships:evidence-witness-resend", evidence.public_id) if (
            evidence.kind == EvidenceKind.WITNESS_TESTIMONY and own and is_open and not evidence.is_locked
            and evidence.witness_confirmed_at is None) else "",
    }


def _detail_context(request: HttpRequest, evidence) -> dict:
    snapshot = evidence.source_snapshot or {}
    taken = snapshot.get("taken_at")
    return {
        **_page_context(evidence.apprenticeship), **_abilities(request, evidence),
        "evidence": _labelled([evidence])[0], "mappings": list(evidence.mappings.all()),
        "history": _history(evidence_selectors.events_of(evidence)), "kinds": EvidenceKind, "statuses": EvidenceStatus,
        "gibbs": [(heading, evidence.reflection.get(key, "")) for key, heading, _ in GIBBS_STAGES],
        "snapshot": snapshot, "snapshot_taken": datetime.fromisoformat(taken) if taken else evidence.created_at,
    }


@require_GET
@requires(Perm.OWN_ACCOUNT)
def evidence_detail(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    audit.record(Actor.from_request(request), Action.VIEW, evidence)
    return render(request, "apprenticeships/evidence/evidence_detail.html", {
        **_detail_context(request, evidence), "submit_form": VersionForm(initial={"seen_version": evidence.version})})


def _edit_options(evidence) -> dict:
    apprenticeship = evidence.apprenticeship
    return {"kind": evidence.kind, "content": evidence.kind in WRITTEN_HERE, "has_file": bool(evidence.file),
            "ksbs": evidence_selectors.claimable_ksbs(apprenticeship),
            "units": evidence_selectors.claimable_units(apprenticeship)}


def _why_not_editable(request: HttpRequest, evidence) -> str:
    """Why this user cannot change the item now, saying who can (the services' own messages)."""
    if evidence.is_locked:
        return evidence_services.LOCKED_MESSAGE
    if is_locked(evidence.apprenticeship):
        return LOCKED_APPRENTICESHIP
    if evidence.kind in COACH_KINDS:
        return evidence_services.NOT_YOURS_MESSAGE
    if request.user.pk != evidence.apprenticeship.apprentice_id:
        return NOT_APPRENTICE_EDIT_MESSAGE
    return evidence_services.NOT_EDITABLE_MESSAGE


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def evidence_edit(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    require_party(actor, evidence.apprenticeship, Party.APPRENTICE, Party.PROVIDER)
    abilities = _abilities(request, evidence)
    if not abilities["can_edit"]:
        messages.error(request, abilities.get("iqa_locked") or _why_not_editable(request, evidence))
        return redirect("apprenticeships:evidence-detail", evidence.public_id)
    options = _edit_options(evidence)
    if request.method == "GET":
        audit.record(actor, Action.VIEW, evidence, details={"form": "edit"})
        form = EvidenceForm(initial=evidence_form_initial(evidence), seen_version=evidence.version, **options)
    else:
        form = EvidenceForm(request.POST, request.FILES or None, seen_version=evidence.version, **options)
        if form.is_valid():
            try:
                evidence_services.edit_evidence(actor=actor, evidence=evidence, **form.service_kwargs())
            except StaleEdit as stale:
                # Keep what they typed, now naming the current version: saving again saves theirs over it.
                data = request.POST.copy()
                data["seen_version"] = evidence_selectors.evidence_for(request.user, evidence_id).version
                form = EvidenceForm(data, request.FILES or None, seen_version=evidence.version, **options)
                form.is_valid()
                form.add_error(None, stale.message)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Evidence changed")
                return redirect("apprenticeships:evidence-detail", evidence.public_id)
    return render(request, "apprenticeships/evidence/evidence_form.html", {
        **_page_context(evidence.apprenticeship), "form": form, "evidence": evidence,
        "kind": EvidenceKind(evidence.kind), "gibbs": GIBBS_STAGES})


@require_POST
@requires(Perm.OWN_ACCOUNT)
def evidence_submit(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    require_party(actor, evidence.apprenticeship, Party.APPRENTICE)
    form = VersionForm(request.POST)
    if form.is_valid() and save_through(form, evidence_services.submit_evidence, actor=actor, evidence=evidence,
                                        seen_version=form.cleaned_data["seen_version"]):
        messages.success(request, "Evidence sent to your coach")
        return redirect("apprenticeships:evidence-detail", evidence.public_id)
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)  # as it is now
    return render(request, "apprenticeships/evidence/evidence_detail.html", {
        **_detail_context(request, evidence), "submit_form": form})


def _assess_page(request: HttpRequest, evidence, *, assess_form=None, mapping_form=None) -> HttpResponse:
    apprenticeship = evidence.apprenticeship
    initial = {"seen_version": evidence.version}
    return render(request, "apprenticeships/evidence/evidence_assess.html", {
        **_detail_context(request, evidence),
        "assess_form": assess_form or AssessForm(initial=initial),
        "mapping_form": mapping_form or AddMappingForm(initial=initial,
                                                       ksbs=evidence_selectors.claimable_ksbs(apprenticeship),
                                                       units=evidence_selectors.claimable_units(apprenticeship))})


def _coach_may_assess(request: HttpRequest, evidence, actor: Actor) -> HttpResponse | None:
    """NotAllowed (403) for anyone but the coach; a redirect, with why, when the item cannot be assessed now."""
    require_party(actor, evidence.apprenticeship, Party.PROVIDER)
    if evidence.is_locked or evidence.status != EvidenceStatus.SUBMITTED or is_locked(evidence.apprenticeship):
        messages.error(request, evidence_services.LOCKED_MESSAGE if evidence.is_locked
                       else evidence_services.NOT_WAITING_MESSAGE)
        return redirect("apprenticeships:evidence-detail", evidence.public_id)
    return None


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def evidence_assess(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    if refused := _coach_may_assess(request, evidence, actor):
        return refused
    if request.method == "GET":
        audit.record(actor, Action.VIEW, evidence, details={"form": "assess"})
        return _assess_page(request, evidence)
    form = AssessForm(request.POST)
    if form.is_valid() and save_through(form, evidence_services.assess_evidence, actor=actor, evidence=evidence,
                                        seen_version=form.cleaned_data["seen_version"],
                                        decision=form.cleaned_data["decision"],
                                        feedback=form.cleaned_data["feedback"]):
        done = ("accepted: it is now locked" if form.cleaned_data["decision"] == evidence_services.ACCEPT
                else "returned to the apprentice with your feedback")
        messages.success(request, f"Evidence {done}")
        return redirect("apprenticeships:evidence-detail", evidence.public_id)
    return _assess_page(request, evidence_selectors.evidence_for(request.user, evidence_id), assess_form=form)


@require_POST
@requires(Perm.OWN_ACCOUNT)
def evidence_mapping_add(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    if refused := _coach_may_assess(request, evidence, actor):
        return refused
    apprenticeship = evidence.apprenticeship
    form = AddMappingForm(request.POST, ksbs=evidence_selectors.claimable_ksbs(apprenticeship),
                          units=evidence_selectors.claimable_units(apprenticeship))
    if form.is_valid() and (mapping := save_through(
            form, evidence_services.add_mapping, actor=actor, evidence=evidence,
            seen_version=form.cleaned_data["seen_version"], ksb=form.cleaned_data["ksb"],
            unit=form.cleaned_data["unit"])):
        messages.success(request, f"{mapping.label} added")
        return redirect("apprenticeships:evidence-assess", evidence.public_id)
    return _assess_page(request, evidence_selectors.evidence_for(request.user, evidence_id), mapping_form=form)


@require_POST
@requires(Perm.OWN_ACCOUNT)
def evidence_mapping_remove(request: HttpRequest, evidence_id, mapping_id: int) -> HttpResponse:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    if refused := _coach_may_assess(request, evidence, actor):
        return refused
    form = VersionForm(request.POST)
    if form.is_valid() and save_through(form, evidence_services.remove_mapping, actor=actor, evidence=evidence,
                                        seen_version=form.cleaned_data["seen_version"], mapping_id=mapping_id):
        messages.success(request, "Mapping removed")
        return redirect("apprenticeships:evidence-assess", evidence.public_id)
    for message in form.non_field_errors() + form["seen_version"].errors:
        messages.error(request, message)
    return redirect("apprenticeships:evidence-assess", evidence.public_id)


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def evidence_unlock(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = evidence_selectors.evidence_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    require_party(actor, evidence.apprenticeship, Party.PROVIDER)
    if not evidence.is_locked:
        messages.error(request, evidence_services.NOT_LOCKED_MESSAGE)
        return redirect("apprenticeships:evidence-detail", evidence.public_id)
    form = UnlockForm(request.POST if request.method == "POST" else None, initial={"seen_version": evidence.version})
    if request.method == "GET":
        audit.record(actor, Action.VIEW, evidence, details={"form": "unlock"})
    elif form.is_valid() and save_through(form, evidence_services.unlock_evidence, actor=actor, evidence=evidence,
                                          seen_version=form.cleaned_data["seen_version"],
                                          reason=form.cleaned_data["reason"]):
        messages.success(request, "Evidence unlocked. It is waiting for your assessment again.")
        return redirect("apprenticeships:evidence-detail", evidence.public_id)
    return render(request, "apprenticeships/evidence/evidence_unlock.html", {
        **_page_context(evidence.apprenticeship), "evidence": evidence, "form": form})


@require_GET
@requires(Perm.OWN_ACCOUNT)
def evidence_download(request: HttpRequest, evidence_id) -> HttpResponse:
    """The item's file, streamed to those who may see the apprenticeship, audited as an export."""
    return file_response(request, evidence_selectors.evidence_for(request.user, evidence_id))


def file_response(request: HttpRequest, evidence) -> FileResponse:
    """Stream an item already fetched through the scoped selector: an attachment, never cached, audited
    as an export; a 404 when it has none (the pages and the API both answer this way)."""
    if not evidence.file:
        raise Http404("This evidence has no file")
    name = evidence.file_name or evidence.file.name.rsplit("/", 1)[-1]
    try:
        handle = evidence.file.open("rb")  # through the storage backend: local disk or S3 alike
    except FileNotFoundError:
        raise Http404("The evidence file is missing") from None
    audit.record(Actor.from_request(request), Action.EXPORT, evidence, details={"file": name})
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@requires(Perm.APPRENTICESHIP_MANAGE)
def evidence_queue(request: HttpRequest) -> HttpResponse:
    """A coach's evidence waiting for assessment across their apprentices, oldest sent first."""
    page = Paginator(evidence_selectors.evidence_awaiting_assessment_by(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    if page.object_list:
        audit.record_list(Actor.from_request(request), page.object_list, what=WHAT, details={"queue": True})
    return render(request, "apprenticeships/evidence/evidence_queue.html", {"page": page, "items": page.object_list})

