"""The gateway tab of an apprenticeship (issue 6 "Gateway", §2.1): the checklist with each item met or not and
why, each item's evidence, the forms each party uses (the coach records the Diploma, English and maths and the
observation scope and confirms the gateway date; the apprentice declares the portfolio complete; the three
parties sign the readiness decision), and the certificates, streamed only through a permission-checked view.

Each view reads top to bottom: who may (`@requires`), the apprenticeship through the scoped selector (out of
reach is a 404), the party (a wrong party is a 403), the audit of the read, a change through gateway_services
(which check the party and the lock again), render.
"""

import mimetypes
from datetime import date
from pathlib import PurePosixPath

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.apprenticeships import gateway_selectors, gateway_services, parties, selectors, tabs
from carelead.apprenticeships.gateway_forms import (
    ConfirmForm, DiplomaForm, EnglishMathsForm, GatewayDateForm, ObservationScopeForm, WithdrawSignaturesForm,
)
from carelead.apprenticeships.models import EnglishMaths, Party
from carelead.apprenticeships.signature_forms import OfflineSignatureForm
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.errors import NotAllowed
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAB = "gateway"
GATEWAY = "apprenticeships:gateway"
CERTIFICATES = {"diploma": "diploma_certificate", "english": "english_certificate", "maths": "maths_certificate"}
LOCKED = "The gateway checklist is locked: {why}"
DECLARE_LABEL = ("I declare my portfolio complete: it is the evidence for my professional discussion at the "
                 "end-point assessment")
SIGN_LABEL = "I agree the apprentice is ready for gateway, on the evidence in this checklist"
require_GET_or_POST = require_http_methods(["GET", "POST"])


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _read(request: HttpRequest, apprenticeship, **details) -> None:
    audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={"tab": TAB, **details})


def _status(apprenticeship) -> gateway_selectors.GatewayStatus:
    return gateway_selectors.gateway_status(apprenticeship, timezone.localdate())


def _as_party(request: HttpRequest, public_id, party: str):
    """The apprenticeship (404 out of reach) and the actor, who must be `party` of it (403 otherwise)."""
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    parties.require_party(actor, apprenticeship, party)
    return apprenticeship, actor


def _lock_reason(apprenticeship, status) -> str:
    """Why nothing on the checklist can change now, or "" when it can."""
    if parties.is_locked(apprenticeship):
        return f"this apprenticeship is {apprenticeship.get_status_display().lower()}."
    if status.confirmed:
        return "the gateway date is confirmed."
    return ""


