"""Who has seen a person's record: the person's trail, the audit search and its CSV export.

Needs `audit.view` (registered managers; organisation admins given the grant) at the person's
location. Looking at the trail is itself recorded, and so is every export.
"""

import csv
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.models import Action
from carelead.core.pagination import CappedPaginator, query_without_page
from carelead.core.permissions import Perm
from carelead.people import forms, selectors
from carelead.people.views import AUDIT_TAB, TABS, record_context

# What an event's subject names, in words ("people.Contact:<id>" is "Contact").
PARTS = {
    "people.Person": "Profile",
    "people.AboutMe": "About Me",
    "people.Contact": "Contact",
    "people.CommunicationNeed": "Communication need",
    "people.ConsentRecord": "Consent",
    "people.EquipmentItem": "Equipment",
}
TAB_LABELS = {key: label for _, label, key in (*TABS, AUDIT_TAB)}
CSV_HEADER = [
    "When", "Staff member", "Staff email", "Action", "Person", "NHS number", "Part of the record",
    "Detail", "IP address", "Through",
]


def part_of_record(subject: str, details: dict) -> str:
    """The part of the record an event touched, in words: "Contacts tab", "Contact (edit form)"."""
    model = subject.split(":", 1)[0]
    part = PARTS.get(model, model)
    tab = details.get("tab")
    if tab and model == "people.Person":
        part = f"{TAB_LABELS.get(tab, tab)} tab"
    if details.get("form"):
        part = f"{part} ({details['form']} form)"
    return part


def detail_of(details: dict) -> str:
    """Which fields changed (names only: the trail never keeps values)."""
    fields = details.get("fields")
    return f"Fields: {', '.join(fields)}" if fields else ""


def _with_words(events) -> list:
    events = list(events)
    for event in events:
        event.part = part_of_record(event.subject, event.details)
        event.detail = detail_of(event.details)
    return events


def _filters_for_audit(filters: dict) -> dict:
    """The filters as the trail keeps them: dates as ISO text, blanks left out."""
    return {name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name, value in filters.items() if value}


@require_GET
@requires(Perm.AUDIT_VIEW)
def person_audit(request: HttpRequest, public_id) -> HttpResponse:
    person = selectors.person_for(request.user, public_id, perm=Perm.AUDIT_VIEW)
    audit.record(Actor.from_request(request), Action.VIEW, person, person=person, details={"tab": "audit"})
    form = forms.AuditFilterForm(request.GET, with_person=False)
    context = {**record_context(request, person, "person-audit"), "form": form, "page": None, "events": []}
    if form.is_valid():  # a filter with a mistake shows the mistake, not an unfiltered trail
        events = selectors.search_audit_events(request.user, person=person, **form.filters())
        page = CappedPaginator(events, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        export = query.copy()
        export["person_id"] = str(person.public_id)
        context.update(page=page, events=_with_words(page.object_list), query=query.urlencode(),
                       export_url=f"{reverse('people:audit-export')}?{export.urlencode()}")
    return render(request, "people/person_audit.html", context)


@require_GET
@requires(Perm.AUDIT_VIEW)
def audit_search(request: HttpRequest) -> HttpResponse:
    form = forms.AuditFilterForm(request.GET)
    if not form.is_valid():  # a filter with a mistake shows the mistake, not an unfiltered trail
        return render(request, "people/audit_search.html", {"form": form, "page": None, "events": []})
    filters = form.filters()
    page = CappedPaginator(selectors.search_audit_events(request.user, **filters), 50).get_page(request.GET.get("page"))
    audit.record_list(Actor.from_request(request), page.object_list, what="core.AuditEvent",
                      details={"filters": _filters_for_audit(filters)})
    query = query_without_page(request)
    return render(request, "people/audit_search.html", {
        "form": form, "page": page, "events": _with_words(page.object_list), "query": query,
        "export_url": f"{reverse('people:audit-export')}?{query}",
    })


@require_GET
@requires(Perm.AUDIT_VIEW)
def audit_export(request: HttpRequest) -> HttpResponse:
    person = None
    if request.GET.get("person_id"):
        try:
            person_id = UUID(request.GET["person_id"])
        except ValueError:
            raise Http404 from None
        person = selectors.person_for(request.user, person_id, perm=Perm.AUDIT_VIEW)
    form = forms.AuditFilterForm(request.GET, with_person=person is None)
    if not form.is_valid():
        return render(request, "people/audit_search.html", {"form": form, "page": None, "events": []})
    filters = form.filters()
    events = selectors.search_audit_events(request.user, person=person, **filters)
    audit.record_list(Actor.from_request(request), [], what="core.AuditEvent", action=Action.EXPORT, person=person,
                      details={"filters": _filters_for_audit(filters), "rows": events.count()})
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="carelead-audit-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


class _Echo:
    """csv.writer writes each row here, and we hand the text straight to the response."""

    def write(self, value: str) -> str:
        return value


def _safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_lines(events):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for event in events.iterator(chunk_size=2000):
        person = event.person
        yield writer.writerow([_safe(value) for value in (
            timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
            event.actor.full_name, event.actor.email, event.get_action_display(),
            person.full_name if person else "", person.nhs_number_display if person else "",
            part_of_record(event.subject, event.details), detail_of(event.details),
            event.ip_address, event.via,
        )])
