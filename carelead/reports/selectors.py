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


# Every record counted carries its person's location (`location`, copied from the person when it is
# made), and a person's records all share it. So each query below, and each "is there a newer one"
# subquery inside it, is restricted to the page's locations by an index led by location: its cost
# follows the records at those locations, not the records everywhere, and no count joins through people.


def _latest_needs(today: date, at: list[int]) -> QuerySet[NeedsAssessment]:
    completed = NeedsAssessment.objects.filter(location__in=at, status=NeedsAssessment.Status.COMPLETED)
    newer = completed.filter(person=OuterRef("person")).filter(
        Q(completed_on__gt=OuterRef("completed_on")) | Q(completed_on=OuterRef("completed_on"), pk__gt=OuterRef("pk"))
    )
    return completed.filter(review_on__lt=today).exclude(Exists(newer))


def _latest_granted_dols(at: list[int]) -> QuerySet[DolsApplication]:
    granted = DolsApplication.objects.filter(location__in=at, status=DolsApplication.Status.GRANTED,
                                             authorised_until__isnull=False)
    later = granted.filter(person=OuterRef("person"), authorised_until__gt=OuterRef("authorised_until"))
    return granted.exclude(Exists(later))


def _active_plans(at: list[int]) -> QuerySet[CarePlan]:
    return CarePlan.objects.filter(location__in=at, status=PlanStatus.ACTIVE)


def _plans_overdue(today: date, at: list[int]) -> QuerySet[CarePlan]:
    return _active_plans(at).filter(review_on__lt=today)


def _plans_due(today: date, at: list[int]) -> QuerySet[CarePlan]:
    return _active_plans(at).filter(review_on__gte=today, review_on__lte=today + timedelta(days=DUE_SOON_DAYS))


def _sections_overdue(today: date, at: list[int]) -> QuerySet[CarePlanSection]:
    # The plan's location too, so its status is read from the page's plans only, not every plan.
    return CarePlanSection.objects.filter(location__in=at, review_on__lt=today,
                                          plan__location__in=at, plan__status=PlanStatus.ACTIVE)


def _risks_overdue(today: date, at: list[int]) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(location__in=at, status=RiskStatus.CURRENT, review_on__lt=today)


def _no_plan(today: date, at: list[int]) -> QuerySet[Person]:
    return Person.objects.filter(location__in=at, status=PersonStatus.ACTIVE).exclude(
        Exists(_active_plans(at).filter(person=OuterRef("pk"))))


def _mca_overdue(today: date, at: list[int]) -> QuerySet[CapacityAssessment]:
    return CapacityAssessment.objects.filter(location__in=at, review_on__lt=today)


def _dols_renewal_due(today: date, at: list[int]) -> QuerySet[DolsApplication]:
    return _latest_granted_dols(at).filter(
        authorised_until__gte=today, authorised_until__lte=today + timedelta(days=dols.RENEWAL_WINDOW_DAYS))


def _dols_expired(today: date, at: list[int]) -> QuerySet[DolsApplication]:
    return _latest_granted_dols(at).filter(authorised_until__lt=today)


@dataclass(frozen=True)
class Kind:
    """One count: its records at some locations (`records(today, location ids)`), the path from them
    to their person, and the date they sort by."""

    key: str
    records: Callable[[date, list[int]], QuerySet]
    person_path: str
    date_field: str


KINDS = {
    kind.key: kind
    for kind in (
        Kind("plans_overdue", _plans_overdue, "person", "review_on"),
        Kind("plans_due", _plans_due, "person", "review_on"),
        Kind("sections_overdue", _sections_overdue, "plan__person", "review_on"),
        Kind("risks_overdue", _risks_overdue, "person", "review_on"),
        Kind("reassessments_due", _latest_needs, "person", "review_on"),
        Kind("no_plan", _no_plan, "", "created_at"),
        Kind("mca_overdue", _mca_overdue, "person", "review_on"),
        Kind("dols_renewal_due", _dols_renewal_due, "person", "authorised_until"),
        Kind("dols_expired", _dols_expired, "person", "authorised_until"),
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
            kind.records(today, ids).order_by().values(at=F("location")).annotate(n=Count("pk"))
        )
        for row in grouped:
            counts[row["at"]][kind.key] = row["n"]
    return counts


def records_at(location: Location, key: str, *, today: date) -> QuerySet:
    """The records behind one count at one location, oldest date first, with their person."""
    kind = KINDS[key]
    records = kind.records(today, [location.pk])
    if kind.person_path:
        records = records.select_related(kind.person_path)
    return records.order_by(kind.date_field, "pk")
