"""Witness testimony pages (issue 6): the apprentice asks a colleague to witness their practice (the
one-time link is shown to them once and emailed to the witness) or sends a new link; the witness,
without signing in, reads, writes or corrects and confirms the testimony on the public page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from carelead.apprenticeships import practice_evidence, selectors, witness_services
from carelead.apprenticeships.models import Party
from carelead.apprenticeships.parties import LOCKED_MESSAGE, is_locked, require_party
from carelead.apprenticeships.practice_views import TAB
from carelead.apprenticeships.tabs import programme_tabs
from carelead.apprenticeships.witness_forms import WitnessConfirmForm, WitnessRequestForm
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import public, requires
from carelead.core.forms import add_service_errors, save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm


def _link_page(request: HttpRequest, evidence, token: str) -> HttpResponse:
    """The link, shown this once (it is never stored), and where to go next."""
    response = render(request, "apprenticeships/witness/witness_sent.html", {
        "evidence": evidence, "apprenticeship": evidence.apprenticeship,
        "tabs": programme_tabs(evidence.apprenticeship, TAB), "link": witness_services.witness_url(token),
        "next_url": practice_evidence.after_creating(evidence)})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)  # the apprentice, by relationship: the selector and require_party decide
def witness_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    require_party(actor, apprenticeship, Party.APPRENTICE)  # NotAllowed: the 403 page
    if is_locked(apprenticeship):
        messages.error(request, LOCKED_MESSAGE.format(status=apprenticeship.get_status_display().lower()))
        return redirect("apprenticeships:apprenticeship-detail", public_id)
    form = WitnessRequestForm(request.POST if request.method == "POST" else None,
                              ksbs=practice_evidence.claimable_ksbs(apprenticeship),
                              units=practice_evidence.claimable_units(apprenticeship))
    if request.method == "GET":
        audit.record(actor, Action.VIEW, apprenticeship, details={"form": "witness"})
    elif form.is_valid() and (made := save_through(
            form, witness_services.request_witness_testimony, actor=actor, apprenticeship=apprenticeship,
            **form.service_kwargs())):
        return _link_page(request, *made)
    return render(request, "apprenticeships/witness/witness_new.html", {
        "apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, TAB), "form": form,
        "back_url": practice_evidence.portfolio_url(apprenticeship)})


@never_cache
@require_POST
@requires(Perm.OWN_ACCOUNT)
def witness_resend(request: HttpRequest, evidence_id) -> HttpResponse:
    evidence = witness_services.witness_evidence_for(request.user, evidence_id)
    actor = Actor.from_request(request)
    require_party(actor, evidence.apprenticeship, Party.APPRENTICE)
    try:
        token = witness_services.resend_witness_link(actor=actor, evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(practice_evidence.after_creating(evidence))
    return _link_page(request, evidence, token)


def _private(response: HttpResponse) -> HttpResponse:
    """A page opened by a secret link: never indexed, and the link never sent on as a referrer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@public  # the secret in the URL is the credential: the witness has no carelead account
def witness_testimony(request: HttpRequest, token: str) -> HttpResponse:
    evidence = witness_services.testimony_for_token(token)
    if evidence is None:
        raise Http404  # unknown, replaced, used or expired: the same answer for each
    ip_address = Actor.from_request(request).ip_address
    is_apprentice = request.user.is_authenticated and request.user.pk == evidence.apprenticeship.apprentice_id
    form = WitnessConfirmForm(request.POST if request.method == "POST" else None, initial={
        "body": evidence.body, "witness_name": evidence.witness_name, "witness_role": evidence.witness_role})
    if request.method == "GET":
        audit.record(witness_services.witness_actor(evidence, ip_address), Action.VIEW, evidence,
                     details={"witness_link": True})
    elif form.is_valid():
        try:
            confirmed = witness_services.confirm_witness_testimony(
                token=token, ip_address=ip_address, signed_in_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if confirmed is None:
                raise Http404
            return _private(render(request, "apprenticeships/witness/witness_thanks.html", {"evidence": confirmed}))
    return _private(render(request, "apprenticeships/witness/witness_testimony.html", {
        "evidence": evidence, "form": form, "is_apprentice": is_apprentice}))
