"""Pages that change an apprenticeship's programme (issue 5): asking for a break in learning, a
return or a withdrawal, deciding and processing it; new contracted hours; the enrolment details.

Top to bottom: who may (`@requires`), the apprenticeship through the scoped selector (404 out of
reach), the record hanging off it, a change through change_services (a wrong party is a 403), render.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carelead.apprenticeships import change_services, parties, plan_selectors, selectors, tabs
from carelead.apprenticeships.change_forms import (
    ChangeRequestForm, DecisionForm, EnrolmentDetailsForm, ProcessForm, WeeklyHoursForm,
)
from carelead.apprenticeships.models import ChangeStatus, Party
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.errors import NotAllowed
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm

require_GET_or_POST = require_http_methods(["GET", "POST"])
OVERVIEW = "apprenticeships:apprenticeship-detail"


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _require(request: HttpRequest, apprenticeship, *allowed: str) -> frozenset[str]:
    held = parties.parties_of(request.user, apprenticeship)
    if not held & set(allowed):
        raise NotAllowed(f"only the {' or '.join(allowed)} may do this on this apprenticeship")
    return held


def change_permissions(user, apprenticeship, change) -> dict:
    """What this user may do with a change now (the services decide again)."""
    held = parties.parties_of(user, apprenticeship)
    is_open = not parties.is_locked(apprenticeship)
    return {
        "can_decide": is_open and change.status == ChangeStatus.REQUESTED and change.requested_by_id != user.pk
        and bool(held & {Party.PROVIDER, Party.EMPLOYER}),
        "can_process": is_open and change.status == ChangeStatus.APPROVED and Party.PROVIDER in held,
    }


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_VIEW)
def change_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    _require(request, apprenticeship, Party.PROVIDER, Party.EMPLOYER)
    form = ChangeRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid() and (change := save_through(
            form, change_services.request_change, actor=Actor.from_request(request), apprenticeship=apprenticeship,
            **form.cleaned_data)):
        messages.success(request, f"{change.get_kind_display()} asked for: someone else must now approve it")
        return redirect(OVERVIEW, public_id)
    return render(request, "apprenticeships/changes/change_new.html", {"apprenticeship": apprenticeship, "form": form})


def _change_page(request: HttpRequest, apprenticeship, change, *, decision=None, process=None) -> HttpResponse:
    allowed = change_permissions(request.user, apprenticeship, change)
    default_end = change_services.default_new_end(change)
    return render(request, "apprenticeships/changes/change_detail.html", {
        "apprenticeship": apprenticeship, "change": change, **allowed,
        "tabs": tabs.programme_tabs(apprenticeship, "overview"),
        "decision_form": decision or DecisionForm(),
        "process_form": process or ProcessForm(initial={"new_practical_period_end": default_end}),
        "default_end": default_end})


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own changes by relationship (no role permission)
def change_detail(request: HttpRequest, public_id, change_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    change = plan_selectors.change_for(apprenticeship, change_id)
    audit.record(Actor.from_request(request), Action.VIEW, change)
    return _change_page(request, apprenticeship, change)


@require_POST
@requires(Perm.APPRENTICESHIP_VIEW)
def change_decision(request: HttpRequest, public_id, change_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    change = plan_selectors.change_for(apprenticeship, change_id)
    _require(request, apprenticeship, Party.PROVIDER, Party.EMPLOYER)
    form = DecisionForm(request.POST)
    if form.is_valid() and (decided := save_through(
            form, change_services.decide_change, actor=Actor.from_request(request), change=change,
            approve=form.cleaned_data["decision"] == "approve", comment=form.cleaned_data["decision_comment"])):
        messages.success(request, f"{decided.get_kind_display()}: {decided.get_status_display().lower()}")
        return redirect("apprenticeships:programme-change", public_id, change_id)
    return _change_page(request, apprenticeship, change, decision=form)


@require_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def change_process(request: HttpRequest, public_id, change_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    change = plan_selectors.change_for(apprenticeship, change_id)
    _require(request, apprenticeship, Party.PROVIDER)
    form = ProcessForm(request.POST)
    if form.is_valid() and save_through(
            form, change_services.process_change, actor=Actor.from_request(request), change=change,
            new_practical_period_end=form.cleaned_data["new_practical_period_end"]):
        messages.success(request, f"{change.get_kind_display()} processed")
        return redirect(OVERVIEW, public_id)
    return _change_page(request, apprenticeship, change, process=form)


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_VIEW)
def weekly_hours_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    _require(request, apprenticeship, Party.PROVIDER, Party.EMPLOYER)
    form = WeeklyHoursForm(_posted(request))
    if request.method == "POST" and form.is_valid() and save_through(
            form, change_services.record_weekly_hours, actor=Actor.from_request(request),
            apprenticeship=apprenticeship, **form.cleaned_data):
        messages.success(request, "Contracted hours recorded")
        return redirect(OVERVIEW, public_id)
    if request.method == "GET":
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"form": "weekly-hours"})
    return render(request, "apprenticeships/changes/weekly_hours_new.html", {
        "apprenticeship": apprenticeship, "form": form, "history": selectors.weekly_hours_history(apprenticeship)})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def enrolment_edit(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    _require(request, apprenticeship, Party.PROVIDER)
    form = EnrolmentDetailsForm(_posted(request), initial=EnrolmentDetailsForm.initial_for(apprenticeship))
    stale = False
    if request.method == "POST" and form.is_valid():
        if save_through(form, change_services.update_enrolment, actor=Actor.from_request(request),
                        apprenticeship=apprenticeship, **form.service_kwargs()):
            messages.success(request, "Enrolment details saved")
            return redirect(OVERVIEW, public_id)
        if change_services.STALE_ENROLMENT_MESSAGE in form.non_field_errors():
            # Show what is saved now, so the coach makes their change again over it, on purpose.
            fresh = selectors.apprenticeship_for(request.user, public_id)
            form, stale = EnrolmentDetailsForm(initial=EnrolmentDetailsForm.initial_for(fresh)), True
    if request.method == "GET":
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"form": "edit"})
    return render(request, "apprenticeships/changes/enrolment_edit.html", {
        "apprenticeship": apprenticeship, "form": form, "stale": stale,
        "stale_message": change_services.STALE_ENROLMENT_MESSAGE})
