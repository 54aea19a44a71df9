"""The off-the-job hours tab of an apprenticeship: the figures side by side with a chart and flags,
the entries, logging and changing one (the apprentice), approving or returning (the coach, one by
one or from their queue), each entry's history, and its evidence file.

Each view reads top to bottom: who may (`@requires`), fetch through the scoped selector (an
apprenticeship or entry out of reach is a 404), audit the read, change through otj_services (which
check the party again: a coach of someone else's apprentice never gets this far), render.
"""

import mimetypes
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carelead.apprenticeships import otj_selectors, otj_services, rules, selectors
from carelead.apprenticeships.models import OtjEvent, OtjStatus, Party
from carelead.apprenticeships.otj import hours_and_minutes
from carelead.apprenticeships.otj_chart import otj_chart
from carelead.apprenticeships.otj_forms import (
    DECISION_CHOICES, DecisionForm, OtjEntryForm, QueueForm, StatusFilterForm, entry_form_initial,
)
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
STATUS_COLOURS = {OtjStatus.SUBMITTED: "yellow", OtjStatus.APPROVED: "green", OtjStatus.RETURNED: "orange"}
CHANGE_LABELS = {"entry_date": "date", "minutes": "time", "activity_type": "activity",
                 "what_learned": "what was learned",
                 "ksbs": "knowledge, skills and behaviours", "evidence": "evidence file"}
LOCKED_APPRENTICESHIP = "This apprenticeship is closed: its off-the-job hours can no longer change."


def _labelled(entries):
    """Each entry with its time in words and its status tag colour (no queries)."""
    for entry in entries:
        entry.time_label = hours_and_minutes(entry.minutes)
        entry.status_colour = STATUS_COLOURS[entry.status]
    return entries


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def flag_lines(flags) -> list[str]:
    """The flags in plain words: the months without OTJ in one sentence, and the days over their
    contracted hours in another, rather than a line each."""
    months = [flag.message.removeprefix("No off-the-job training in ").removesuffix(".")
              for flag in flags if flag.code == rules.MONTH_WITHOUT_OTJ]
    days = [flag.message.removeprefix("More off-the-job time on ").removesuffix(" than the day's contracted hours.")
            for flag in flags if flag.code == rules.DAY_OVER_CONTRACTED_HOURS]
    lines = [flag.message for flag in flags if flag.code == rules.FORECAST_BELOW_REQUIRED]
    if months:
        lines.append(f"No off-the-job training in {_listed(months)}: some is needed every calendar month until "
                     "gateway.")
    if days:
        lines.append(f"More off-the-job time than the day's contracted hours on {_listed(days)}.")
    return lines


def _page_context(apprenticeship) -> dict:
    return {"apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, "otj")}


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own by relationship: the selector decides
def otj_list(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    figures = otj_selectors.otj_figures(apprenticeship, timezone.localdate())
    parties = parties_of(request.user, apprenticeship)
    filters = StatusFilterForm(request.GET)
    status = filters.status_value()
    entries = otj_selectors.entries_of(apprenticeship, status=status)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    actor = Actor.from_request(request)
    audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "otj"})
    if page.object_list:
        audit.record_list(actor, page.object_list, what="apprenticeships.OffTheJobEntry",
                          details={"apprenticeship": str(apprenticeship.public_id)})
    return render(request, "apprenticeships/otj/otj_list.html", {
        **_page_context(apprenticeship), "figures": figures, "flags": flag_lines(figures.flags),
        "chart": otj_chart(figures), "filters": filters,
        "status": status, "page": page, "entries": _labelled(page.object_list), "query": query_without_page(request),
        "can_log": Party.APPRENTICE in parties and not is_locked(apprenticeship),
        "is_coach": Party.PROVIDER in parties,
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def otj_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, Party.APPRENTICE)  # NotAllowed: the 403 page
    if is_locked(apprenticeship):
        messages.error(request, LOCKED_APPRENTICESHIP)
        return redirect("apprenticeships:otj-list", public_id)
    form = OtjEntryForm(request.POST if request.method == "POST" else None, request.FILES or None,
                        activity_types=otj_selectors.loggable_activity_types(apprenticeship),
                        ksbs=otj_selectors.current_ksbs(apprenticeship))
    if request.method == "GET":
        audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "otj", "form": "new"})
    elif form.is_valid() and (entry := save_through(form, otj_services.log_off_the_job_hours, actor=actor,
                                                    apprenticeship=apprenticeship, **form.service_kwargs())):
        messages.success(request, f"{hours_and_minutes(entry.minutes)} of off-the-job training logged. "
                                  "It is waiting for your coach to approve it.")
        return redirect("apprenticeships:otj-entry", entry.public_id)
    return render(request, "apprenticeships/otj/otj_entry_form.html", {
        **_page_context(apprenticeship), "form": form, "entry": None})


