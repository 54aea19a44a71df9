"""Helpers for the end-point assessor and completion tests (issue 6, H8): an assessor's account, an
apprenticeship past gateway, a grant open today, a passed end-point assessment."""

from datetime import date, timedelta

from django.utils import timezone

from carelead.apprenticeships.models import AssessorAccess, EpaAttempt
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, provider_org
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

GATEWAY = date(2026, 3, 2)


def today() -> date:
    return timezone.localdate()


def assessor_of(organisation=None):
    """A user holding an End-point assessor membership (at a new assessment organisation unless given)."""
    return MembershipFactory(role=Role.EPA_ASSESSOR, organisation=organisation or provider_org(),
                             all_locations=True).user


def past_gateway(**fields):
    return ApprenticeshipFactory(gateway_date=GATEWAY, epao_name="Example EPA Ltd", **fields)


def grant(apprenticeship, assessor, *, starts_on=None, ends_on=None, **fields) -> AssessorAccess:
    """A grant written straight to the table (the services are tested on their own): open today unless told."""
    starts_on = starts_on or today() - timedelta(days=3)
    return AssessorAccess.objects.create(apprenticeship=apprenticeship, assessor=assessor, starts_on=starts_on,
                                         ends_on=ends_on or today() + timedelta(days=30),
                                         granted_by=apprenticeship.coach, **fields)


def passed_epa(apprenticeship, discussion="distinction") -> None:
    """Both methods graded (first attempts): the observation a Pass, the discussion as given."""
    for method, grade, held in (("observation", "pass", date(2026, 4, 6)), ("discussion", discussion,
                                                                           date(2026, 4, 8))):
        EpaAttempt.objects.create(apprenticeship=apprenticeship, method=method, planned_on=held, held_on=held,
                                  grade=grade, recorded_by=apprenticeship.coach, assessor_name="A. Assessor")
