"""The KSB coverage tab of an apprenticeship (issue 6, "Coverage"): every current KSB of the
apprentice's standard and every unit of their Diploma, with how many items of evidence claim it and
how many the coach accepted, the gaps said in words, a summary by kind and a bar chart of it.

Read-only, for the apprentice, their coach and the employer's contacts: who may (`@requires`), the
apprenticeship through the scoped selector (out of reach is a 404), the coverage in a constant
number of queries (coverage_selectors), the audit of the read, render.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from carelead.apprenticeships import coverage_selectors, selectors
from carelead.apprenticeships.coverage import KIND_LABELS, UNIT
from carelead.apprenticeships.coverage_chart import coverage_chart
from carelead.apprenticeships.tabs import programme_tabs
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAB = "coverage"
SHOW_GAPS = "gaps"


def evidence_url(public_id) -> str:
    """Where an item of evidence is read (the portfolio's item page)."""
    return reverse("apprenticeships:evidence-detail", args=[public_id])


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own by relationship: the selector decides
def coverage_page(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    gaps_only = request.GET.get("show") == SHOW_GAPS
    result = coverage_selectors.coverage_of(apprenticeship, gaps_only=gaps_only, link=evidence_url)
    audit.record(Actor.from_request(request), Action.VIEW, apprenticeship,
                 details={"tab": TAB, "gaps_only": gaps_only})
    return render(request, "apprenticeships/coverage/coverage.html", {
        "apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, TAB), "coverage": result,
        "chart": mark_safe(coverage_chart(result)),  # numbers and escaped text only (coverage_chart)
        "gaps_only": gaps_only, "units_label": KIND_LABELS[UNIT],
    })
