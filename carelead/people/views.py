"""The people pages: the list, adding someone, and each tab of a person's record.

Every view reads top to bottom: who may (`@requires`), fetch through a scoped selector (a record
elsewhere is a 404), audit the read, change through a service, render. The audit trail pages are
in `audit_views.py`.
"""

from copy import copy
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.forms import save_through
from carelead.core.models import Action
from carelead.core.pagination import query_without_page
from carelead.core.permissions import Perm
from carelead.organisations.selectors import visible_locations
from carelead.people import forms, selectors, services
from carelead.people.models import AboutMe, CommunicationNeed, ConsentRecord, Contact, EquipmentItem

require_GET_or_POST = require_http_methods(["GET", "POST"])


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# The tabs of a person's record: (URL name, label, the tab's name in the audit trail). Other apps'
# parts of the record are tabs here too.
TABS = [
    ("people:person-detail", "Profile", "profile"),
    ("careplans:plan", "Care plan", "plan"),
    ("assessments:needs-list", "Assessments", "assessments"),
    ("assessments:mca-list", "Mental capacity", "mca"),
    ("people:about-me", "About Me", "about_me"),
    ("people:contacts", "Contacts", "contacts"),
    ("people:communication", "Communication needs", "communication"),
    ("people:consent", "Consent", "consent"),
    ("people:equipment", "Equipment", "equipment"),
    ("assessments:scores", "Scores", "scores"),
    ("careplans:risk-list", "Risks", "risks"),
]
AUDIT_TAB = ("people:person-audit", "Who has seen this record", "audit")


@dataclass(frozen=True)
class RecordKind:
    """One kind of a person's records with its own tab and new / change / remove pages."""

    model: type
    form: type
    tab: str  # the tab's URL name, also its name in the audit trail
    prefix: str  # of the URL names: "contact" -> contact-new, contact-edit, contact-delete
    noun: str  # in headings and messages: "Add a contact", "Contact removed"
    template: str


CONTACTS = RecordKind(Contact, forms.ContactForm, "contacts", "contact", "contact", "people/contacts.html")
COMMUNICATION = RecordKind(
    CommunicationNeed, forms.CommunicationNeedForm, "communication", "communication", "communication need",
    "people/communication.html",
)
CONSENT = RecordKind(ConsentRecord, forms.ConsentRecordForm, "consent", "consent", "consent decision",
                     "people/consent.html")
EQUIPMENT = RecordKind(EquipmentItem, forms.EquipmentItemForm, "equipment", "equipment", "equipment item",
                       "people/equipment.html")


# --- Helpers shared by the pages --------------------------------------------------------------


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _read(request: HttpRequest, person, tab: str, obj=None, **details) -> None:
    """Audit a read of one part of the person's record (STYLE.md §5: reads are recorded by views)."""
    audit.record(Actor.from_request(request), Action.VIEW, obj or person, person=person,
                 details={"tab": tab, **details})


def record_context(request: HttpRequest, person, current: str) -> dict:
    """The banner and tabs every page of the record shows, and what this user may change here."""
    perms = selectors.perms_for_person(request.user, person)
    tabs = TABS + ([AUDIT_TAB] if Perm.AUDIT_VIEW in perms else [])
    if Perm.PERSON_VIEW not in perms:  # an audit-only reader (an organisation admin with the grant)
        tabs = [AUDIT_TAB]
    return {
        "person": person,
        "tabs": [
            {"label": label, "url": reverse(name, args=[person.public_id]), "current": name.endswith(f":{current}")}
            for name, label, _ in tabs
        ],
        "perms": perms,  # for other apps' tabs, so they need not ask again
        "can_view": Perm.PERSON_VIEW in perms,
        "can_edit": Perm.PERSON_EDIT in perms,
        "can_edit_about_me": Perm.ABOUT_ME_EDIT in perms,
        "today": timezone.localdate(),
    }


# --- The people list and adding someone -------------------------------------------------------


@require_GET
@requires(Perm.PERSON_VIEW)
@vary_on_headers("HX-Request")  # same URL, two bodies: keep caches honest
def person_list(request: HtmxHttpRequest) -> HttpResponse:
    # Only what the filter shows: a manager's filter lists every one of 200 locations.
    locations = visible_locations(request.user, perm=Perm.PERSON_VIEW).select_related(None).only("public_id", "name")
    form = forms.PersonSearchForm(request.GET, locations=locations)
    chosen = form.cleaned_data if form.is_valid() else {}
    people = selectors.search_people(
        request.user, text=chosen.get("text", ""), status=chosen.get("status", ""), location=chosen.get("location")
    )
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    audit.record_list(Actor.from_request(request), page.object_list, what="people.Person")
    partial = request.htmx and not request.htmx.history_restore_request
    template = "people/person_list.html#results" if partial else "people/person_list.html"
    return render(request, template, {"form": form, "page": page, "query": query_without_page(request)})


@require_GET_or_POST
@requires(Perm.PERSON_CREATE)
def person_new(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    locations = visible_locations(request.user, perm=Perm.PERSON_CREATE).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=today)
    )
    form = forms.PersonForm(_posted(request), locations=locations)
    if request.method == "POST" and form.is_valid():
        fields = form.changes()
        location = fields.pop("location")
        person = save_through(form, services.create_person, actor=Actor.from_request(request), location=location, **fields)
        if person:
            messages.success(request, f"{person.full_name} added")
            return redirect("people:person-detail", person.public_id)
    return render(request, "people/person_new.html", {"form": form})


