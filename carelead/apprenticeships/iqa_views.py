"""Internal quality assurance pages (issue 6): the provider's sampling policies, drawing and reading a
sampling plan (filters, 25 a page), its compliance table, a sampled item with the decision form, and
releasing the lock a signed decision puts on an item; and, for the coach, the IQA feedback on the
evidence they assessed.

Each view reads top to bottom: who may (`@requires(Perm.IQA_MANAGE)`, or APPRENTICESHIP_MANAGE for
the coach's page), fetch through iqa_selectors (another provider's policy, plan or item is a 404; an
item not in one of the IQA's plans too), audit the read, change through iqa_services, render.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carelead.apprenticeships import evidence_selectors, iqa_selectors, iqa_services
from carelead.apprenticeships.evidence_views import file_response
from carelead.apprenticeships.iqa_forms import (
    DecisionForm, PlanForm, PolicyForm, RedrawForm, ReleaseForm, SampleFilterForm, policy_initial,
)
from carelead.apprenticeships.models import EvidenceKind
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.pagination import query_without_page
from carelead.core.permissions import Perm

PER_PAGE = 25
STAGE_RULE = ("Summative: assessed on or after the apprentice's gateway date. Interim: assessed before it, "
              "or before any gateway date was set.")


@require_GET
@requires(Perm.IQA_MANAGE)
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = list(iqa_selectors.policies_for(request.user))
    plans = Paginator(iqa_selectors.plans_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    actor = Actor.from_request(request)
    audit.record_list(actor, policies, what="apprenticeships.SamplingPolicy")
    if plans.object_list:
        audit.record_list(actor, plans.object_list, what="apprenticeships.SamplingPlan")
    return render(request, "apprenticeships/iqa/policy_list.html", {
        "policies": policies, "plans": plans, "kinds": dict(EvidenceKind.choices), "stage_rule": STAGE_RULE})


def _policy_page(request, form, policy=None) -> HttpResponse:
    return render(request, "apprenticeships/iqa/policy_form.html", {"form": form, "policy": policy,
                                                                    "stage_rule": STAGE_RULE})


@require_http_methods(["GET", "POST"])
@requires(Perm.IQA_MANAGE)
def policy_new(request: HttpRequest) -> HttpResponse:
    providers = list(iqa_selectors.iqa_providers(request.user))
    form = PolicyForm(request.POST if request.method == "POST" else None, providers=providers,
                      initial={"active": True, "default_percent": 10})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("provider")
        provider = next((org for org in providers if str(org.public_id) == chosen), None) if chosen else (
            providers[0] if providers else None)
        if provider is None:
            raise Http404
        policy = save_through(form, iqa_services.create_policy, actor=Actor.from_request(request), provider=provider,
                              **form.service_kwargs())
        if policy:
            messages.success(request, f"Sampling policy {policy.name} saved")
            return redirect("apprenticeships:iqa-policy-list")
    return _policy_page(request, form)


@require_http_methods(["GET", "POST"])
@requires(Perm.IQA_MANAGE)
def policy_edit(request: HttpRequest, policy_id) -> HttpResponse:
    policy = iqa_selectors.policy_for(request.user, policy_id)
    actor = Actor.from_request(request)
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=policy_initial(policy))
    if request.method == "GET":
        audit.record(actor, Action.VIEW, policy)
    elif form.is_valid() and save_through(form, iqa_services.edit_policy, actor=actor, policy=policy,
                                          **form.service_kwargs()):
        messages.success(request, f"Sampling policy {policy.name} saved")
        return redirect("apprenticeships:iqa-policy-list")
    return _policy_page(request, form, policy)


@require_http_methods(["GET", "POST"])
@requires(Perm.IQA_MANAGE)
def plan_new(request: HttpRequest, policy_id) -> HttpResponse:
    policy = iqa_selectors.policy_for(request.user, policy_id)
    actor = Actor.from_request(request)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit.record(actor, Action.VIEW, policy, details={"form": "plan"})
    elif form.is_valid() and (plan := save_through(form, iqa_services.generate_plan, actor=actor, policy=policy,
                                                   **form.cleaned_data)):
        messages.success(request, "Sampling plan drawn")
        return redirect("apprenticeships:iqa-plan", plan.public_id)
    return render(request, "apprenticeships/iqa/plan_new.html", {"form": form, "policy": policy})


@require_GET
@requires(Perm.IQA_MANAGE)
def plan_detail(request: HttpRequest, plan_id) -> HttpResponse:
    plan = iqa_selectors.plan_for(request.user, plan_id)
    filters = SampleFilterForm(request.GET, coaches=list(iqa_selectors.coaches_in(plan)))
    samples = iqa_selectors.samples_of(plan, **filters.filters())
    page = Paginator(samples, PER_PAGE).get_page(request.GET.get("page"))
    actor = Actor.from_request(request)
    audit.record(actor, Action.VIEW, plan)
    if page.object_list:
        audit.record_list(actor, [sample.evidence for sample in page.object_list],
                          what="apprenticeships.PortfolioEvidence", details={"plan": str(plan.public_id)})
    return render(request, "apprenticeships/iqa/plan_detail.html", {
        "plan": plan, "filters": filters, "page": page, "query": query_without_page(request),
        "redraw_form": RedrawForm(), "stage_rule": STAGE_RULE})


@require_POST
@requires(Perm.IQA_MANAGE)
def plan_redraw(request: HttpRequest, plan_id) -> HttpResponse:
    plan = iqa_selectors.plan_for(request.user, plan_id)
    form = RedrawForm(request.POST)
    if form.is_valid() and save_through(form, iqa_services.regenerate_plan, actor=Actor.from_request(request),
                                        plan=plan, seed=form.cleaned_data["seed"]):
        messages.success(request, "Sampling plan drawn again. Samples with a signed decision were kept.")
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors)
                       or "The plan could not be drawn again")
    return redirect("apprenticeships:iqa-plan", plan.public_id)


@require_GET
@requires(Perm.IQA_MANAGE)
def plan_compliance(request: HttpRequest, plan_id) -> HttpResponse:
    plan = iqa_selectors.plan_for(request.user, plan_id)
    lines = iqa_selectors.compliance_report(plan)
    audit.record(Actor.from_request(request), Action.VIEW, plan, details={"page": "compliance"})
    return render(request, "apprenticeships/iqa/plan_compliance.html", {
        "plan": plan, "lines": lines, "all_compliant": all(line.compliant for line in lines),
        "stage_rule": STAGE_RULE})


def _labelled_events(evidence) -> list:
    """The item's history, latest first, each with its label in words (IQA events included)."""
    events = evidence_selectors.events_of(evidence)
    for event in events:
        event.label = iqa_services.EVENT_LABELS.get(event.event) or event.get_event_display()
    return list(reversed(events))


