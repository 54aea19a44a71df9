"""A Lead Personal Assistant is an apprentice too (issue 5): their employer is the one person they
support, an individual employer whose organisation admin signs for the employer."""

from datetime import date
from decimal import Decimal

import pytest

from carelead.apprenticeships import parties, selectors, services
from carelead.apprenticeships.models import EnglishMaths, Party
from carelead.apprenticeships.tests.factories import coach_of
from carelead.core.actor import Actor
from carelead.core.permissions import Role
from carelead.organisations.models import OrganisationKind
from carelead.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_lead_pa_is_enrolled_and_their_employer_acts_for_the_employer(reference_data):
    household = OrganisationFactory(kind=OrganisationKind.INDIVIDUAL_EMPLOYER, name="Joan Whitfield")
    employer = MembershipFactory(role=Role.ORG_ADMIN, organisation=household)
    lead_pa = MembershipFactory(role=Role.CARE_WORKER, organisation=household)
    coach = coach_of()
    apprenticeship = services.enrol(
        actor=Actor(user=coach.user), apprentice=lead_pa.user, employer=household, coach=coach.user,
        start_date=date(2025, 9, 1), practical_period_end=date(2027, 3, 1), weekly_hours=Decimal(30),
        english_maths=EnglishMaths.HELD)
    assert parties.parties_of(employer.user, apprenticeship) == {Party.EMPLOYER}
    assert parties.parties_of(lead_pa.user, apprenticeship) == {Party.APPRENTICE}
    assert list(selectors.apprenticeships_for(employer.user)) == [apprenticeship]
    outsider = MembershipFactory(role=Role.ORG_ADMIN, organisation=OrganisationFactory(
        kind=OrganisationKind.INDIVIDUAL_EMPLOYER))
    assert not selectors.apprenticeships_for(outsider.user).exists()
    assert parties.parties_of(outsider.user, apprenticeship) == frozenset()
