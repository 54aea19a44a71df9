"""The progress reviews tab of an apprenticeship (issue 5, §5.1): when the next review is due, the
reviews so far, the coach's pre-filled form with SMART actions, the three signatures in order, and
the printed review.

Each view reads top to bottom: who may (`@requires`), the apprenticeship through the scoped selector
(out of reach is a 404), the review hanging off it, the audit of the read, a change through
review_services, render. Who may write is decided by the service (a wrong party is a 403).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carelead.apprenticeships import parties, review_pdf, review_selectors, review_services, selectors, tabs
from carelead.apprenticeships.models import Party, ReviewStatus
from carelead.apprenticeships.review_forms import (
    ActionFormSet, ReviewForm, SignForm, action_initial, quiet,
)
from carelead.apprenticeships.signature_forms import OfflineSignatureForm
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.forms import add_service_errors, save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.core.templatetags.nhsuk import error_summary

TAB = "reviews"
require_GET_or_POST = require_http_methods(["GET", "POST"])
STALE_MESSAGE = ("Someone else saved this review while you were editing it. What you typed is kept below: "
                 "check it against their changes, then save again.")


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _read(request: HttpRequest, obj, **details) -> None:
    audit.record(Actor.from_request(request), Action.VIEW, obj, details={"tab": TAB, **details})


def _schedule(apprenticeship, reviews) -> dict:
    """The next review's due date and state, from the reviews already loaded (no query)."""
    held = [review.held_on for review in reviews if review.status == ReviewStatus.SIGNED and review.held_on]
    return review_selectors.schedule(start=apprenticeship.start_date, last_held_on=max(held, default=None),
                                     today=timezone.localdate())


