"""The caseload's filters, sorting and pagination, shared by the page and the API.

How sorting by computed values works (the RAG, the OTJ share, the next review are rules applied
in Python, not columns): the database filters by what it holds (employer, status) and counts the
set. When the set is at most COMPUTE_LIMIT apprenticeships (a coach's caseload is 20 to 60; an
employer's usually fewer), every row is computed in ONE aggregated query (caseload.with_figures),
then filtered by RAG or overdue review, sorted and paginated in Python. A larger set (a registered
manager of a very large group) is paginated by the database in name order and only the page is
computed: the computed filters and sorts are then refused with a message asking to narrow the list
by employer or status. Either way the page makes the same number of queries whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from carelead.apprenticeships import rules
from carelead.apprenticeships.caseload import SORTS, CaseloadRow, rag_counts, row_for, sort_rows, with_figures
from carelead.apprenticeships.models import Apprenticeship, ApprenticeshipStatus
from carelead.organisations.models import Organisation

PER_PAGE = 25
COMPUTE_LIMIT = 500
NAME_ORDER = ("apprentice__full_name", "start_date", "pk")
TOO_MANY = ("There are more than {limit} apprenticeships in this list, so it is shown by name only. Narrow it by "
            "employer or status to filter by status or overdue review, or to sort by status, time, "
            "off-the-job share or next review.")


class CaseloadFilterForm(forms.Form):
    """Filters on the caseload; a bad value is ignored rather than shown as an error."""

    rag = forms.ChoiceField(label="Status", required=False)
    employer = forms.ModelChoiceField(label="Employer", queryset=Organisation.objects.none(), required=False,
                                      to_field_name="public_id", empty_label="All employers")
    status = forms.ChoiceField(label="Apprenticeship", required=False)
    overdue = forms.BooleanField(label="Only those with a progress review overdue", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False)

    def __init__(self, *args, employers: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["rag"].choices = [("", "Any status"), *((key, label) for key, label in rules.RAG_LABELS.items())]
        self.fields["status"].choices = [("", "Any"), *ApprenticeshipStatus.choices]
        self.fields["sort"].choices = [(key, label) for key, (label, _) in SORTS.items()]

    def values(self) -> dict:
        """The valid filters; an invalid one is dropped, as if not given."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields if name not in self.errors}


@dataclass
class CaseloadPage:
    page: Page
    rows: list[CaseloadRow]
    counts: dict  # RAG -> number, over the whole filtered set (or the page when not computed)
    computed_all: bool  # True when the whole filtered set was computed (filters and sorts by rules work)
    notice: str = ""
    total: int = 0
    sort: str = "name"
    filters: dict = field(default_factory=dict)


def employers_of(apprenticeships: QuerySet[Apprenticeship]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=apprenticeships.values("employer")).order_by("name")


def caseload_page(apprenticeships: QuerySet[Apprenticeship], filters: dict, page_number, today: date,
                  now: datetime, per_page: int | None = None) -> CaseloadPage:
    """One page of the caseload: two queries (a count and the rows) whatever the filters."""
    per_page = per_page or PER_PAGE
    chosen = apprenticeships
    if filters.get("employer"):
        chosen = chosen.filter(employer=filters["employer"])
    if filters.get("status"):
        chosen = chosen.filter(status=filters["status"])
    sort = filters.get("sort") or "name"
    total = chosen.count()
    annotated = with_figures(chosen.order_by(*NAME_ORDER), today, now)
    if total <= COMPUTE_LIMIT:
        rows = [row_for(a, today) for a in annotated]
        if filters.get("rag"):
            rows = [row for row in rows if row.rag == filters["rag"]]
        if filters.get("overdue"):
            rows = [row for row in rows if row.review_overdue]
        rows = sort_rows(rows, sort)
        page = Paginator(rows, per_page).get_page(page_number)
        return CaseloadPage(page=page, rows=list(page.object_list), counts=rag_counts(rows), computed_all=True,
                            total=len(rows), sort=sort, filters=filters)
    paginator = Paginator(annotated, per_page)
    paginator.count = total  # counted above: no second count  # type: ignore[misc]
    page = paginator.get_page(page_number)
    rows = [row_for(a, today) for a in page.object_list]
    refused = filters.get("rag") or filters.get("overdue") or sort != "name"
    return CaseloadPage(page=page, rows=rows, counts=rag_counts(rows), computed_all=False, total=total,
                        notice=TOO_MANY.format(limit=COMPUTE_LIMIT) if refused else "", sort="name", filters=filters)
