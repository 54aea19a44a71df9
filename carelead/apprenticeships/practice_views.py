"""The apprentice's practice records as evidence (issue 6): one page lists the records they led that
are not yet in their portfolio (title, date, kind and the REDACTED summary, which is all that is
kept), and, for one record (?source=&record=), the form to attach it with the KSBs and units they
claim. Only the apprentice reaches it: their practice records are theirs, not their coach's.
"""

from dataclasses import asdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from carelead.apprenticeships import practice_evidence, selectors
from carelead.apprenticeships.models import Party
from carelead.apprenticeships.parties import LOCKED_MESSAGE, is_locked, require_party
from carelead.apprenticeships.practice_forms import AttachPracticeForm, PracticeFilterForm
from carelead.apprenticeships.tabs import programme_tabs
from carelead.core import audit
from carelead.core import evidence as registry
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.pagination import query_without_page
from carelead.core.permissions import Perm

PER_PAGE = 20
TAB = "portfolio"


def _shown(item: registry.EvidenceItem, labels: dict) -> dict:
    """A registry item as the page shows it: its own redacted fields and its kind in words."""
    return {**asdict(item), "source_label": labels.get(item.source, item.source)}


def _context(apprenticeship) -> dict:
    return {"apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, TAB),
            "back_url": practice_evidence.portfolio_url(apprenticeship)}


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)  # the apprentice, by relationship: the selector and require_party decide
def practice_records(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, Party.APPRENTICE)  # NotAllowed: the 403 page
    if is_locked(apprenticeship):
        messages.error(request, LOCKED_MESSAGE.format(status=apprenticeship.get_status_display().lower()))
        return redirect("apprenticeships:apprenticeship-detail", public_id)
    if request.method == "POST" or request.GET.get("record"):
        return _attach(request, actor, apprenticeship)
    filters = PracticeFilterForm(request.GET or None)
    records = practice_evidence.candidate_records(apprenticeship, **filters.filters())
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    audit.record(actor, Action.LIST, apprenticeship, details={
        "practice_records": [f"{item.source}:{item.record_id}" for item in page.object_list]})
    labels = practice_evidence.source_labels()
    return render(request, "apprenticeships/practice/practice_list.html", {
        **_context(apprenticeship), "filters": filters, "page": page,
        "records": [_shown(item, labels) for item in page.object_list], "query": query_without_page(request),
        "filtered": bool(filters.filters() and any(filters.filters().values()))})


def _attach(request: HttpRequest, actor: Actor, apprenticeship) -> HttpResponse:
    """The attach form for one of the apprentice's own records (a 404 for anyone else's); saving
    makes a draft item and goes to it."""
    data = request.POST if request.method == "POST" else request.GET
    item = registry.item(request.user, data.get("source", ""), data.get("record", ""))
    if item is None:
        raise Http404("No such practice record of yours")
    form = AttachPracticeForm(request.POST if request.method == "POST" else None,
                              initial={"source": item.source, "record": item.record_id, "title": item.title},
                              ksbs=practice_evidence.claimable_ksbs(apprenticeship),
                              units=practice_evidence.claimable_units(apprenticeship))
    if request.method == "GET":
        audit.record(actor, Action.VIEW, apprenticeship, details={
            "practice_record": f"{item.source}:{item.record_id}", "form": "attach"})
    elif form.is_valid() and (evidence := save_through(
            form, practice_evidence.attach_practice_record, actor=actor, apprenticeship=apprenticeship,
            **form.service_kwargs())):
        messages.success(request, "Practice record added to your portfolio as a draft. Send it to your coach when "
                                  "it is ready.")
        return redirect(practice_evidence.after_creating(evidence))
    return render(request, "apprenticeships/practice/practice_attach.html", {
        **_context(apprenticeship), "form": form, "record": _shown(item, practice_evidence.source_labels())})
