"""The location status pages: every location the user sees with counts of overdue and due records
(red / amber / green), and one location's records behind those counts.

Counts only on the first page, so nothing about a person is read there; the second lists people and
is audited as a list read, as the people list is.
"""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from carelead.assessments import dols
from carelead.careplans import rules as plan_rules
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.decorators import requires
from carelead.core.pagination import query_without_page
from carelead.core.permissions import Perm
from carelead.reports import forms, rules, selectors

PER_PAGE = 25
# Records shown in each group of a location's page before a "show all" link.
GROUP_CAP = 10


@require_GET
@requires(Perm.PERSON_VIEW)
def status(request: HttpRequest) -> HttpResponse:
    form = forms.LocationFilterForm(request.GET)
    name = form.cleaned_data["name"].strip() if form.is_valid() else ""
    page = Paginator(selectors.status_locations(request.user, name=name), PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.location_counts([location.pk for location in page.object_list], today=timezone.localdate())
    rows = [_location_row(location, counts[location.pk]) for location in page.object_list]
    return render(request, "reports/status.html", {
        "form": form, "page": page, "rows": rows, "kinds": rules.COUNT_KINDS, "query": query_without_page(request),
    })


def _location_row(location, counts: dict[str, int]) -> dict:
    state = rules.overall_state(counts)
    return {
        "location": location,
        "state_label": rules.STATE_LABELS[state],
        "state_colour": rules.STATE_COLOURS[state],
        "cells": [
            {"kind": kind, "n": counts[kind.key], "colour": rules.STATE_COLOURS[kind.state]}
            for kind in rules.COUNT_KINDS
        ],
    }


@require_GET
@requires(Perm.PERSON_VIEW)
def location_status(request: HttpRequest, location_id) -> HttpResponse:
    location = selectors.status_location_for(request.user, location_id)
    today = timezone.localdate()
    counts = selectors.location_counts([location.pk], today=today)[location.pk]
    show = request.GET.get("show", "")
    if show not in rules.COUNT_KEYS:  # a link from an older page, or a typo: show everything
        show = ""
    # Every group is read, even one counted empty, so the page's queries do not vary with the data.
    kinds = [kind for kind in rules.COUNT_KINDS if kind.key == show] or list(rules.COUNT_KINDS)
    groups, page = [], None
    for kind in kinds:
        records = selectors.records_at(location, kind.key, today=today)
        if show:
            page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
            shown = page.object_list
        else:
            shown = records[:GROUP_CAP]
        group_rows = [_record_row(kind.key, record, today) for record in shown]
        if group_rows or show:
            groups.append({"kind": kind, "count": counts[kind.key], "rows": group_rows,
                           "more": 0 if show else max(0, counts[kind.key] - len(group_rows))})
    people = {row.person.pk: row.person for group in groups for row in group["rows"]}
    audit.record_list(Actor.from_request(request), people.values(), what="people.Person",
                      details={"page": "location-status", "location": str(location.public_id), "show": show})
    state = rules.overall_state(counts)
    return render(request, "reports/location_status.html", {
        "location": location, "groups": groups, "page": page, "show": show, "query": query_without_page(request),
        "state_label": rules.STATE_LABELS[state], "state_colour": rules.STATE_COLOURS[state],
    })


# --- One record as a row: who, what, when, its state, where to act on it ------------------------


@dataclass(frozen=True)
class Row:
    person: object
    what: str
    on: date
    date_label: str
    state_label: str
    state_colour: str
    url: str


def _plan_url(person) -> str:
    return reverse("careplans:plan", kwargs={"public_id": person.public_id})


def _review_row(person, what: str, on: date, today: date, url: str) -> Row:
    return Row(person, what, on, "Review by", *plan_rules.review_tag(on, today), url)


def _record_row(key: str, record, today: date) -> Row:
    if key in ("plans_overdue", "plans_due"):
        return _review_row(record.person, "Care plan review", record.review_on, today, _plan_url(record.person))
    if key == "sections_overdue":
        person = record.plan.person
        return _review_row(person, f"Plan section: {record.title}", record.review_on, today, _plan_url(person))
    if key == "risks_overdue":
        url = reverse("careplans:risk-detail", args=[record.person.public_id, record.public_id])
        return _review_row(record.person, f"Risk assessment: {record.title}", record.review_on, today, url)
    if key == "reassessments_due":
        url = reverse("assessments:needs-detail", args=[record.person.public_id, record.public_id])
        return _review_row(record.person, "Needs reassessment", record.review_on, today, url)
    if key == "mca_overdue":
        url = reverse("assessments:mca-list", args=[record.person.public_id])
        return _review_row(record.person, f"Capacity review: {record.decision}", record.review_on, today, url)
    if key == "no_plan":
        return Row(record, "No active care plan", timezone.localdate(record.created_at), "Added",
                   "No plan", rules.STATE_COLOURS[rules.AMBER], _plan_url(record))
    state = dols.authorisation_state(record.authorised_until, today)  # dols_renewal_due, dols_expired
    url = reverse("assessments:mca-list", args=[record.person.public_id])
    return Row(record.person, "DoLS standard authorisation", record.authorised_until, "Ends",
               dols.STATE_LABELS[state], dols.STATE_COLOURS[state], url)