# --- Profile and About Me ---------------------------------------------------------------------


@require_GET
@requires(Perm.PERSON_VIEW)
def person_detail(request: HttpRequest, public_id) -> HttpResponse:
    person = selectors.person_for(request.user, public_id)
    _read(request, person, "profile")
    return render(request, "people/person_detail.html", record_context(request, person, "person-detail"))


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def person_edit(request: HttpRequest, public_id) -> HttpResponse:
    person = selectors.person_for(request.user, public_id, perm=Perm.PERSON_EDIT)
    form = forms.PersonProfileForm(_posted(request), instance=copy(person))  # the form must not touch `person`
    if request.method == "GET":
        _read(request, person, "profile", form="edit")
    elif form.is_valid() and save_through(
        form, services.update_person_profile, actor=Actor.from_request(request), person=person,
        seen_version=form.cleaned_data["version"], **form.changes(),
    ):
        messages.success(request, "Profile saved")
        return redirect("people:person-detail", person.public_id)
    return render(request, "people/person_edit.html", {"form": form, "person": person})


@require_GET
@requires(Perm.PERSON_VIEW)
def about_me(request: HttpRequest, public_id) -> HttpResponse:
    person = selectors.person_for(request.user, public_id)
    about = selectors.about_me_of(person)
    _read(request, person, "about_me")
    sections = [(AboutMe._meta.get_field(name).verbose_name, getattr(about, name)) for name in AboutMe.SECTIONS]
    return render(request, "people/about_me.html", {
        **record_context(request, person, "about-me"), "about": about, "sections": sections,
    })


@require_GET_or_POST
@requires(Perm.ABOUT_ME_EDIT)
def about_me_edit(request: HttpRequest, public_id) -> HttpResponse:
    person = selectors.person_for(request.user, public_id, perm=Perm.ABOUT_ME_EDIT)
    about = selectors.about_me_of(person)
    form = forms.AboutMeForm(_posted(request), instance=copy(about))
    if request.method == "GET":
        _read(request, person, "about_me", form="edit")
    elif form.is_valid() and save_through(
        form, services.save_about_me, actor=Actor.from_request(request), person=person,
        seen_version=form.cleaned_data["version"], **form.changes(),
    ):
        messages.success(request, "About Me saved")
        return redirect("people:about-me", person.public_id)
    return render(request, "people/about_me_edit.html", {"form": form, "person": person})


# --- Contacts, communication needs, consent and equipment -------------------------------------


def _record_of(request: HttpRequest, kind: RecordKind, public_id, record_id):
    """A record the user may change, 404 unless it belongs to the person the URL names."""
    record = selectors.record_for(request.user, kind.model, record_id, perm=Perm.PERSON_EDIT)
    if record.person.public_id != public_id:
        raise Http404
    return record


@require_GET
@requires(Perm.PERSON_VIEW)
def person_records(request: HttpRequest, public_id, kind: RecordKind) -> HttpResponse:
    person = selectors.person_for(request.user, public_id)
    page = Paginator(selectors.records_of(person, kind.model), 50).get_page(request.GET.get("page"))
    _read(request, person, kind.tab)
    return render(request, kind.template, {
        **record_context(request, person, kind.tab), "kind": kind, "page": page, "query": "",
    })


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def record_new(request: HttpRequest, public_id, kind: RecordKind) -> HttpResponse:
    person = selectors.person_for(request.user, public_id, perm=Perm.PERSON_EDIT)
    form = kind.form(_posted(request))
    if request.method == "GET":
        _read(request, person, kind.tab, form="new")
    elif form.is_valid() and save_through(
        form, services.add_person_record, actor=Actor.from_request(request), person=person, model=kind.model,
        **form.changes(),
    ):
        messages.success(request, f"{kind.noun.capitalize()} added")
        return redirect(f"people:{kind.tab}", person.public_id)
    return render(request, "people/record_form.html", {"form": form, "person": person, "kind": kind})


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def record_edit(request: HttpRequest, public_id, record_id, kind: RecordKind) -> HttpResponse:
    record = _record_of(request, kind, public_id, record_id)
    form = kind.form(_posted(request), instance=copy(record))
    if request.method == "GET":
        _read(request, record.person, kind.tab, record, form="edit")
    elif form.is_valid() and save_through(
        form, services.update_person_record, actor=Actor.from_request(request), record=record, **form.changes()
    ):
        messages.success(request, f"{kind.noun.capitalize()} saved")
        return redirect(f"people:{kind.tab}", public_id)
    return render(request, "people/record_form.html", {
        "form": form, "person": record.person, "kind": kind, "record": record,
    })


@require_GET_or_POST
@requires(Perm.PERSON_EDIT)
def record_delete(request: HttpRequest, public_id, record_id, kind: RecordKind) -> HttpResponse:
    record = _record_of(request, kind, public_id, record_id)
    if request.method == "POST":
        services.remove_person_record(actor=Actor.from_request(request), record=record)
        messages.success(request, f"{kind.noun.capitalize()} removed")
        return redirect(f"people:{kind.tab}", public_id)
    _read(request, record.person, kind.tab, record, form="delete")
    return render(request, "people/record_delete.html", {"person": record.person, "kind": kind, "record": record})
