"""Reads for the location status pages: which locations a user sees, and for each the records
whose review has passed or is coming up. Every count here is one GROUP BY location query over the
page's locations, so a page costs the same whether it shows 2 locations or 25, with 10 records or
10,000 behind them.

What counts (issue 4; `careplans.rules` for review states, `assessments.dols` for authorisations):
- care plan reviews: active plans, overdue the day after the review date, due in the
  DUE_SOON_DAYS up to and on it; plan sections of active plans, overdue likewise;
- risk assessments still current whose review date has passed;
- needs assessments to reassess: a person's latest completed assessment whose "reassess by" date
  has passed (an earlier one, already superseded, is not counted);
- active people with no active care plan;
- capacity assessments whose review date has passed;
- DoLS: a person's latest granted authorisation, renewal due from 28 days before its end date,
  expired from the day after.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from carelead.assessments import dols
from carelead.assessments.models import CapacityAssessment, DolsApplication, NeedsAssessment
from carelead.careplans.models import CarePlan, CarePlanSection, PlanStatus, RiskAssessment, RiskStatus
from carelead.careplans.rules import DUE_SOON_DAYS
from carelead.core.permissions import Perm
from carelead.organisations.models import Location
from carelead.organisations.selectors import location_scope
from carelead.people.models import Person, PersonStatus
from carelead.reports.rules import COUNT_KEYS


def status_locations(user, *, name: str = "") -> QuerySet[Location]:
    """Locations where the user may see people, in name order, optionally those whose name contains `name`."""
    locations = Location.objects.filter(pk__in=location_scope(user, Perm.PERSON_VIEW))
    if name:
        locations = locations.filter(name__icontains=name)
    return locations.select_related("organisation").order_by("name", "pk")


def status_location_for(user, public_id) -> Location:
    """One location where the user may see people; 404 for any other, or none."""
    return get_object_or_404(status_locations(user), public_id=public_id)


# --- What each count counts -------------------------------------------------------------------


def _latest_needs(today: date) -> QuerySet[NeedsAssessment]:
    completed = NeedsAssessment.objects.filter(status=NeedsAssessment.Status.COMPLETED)
    newer = completed.filter(person=OuterRef("person")).filter(
        Q(completed_on__gt=OuterRef("completed_on")) | Q(completed_on=OuterRef("completed_on"), pk__gt=OuterRef("pk"))
    )
    return completed.filter(review_on__lt=today).exclude(Exists(newer))


def _latest_granted_dols() -> QuerySet[DolsApplication]:
    granted = DolsApplication.objects.filter(status=DolsApplication.Status.GRANTED, authorised_until__isnull=False)
    later = granted.filter(person=OuterRef("person"), authorised_until__gt=OuterRef("authorised_until"))
    return granted.exclude(Exists(later))


@dataclass(frozen=True)
class Kind:
    """One count: its records (unscoped), the path from them to a location, and the date they sort by."""

    key: str
    records: Callable[[date], QuerySet]
    location_path: str
    person_path: str
    date_field: str


def _active_plans() -> QuerySet[CarePlan]:
    return CarePlan.objects.filter(status=PlanStatus.ACTIVE)


KINDS = {
    kind.key: kind
    for kind in (
        Kind("plans_overdue", lambda today: _active_plans().filter(review_on__lt=today),
             "person__location", "person", "review_on"),
        Kind("plans_due", lambda today: _active_plans().filter(
            review_on__gte=today, review_on__lte=today + timedelta(days=DUE_SOON_DAYS)),
             "person__location", "person", "review_on"),
        Kind("sections_overdue", lambda today: CarePlanSection.objects.filter(
            plan__status=PlanStatus.ACTIVE, review_on__lt=today), "plan__person__location", "plan__person", "review_on"),
        Kind("risks_overdue", lambda today: RiskAssessment.objects.filter(
            status=RiskStatus.CURRENT, review_on__lt=today), "person__location", "person", "review_on"),
        Kind("reassessments_due", _latest_needs, "person__location", "person", "review_on"),
        Kind("no_plan", lambda today: Person.objects.filter(status=PersonStatus.ACTIVE).exclude(
            Exists(_active_plans().filter(person=OuterRef("pk")))), "location", "", "created_at"),
        Kind("mca_overdue", lambda today: CapacityAssessment.objects.filter(review_on__lt=today),
             "person__location", "person", "review_on"),
        Kind("dols_renewal_due", lambda today: _latest_granted_dols().filter(
            authorised_until__gte=today, authorised_until__lte=today + timedelta(days=dols.RENEWAL_WINDOW_DAYS)),
             "person__location", "person", "authorised_until"),
        Kind("dols_expired", lambda today: _latest_granted_dols().filter(authorised_until__lt=today),
             "person__location", "person", "authorised_until"),
    )
}
assert tuple(KINDS) == COUNT_KEYS, "every count on the page has one query here"


def location_counts(location_ids: Iterable[int], *, today: date) -> dict[int, dict[str, int]]:
    """{location id: {count key: n}} for these locations: one GROUP BY query per count."""
    ids = list(location_ids)
    counts = {location_id: dict.fromkeys(COUNT_KEYS, 0) for location_id in ids}
    if not ids:
        return counts
    for kind in KINDS.values():
        grouped = (
            kind.records(today).filter(**{f"{kind.location_path}__in": ids})
            .order_by().values(at=F(kind.location_path)).annotate(n=Count("pk"))
        )
        for row in grouped:
            counts[row["at"]][kind.key] = row["n"]
    return counts


def records_at(location: Location, key: str, *, today: date) -> QuerySet:
    """The records behind one count at one location, oldest date first, with their person."""
    kind = KINDS[key]
    records = kind.records(today).filter(**{kind.location_path: location})
    if kind.person_path:
        records = records.select_related(kind.person_path)
    return records.order_by(kind.date_field, "pk")