@require_GET
@requires(Perm.OWN_ACCOUNT)  # the apprentice holds no role permission for their own: the selector decides
def review_list(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    reviews = review_selectors.reviews_of(apprenticeship)
    held = parties.parties_of(request.user, apprenticeship)
    is_open = not parties.is_locked(apprenticeship)
    unfinished = next((review for review in reviews if review.status != ReviewStatus.SIGNED), None)
    for review in reviews:
        review.signature_rows = review_selectors.signature_rows(review)
    _read(request, apprenticeship, reviews=[str(review.public_id) for review in reviews])
    return render(request, "apprenticeships/reviews/review_list.html", {
        "apprenticeship": apprenticeship, "tabs": tabs.programme_tabs(apprenticeship, TAB), "reviews": reviews,
        "schedule": _schedule(apprenticeship, reviews), "unfinished": unfinished,
        "can_start": is_open and Party.PROVIDER in held and unfinished is None,
    })


@require_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def review_new(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    try:
        review = review_services.start_review(actor=Actor.from_request(request), apprenticeship=apprenticeship)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("apprenticeships:review-list", public_id)
    messages.success(request, f"Review {review.number} started, filled in with everything since the last review.")
    return redirect("apprenticeships:review-edit", public_id, review.public_id)


def review_context(request: HttpRequest, apprenticeship, review) -> dict:
    held = parties.parties_of(request.user, apprenticeship)
    is_open = not parties.is_locked(apprenticeship)
    rows = review_selectors.signature_rows(review)
    waiting = review_selectors.WAITING_FOR[ReviewStatus(review.status)]
    return {
        "apprenticeship": apprenticeship, "review": review, "tabs": tabs.programme_tabs(apprenticeship, TAB),
        "prefill": review_pdf.prefill_display(review.prefill), "signatures": rows,
        "actions": list(review.actions.all()),
        "can_edit": is_open and Party.PROVIDER in held and review.status == ReviewStatus.DRAFT,
        "can_sign": is_open and waiting in held,
        "can_record_offline": is_open and Party.PROVIDER in held and waiting in (Party.APPRENTICE, Party.EMPLOYER),
    }


@require_GET
@requires(Perm.OWN_ACCOUNT)
def review_detail(request: HttpRequest, public_id, review_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    review = review_selectors.review_for(apprenticeship, review_id)
    _read(request, review, number=review.number)
    return render(request, "apprenticeships/reviews/review_detail.html",
                  review_context(request, apprenticeship, review))


def _review_forms(data, review):
    last_actions = review_pdf.prefill_display(review.prefill)["last_actions"]
    form = ReviewForm(data, last_actions=last_actions, initial=ReviewForm.initial_for(review))
    formset = ActionFormSet(data, prefix="actions", initial=action_initial(review))
    return form, formset


def _save(request: HttpRequest, review, form, formset):
    """Save through the service; on a stale version keep what was typed, naming the current version."""
    valid = form.is_valid() & formset.is_valid()
    if not formset.check_due_dates(form.cleaned_data.get("held_on")) or not valid:  # every message at once
        return None, None
    try:
        return review_services.save_review(actor=Actor.from_request(request), review=review,
                                           actions=formset.rows(), **form.service_kwargs()), None
    except StaleEdit:
        data = request.POST.copy()
        data["seen_version"] = str(review_selectors.review_for(review.apprenticeship, review.public_id).version)
        form, formset = _review_forms(data, review)
        form.is_valid()
        formset.is_valid()
        form.add_error(None, STALE_MESSAGE)
        return None, (form, formset)
    except ValidationError as error:
        add_service_errors(form, error)
        return None, None


def _form_count(value) -> int:
    """The action rows the page posted; a tampered count is taken as none (the formset reports it)."""
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def review_edit(request: HttpRequest, public_id, review_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    review = review_selectors.review_for(apprenticeship, review_id)
    parties.require_party(Actor.from_request(request), apprenticeship, Party.PROVIDER)
    if review.status != ReviewStatus.DRAFT:
        messages.info(request, review_services.FROZEN_MESSAGE.format(number=review.number))
        return redirect("apprenticeships:review-detail", public_id, review_id)
    data = _posted(request)
    if data is not None and "add_action" in data:
        data = data.copy()
        data["actions-TOTAL_FORMS"] = str(_form_count(data.get("actions-TOTAL_FORMS")) + 1)
    form, formset = _review_forms(data, review)
    if data is not None and "add_action" in data:
        quiet(form, formset)
    elif request.method == "POST":
        saved, stale = _save(request, review, form, formset)
        if saved:
            messages.success(request, f"Review {review.number} saved")
            return redirect("apprenticeships:review-detail", public_id, review_id)
        form, formset = stale or (form, formset)
    else:
        _read(request, review, number=review.number, form="edit")
    return render(request, "apprenticeships/reviews/review_form.html", {
        **review_context(request, apprenticeship, review), "form": form, "formset": formset,
        "errors": error_summary(form, formset.management_form, *formset.forms)["errors"],
    })


@require_GET_or_POST
@requires(Perm.OWN_ACCOUNT)
def review_sign(request: HttpRequest, public_id, review_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    review = review_selectors.review_for(apprenticeship, review_id)
    if not parties.parties_of(request.user, apprenticeship):
        raise NotAllowed("only the coach, the apprentice or the employer signs a progress review")
    form = SignForm(_posted(request))
    if request.method == "POST" and form.is_valid() and (signature := save_through(
            form, review_services.sign_review, actor=Actor.from_request(request), review=review)):
        messages.success(request, f"You signed review {review.number} as the {signature.get_party_display().lower()}")
        return redirect("apprenticeships:review-detail", public_id, review_id)
    if request.method == "GET":
        _read(request, review, number=review.number, form="sign")
    return render(request, "apprenticeships/reviews/review_sign.html", {
        **review_context(request, apprenticeship, review), "form": form})


@require_GET_or_POST
@requires(Perm.APPRENTICESHIP_MANAGE)
def review_offline_signature(request: HttpRequest, public_id, review_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    review = review_selectors.review_for(apprenticeship, review_id)
    parties.require_party(Actor.from_request(request), apprenticeship, Party.PROVIDER)
    waiting = review_selectors.WAITING_FOR[ReviewStatus(review.status)]
    form = OfflineSignatureForm(_posted(request), initial={"party": waiting})
    if request.method == "GET":
        _read(request, review, number=review.number, form="offline signature")
    if request.method == "POST" and form.is_valid() and save_through(
            form, review_services.record_offline_signature, actor=Actor.from_request(request), review=review,
            **form.cleaned_data):
        messages.success(request, f"Signature recorded on review {review.number}")
        return redirect("apprenticeships:review-detail", public_id, review_id)
    return render(request, "apprenticeships/offline_signature.html", {
        "apprenticeship": apprenticeship, "form": form, "document": "review",
        "caption": f"progress review {review.number}",
        "back_url": reverse("apprenticeships:review-detail", args=[public_id, review_id])})


@require_GET
@requires(Perm.OWN_ACCOUNT)
@never_cache
def review_pdf_view(request: HttpRequest, public_id, review_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    review = review_selectors.review_for(apprenticeship, review_id)
    return review_pdf.pdf_response(request, apprenticeship, review)
