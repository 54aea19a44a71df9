"""Deprivation of Liberty Safeguards on the "Mental capacity" tab: requesting an authorisation,
one application with its state, and recording what became of it (MCA 2005 Schedule A1).

Each view reads top to bottom: who may (`@requires`), fetch through the scoped selector (a person
or application elsewhere is a 404), audit the read, change through `dols_services`, render. DoLS
applies in care homes only: elsewhere the new-application page explains the Court of Protection
route instead of offering the form.
"""

from copy import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carelead.assessments import dols, dols_services, selectors
from carelead.assessments.dols_forms import DolsApplicationForm, DolsDecisionForm
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.permissions import Perm
from carelead.people.selectors import person_for
from carelead.people.views import record_context

TAB = "mca"
RECORDED_MESSAGE = "DoLS application recorded"
UPDATED_MESSAGE = "DoLS application updated"
LIST_SIZE = 25  # a person has a few applications a year; the tab shows the newest 25


def _read(request: HttpRequest, person, obj=None, **details) -> None:
    """Audit a read of the DoLS part of the mental capacity tab."""
    audit.record(Actor.from_request(request), Action.VIEW, obj or person, person=person,
                 details={"tab": TAB, "part": "dols", **details})


def described(application, today):
    """The application with its authorisation state and urgent end date in words, for a template."""
    state = dols_services.state_of(application, today)
    application.state_label, application.state_colour = dols.STATE_LABELS[state], dols.STATE_COLOURS[state]
    application.urgent_ends_on = dols_services.urgent_ends_on(application)
    return application


def dols_section(person, today) -> dict:
    """What the mental capacity tab shows about DoLS: the newest applications and any warnings."""
    applications = [described(each, today) for each in selectors.dols_applications_of(person)[:LIST_SIZE]]
    return {"dols_applications": applications, "dols_alerts": dols_services.alerts(applications, today),
            "dols_applies": dols_services.dols_applies(person.location.setting_type)}


@require_http_methods(["GET", "POST"])
@requires(Perm.PERSON_CREATE)
def dols_new(request: HttpRequest, public_id) -> HttpResponse:
    person = person_for(request.user, public_id, perm=Perm.PERSON_CREATE)
    applies = dols_services.dols_applies(person.location.setting_type)
    form = DolsApplicationForm(request.POST if request.method == "POST" and applies else None,
                               capacity_assessments=dols_services.capacity_choices(person))
    if request.method == "GET" or not applies:
        _read(request, person, form="new")
    elif form.is_valid() and (application := save_through(
        form, dols_services.record_dols_application, actor=Actor.from_request(request), person=person,
        **form.changes(),
    )):
        messages.success(request, RECORDED_MESSAGE)
        return redirect("assessments:dols-detail", person.public_id, application.public_id)
    return render(request, "assessments/dols_form.html", {
        "form": form, "person": person, "applies": applies,
        "cancel_url": reverse("assessments:mca-list", args=[person.public_id]),
    })


@require_GET
@requires(Perm.PERSON_VIEW)
def dols_detail(request: HttpRequest, public_id, application_id) -> HttpResponse:
    person, application = selectors.dols_application_for(request.user, public_id, application_id)
    _read(request, person, application)
    today = timezone.localdate()
    context = record_context(request, person, "mca-list")
    return render(request, "assessments/dols_detail.html", {
        **context, "application": described(application, today),
        "alerts": dols_services.alerts([application], today),
        "may_update": Perm.PERSON_CREATE in context["perms"],
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.PERSON_CREATE)
def dols_edit(request: HttpRequest, public_id, application_id) -> HttpResponse:
    person, application = selectors.dols_application_for(request.user, public_id, application_id,
                                                         perm=Perm.PERSON_CREATE)
    detail_url = reverse("assessments:dols-detail", args=[person.public_id, application.public_id])
    form = DolsDecisionForm(request.POST if request.method == "POST" else None,
                            instance=copy(application))  # the form must not touch `application`
    if request.method == "GET":
        _read(request, person, application, form="edit")
    elif form.is_valid() and save_through(form, dols_services.update_dols_application, actor=Actor.from_request(request),
                                    application=application, seen_version=form.cleaned_data["version"],
                                    **form.changes()):
        messages.success(request, UPDATED_MESSAGE)
        return redirect(detail_url)
    return render(request, "assessments/dols_edit.html", {
        "form": form, "person": person, "application": application, "cancel_url": detail_url,
        "latest_end": (dols.standard_latest_end(application.authorised_from)
                       if application.authorised_from else None),
    })
