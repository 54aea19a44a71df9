"""The training plan tab of an apprenticeship (issue 5, §5.2): the current version, any earlier
version, the coach's draft (starting a version, adding, changing and removing activities) and the
three signatures.

Each view reads top to bottom: who may (`@requires`), the apprenticeship through the scoped selector
(out of reach is a 404), the plan hanging off it, the audit of the read, a change through
plan_services, render. Who may write is decided by the service (a wrong party is a 403).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.apprenticeships import parties, plan_selectors, plan_services, rules, selectors, tabs
from carelead.apprenticeships.models import Party
from carelead.apprenticeships.plan_forms import ActivityForm, PlanVersionForm, SignForm
from carelead.apprenticeships.signature_forms import OfflineSignatureForm
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.errors import NotAllowed
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAB = "plan"
require_GET_or_POST = require_http_methods(["GET", "POST"])
PARTY_NAMES = {Party.PROVIDER: "Training provider (skills coach)", Party.APPRENTICE: "Apprentice",
               Party.EMPLOYER: "Employer"}


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _read(request: HttpRequest, obj, **details) -> None:
    audit.record(Actor.from_request(request), Action.VIEW, obj, details={"tab": TAB, **details})


def _signature_rows(version, latest_number: int) -> list[dict]:
    signed = plan_selectors.signatures_by_party(version)
    waiting = plan_selectors.next_party(version) if version.number == latest_number else None
    return parties.signature_rows(signed, waiting=waiting, names=PARTY_NAMES)


def plan_context(request: HttpRequest, apprenticeship, version) -> dict:
    """Everything the plan page shows for one version, from already loaded rows (no query per activity)."""
    versions = plan_selectors.plan_versions(apprenticeship)
    latest = versions[0] if versions else None
    held = parties.parties_of(request.user, apprenticeship)
    is_open = not parties.is_locked(apprenticeship)
    context = {"apprenticeship": apprenticeship, "tabs": tabs.programme_tabs(apprenticeship, TAB),
               "version": version, "versions": versions, "latest": latest, "is_open": is_open,
               "is_coach": Party.PROVIDER in held and is_open}
    for row in versions:
        row.state = plan_selectors.plan_state(row)
        row.state_label = plan_selectors.STATE_LABELS[row.state]
    if version is None:
        return context
    activities = list(version.activities.all())
    for activity in activities:
        activity.not_otj_reason = "" if activity.counts_as_otj else rules.not_otj_reason(activity.activity_type)
    history = selectors.weekly_hours_history(apprenticeship)
    state = plan_selectors.plan_state(version)
    is_latest = latest is not None and version.number == latest.number
    rows = _signature_rows(version, latest.number if latest else 0)
    waiting = next((row["party"] for row in rows if row["next"]), None)
    context.update(
        activities=activities, totals=plan_selectors.plan_totals(activities), signatures=rows,
        minimum=selectors.minimum_otj(apprenticeship, selectors.current_weekly_hours(history, timezone.localdate())),
        state=state, state_label=plan_selectors.STATE_LABELS[state], state_colour=plan_selectors.STATE_COLOURS[state],
        is_latest=is_latest, can_edit=context["is_coach"] and is_latest and state == plan_selectors.DRAFT,
        can_start=context["is_coach"] and is_latest and state != plan_selectors.DRAFT,
        can_sign=is_open and is_latest and waiting in held and bool(activities),
        can_record_offline=context["is_coach"] and is_latest and waiting in (Party.APPRENTICE, Party.EMPLOYER),
    )
    return context


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice holds no role permission for their own: the selector decides
def training_plan(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    version = plan_selectors.current_plan(apprenticeship)
    _read(request, version or apprenticeship, **({"version": version.number} if version else {}))
    return render(request, "apprenticeships/plan/plan_detail.html", plan_context(request, apprenticeship, version))


@require_GET
@requires(Perm.OWN_ACCOUNT)
def training_plan_version(request: HttpRequest, public_id, number: int) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    version = plan_selectors.plan_version_for(apprenticeship, number)
    _read(request, version, version=version.number)
    return render(request, "apprenticeships/plan/plan_detail.html", plan_context(request, apprenticeship, version))


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def training_plan_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    parties.require_party(Actor.from_request(request), apprenticeship, Party.PROVIDER)
    latest = plan_selectors.current_plan(apprenticeship)
    form = PlanVersionForm(_posted(request))
    if request.method == "POST" and form.is_valid() and (version := save_through(
            form, plan_services.start_plan_version, actor=Actor.from_request(request), apprenticeship=apprenticeship,
            change_summary=form.cleaned_data["change_summary"])):
        messages.success(request, f"Version {version.number} started: add or change its activities, then sign it.")
        return redirect("apprenticeships:training-plan", public_id)
    return render(request, "apprenticeships/plan/plan_new.html", {
        "apprenticeship": apprenticeship, "form": form, "latest": latest})


def _activity_page(request: HttpRequest, apprenticeship, activity=None) -> HttpResponse:
    parties.require_party(Actor.from_request(request), apprenticeship, Party.PROVIDER)
    ksbs = plan_selectors.current_ksbs(apprenticeship)
    form = ActivityForm(_posted(request), ksbs=ksbs, initial=ActivityForm.initial_for(activity) if activity else None)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        saved = (save_through(form, plan_services.change_activity, actor=actor, activity=activity,
                              **form.service_kwargs()) if activity else
                 save_through(form, plan_services.add_activity, actor=actor, apprenticeship=apprenticeship,
                              **form.service_kwargs()))
        if saved:
            messages.success(request, f'Activity "{saved.title}" saved')
            return redirect("apprenticeships:training-plan", apprenticeship.public_id)
    if request.method == "GET" and activity is not None:
        _read(request, activity.plan, activity=activity.pk, form="edit")
    return render(request, "apprenticeships/plan/activity_form.html", {
        "apprenticeship": apprenticeship, "form": form, "activity": activity,
        "ksb_fields": [form[name] for name in ("ksbs_knowledge", "ksbs_skill", "ksbs_behaviour")]})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def activity_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    return _activity_page(request, apprenticeship)


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def activity_edit(request: HttpRequest, public_id, activity_id: int) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    activity = plan_selectors.activity_for(apprenticeship, activity_id)
    return _activity_page(request, apprenticeship, activity)


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def activity_remove(request: HttpRequest, public_id, activity_id: int) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    activity = plan_selectors.activity_for(apprenticeship, activity_id)
    parties.require_party(Actor.from_request(request), apprenticeship, Party.PROVIDER)
    form = PlanVersionForm(_posted(request))  # nothing to fill in: carries the non-field error
    if request.method == "POST" and save_through(form, plan_services.remove_activity,
                                                 actor=Actor.from_request(request), activity=activity):
        messages.success(request, f'Activity "{activity.title}" removed')
        return redirect("apprenticeships:training-plan", public_id)
    if request.method == "GET":
        _read(request, activity.plan, activity=activity.pk, form="remove")
    return render(request, "apprenticeships/plan/activity_remove.html", {
        "apprenticeship": apprenticeship, "activity": activity, "form": form})


@require_GET_or_POST
@requires(Perm.OWN_ACCOUNT)
def training_plan_sign(request: HttpRequest, public_id, number: int) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    version = plan_selectors.plan_version_for(apprenticeship, number)
    held = parties.parties_of(request.user, apprenticeship)
    if not held:
        raise NotAllowed("only the provider, the apprentice or the employer signs the training plan")
    form = SignForm(_posted(request))
    if request.method == "POST" and form.is_valid() and (signature := save_through(
            form, plan_services.sign_plan, actor=Actor.from_request(request), version=version)):
        messages.success(request, f"You signed version {version.number} as the {signature.get_party_display().lower()}")
        return redirect("apprenticeships:training-plan", public_id)
    if request.method == "GET":
        _read(request, version, version=version.number, form="sign")
    context = plan_context(request, apprenticeship, version)
    return render(request, "apprenticeships/plan/plan_sign.html", {**context, "form": form})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def training_plan_offline_signature(request: HttpRequest, public_id, number: int) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    version = plan_selectors.plan_version_for(apprenticeship, number)
    parties.require_party(Actor.from_request(request), apprenticeship, Party.PROVIDER)
    waiting = plan_selectors.next_party(version)
    form = OfflineSignatureForm(_posted(request), initial={"party": waiting})
    if request.method == "POST" and form.is_valid() and save_through(
            form, plan_services.record_offline_signature, actor=Actor.from_request(request), version=version,
            **form.cleaned_data):
        messages.success(request, f"Signature recorded on version {version.number}")
        return redirect("apprenticeships:training-plan", public_id)
    if request.method == "GET":
        _read(request, version, version=version.number, form="offline-signature")
    return render(request, "apprenticeships/offline_signature.html", {
        "apprenticeship": apprenticeship, "form": form, "document": "training plan",
        "caption": f"training plan, version {version.number}",
        "back_url": reverse("apprenticeships:training-plan", args=[public_id])})
