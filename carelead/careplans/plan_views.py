"""The care plan tab of a person's record: the plan, building and changing it, approval, versions
and their differences, and reviews.

Each view reads top to bottom: who may (`@requires`), fetch through the scoped selector (a person
elsewhere, or a section of another plan, is a 404), audit the read, change through plan_services,
render. Every change names the version the editor opened; when someone else saved since, the form
comes back as typed with what they changed, ready to be saved over theirs on purpose.
"""

from copy import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.careplans import plan_services, rules, selectors
from carelead.careplans.diff import compare
from carelead.careplans.plan_forms import (
    AddFromAssessmentForm, BuildPlanForm, ConfirmForm, PlanDetailsForm, ReviewForm, SectionForm,
    SupportActionFormSet, action_initial,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.errors import StaleEdit
from carelead.core.forms import add_service_errors, save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.templatetags.nhsuk import error_summary
from carelead.people.selectors import person_for
from carelead.people.views import record_context

TAB = "plan"
require_GET_or_POST = require_http_methods(["GET", "POST"])


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _read(request: HttpRequest, person, obj, **details) -> None:
    """Audit a read of the plan tab (STYLE.md §5: reads are recorded by views)."""
    audit.record(Actor.from_request(request), Action.VIEW, obj, person=person, details={"tab": TAB, **details})


def _review_tag(obj) -> None:
    """In date, due or overdue, as words and a colour (rules.review_tag)."""
    obj.review_label, obj.review_colour = rules.review_tag(obj.review_on, timezone.localdate())


def _submit(request: HttpRequest, plan, forms_, service, arguments):
    """Run `service` on valid forms. Returns (result, conflict): the result when saved; a conflict
    (what someone else saved since) when the version was stale; (None, None) when refused."""
    if request.method != "POST" or not all([form.is_valid() for form in forms_]):
        return None, None
    form = forms_[0]
    try:
        return service(actor=Actor.from_request(request), plan=plan, seen_version=form.cleaned_data["seen_version"],
                       **arguments()), None
    except StaleEdit:
        return None, conflict(plan, form.cleaned_data["seen_version"])
    except ValidationError as error:
        add_service_errors(form, error)
        return None, None


def conflict(plan, seen_version: int) -> dict:
    """What changed between the version an editor opened and the plan now, and who saved it last."""
    versions = {kept.version: kept for kept in plan.versions.select_related("saved_by").filter(
        version__gte=seen_version).order_by("version")}
    latest = versions[max(versions)] if versions else None
    seen = versions.get(seen_version)
    return {"version": latest.version if latest else seen_version, "latest": latest,
            "changes": compare(seen.snapshot, latest.snapshot) if seen and latest else []}


def _as_current(request: HttpRequest, found: dict) -> QueryDict:
    """What the editor typed, now naming the current version: saving again saves theirs over it."""
    data = request.POST.copy()
    data["seen_version"] = found["version"]
    return data


def _quiet(form, formset) -> None:
    """Show a bound form and formset as typed without judging them: after "Add another support
    action" nothing was submitted yet, so no errors are due."""
    form._errors = ErrorDict()
    for row in formset.forms:
        row._errors = ErrorDict()
    formset._errors, formset._non_form_errors = [row._errors for row in formset.forms], formset.error_class()


# --- The plan ------------------------------------------------------------------------------------


@require_GET
@requires(Perm.PERSON_VIEW)
def plan(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id)
    context = record_context(request, person, TAB)
    current = selectors.current_plan_of(person)
    if current is None:
        can_build = Perm.PERSON_CREATE in context["perms"]
        context["assessments"] = list(selectors.completed_assessments_of(person)) if can_build else []
    else:
        current.person = person
        sections = list(selectors.plan_sections(current))
        for reviewed in [current, *sections]:
            _review_tag(reviewed)
        context.update(sections=sections, reviews=selectors.recent_reviews(current))
    _read(request, person, current or person)
    return render(request, "careplans/plan_detail.html", {**context, "plan": current,
                                                           "can_create": Perm.PERSON_CREATE in context["perms"]})


@require_GET_or_POST
@requires(Perm.PERSON_CREATE)
def plan_new(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    if selectors.current_plan_of(person):
        messages.info(request, plan_services.ALREADY_ACTIVE_MESSAGE)
        return redirect("careplans:plan", public_id)
    form = BuildPlanForm(_posted(request), assessments=selectors.completed_assessments_of(person))
    if request.method == "GET":
        _read(request, person, person, form="new")
    elif form.is_valid() and save_through(form, plan_services.build_plan, actor=Actor.from_request(request),
                                          person=person, assessment=form.cleaned_data["assessment"]):
        messages.success(request, "Care plan built. Check each section with the person, then ask for approval.")
        return redirect("careplans:plan", public_id)
    return render(request, "careplans/plan_new.html", {"form": form, "person": person})


@require_GET_or_POST
@requires(Perm.PERSON_CREATE)
def plan_edit(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    form = PlanDetailsForm(_posted(request), instance=copy(plan), version=plan.version)
    saved, found = _submit(request, plan, [form], plan_services.update_plan, lambda: form.changes())
    if saved:
        messages.success(request, "Plan details saved")
        return redirect("careplans:plan", public_id)
    if found:
        form = PlanDetailsForm(_as_current(request, found), instance=copy(plan), version=found["version"])
    elif request.method == "GET":
        _read(request, plan.person, plan, form="edit")
    return render(request, "careplans/plan_form.html", {"form": form, "person": plan.person, "plan": plan,
                                                         "conflict": found})


# --- Sections ------------------------------------------------------------------------------------


def _section_page(request: HttpRequest, plan, section=None) -> HttpResponse:
    """Add or change a section with its support actions (a formset) and its risks, in one save."""
    data = _posted(request)
    if data is not None and "add_action" in data:
        data = data.copy()
        data["actions-TOTAL_FORMS"] = str(int(data.get("actions-TOTAL_FORMS") or 0) + 1)
    risks = selectors.current_risks_of(plan.person)
    form = SectionForm(data, instance=copy(section) if section else None, risks=risks, version=plan.version)
    formset = SupportActionFormSet(data, prefix="actions", initial=action_initial(section))
    found = None
    if data is not None and "add_action" in data:
        _quiet(form, formset)
    else:
        saved, found = _submit(request, plan, [form, formset], plan_services.save_section, lambda: {
            **form.changes(), "section": section, "actions": formset.rows(),
            "risk_ids": [risk.public_id for risk in form.cleaned_data["risks"]],
        })
        if saved:
            messages.success(request, f'Section "{saved.title}" saved')
            return redirect("careplans:plan", plan.person.public_id)
    if found:
        data = _as_current(request, found)
        form = SectionForm(data, instance=copy(section) if section else None, risks=risks, version=found["version"])
        formset = SupportActionFormSet(data, prefix="actions", initial=action_initial(section))
    return render(request, "careplans/plan_section_form.html", {
        "form": form, "formset": formset, "person": plan.person, "plan": plan, "section": section, "conflict": found,
        "sources": selectors.unplanned_assessment_sections(plan) if section is None else [],
        "errors": error_summary(form, formset.management_form, *formset.forms)["errors"],
    })


@require_GET_or_POST
@requires(Perm.PERSON_CREATE)
def plan_section_new(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    if request.method == "POST" and "source" in request.POST:
        return _section_from_assessment(request, plan)
    if request.method == "GET":
        _read(request, plan.person, plan, form="section-new")
    return _section_page(request, plan)


def _section_from_assessment(request: HttpRequest, plan) -> HttpResponse:
    sources = selectors.unplanned_assessment_sections(plan)
    form = AddFromAssessmentForm(request.POST, sources=sources, version=plan.version)
    saved, found = _submit(request, plan, [form], plan_services.add_section_from_assessment,
                           lambda: {"source": form.sources[form.cleaned_data["source"]]})
    if saved:
        messages.success(request, f'Section "{saved.title}" added from the assessment. Check it with the person.')
        return redirect("careplans:plan-section-edit", plan.person.public_id, saved.public_id)
    if found:
        messages.warning(request, plan_services.STALE_MESSAGE)
        return redirect("careplans:plan-section-new", plan.person.public_id)
    return render(request, "careplans/plan_section_form.html", {
        "form": SectionForm(None, risks=selectors.current_risks_of(plan.person), version=plan.version),
        "formset": SupportActionFormSet(prefix="actions"), "add_form": form, "sources": sources,
        "person": plan.person, "plan": plan, "errors": error_summary(form)["errors"],
    })


@require_GET_or_POST
@requires(Perm.PERSON_CREATE)
def plan_section_edit(request: HttpRequest, public_id, section_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    section = selectors.plan_section_for(plan, section_id)
    if request.method == "GET":
        _read(request, plan.person, section, form="section-edit")
    return _section_page(request, plan, section)


@require_GET_or_POST
@requires(Perm.PERSON_CREATE)
def plan_section_remove(request: HttpRequest, public_id, section_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    section = selectors.plan_section_for(plan, section_id)
    form = ConfirmForm(_posted(request), version=plan.version)
    saved, found = _submit(request, plan, [form], plan_services.remove_section, lambda: {"section": section})
    if saved:
        messages.success(request, f'Section "{section.title}" removed')
        return redirect("careplans:plan", public_id)
    if found:
        form = ConfirmForm(None, version=found["version"])
    elif request.method == "GET":
        _read(request, plan.person, section, form="section-remove")
    return render(request, "careplans/plan_section_remove.html", {
        "form": form, "person": plan.person, "plan": plan, "section": section, "conflict": found})


# --- Approval, versions, reviews -----------------------------------------------------------------


@require_GET_or_POST
@requires(Perm.PERSON_CREATE)
def plan_approve(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    form = ConfirmForm(_posted(request), version=plan.version)
    saved, found = _submit(request, plan, [form], plan_services.approve_plan, dict)
    if saved:
        messages.success(request, f"Version {saved.approved_version} of the plan approved")
        return redirect("careplans:plan", public_id)
    if found:
        form = ConfirmForm(None, version=found["version"])
    elif request.method == "GET":
        _read(request, plan.person, plan, form="approve")
    kept = {v.version: v.snapshot for v in plan.versions.filter(version__in=[plan.approved_version or 0, plan.version])}
    approved, current = kept.get(plan.approved_version), kept.get(plan.version)
    changes = compare(approved, current) if approved and current else None  # None: never approved
    return render(request, "careplans/plan_approve.html", {
        "form": form, "person": plan.person, "plan": plan, "changes": changes, "conflict": found})


@require_GET
@requires(Perm.PERSON_VIEW)
def plan_versions(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id)
    page = Paginator(selectors.plan_versions(plan), 25).get_page(request.GET.get("page"))
    _read(request, plan.person, plan, view="versions")
    return render(request, "careplans/plan_versions.html", {
        **record_context(request, plan.person, TAB), "plan": plan, "page": page, "versions": page.object_list})


@require_GET
@requires(Perm.PERSON_VIEW)
def plan_compare(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id)
    newer = selectors.plan_version(plan, request.GET.get("to") or plan.version)
    older = selectors.plan_version(plan, request.GET.get("from") or max(newer.version - 1, 1))
    if older.version > newer.version:
        older, newer = newer, older
    _read(request, plan.person, plan, view="compare", versions=[older.version, newer.version])
    return render(request, "careplans/plan_compare.html", {
        **record_context(request, plan.person, TAB), "plan": plan, "older": older, "newer": newer,
        "changes": compare(older.snapshot, newer.snapshot), "numbers": range(plan.version, 0, -1)})


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def plan_review(request: HttpRequest, public_id) -> HttpResponse:
    plan = selectors.plan_for(request.user, public_id, perm=Perm.PERSON_EDIT)
    sections = list(plan.sections.order_by("position", "id"))
    initial = {"reviewed_on": timezone.localdate(), "section": request.GET.get("section", "")}
    form = ReviewForm(_posted(request), initial=initial, sections=sections, version=plan.version)
    saved, found = _submit(request, plan, [form], plan_services.record_review, lambda: form.changes())
    if saved:
        messages.success(request, f"Review recorded. Next review {saved.next_review_on:%-d %b %Y}")
        return redirect("careplans:plan", public_id)
    if found:
        form = ReviewForm(_as_current(request, found), sections=sections, version=found["version"])
    elif request.method == "GET":
        _read(request, plan.person, plan, form="review")
    cycle = plan_services.next_review_after(plan)
    return render(request, "careplans/plan_review.html", {
        "form": form, "person": plan.person, "plan": plan, "conflict": found,
        "next_hint": f"Leave blank to follow the plan's review cycle: {cycle.day} {cycle:%b %Y} for a review today"})