def _history(revisions) -> list:
    """Each revision with the fields it changed from the one before, in words."""
    previous = None
    for revision in revisions:
        changed = [] if previous is None else [
            label for name, label in CHANGE_LABELS.items() if previous.get(name) != revision.snapshot.get(name)]
        revision.changed_labels = changed
        revision.status_label = OtjStatus(revision.snapshot.get("status", OtjStatus.SUBMITTED)).label
        previous = revision.snapshot
    return list(reversed(revisions))


def _decision_choices(entry, today) -> list:
    """What the coach may do with this entry now: approve or return a waiting one; return an approved
    one only before the gateway date (otj_services)."""
    gateway = entry.apprenticeship.gateway_date
    if entry.status == OtjStatus.SUBMITTED:
        return DECISION_CHOICES
    if entry.status == OtjStatus.APPROVED and (gateway is None or today < gateway):
        return [choice for choice in DECISION_CHOICES if choice[0] == otj_services.RETURN]
    return []


def _entry_page(request: HttpRequest, entry, decision_form=None, status: int = 200) -> HttpResponse:
    apprenticeship = entry.apprenticeship
    parties = parties_of(request.user, apprenticeship)
    choices = _decision_choices(entry, timezone.localdate()) if (
        Party.PROVIDER in parties and not is_locked(apprenticeship)) else []
    if choices and decision_form is None:
        decision_form = DecisionForm(choices=choices, initial={"seen_version": entry.version})
    return render(request, "apprenticeships/otj/otj_entry_detail.html", {
        **_page_context(apprenticeship), "entry": _labelled([entry])[0], "ksbs": list(entry.ksbs.all()),
        "history": _history(otj_selectors.revisions_of(entry)), "decision_form": decision_form if choices else None,
        "can_edit": (Party.APPRENTICE in parties and entry.status != OtjStatus.APPROVED
                     and not is_locked(apprenticeship)),
        "evidence_name": PurePosixPath(entry.evidence.name).name if entry.evidence else "",
        "events": OtjEvent,
    }, status=status)


@require_GET
@requires(Perm.OWN_ACCOUNT)
def otj_entry(request: HttpRequest, entry_id) -> HttpResponse:
    entry = otj_selectors.entry_for(request.user, entry_id)
    audit.record(Actor.from_request(request), Action.VIEW, entry)
    return _entry_page(request, entry)


