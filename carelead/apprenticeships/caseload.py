"""The caseload: where each apprentice is, for the coach's, the employer's and the apprentice's
dashboards (issue 5, "Dashboards").

Everything that needs the data is aggregated by the database, in ONE query for any number of
apprenticeships (`with_figures`: correlated subqueries, each a SUM, COUNT or MAX grouped by the
apprenticeship); never a query, or a loaded entry, per row. Python then applies only the pure rules
to each row (`rules.minimum_otj_hours`, `rules.caseload_position`, `rules.next_review_due`,
`rules.review_state`, `rules.epao_missing_flag`).

KSBs evidenced = the distinct current KSBs of the apprentice's standard version named on their APPROVED
off-the-job entries.
Issue 6 (portfolio evidence) will count accepted portfolio evidence instead: only `_ksbs_evidenced`
changes.

Minimum off-the-job hours (§4): `selectors.minimum_otj`, the one implementation the OTJ, plan and review
pages use, so every page gives the same figure and the same reason. "Not known": for a start from
1 Aug 2025 the minimum is the standard version's published figure, which carelead never estimates; or
no contracted hours are recorded. The row then shows "not known" for the OTJ share and its RAG is
decided by the KSB share alone (the OTJ share is taken as 100%, so the smaller share is always the KSBs').
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from carelead.apprenticeships import rules, selectors
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, Ksb, OffTheJobEntry, OtjStatus, ProgressReview, ReviewStatus,
    SessionAttendee, WeeklyHours,
)
from carelead.apprenticeships.otj import to_tenths

AWAITING_SIGNATURE = (ReviewStatus.AWAITING_APPRENTICE, ReviewStatus.AWAITING_EMPLOYER)
# Withdrawn and completed apprenticeships have no next review.
NO_REVIEWS = frozenset({ApprenticeshipStatus.WITHDRAWN, ApprenticeshipStatus.COMPLETED})
RAG_ORDER = {rules.RED: 0, rules.AMBER: 1, rules.GREEN: 2, None: 3}


def _grouped(queryset: QuerySet, aggregate) -> Subquery:
    """One aggregate of rows grouped by their apprenticeship, correlated to the outer row."""
    return Subquery(queryset.order_by().values("apprenticeship").annotate(value=aggregate).values("value")[:1])


def _ksbs_evidenced() -> Subquery:
    through = OffTheJobEntry.ksbs.through
    # Only the current KSBs of the apprenticeship's own version: those are what ksbs_total counts (an
    # entry may name another version's KSBs, e.g. from before a change of version).
    links = through.objects.filter(offthejobentry__apprenticeship=OuterRef("pk"),
                                   offthejobentry__status=OtjStatus.APPROVED, ksb__retired=False,
                                   ksb__version=OuterRef("standard_version"))
    return Subquery(links.order_by().values("offthejobentry__apprenticeship")
                    .annotate(value=Count("ksb", distinct=True)).values("value")[:1])


def with_figures(apprenticeships: QuerySet[Apprenticeship], today: date, now: datetime) -> QuerySet[Apprenticeship]:
    """The apprenticeships annotated with what the caseload needs; still one query however many rows."""
    mine = {"apprenticeship": OuterRef("pk")}
    hours = WeeklyHours.objects.filter(**mine)
    # The row reads the version's published minimum (and names the version, with its standard, when the
    # minimum is not known) and shows the apprentice and employer: joined here, so no caller can make a
    # query per row by passing a bare queryset.
    return apprenticeships.select_related("apprentice", "employer", "standard_version__standard").annotate(
        otj_minutes=Coalesce(_grouped(OffTheJobEntry.objects.filter(**mine, status=OtjStatus.APPROVED),
                                      Sum("minutes")), Value(0), output_field=IntegerField()),
        ksbs_evidenced=Coalesce(_ksbs_evidenced(), Value(0), output_field=IntegerField()),
        ksbs_total=Coalesce(Subquery(
            Ksb.objects.filter(version=OuterRef("standard_version"), retired=False).order_by()
            .values("version").annotate(value=Count("pk")).values("value")[:1]), Value(0), output_field=IntegerField()),
        # The current contracted hours: the latest from on or before today, else the earliest planned
        # (as selectors.current_weekly_hours).
        current_hours=Coalesce(
            Subquery(hours.filter(from_date__lte=today).order_by("-from_date").values("hours")[:1]),
            Subquery(hours.order_by("from_date").values("hours")[:1])),
        last_review_on=_grouped(ProgressReview.objects.filter(**mine, status=ReviewStatus.SIGNED), Max("held_on")),
        reviews_to_sign=Coalesce(_grouped(ProgressReview.objects.filter(**mine, status__in=AWAITING_SIGNATURE),
                                          Count("pk")), Value(0), output_field=IntegerField()),
        next_session_at=Subquery(
            SessionAttendee.objects.filter(**mine, session__starts_at__gte=now, session__cancelled_at__isnull=True)
            .order_by("session__starts_at").values("session__starts_at")[:1]),
    )


@dataclass(frozen=True)
class Minimum:
    hours: Decimal | None
    reason: str = ""  # why it is not known


def minimum_required(apprenticeship: Apprenticeship, weekly_hours: Decimal | None) -> Minimum:
    """The §4 minimum off-the-job hours for this apprentice, or why it is not known (never invented):
    `selectors.minimum_otj` given the aggregated current hours (an unsaved WeeklyHours: no query)."""
    current = None if weekly_hours is None else WeeklyHours(hours=weekly_hours)
    minimum = selectors.minimum_otj(apprenticeship, current)
    return Minimum(minimum["hours"], minimum["reason"])


@dataclass(frozen=True)
class CaseloadRow:
    """One apprentice's position on the caseload. Percentages are exact fractions (0-100); None when
    not known."""

    apprenticeship: Apprenticeship
    otj_hours: Decimal
    required: Minimum
    time_percent: Fraction
    otj_percent: Fraction | None
    ksbs_evidenced: int
    ksbs_total: int
    ksb_percent: Fraction | None
    rag: str | None
    last_review_on: date | None
    next_review_due: date | None
    review_state: str | None
    next_session_at: datetime | None
    reviews_to_sign: int
    epao_flag: str | None

    @property
    def time_pct(self) -> int:
        return whole_percent(self.time_percent)

    @property
    def otj_pct(self) -> int | None:
        return None if self.otj_percent is None else whole_percent(self.otj_percent)

    @property
    def ksb_pct(self) -> int | None:
        return None if self.ksb_percent is None else whole_percent(self.ksb_percent)

    @property
    def otj_hours_shown(self) -> Decimal:
        return to_tenths(Fraction(self.otj_hours))

    @property
    def rag_label(self) -> str:
        return rules.RAG_LABELS.get(self.rag, "Not known")

    @property
    def rag_colour(self) -> str:
        return rules.RAG_COLOURS.get(self.rag, "grey")

    @property
    def review_label(self) -> str:
        return rules.REVIEW_STATE_LABELS.get(self.review_state, "")

    @property
    def review_colour(self) -> str:
        return rules.REVIEW_STATE_COLOURS.get(self.review_state, "grey")

    @property
    def review_overdue(self) -> bool:
        return self.review_state == rules.OVERDUE

    @property
    def epao_label(self) -> str:
        return rules.REVIEW_STATE_LABELS.get(self.epao_flag, "")

    @property
    def epao_colour(self) -> str:
        return rules.REVIEW_STATE_COLOURS.get(self.epao_flag, "grey")


def whole_percent(value: Fraction) -> int:
    """A percentage to show: whole, rounded half up (so 9.5 shows as 10)."""
    return math.floor(value + Fraction(1, 2))


def row_for(apprenticeship: Apprenticeship, today: date) -> CaseloadRow:
    """The row of one apprenticeship annotated by `with_figures`: pure rules only, no query."""
    a = apprenticeship
    otj_hours = Decimal(a.otj_minutes) / 60
    required = minimum_required(a, a.current_hours)
    total_days = (a.practical_period_end - a.start_date).days
    time = 100 * Fraction(min(max((today - a.start_date).days, 0), total_days), total_days)
    otj_percent = ksb_percent = rag = None
    if a.ksbs_total:
        known = required.hours is not None and required.hours > 0
        # Minimum not known: RAG on the KSBs alone (the OTJ share stands at 100%, see the module's docstring).
        position = rules.caseload_position(
            a.start_date, a.practical_period_end, today, otj_actual=otj_hours if known else Decimal(1),
            otj_required=required.hours if known else Decimal(1), ksbs_evidenced=min(a.ksbs_evidenced, a.ksbs_total),
            ksbs_total=a.ksbs_total)
        time, ksb_percent, rag = position.time_percent, position.ksb_percent, position.rag
        otj_percent = position.otj_percent if known else None
    elif required.hours:
        otj_percent = min(100 * Fraction(otj_hours) / Fraction(required.hours), Fraction(100))
    due = state = None
    if a.status not in NO_REVIEWS:
        previous = a.last_review_on if a.last_review_on and a.last_review_on >= a.start_date else a.start_date
        due = rules.next_review_due(start=a.start_date, previous_review=previous)
        state = rules.review_state(due, today)
    return CaseloadRow(
        apprenticeship=a, otj_hours=otj_hours, required=required, time_percent=time, otj_percent=otj_percent,
        ksbs_evidenced=a.ksbs_evidenced, ksbs_total=a.ksbs_total, ksb_percent=ksb_percent, rag=rag,
        last_review_on=a.last_review_on, next_review_due=due, review_state=state, next_session_at=a.next_session_at,
        reviews_to_sign=a.reviews_to_sign,
        epao_flag=None if a.status in NO_REVIEWS else rules.epao_missing_flag(
            a.practical_period_end, bool(a.epao_name), today),
    )


def caseload_rows(apprenticeships: QuerySet[Apprenticeship], today: date, now: datetime | None = None
                  ) -> list[CaseloadRow]:
    """The caseload rows of these apprenticeships, in the queryset's order: one query in all."""
    from django.utils import timezone

    return [row_for(a, today) for a in with_figures(apprenticeships, today, now or timezone.now())]