def _sample_page(request, evidence, form=None, status=200) -> HttpResponse:
    sample = iqa_selectors.open_sample_of(request.user, evidence)
    if sample is not None and form is None:
        form = DecisionForm()
    return render(request, "apprenticeships/iqa/sample_detail.html", {
        "evidence": evidence, "sample": sample, "form": form if sample else None,
        "decisions": iqa_selectors.decisions_on(evidence), "mappings": list(evidence.mappings.all()),
        "history": _labelled_events(evidence),
        "kinds": EvidenceKind, "own": evidence.assessed_by_id == request.user.pk}, status=status)


@require_http_methods(["GET", "POST"])
@requires(Perm.IQA_MANAGE)
def sample_detail(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = iqa_selectors.sampled_item_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    if request.method == "GET":
        audit.record(actor, Action.VIEW, evidence, details={"as": "iqa"})
        return _sample_page(request, evidence)
    form = DecisionForm(request.POST)
    if form.is_valid() and save_through(form, iqa_services.record_decision, actor=actor, evidence=evidence,
                                        **form.cleaned_data):
        messages.success(request, "Decision signed. The evidence is locked.")
        return redirect("apprenticeships:iqa-sample", evidence.public_id)
    return _sample_page(request, evidence, form)


@require_GET
@requires(Perm.IQA_MANAGE)
def sample_file(request: HttpRequest, evidence_id) -> HttpResponse:
    """A sampled item's file, streamed to the IQA of its provider, audited as an export."""
    return file_response(request, iqa_selectors.sampled_item_for(request.user, evidence_id))


@require_http_methods(["GET", "POST"])
@requires(Perm.IQA_MANAGE)
def decision_release(request: HttpRequest, decision_id) -> HttpResponse:
    decision = iqa_selectors.decision_for(request.user, decision_id)
    evidence = decision.evidence
    actor = Actor.from_request(request)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit.record(actor, Action.VIEW, decision)
    elif form.is_valid() and save_through(form, iqa_services.release_iqa_lock, actor=actor, decision=decision,
                                          reason=form.cleaned_data["reason"]):
        messages.success(request, "The evidence is unlocked for the coach")
        return redirect("apprenticeships:iqa-sample", evidence.public_id)
    return render(request, "apprenticeships/iqa/decision_release.html", {
        "form": form, "decision": decision, "evidence": evidence})


@require_GET
@requires(Perm.APPRENTICESHIP_MANAGE)  # the coach: decisions about the evidence they assessed
def coach_feedback(request: HttpRequest) -> HttpResponse:
    page = Paginator(iqa_selectors.feedback_for_coach(request.user), PER_PAGE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record_list(Actor.from_request(request), page.object_list, what="apprenticeships.SampleDecision")
    return render(request, "apprenticeships/iqa/coach_feedback.html", {"page": page})
