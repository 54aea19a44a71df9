"""The timeline tab of an apprenticeship (issue 6): what the apprentice led in practice, what they
learned and what was assessed, newest first, by month, six months a page, filtered by strand.

Read-only, for the apprentice, their coach and the employer's contacts: who may (`@requires`), the
apprenticeship through the scoped selector (out of reach is a 404), the page's events in one bounded
query per kind (timeline_selectors), the audit of the read, render.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from carelead.apprenticeships import selectors, timeline_selectors
from carelead.apprenticeships.parties import is_locked
from carelead.apprenticeships.tabs import programme_tabs
from carelead.apprenticeships.timeline import STRAND_LABELS, STRANDS, months_of, parse_page, parse_strands
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAB = "timeline"


def page_query(strands: tuple[str, ...], page: int) -> str:
    """The query string of another page of the same filter (the strands only when narrowed)."""
    pairs = [("strand", strand) for strand in strands] if strands != STRANDS else []
    return urlencode([*pairs, ("page", page)])


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own by relationship: the selector decides
def timeline_page(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    strands = parse_strands(request.GET.getlist("strand"))
    span = timeline_selectors.timeline_window(apprenticeship, today=timezone.localdate(),
                                              page=parse_page(request.GET.get("page")))
    events = timeline_selectors.events_of(apprenticeship, since=span.since, until=span.until, strands=strands)
    audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={
        "tab": TAB, "strands": list(strands), "since": span.since.isoformat(), "until": span.until.isoformat()})
    return render(request, "apprenticeships/timeline/timeline.html", {
        "apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, TAB), "months": months_of(events),
        "window": span, "strands": strands, "ended": is_locked(apprenticeship), "strand_choices": [(key, STRAND_LABELS[key]) for key in STRANDS],
        "newer_query": page_query(strands, span.newer) if span.newer else "",
        "older_query": page_query(strands, span.older) if span.older else "",
    })
