"""Reads of off-the-job (OTJ) entries and the OTJ figures (issue 5, reference §4).

Totals are summed IN THE DATABASE (one GROUP BY for any number of apprenticeships), never by
loading entries. Reach is decided by `selectors.apprenticeships_for`: an entry is seen by whoever
may see its apprenticeship, and nobody else.

Stable for reuse by the reviews and dashboards pages (keep these names and signatures):
- `otj_totals(apprenticeship_ids) -> dict[int, dict]`: approved_minutes, submitted_minutes and
  last_entry_date per apprenticeship id, in ONE aggregate query whatever the number of ids;
  an id with no entries is absent (callers use `.get(pk, EMPTY_TOTALS)`).
- `otj_figures(apprenticeship, today) -> OtjFigures`: required, planned, actual, expected,
  forecast, waiting and flags, in five queries whatever the number of entries.
- `approved_minutes_between(apprenticeship, start, end) -> int`: approved minutes dated from
  `start` to `end`, both included (one query).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from uuid import UUID

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from carelead.apprenticeships import rules, selectors
from carelead.apprenticeships.models import (
    Apprenticeship, Ksb, OffTheJobEntry, OffTheJobRevision, OtjStatus, Party, TrainingPlanActivity,
    TrainingPlanVersion,
)
from carelead.apprenticeships.otj import MAX_WEEKLY_HOURS, OtjMonth, minutes_as_hours, monthly_otj_series, to_tenths
from carelead.apprenticeships.parties import LOCKED_STATUSES
from carelead.core.permissions import Perm
from carelead.organisations.selectors import organisations_granting

EMPTY_TOTALS = {"approved_minutes": 0, "submitted_minutes": 0, "last_entry_date": None}
PLAN_SIGNED = "signed"
PLAN_UNSIGNED = "unsigned"
PLAN_NONE = "none"
PLAN_NOTES = {
    PLAN_SIGNED: "From training plan version {number}, signed by the provider, the apprentice and the employer.",
    PLAN_UNSIGNED: "No training plan version is signed by all three parties yet: planned hours are from "
                   "version {number}, which is not agreed.",
    PLAN_NONE: "There is no training plan yet, so nothing is planned.",
}


def _minutes(status: str):
    return Coalesce(Sum("minutes", filter=Q(status=status)), 0)


def otj_totals(apprenticeship_ids) -> dict[int, dict]:
    """Approved and waiting minutes and the latest entry date of each apprenticeship, in one query
    (`apprenticeship_ids` may be a list or a queryset of ids, which becomes a subquery).

    Returned entries count in neither sum (they are back with the apprentice), but their date
    counts as the last entry: the apprentice did log something then.
    """
    ids = apprenticeship_ids if isinstance(apprenticeship_ids, QuerySet) else list(apprenticeship_ids)
    rows = (OffTheJobEntry.objects.filter(apprenticeship_id__in=ids)
            .values("apprenticeship_id").order_by()
            .annotate(approved_minutes=_minutes(OtjStatus.APPROVED), submitted_minutes=_minutes(OtjStatus.SUBMITTED),
                      last_entry_date=Max("entry_date")))
    return {row.pop("apprenticeship_id"): row for row in rows}


def approved_minutes_between(apprenticeship: Apprenticeship, start: date, end: date) -> int:
    """Approved OTJ minutes dated from `start` to `end`, both included (a review's window)."""
    return OffTheJobEntry.objects.filter(
        apprenticeship=apprenticeship, status=OtjStatus.APPROVED, entry_date__gte=start, entry_date__lte=end,
    ).aggregate(total=Coalesce(Sum("minutes"), 0))["total"]


@dataclass(frozen=True)
class OtjFigures:
    """The OTJ figures of one apprentice side by side, in hours to 0.1 (issue 5, §4).

    `required` is None when the minimum cannot be known (`required_reason` says why), and then
    `expected` is None too. `planned` is from the latest training plan version signed by all three
    parties, else the latest version (`plan_note` says which). `waiting` is submitted hours not yet
    approved, shown apart from `actual`, which counts approved entries only.
    """

    required: Decimal | None
    required_reason: str
    planned: Decimal
    actual: Decimal
    expected: Decimal | None
    forecast: Decimal
    waiting: Decimal
    flags: list[rules.OtjFlag]
    plan_state: str = PLAN_NONE
    plan_note: str = ""
    weekly_hours: Decimal | None = None
    months: list[OtjMonth] = field(default_factory=list)


def plan_for_figures(apprenticeship: Apprenticeship) -> tuple[TrainingPlanVersion | None, str]:
    """The training plan version the figures use: the latest signed by all three parties, else the
    latest version (one query)."""
    versions = list(TrainingPlanVersion.objects.filter(apprenticeship=apprenticeship).annotate(
        parties=Count("signatures__party", distinct=True)).order_by("-number"))
    signed = next((version for version in versions if version.parties == len(Party.values)), None)
    if signed:
        return signed, PLAN_SIGNED
    return (versions[0], PLAN_UNSIGNED) if versions else (None, PLAN_NONE)


def planned_activities(plan: TrainingPlanVersion | None) -> list[rules.PlannedActivity]:
    """The plan's activities that count as OTJ, as the rules see them (one query, none without a plan)."""
    if plan is None:
        return []
    rows = TrainingPlanActivity.objects.filter(plan=plan, counts_as_otj=True).values_list(
        "planned_from", "planned_to", "planned_hours")
    return [rules.PlannedActivity(planned_from=start, planned_to=end, hours=hours) for start, end, hours in rows]


def plan_activity_types(apprenticeship: Apprenticeship) -> set[str]:
    """The activity types the latest training plan signed by all three parties agrees as OTJ (§4:
    mentoring and shadowing count only "if agreed in the training plan"; a version not yet signed
    by the apprentice and the employer is not agreed); two queries."""
    plan, state = plan_for_figures(apprenticeship)
    if plan is None or state != PLAN_SIGNED:
        return set()
    return set(plan.activities.filter(counts_as_otj=True).values_list("activity_type", flat=True))


def loggable_activity_types(apprenticeship: Apprenticeship) -> list[tuple[str, str]]:
    """The activity types an apprentice may log as OTJ, as (value, label): those `rules.counts_as_otj` allows."""
    agreed = plan_activity_types(apprenticeship)
    return [(kind.value, label) for kind, label in rules.ACTIVITY_LABELS.items()
            if rules.counts_as_otj(kind.value, in_training_plan=kind.value in agreed)]


def _minutes_by_day(apprenticeship: Apprenticeship) -> list[tuple[date, int, int]]:
    """(date, minutes logged, minutes approved) per day with submitted or approved entries, summed in the DB."""
    return list(OffTheJobEntry.objects.filter(apprenticeship=apprenticeship,
                                              status__in=[OtjStatus.SUBMITTED, OtjStatus.APPROVED])
                .values("entry_date").order_by("entry_date")
                .annotate(logged=Sum("minutes"), approved=_minutes(OtjStatus.APPROVED))
                .values_list("entry_date", "logged", "approved"))


def _flags(apprenticeship, today, required, forecast, weekly_hours, days) -> list[rules.OtjFlag]:
    """rules.otj_flags over submitted and approved time (the activity happened; returned time is
    the apprentice's to correct). With no minimum known, the forecast is not judged (required 0);
    with no contracted hours, no day is judged (168 h a week is more than a day holds)."""
    if today < apprenticeship.start_date:
        return []
    return rules.otj_flags(
        required=required if required is not None else Decimal(0), forecast=forecast,
        start=apprenticeship.start_date, today=today, gateway_date=apprenticeship.gateway_date,
        weekly_hours=weekly_hours if weekly_hours is not None else Decimal(MAX_WEEKLY_HOURS),
        minutes_by_day=[(day, logged) for day, logged, _ in days])


def otj_figures(apprenticeship: Apprenticeship, today: date) -> OtjFigures:
    """Required, planned, actual, expected to date, forecast and waiting hours, the flags and the
    month-by-month series of one apprentice (five queries, whatever the number of entries)."""
    current = selectors.current_weekly_hours(selectors.weekly_hours_history(apprenticeship), today)
    minimum = selectors.minimum_otj(apprenticeship, current)
    required = minimum["hours"]
    plan, plan_state = plan_for_figures(apprenticeship)
    activities = planned_activities(plan)
    totals = otj_totals([apprenticeship.pk]).get(apprenticeship.pk, EMPTY_TOTALS)
    days = _minutes_by_day(apprenticeship)
    actual = minutes_as_hours(totals["approved_minutes"])
    forecast = rules.forecast_otj(actual, rules.planned_hours_not_done(activities, today))
    expected = (rules.expected_otj_to_date(required, apprenticeship.start_date, apprenticeship.practical_period_end,
                                           today) if required else None)
    weekly_hours = current.hours if current else None
    return OtjFigures(
        required=required, required_reason=minimum["reason"],
        planned=to_tenths(sum((Fraction(activity.hours) for activity in activities), Fraction(0))),
        actual=actual, expected=expected, forecast=forecast, waiting=minutes_as_hours(totals["submitted_minutes"]),
        flags=_flags(apprenticeship, today, required, forecast, weekly_hours, days),
        plan_state=plan_state, plan_note=PLAN_NOTES[plan_state].format(number=plan.number if plan else ""),
        weekly_hours=weekly_hours,
        months=monthly_otj_series(start=apprenticeship.start_date, end=apprenticeship.practical_period_end,
                                  today=today, approved_minutes_by_day=[(day, ok) for day, _, ok in days if ok],
                                  planned=activities, required=required),
    )


# --- Entries, reached through their apprenticeship ---


def entries_of(apprenticeship: Apprenticeship, *, status: str = "") -> QuerySet[OffTheJobEntry]:
    """The apprenticeship's entries, newest first, with their KSBs (two queries for a page)."""
    entries = OffTheJobEntry.objects.filter(apprenticeship=apprenticeship)
    if status:
        entries = entries.filter(status=status)
    return entries.order_by("-entry_date", "-id").prefetch_related("ksbs")


def entry_for(user, entry_id: UUID) -> OffTheJobEntry:
    """One entry whose apprenticeship the user may see; 404 whether it does not exist or is out of reach."""
    reach = selectors.apprenticeships_for(user).values("pk")
    return get_object_or_404(
        OffTheJobEntry.objects.filter(apprenticeship__in=reach).select_related(
            "apprenticeship__apprentice", "apprenticeship__employer", "apprenticeship__provider",
            "apprenticeship__coach", "apprenticeship__standard_version__standard", "created_by", "decided_by",
        ).prefetch_related("ksbs"),
        public_id=entry_id)


def revisions_of(entry: OffTheJobEntry) -> list[OffTheJobRevision]:
    """Every change to the entry, oldest first, with who made it (one query)."""
    return list(entry.revisions.select_related("changed_by").order_by("number"))


def current_ksbs(apprenticeship: Apprenticeship) -> QuerySet[Ksb]:
    """The KSBs of the apprentice's standard version that are not retired, in the standard's order."""
    return selectors.ksbs_of(apprenticeship.standard_version).filter(retired=False)


def entries_awaiting_decision_by(user) -> QuerySet[OffTheJobEntry]:
    """Submitted entries of the open apprenticeships this user coaches while holding
    APPRENTICESHIP_MANAGE at their provider (the PROVIDER party of `parties.parties_of`); oldest first."""
    if not getattr(user, "is_authenticated", False):
        return OffTheJobEntry.objects.none()
    return (OffTheJobEntry.objects.filter(
        status=OtjStatus.SUBMITTED, apprenticeship__coach=user,
        apprenticeship__provider__in=organisations_granting(user, Perm.APPRENTICESHIP_MANAGE).values("pk"))
        .exclude(apprenticeship__status__in=LOCKED_STATUSES)
        .select_related("apprenticeship__apprentice").prefetch_related("ksbs")
        .order_by("entry_date", "id"))
