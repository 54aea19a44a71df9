"""The outcome of an apprenticeship (issue 6 "Completion"): every party reads it; the coach records
the achievement date and certificate, which completes the apprenticeship and locks its records.
Withdrawal is a programme change: the page links to it rather than recording it again.

Reached through `selectors.apprenticeship_for` (404 out of reach); completion_services checks the
party again (403) and that the apprenticeship is still open.
"""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from carelead.apprenticeships import completion_selectors, completion_services, selectors
from carelead.apprenticeships.completion_forms import CompletionForm
from carelead.apprenticeships.models import Party
from carelead.apprenticeships.parties import LOCKED_MESSAGE, is_locked, parties_of, require_party
from carelead.apprenticeships.tabs import programme_tabs
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm


@require_http_methods(["GET", "POST"])
@requires(Perm.OWN_ACCOUNT)  # the apprentice reads their own by relationship: the selector decides
def completion(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    actor = Actor.from_request(request)
    held = parties_of(request.user, apprenticeship)
    form = None
    if Party.PROVIDER in held and not is_locked(apprenticeship):
        form = CompletionForm(request.POST if request.method == "POST" else None, request.FILES or None,
                              initial={"seen_version": apprenticeship.version})
    if request.method == "POST":
        require_party(actor, apprenticeship, Party.PROVIDER)  # NotAllowed: the 403 page
        if form is None:
            messages.error(request, LOCKED_MESSAGE.format(status=apprenticeship.get_status_display().lower()))
            return redirect("apprenticeships:completion", apprenticeship.public_id)
        if form.is_valid() and save_through(form, completion_services.record_completion, actor=actor,
                                            apprenticeship=apprenticeship, **form.cleaned_data):
            messages.success(request, "The apprenticeship is completed. Its records are now locked.")
            return redirect("apprenticeships:completion", apprenticeship.public_id)
    completion = completion_selectors.completion_of(apprenticeship)
    if request.method == "GET":
        audit.record(actor, Action.VIEW, apprenticeship, details={"page": "completion"})
        if completion is not None:
            audit.record(actor, Action.VIEW, completion, details={"apprenticeship": str(apprenticeship.public_id)})
    return render(request, "apprenticeships/completion/completion.html", {
        "apprenticeship": apprenticeship, "tabs": programme_tabs(apprenticeship, "overview"),
        "completion": completion, "form": form,
        "can_withdraw": Party.PROVIDER in held and not is_locked(apprenticeship),
    })


@require_GET
@requires(Perm.OWN_ACCOUNT)
def completion_certificate(request: HttpRequest, public_id) -> HttpResponse:
    apprenticeship = selectors.apprenticeship_for(request.user, public_id)
    return certificate_response(request, completion_selectors.completion_of(apprenticeship))


def certificate_response(request: HttpRequest, completion) -> FileResponse:
    """Stream the achievement certificate of a record reached through the scoped selector: an attachment,
    never cached, audited as an export; 404 when there is none (the page and the API answer alike)."""
    if completion is None or not completion.certificate:
        raise Http404("No certificate")
    name = completion.certificate_name or completion.certificate.name.rsplit("/", 1)[-1]
    try:
        handle = completion.certificate.open("rb")
    except FileNotFoundError:
        raise Http404("The certificate file is missing") from None
    audit.record(Actor.from_request(request), Action.EXPORT, completion, details={"certificate": True})
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
