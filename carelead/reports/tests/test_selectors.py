"""Each count's boundaries: a review date of today is due, not overdue; yesterday is overdue;
archived plans and risks, superseded assessments and authorisations are not counted."""

import pytest
from django.utils import timezone

from carelead.assessments.models import DolsApplication, NeedsAssessment
from carelead.careplans.models import PlanStatus, RiskStatus
from carelead.careplans.rules import DUE_SOON_DAYS
from carelead.organisations.tests.factories import LocationFactory
from carelead.people.models import PersonStatus
from carelead.people.tests.factories import PersonFactory
from carelead.reports import selectors
from carelead.reports.rules import COUNT_KEYS
from carelead.reports.tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def location():
    return LocationFactory()


def _counts(location) -> dict:
    return selectors.location_counts([location.pk], today=timezone.localdate())[location.pk]


def _person(location, **fields):
    return PersonFactory(location=location, **fields)


def _covered(location, **fields):
    """An active person with an in-date active plan, so only what the test adds is counted."""
    person = _person(location, **fields)
    make.plan(person)
    return person


def test_a_location_with_nothing_behind_it_counts_zero_everywhere(location):
    _covered(location)
    assert _counts(location) == dict.fromkeys(COUNT_KEYS, 0)
    assert selectors.location_counts([], today=timezone.localdate()) == {}


def test_plan_reviews_today_is_due_yesterday_overdue_and_due_ends_at_due_soon_days(location):
    for review_in in (-1, 0, DUE_SOON_DAYS, DUE_SOON_DAYS + 1):
        make.plan(_person(location), review_in=review_in)
    make.plan(_person(location), review_in=-30, status=PlanStatus.ARCHIVED)  # not counted, and no active plan
    counts = _counts(location)
    assert (counts["plans_overdue"], counts["plans_due"], counts["no_plan"]) == (1, 2, 1)


def test_sections_of_active_plans_only_overdue_from_the_day_after(location):
    active = make.plan(_person(location), review_in=60)
    archived = make.plan(_person(location), review_in=60, status=PlanStatus.ARCHIVED)
    make.section(active, review_in=-1)
    make.section(active, review_in=0)
    make.section(archived, review_in=-10)
    assert _counts(location)["sections_overdue"] == 1


def test_current_risks_only_overdue_from_the_day_after(location):
    person = _covered(location)
    make.risk(person, review_in=-1)
    make.risk(person, review_in=0)
    make.risk(person, review_in=-20, status=RiskStatus.ARCHIVED)
    assert _counts(location)["risks_overdue"] == 1


def test_reassessment_counts_only_each_persons_latest_completed_assessment(location):
    superseded = _covered(location)
    make.needs(superseded, review_in=-100, completed_ago=200)
    make.needs(superseded, review_in=50, completed_ago=10)  # the latest: in date
    overdue = _covered(location)
    make.needs(overdue, review_in=-100, completed_ago=200)
    make.needs(overdue, review_in=-1, completed_ago=100)  # the latest: overdue, counted once
    make.needs(_covered(location), review_in=0)  # today: not yet
    make.needs(_covered(location), review_in=-5, status=NeedsAssessment.Status.DRAFT)
    assert _counts(location)["reassessments_due"] == 1


def test_people_with_no_active_plan_are_active_people_only(location):
    _person(location)
    _person(location, status=PersonStatus.DIED)
    make.plan(_person(location), status=PlanStatus.ARCHIVED)
    _covered(location)
    assert _counts(location)["no_plan"] == 2


def test_capacity_reviews_overdue_from_the_day_after_and_none_without_a_date(location):
    person = _covered(location)
    make.capacity(person, review_in=-1)
    make.capacity(person, review_in=0)
    make.capacity(person, review_in=None)
    assert _counts(location)["mca_overdue"] == 1


def test_dols_renewal_due_in_the_last_28_days_and_expired_from_the_day_after(location):
    for ends_in in (29, 28, 0, -1):
        make.dols_granted(_covered(location), ends_in=ends_in)
    make.dols_granted(_covered(location), ends_in=-5, status=DolsApplication.Status.NOT_GRANTED)
    renewed = _covered(location)
    make.dols_granted(renewed, ends_in=-3)
    make.dols_granted(renewed, ends_in=300)  # the further authorisation replaces the expired one
    counts = _counts(location)
    assert (counts["dols_renewal_due"], counts["dols_expired"]) == (2, 1)


def test_counts_stay_with_their_own_location(location):
    elsewhere = LocationFactory()
    make.plan(_person(elsewhere), review_in=-3)
    make.plan(_person(location), review_in=3)
    counts = selectors.location_counts([location.pk, elsewhere.pk], today=timezone.localdate())
    assert (counts[location.pk]["plans_overdue"], counts[location.pk]["plans_due"]) == (0, 1)
    assert (counts[elsewhere.pk]["plans_overdue"], counts[elsewhere.pk]["plans_due"]) == (1, 0)


def test_records_at_a_location_come_oldest_first(location):
    later = make.plan(_person(location), review_in=-1)
    earlier = make.plan(_person(location), review_in=-9)
    make.plan(_person(LocationFactory()), review_in=-20)
    records = selectors.records_at(location, "plans_overdue", today=timezone.localdate())
    assert list(records) == [earlier, later]
