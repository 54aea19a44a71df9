"""The end-point assessment tab of an apprenticeship (issue 6): each method's attempts, the overall
grade by the combination rule (marked where it is inferred, the rule shown as data), and for the
coach, planning an attempt and recording its result.

Each view reads top to bottom: who may (`@requires`), fetch through the scoped selector (out of reach
is a 404), audit the read, change through epa_services (which check the party again: only the
apprentice's coach records; anyone else who may see the apprenticeship reads), render.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from carelead.apprenticeships import epa, epa_selectors, epa_services, selectors
from carelead.apprenticeships.epa_forms import EpaAttemptForm, EpaResultForm
from carelead.apprenticeships.models import EpaGrade, EpaMethod, Party
from carelead.apprenticeships.parties import is_locked, parties_of, require_party
from carelead.apprenticeships.tabs import programme_tabs
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm

LOCKED = "This apprenticeship is closed: its end-point assessment can no longer change."
GRADE_COLOURS = {EpaGrade.FAIL: "red", EpaGrade.PASS: "green", EpaGrade.DISTINCTION: "purple"}


def _page_context(apprenticeship) -> dict:
    return {"apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, "epa")}


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own by relationship: the selector decides
def epa_page(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    attempts = epa_selectors.attempts_of(apprenticeship)
    actor = Actor.from_request(request)
    audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "epa"})
    if attempts:
        audit.record_list(actor, attempts, what="apprenticeships.EpaAttempt",
                          details={"apprenticeship": str(apprenticeship.public_id)})
    for attempt in attempts:  # no queries: the tag colour of each grade
        attempt.grade_colour = GRADE_COLOURS.get(attempt.grade, "")
    result = epa_selectors.epa_result(attempts)
    return render(request, "apprenticeships/epa/epa_page.html", {
        **_page_context(apprenticeship), "result": result, "overall_colour": GRADE_COLOURS.get(result.overall, ""),
        "rule_rows": epa_selectors.rule_rows(), "inferred": epa.rule_is_inferred(), "inferred_note": epa.INFERRED_NOTE,
        "method_grades": [{"label": each.label, "grades": " or ".join(EpaGrade(g).label for g in each.grades),
                           "inferred": each.inferred, "note": each.note} for each in epa.METHOD_GRADES],
        "earliest_observation": (epa.earliest_observation_date(apprenticeship.gateway_date)
                                 if apprenticeship.gateway_date else None),
        "can_record": Party.PROVIDER in parties_of(request.user, apprenticeship) and not is_locked(apprenticeship),
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def epa_attempt_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, Party.PROVIDER)  # NotAllowed: the 403 page
    if is_locked(apprenticeship):
        messages.error(request, LOCKED)
        return redirect("apprenticeships:epa", public_id)
    form = EpaAttemptForm(request.POST if request.method == "POST" else None,
                          initial={"method": request.GET.get("method", EpaMethod.OBSERVATION)})
    if request.method == "GET":
        audit.record(actor, Action.VIEW, apprenticeship, details={"tab": "epa", "form": "new"})
    elif form.is_valid() and (attempt := save_through(form, epa_services.plan_epa_attempt, actor=actor,
                                                      apprenticeship=apprenticeship, **form.cleaned_data)):
        planned = date_format(attempt.planned_on, "j M Y")
        messages.success(request, f"{attempt.get_method_display()} planned for {planned}.")
        return redirect("apprenticeships:epa", public_id)
    return render(request, "apprenticeships/epa/epa_attempt_form.html", {
        **_page_context(apprenticeship), "form": form})


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def epa_attempt_result(request: HttpRequest, attempt_id) -> HttpResponse:
    attempt = epa_selectors.attempt_for(request.user, attempt_id)
    apprenticeship = attempt.apprenticeship
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, Party.PROVIDER)
    if is_locked(apprenticeship) or attempt.grade:
        messages.error(request, LOCKED if is_locked(apprenticeship) else epa_services.ALREADY_GRADED)
        return redirect("apprenticeships:epa", apprenticeship.public_id)
    form = EpaResultForm(request.POST if request.method == "POST" else None, method=attempt.method,
                         initial={"held_on": attempt.planned_on, "assessor_name": attempt.assessor_name})
    if request.method == "GET":
        audit.record(actor, Action.VIEW, attempt, details={"form": "result"})
    elif form.is_valid() and save_through(form, epa_services.record_epa_result, actor=actor, attempt=attempt,
                                          **form.cleaned_data):
        messages.success(request, f"{attempt.get_method_display()} result recorded.")
        return redirect("apprenticeships:epa", apprenticeship.public_id)
    return render(request, "apprenticeships/epa/epa_result_form.html", {
        **_page_context(apprenticeship), "form": form, "attempt": attempt})
