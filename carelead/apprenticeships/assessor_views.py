"""The end-point assessor's read-only pages (/apprenticeships/assessor/), and the coach's page for
granting and stopping that access (on the apprenticeship).

Assessor pages: every one reaches the apprenticeship through `assessor_selectors.grant_for` only (404
outside the grant's dates, once revoked, for another apprenticeship or anyone else), audits the read
naming the grant, and changes nothing. `@requires(Perm.OWN_ACCOUNT)`: the assessor role holds no
permission; the grant decides, as the relationship decides for an apprentice.

Grant pages: reached through `selectors.apprenticeship_for` (404 out of reach); every party reads who
has access; only the coach grants or stops it (assessor_services checks the party again: 403).
"""

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.apprenticeships import (
    assessor_rules, assessor_selectors, assessor_services, coverage_selectors, epa, epa_selectors, gateway_selectors,
    selectors,
)
from carelead.apprenticeships.assessor_forms import GrantForm, RevokeForm
from carelead.apprenticeships.evidence_services import GIBBS_STAGES
from carelead.apprenticeships.evidence_views import file_response
from carelead.apprenticeships.models import EvidenceKind, Party
from carelead.apprenticeships.parties import is_locked, parties_of, require_party
from carelead.apprenticeships.tabs import programme_tabs
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm

WHAT = "apprenticeships.PortfolioEvidence"


def _read(request: HttpRequest, grant, page: str, **details) -> Actor:
    """Audit an assessor's read of the granted apprenticeship, naming the grant and the page."""
    actor = Actor.from_request(request)
    audit.record(actor, Action.VIEW, grant.apprenticeship, details={
        "assessor_grant": str(grant.public_id), "page": page, **details})
    return actor


# --- The assessor's pages ---


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the grant decides, not a role: anyone else sees an empty list
def assessor_home(request: HttpRequest) -> HttpResponse:
    grants = list(assessor_selectors.active_grants(request.user, timezone.localdate()))
    if grants:
        audit.record_list(Actor.from_request(request), grants, what="apprenticeships.AssessorAccess")
    return render(request, "apprenticeships/assessor/assessor_home.html", {"grants": grants})


@require_GET
@requires(Perm.OWN_ACCOUNT)
def assessor_portfolio(request: HttpRequest, public_id) -> HttpResponse:
    today = timezone.localdate()
    grant = assessor_selectors.grant_for(request.user, public_id, today)
    apprenticeship = grant.apprenticeship
    items = list(assessor_selectors.gateway_portfolio(apprenticeship))
    actor = _read(request, grant, "portfolio")
    if items:
        audit.record_list(actor, items, what=WHAT, details={"assessor_grant": str(grant.public_id)})
    return render(request, "apprenticeships/assessor/assessor_portfolio.html", {
        "grant": grant, "apprenticeship": apprenticeship, "items": items,
        "otj": gateway_selectors.otj_progress(apprenticeship, today),
        "result": epa_selectors.epa_result(epa_selectors.attempts_of(apprenticeship)),
        "inferred_note": epa.INFERRED_NOTE if epa.rule_is_inferred() else "",
    })


@require_GET
@requires(Perm.OWN_ACCOUNT)
def assessor_coverage(request: HttpRequest, public_id) -> HttpResponse:
    grant = assessor_selectors.grant_for(request.user, public_id, timezone.localdate())
    # Counts only: the items behind a claim are not accepted, so not part of the gateway portfolio.
    coverage = coverage_selectors.coverage_of(grant.apprenticeship, with_items=False)
    _read(request, grant, "coverage")
    return render(request, "apprenticeships/assessor/assessor_coverage.html", {
        "grant": grant, "apprenticeship": grant.apprenticeship, "coverage": coverage})


