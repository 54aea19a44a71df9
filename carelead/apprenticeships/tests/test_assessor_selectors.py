"""assessor_selectors.grant_for, the one door for an end-point assessor: open from the start date to the
end date inclusive, for the named assessor, on the granted apprenticeship, while not revoked and while
they hold a current End-point assessor membership; a 404 otherwise."""

from datetime import date

import pytest
from django.http import Http404
from django.utils import timezone

from carelead.apprenticeships.assessor_selectors import active_grants, grant_for
from carelead.apprenticeships.models import ApprenticeshipStatus
from carelead.apprenticeships.tests.factories_assessor import assessor_of, grant, past_gateway

pytestmark = pytest.mark.django_db
START, END = date(2026, 4, 1), date(2026, 4, 30)


@pytest.fixture
def access(reference_data):
    return grant(past_gateway(), assessor_of(), starts_on=START, ends_on=END)


@pytest.mark.parametrize(("today", "opens"), [
    (date(2026, 3, 31), False), (START, True), (END, True), (date(2026, 5, 1), False)])
def test_the_grant_opens_from_the_start_to_the_end_inclusive(access, today, opens):
    if opens:
        assert grant_for(access.assessor, access.apprenticeship.public_id, today) == access
    else:
        with pytest.raises(Http404):
            grant_for(access.assessor, access.apprenticeship.public_id, today)


def test_revoked_is_closed(access):
    access.revoked_at, access.revoked_by = timezone.now(), access.apprenticeship.coach
    access.save()
    with pytest.raises(Http404):
        grant_for(access.assessor, access.apprenticeship.public_id, START)


def test_only_the_named_assessor_on_the_granted_apprenticeship(access):
    for user, apprenticeship in ((assessor_of(), access.apprenticeship), (access.assessor, past_gateway()),
                                 (access.apprenticeship.coach, access.apprenticeship)):
        with pytest.raises(Http404):
            grant_for(user, apprenticeship.public_id, START)


def test_ending_the_assessor_membership_closes_every_grant(access):
    access.assessor.memberships.update(ended_at=timezone.now())
    assert not active_grants(access.assessor, START).exists()


def test_active_grants_is_one_query(access, django_assert_num_queries):
    grant(past_gateway(), access.assessor, starts_on=START, ends_on=END)
    with django_assert_num_queries(1):
        grants = list(active_grants(access.assessor, START))
        assert [each.apprenticeship.apprentice.full_name for each in grants]
    assert len(grants) == 2


def test_withdrawing_the_apprentice_closes_every_grant(access):
    # No end-point assessment follows a withdrawal: the assessor has no reason left to read the portfolio.
    access.apprenticeship.status = ApprenticeshipStatus.WITHDRAWN
    access.apprenticeship.save(update_fields=["status"])
    assert not active_grants(access.assessor, START).exists()
    with pytest.raises(Http404):
        grant_for(access.assessor, access.apprenticeship.public_id, START)


def test_a_completed_apprenticeship_stays_readable_until_the_grant_ends(access):
    # The outcome may still be queried with the assessment organisation: the coach stops access when it is not.
    access.apprenticeship.status = ApprenticeshipStatus.COMPLETED
    access.apprenticeship.save(update_fields=["status"])
    assert grant_for(access.assessor, access.apprenticeship.public_id, START) == access