def _context(request: HttpRequest, apprenticeship, status) -> dict:
    held = parties.parties_of(request.user, apprenticeship)
    open_ = not _lock_reason(apprenticeship, status)
    unsigned = open_ and not status.signed
    readiness = status.readiness
    return {
        "apprenticeship": apprenticeship, "tabs": tabs.programme_tabs(apprenticeship, TAB), "status": status,
        "readiness": readiness, "items": {item.key: item for item in status.checklist.items},
        "signatures": status.signature_rows(), "lock_reason": _lock_reason(apprenticeship, status),
        "is_coach": Party.PROVIDER in held,
        "can_record": unsigned and Party.PROVIDER in held,
        "can_declare": unsigned and Party.APPRENTICE in held,
        "can_sign": open_ and status.waiting in held and (
            status.waiting != Party.PROVIDER or all(item.met for item in status.items_before_signing)),
        "can_record_offline": open_ and Party.PROVIDER in held and status.waiting in (Party.APPRENTICE, Party.EMPLOYER),
        "can_confirm": open_ and Party.PROVIDER in held and status.checklist.ready,
        "can_withdraw": open_ and Party.PROVIDER in held and bool(status.signed),
        "certificates": {which: bool(readiness and getattr(readiness, field)) for which, field in CERTIFICATES.items()},
    }


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own by relationship: the selector decides
def gateway(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    status = _status(apprenticeship)
    _read(request, apprenticeship, readiness=str(status.readiness.public_id) if status.readiness else None)
    return render(request, "apprenticeships/gateway/gateway.html", _context(request, apprenticeship, status))


# --- Items the coach records ----------------------------------------------------------------------------------


def _coach_item(request: HttpRequest, public_id, *, form_class, service, initial, kwargs, title: str, intro: str,
                done: str, form_kwargs=lambda apprenticeship: {}) -> HttpResponse:
    """One item's form for the coach: the record as it is, saved through `service`, back to the checklist."""
    apprenticeship, actor = _as_party(request, public_id, Party.PROVIDER)
    status = _status(apprenticeship)
    lock = _lock_reason(apprenticeship, status)
    if lock or status.signed:
        messages.error(request, LOCKED.format(why=lock) if lock else gateway_services.SIGNED_FROZEN)
        return redirect(GATEWAY, public_id)
    readiness = status.readiness
    form = form_class(_posted(request), request.FILES or None, **form_kwargs(apprenticeship),
                      initial={**initial(readiness), "seen_version": readiness.version if readiness else 1})
    if request.method == "GET":
        _read(request, apprenticeship, form=title)
    elif form.is_valid() and save_through(form, service, actor=actor, apprenticeship=apprenticeship,
                                          seen_version=form.cleaned_data["seen_version"], **kwargs(form.cleaned_data)):
        messages.success(request, done)
        return redirect(GATEWAY, public_id)
    return render(request, "apprenticeships/gateway/gateway_item_form.html", {
        **_context(request, apprenticeship, status), "form": form, "title": title, "intro": intro})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def gateway_diploma(request: HttpRequest, public_id) -> HttpResponse:
    return _coach_item(
        request, public_id, form_class=DiplomaForm, service=gateway_services.record_diploma,
        initial=lambda r: {"achieved_on": r.diploma_achieved_on if r else None},
        kwargs=lambda data: {"achieved_on": data["achieved_on"], "certificate": data.get("certificate") or None},
        title="Level 4 Diploma achieved", done="The Diploma is recorded",
        intro="Record when the apprentice achieved the Level 4 Diploma in Adult Care and upload the certificate.")


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def gateway_english_maths(request: HttpRequest, public_id) -> HttpResponse:
    return _coach_item(
        request, public_id, form_class=EnglishMathsForm, service=gateway_services.record_english_maths,
        initial=lambda r: {"date_of_birth": r.apprentice_date_of_birth, "english_achieved_on": r.english_achieved_on,
                           "maths_achieved_on": r.maths_achieved_on} if r else {},
        kwargs=lambda data: {name: data.get(name) or None for name in (
            "date_of_birth", "english_achieved_on", "english_certificate", "maths_achieved_on", "maths_certificate")},
        form_kwargs=lambda apprenticeship: {
            "working_towards": apprenticeship.english_maths == EnglishMaths.IN_PROGRESS},
        title="English and maths", done="English and maths are recorded",
        intro="English and maths at Level 2 are mandatory for apprentices aged 16 to 18 at the start, and optional "
              "from 19 (the decision is recorded on the enrolment). Record any achieved during the apprenticeship "
              "with the certificate.")


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def gateway_observation_scope(request: HttpRequest, public_id) -> HttpResponse:
    return _coach_item(
        request, public_id, form_class=ObservationScopeForm, service=gateway_services.record_observation_scope,
        initial=lambda r: {"scope": r.observation_scope, "agreed_on": r.observation_scope_agreed_on} if r else {},
        kwargs=lambda data: {"scope": data["scope"], "agreed_on": data["agreed_on"]},
        title="Observation scope agreed", done="The observation scope is recorded",
        intro="The leadership activity the apprentice will lead at the end-point assessment observation (about 60 "
              "minutes, then 15 minutes of questions), as agreed with the apprentice and the employer.")


# --- The apprentice's declaration, the signatures and the gateway date ---------------------------------------


def _simple_page(request: HttpRequest, apprenticeship, status, template: str, **extra) -> HttpResponse:
    return render(request, f"apprenticeships/gateway/{template}", {**_context(request, apprenticeship, status),
                                                                   **extra})


@require_GET_or_POST
@requires(Perm.OWN_ACCOUNT)
def gateway_portfolio(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship, actor = _as_party(request, public_id, Party.APPRENTICE)
    form = ConfirmForm(_posted(request), label=DECLARE_LABEL)
    if request.method == "GET":
        _read(request, apprenticeship, form="portfolio")
    elif form.is_valid() and save_through(form, gateway_services.declare_portfolio_submitted, actor=actor,
                                          apprenticeship=apprenticeship):
        messages.success(request, "You declared your portfolio complete")
        return redirect(GATEWAY, public_id)
    return _simple_page(request, apprenticeship, _status(apprenticeship), "gateway_portfolio.html", form=form)


@require_GET_or_POST
@requires(Perm.OWN_ACCOUNT)
def gateway_sign(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    if not parties.parties_of(request.user, apprenticeship):
        raise NotAllowed("only the coach, the apprentice or the employer signs the readiness decision")
    form = ConfirmForm(_posted(request), label=SIGN_LABEL)
    if request.method == "GET":
        _read(request, apprenticeship, form="sign")
    elif form.is_valid() and (signature := save_through(
            form, gateway_services.sign_readiness, actor=Actor.from_request(request), apprenticeship=apprenticeship)):
        messages.success(request, f"You signed the readiness decision as the {signature.get_party_display().lower()}")
        return redirect(GATEWAY, public_id)
    return _simple_page(request, apprenticeship, _status(apprenticeship), "gateway_sign.html", form=form)


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def gateway_offline_signature(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship, actor = _as_party(request, public_id, Party.PROVIDER)
    status = _status(apprenticeship)
    form = OfflineSignatureForm(_posted(request), initial={"party": status.waiting})
    if request.method == "GET":
        _read(request, apprenticeship, form="offline signature")
    elif form.is_valid() and save_through(form, gateway_services.record_offline_readiness_signature, actor=actor,
                                          apprenticeship=apprenticeship, **form.cleaned_data):
        messages.success(request, "Signature of the readiness decision recorded")
        return redirect(GATEWAY, public_id)
    return render(request, "apprenticeships/offline_signature.html", {
        "apprenticeship": apprenticeship, "form": form, "document": "gateway checklist",
        "caption": "gateway readiness decision", "back_url": reverse(GATEWAY, args=[public_id])})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def gateway_withdraw_signatures(request: HttpRequest, public_id) -> HttpResponse:
    """The coach withdraws every readiness signature, with a reason, so that what was signed on can be corrected."""
    apprenticeship, actor = _as_party(request, public_id, Party.PROVIDER)
    form = WithdrawSignaturesForm(_posted(request))
    if request.method == "GET":
        _read(request, apprenticeship, form="withdraw signatures")
    elif form.is_valid() and save_through(form, gateway_services.withdraw_readiness_signatures, actor=actor,
                                          apprenticeship=apprenticeship, reason=form.cleaned_data["reason"]):
        messages.success(request, "The signatures are withdrawn. Correct the checklist, then all three sign again.")
        return redirect(GATEWAY, public_id)
    return _simple_page(request, apprenticeship, _status(apprenticeship), "gateway_withdraw.html", form=form)


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def gateway_confirm(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship, actor = _as_party(request, public_id, Party.PROVIDER)
    if apprenticeship.gateway_date is not None:
        messages.info(request, gateway_services.CONFIRMED_MESSAGE)
        return redirect(GATEWAY, public_id)
    form = GatewayDateForm(_posted(request), initial={"seen_version": apprenticeship.version,
                                                      "gateway_date": timezone.localdate()})
    if request.method == "GET":
        _read(request, apprenticeship, form="confirm")
    elif form.is_valid() and save_through(form, gateway_services.confirm_gateway, actor=actor,
                                          apprenticeship=apprenticeship, **form.cleaned_data):
        messages.success(request, f"Gateway confirmed on {_day(form.cleaned_data['gateway_date'])}. Off-the-job "
                                  "hours can no longer be logged after that date.")
        return redirect(GATEWAY, public_id)
    return _simple_page(request, apprenticeship, _status(apprenticeship), "gateway_confirm.html", form=form)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


@require_GET
@requires(Perm.OWN_ACCOUNT)
def gateway_certificate(request: HttpRequest, public_id, which: str) -> HttpResponse:
    """A certificate of the gateway record, streamed to those who may see the apprenticeship, audited as an export."""
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    return certificate_response(request, gateway_selectors.readiness_of(apprenticeship), which)


def certificate_response(request: HttpRequest, readiness, which: str) -> FileResponse:
    """Stream one certificate of a record already reached through the scoped selector: an attachment, never
    cached, audited as an export; a 404 when there is none (the pages and the API both answer this way)."""
    if which not in CERTIFICATES or readiness is None or not getattr(readiness, CERTIFICATES[which]):
        raise Http404("No such certificate")
    stored = getattr(readiness, CERTIFICATES[which])
    name = getattr(readiness, f"{CERTIFICATES[which]}_name") or PurePosixPath(stored.name).name
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404("The certificate file is missing") from None
    audit.record(Actor.from_request(request), Action.EXPORT, readiness, details={"certificate": which})
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