# --- Sorting (pure, on computed rows) ---

def _name(row: CaseloadRow) -> tuple:
    return (row.apprenticeship.apprentice.full_name.lower(), row.apprenticeship.start_date, row.apprenticeship.pk)


SORTS = {
    "name": ("Name", lambda row: _name(row)),
    "rag": ("Status (well behind first)", lambda row: (RAG_ORDER[row.rag], -row.time_percent, *_name(row))),
    "time": ("Time gone (most first)", lambda row: (-row.time_percent, *_name(row))),
    "otj": ("Off-the-job share (least first)",
            lambda row: (row.otj_percent is None, row.otj_percent or 0, *_name(row))),
    "review": ("Next review (soonest first)",
               lambda row: (row.next_review_due is None, row.next_review_due or date.max, *_name(row))),
}


def sort_rows(rows: list[CaseloadRow], key: str) -> list[CaseloadRow]:
    return sorted(rows, key=SORTS.get(key, SORTS["name"])[1])


def rag_counts(rows: list[CaseloadRow]) -> dict[str | None, int]:
    counts: dict[str | None, int] = {rules.GREEN: 0, rules.AMBER: 0, rules.RED: 0}
    for row in rows:
        counts[row.rag] = counts.get(row.rag, 0) + 1
    return counts