@require_GET
@requires(Perm.OWN_ACCOUNT)
def assessor_evidence(request: HttpRequest, public_id, evidence_id) -> HttpResponse:
    grant = assessor_selectors.grant_for(request.user, public_id, timezone.localdate())
    evidence = assessor_selectors.gateway_item_for(grant, evidence_id)
    audit.record(Actor.from_request(request), Action.VIEW, evidence, details={"assessor_grant": str(grant.public_id)})
    snapshot = evidence.source_snapshot or {}
    taken = snapshot.get("taken_at")
    return render(request, "apprenticeships/assessor/assessor_evidence.html", {
        "grant": grant, "apprenticeship": grant.apprenticeship, "evidence": evidence, "kinds": EvidenceKind,
        "mappings": list(evidence.mappings.all()), "snapshot": snapshot,
        "snapshot_taken": datetime.fromisoformat(taken) if taken else evidence.created_at,
        "gibbs": [(heading, evidence.reflection.get(key, "")) for key, heading, _ in GIBBS_STAGES],
    })


@require_GET
@requires(Perm.OWN_ACCOUNT)
def assessor_evidence_file(request: HttpRequest, public_id, evidence_id) -> HttpResponse:
    """An accepted item's file, streamed only within the grant (audited as an export by file_response)."""
    grant = assessor_selectors.grant_for(request.user, public_id, timezone.localdate())
    return file_response(request, assessor_selectors.gateway_item_for(grant, evidence_id))


# --- The coach grants and stops access; every party sees who has it ---


def _grant_context(apprenticeship, user) -> dict:
    return {"apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, "epa"),
            "parties": parties_of(user, apprenticeship)}


@require_GET
@requires(Perm.OWN_ACCOUNT)
def assessor_access(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    grants = assessor_selectors.grants_of(apprenticeship)
    audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"page": "assessor-access"})
    today = timezone.localdate()
    for grant in grants:
        grant.open_today = grant.is_active_on(today)
    context = _grant_context(apprenticeship, request.user)
    return render(request, "apprenticeships/assessor/assessor_access.html", {
        **context, "grants": grants, "today": today,
        "can_grant": Party.PROVIDER in context["parties"] and not is_locked(apprenticeship)
        and apprenticeship.gateway_date is not None,
        "can_revoke": Party.PROVIDER in context["parties"]})


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def assessor_access_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, Party.PROVIDER)  # NotAllowed: the 403 page
    form = GrantForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit.record(actor, Action.VIEW, apprenticeship, details={"page": "assessor-access", "form": "new"})
    elif form.is_valid() and (grant := save_through(form, assessor_services.grant_assessor_access, actor=actor,
                                                    apprenticeship=apprenticeship, **form.cleaned_data)):
        messages.success(request, f"{grant.assessor.full_name} can see the gateway portfolio from "
                                  f"{assessor_rules.day_label(grant.starts_on)} to "
                                  f"{assessor_rules.day_label(grant.ends_on)}.")
        return redirect("apprenticeships:assessor-access", apprenticeship.public_id)
    return render(request, "apprenticeships/assessor/assessor_access_form.html", {
        **_grant_context(apprenticeship, request.user), "form": form,
        "max_months": assessor_rules.MAX_ACCESS_MONTHS})


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)
def assessor_access_revoke(request: HttpRequest, public_id, grant_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    grant = assessor_selectors.grant_on(apprenticeship, grant_id)
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, Party.PROVIDER)
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit.record(actor, Action.VIEW, grant, details={"form": "revoke"})
    elif form.is_valid() and save_through(form, assessor_services.revoke_assessor_access, actor=actor, grant=grant,
                                          reason=form.cleaned_data["reason"]):
        messages.success(request, f"{grant.assessor.full_name} can no longer see the portfolio.")
        return redirect("apprenticeships:assessor-access", apprenticeship.public_id)
    return render(request, "apprenticeships/assessor/assessor_access_revoke.html", {
        **_grant_context(apprenticeship, request.user), "form": form, "grant": grant})
