"""The risks tab of a person's record: current risk assessments, one risk with its 5 x 5 matrix,
and recording, changing and archiving a risk.

Each view reads top to bottom: who may (`@requires`), fetch through the scoped selector (a person or
risk elsewhere is a 404), audit the read, change through a service, render.
"""

from copy import copy

from django.core.paginator import Paginator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.careplans import rules, selectors, services
from carelead.careplans.forms import RiskAssessmentEditForm, RiskAssessmentForm
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for
from carelead.people.views import record_context

TAB = "risks"
require_GET_or_POST = require_http_methods(["GET", "POST"])


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _read(request: HttpRequest, person, obj=None, **details) -> None:
    """Audit a read of the risks tab (STYLE.md §5: reads are recorded by views)."""
    audit.record(Actor.from_request(request), Action.VIEW, obj or person, person=person,
                 details={"tab": TAB, **details})


def matrix(risk) -> dict:
    """The 5 x 5 matrix, most likely row first, each cell with its score, rating and marks."""
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for severity in range(1, 6):
            score = rules.risk_score(likelihood, severity)
            rating = rules.risk_rating(score)
            marks = [name for name, at in (("Initial", (risk.likelihood, risk.severity)),
                                           ("Residual", (risk.residual_likelihood, risk.residual_severity)))
                     if at == (likelihood, severity)]
            cells.append({"score": score, "label": rules.RATING_LABELS[rating],
                          "colour": rules.RATING_COLOURS[rating], "marks": marks})
        rows.append({"likelihood": likelihood, "word": rules.LIKELIHOODS[likelihood], "cells": cells})
    return {"rows": rows, "severities": list(rules.SEVERITIES.items())}


@require_GET
@requires(Perm.PERSON_VIEW)
def risk_list(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id)
    page = Paginator(selectors.risk_assessments_of(person), 25).get_page(request.GET.get("page"))
    _read(request, person)
    return render(request, "careplans/risk_list.html", {
        **record_context(request, person, "risk-list"), "risks": page.object_list, "page": page,
    })


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def risk_new(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id, perm=Perm.PERSON_EDIT)
    form = RiskAssessmentForm(_posted(request))
    if request.method == "GET":
        _read(request, person, form="new")
    elif form.is_valid() and (risk := save_through(
        form, services.create_risk_assessment, actor=Actor.from_request(request), person=person, **form.changes(),
    )):
        messages.success(request, "Risk assessment added")
        return redirect("careplans:risk-detail", person.public_id, risk.public_id)
    return render(request, "careplans/risk_form.html", {"form": form, "person": person})


@require_GET
@requires(Perm.PERSON_VIEW)
def risk_detail(request: HttpRequest, public_id, risk_id) -> HttpResponse:
    risk = selectors.risk_assessment_for(request.user, public_id, risk_id)
    _read(request, risk.person, risk)
    return render(request, "careplans/risk_detail.html", {
        **record_context(request, risk.person, "risk-list"), "risk": risk, "matrix": matrix(risk),
        "overdue": rules.is_review_overdue(risk.review_on, timezone.localdate()),
    })


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def risk_edit(request: HttpRequest, public_id, risk_id) -> HttpResponse:
    risk = selectors.risk_assessment_for(request.user, public_id, risk_id, perm=Perm.PERSON_EDIT)
    form = RiskAssessmentEditForm(_posted(request), instance=copy(risk))  # the form must not touch `risk`
    if request.method == "GET":
        _read(request, risk.person, risk, form="edit")
    elif form.is_valid() and save_through(
        form, services.update_risk_assessment, actor=Actor.from_request(request), risk=risk,
        seen_version=form.cleaned_data["version"], **form.changes(),
    ):
        messages.success(request, "Risk assessment saved")
        return redirect("careplans:risk-detail", public_id, risk.public_id)
    return render(request, "careplans/risk_form.html", {"form": form, "person": risk.person, "risk": risk})


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def risk_archive(request: HttpRequest, public_id, risk_id) -> HttpResponse:
    risk = selectors.risk_assessment_for(request.user, public_id, risk_id, perm=Perm.PERSON_EDIT)
    if request.method == "POST":
        services.archive_risk_assessment(actor=Actor.from_request(request), risk=risk)
        messages.success(request, "Risk assessment archived")
        return redirect("careplans:risk-list", public_id)
    _read(request, risk.person, risk, form="archive")
    return render(request, "careplans/risk_archive.html", {"person": risk.person, "risk": risk})