@require_POST
@requires(Perm.OWN_ACCOUNT)
def otj_decide(request: HttpRequest, entry_id) -> HttpResponse:
    entry = otj_selectors.entry_for(request.user, entry_id)
    actor = Actor.from_request(request)
    require_party(actor, entry.apprenticeship, Party.PROVIDER)
    form = DecisionForm(request.POST, choices=DECISION_CHOICES)
    if form.is_valid() and save_through(form, otj_services.decide_off_the_job_entry, actor=actor, entry=entry,
                                        decision=form.cleaned_data["decision"], comment=form.cleaned_data["comment"],
                                        seen_version=form.cleaned_data["seen_version"]):
        done = "approved" if form.cleaned_data["decision"] == otj_services.APPROVE else "returned to the apprentice"
        messages.success(request, f"Entry {done}")
        return redirect("apprenticeships:otj-entry", entry.public_id)
    entry = otj_selectors.entry_for(request.user, entry_id)  # as it is now, not as the refused change left it
    return _entry_page(request, entry, decision_form=form)


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def otj_edit(request: HttpRequest, entry_id) -> HttpResponse:
    entry = otj_selectors.entry_for(request.user, entry_id)
    actor = Actor.from_request(request)
    require_party(actor, entry.apprenticeship, Party.APPRENTICE)
    if entry.status == OtjStatus.APPROVED or is_locked(entry.apprenticeship):
        messages.error(request, otj_services.LOCKED_ENTRY_MESSAGE if entry.status == OtjStatus.APPROVED
                       else LOCKED_APPRENTICESHIP)
        return redirect("apprenticeships:otj-entry", entry.public_id)
    options = {"activity_types": otj_selectors.loggable_activity_types(entry.apprenticeship),
               "ksbs": otj_selectors.current_ksbs(entry.apprenticeship), "has_evidence": bool(entry.evidence)}
    if request.method == "GET":
        audit.record(actor, Action.VIEW, entry, details={"form": "edit"})
        form = OtjEntryForm(initial=entry_form_initial(entry), seen_version=entry.version, **options)
    else:
        form = OtjEntryForm(request.POST, request.FILES or None, seen_version=entry.version, **options)
        if form.is_valid():
            try:
                otj_services.edit_off_the_job_entry(actor=actor, entry=entry, **form.service_kwargs())
            except StaleEdit as stale:
                # Show what they typed, now naming the current version: saving again saves theirs over it.
                data = request.POST.copy()
                data["seen_version"] = otj_selectors.entry_for(request.user, entry_id).version
                form = OtjEntryForm(data, request.FILES or None, seen_version=entry.version, **options)
                form.is_valid()
                form.add_error(None, stale.message)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Entry changed. It is waiting for your coach to approve it.")
                return redirect("apprenticeships:otj-entry", entry.public_id)
    return render(request, "apprenticeships/otj/otj_entry_form.html", {
        **_page_context(entry.apprenticeship), "form": form, "entry": entry,
        "evidence_name": PurePosixPath(entry.evidence.name).name if entry.evidence else ""})


@require_GET
@requires(Perm.OWN_ACCOUNT)
def otj_evidence(request: HttpRequest, entry_id) -> HttpResponse:
    """The entry's evidence file, streamed to those who may see the apprenticeship, audited as an export."""
    return evidence_response(request, otj_selectors.entry_for(request.user, entry_id))


def evidence_response(request: HttpRequest, entry) -> FileResponse:
    """Stream an entry already fetched through the scoped selector: an attachment, never cached, audited as an
    export; a 404 when it has none (the pages and the API both answer this way)."""
    if not entry.evidence:
        raise Http404("This entry has no evidence file")
    name = PurePosixPath(entry.evidence.name).name
    try:
        handle = entry.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("The evidence file is missing") from None
    audit.record(Actor.from_request(request), Action.EXPORT, entry, details={"evidence": name})
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@requires(Perm.APPRENTICESHIP_MANAGE)
def otj_queue(request: HttpRequest) -> HttpResponse:
    """A coach's entries waiting for approval, oldest first, to approve or return several at once."""
    actor = Actor.from_request(request)
    form = QueueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and (decided := save_through(
            form, otj_services.decide_off_the_job_entries, actor=actor, entry_ids=form.cleaned_data["entries"],
            decision=form.cleaned_data["decision"], comment=form.cleaned_data["comment"])):
        done = "approved" if form.cleaned_data["decision"] == otj_services.APPROVE else "returned"
        messages.success(request, f"{len(decided)} {'entry' if len(decided) == 1 else 'entries'} {done}")
        return redirect("apprenticeships:otj-queue")
    page = Paginator(otj_selectors.entries_awaiting_decision_by(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    if page.object_list:
        audit.record_list(actor, page.object_list, what="apprenticeships.OffTheJobEntry", details={"queue": True})
    chosen = {str(value) for value in (form["entries"].value() or [])} if form.is_bound else set()
    return render(request, "apprenticeships/otj/otj_queue.html", {
        "form": form, "page": page, "entries": _labelled(page.object_list), "chosen": chosen})
