"""Who reaches an apprenticeship (issue 5, "Parties and access"): deny by default; the apprentice
their own, a coach only their own apprentices, an employer contact or registered manager their
organisation's; nobody else, and a coach never a care record."""

import pytest
from django.urls import reverse

from carelead.apprenticeships.selectors import apprenticeship_for, apprenticeships_for
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, coach_of, staff_of
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(reference_data):
    """Two apprenticeships: different employers, different coaches of the same provider."""
    first = ApprenticeshipFactory()
    second = ApprenticeshipFactory(provider=first.provider)
    return first, second


def seen_by(user):
    return set(apprenticeships_for(user))


def test_an_apprentice_sees_their_own_only(two):
    first, second = two
    assert seen_by(first.apprentice) == {first}


def test_a_coach_sees_only_the_apprentices_they_coach(two):
    first, second = two
    assert seen_by(first.coach) == {first}
    with pytest.raises(Exception) as error:
        apprenticeship_for(first.coach, second.public_id)
    assert error.typename == "Http404"


def test_a_coach_whose_membership_ended_sees_nothing(two):
    first, _ = two
    first.coach.memberships.update(ended_at="2026-01-01T00:00:00Z")
    assert seen_by(first.coach) == set()


@pytest.mark.parametrize("role", [Role.EMPLOYER_CONTACT, Role.REGISTERED_MANAGER])
def test_an_employer_contact_or_manager_sees_their_organisations_apprentices_only(two, role):
    first, _ = two
    assert seen_by(staff_of(first.employer, role=role).user) == {first}


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.SENIOR_CARER, Role.LEAD_PRACTITIONER,
                                  Role.SAFEGUARDING_LEAD, Role.EPA_ASSESSOR])
def test_other_staff_of_the_employer_see_none(two, role):
    first, _ = two
    assert seen_by(MembershipFactory(organisation=first.employer, role=role, all_locations=True).user) == set()


def test_another_coach_of_the_same_provider_sees_none_they_do_not_coach(two):
    first, _ = two
    assert seen_by(coach_of(first.provider).user) == set()


def test_signed_out_sees_none(two):
    from django.contrib.auth.models import AnonymousUser

    assert seen_by(AnonymousUser()) == set()


def test_the_list_and_detail_pages_answer_by_relationship(two, client, sign_in):
    first, second = two
    sign_in(first.coach)
    assert client.get(reverse("apprenticeships:apprenticeship-detail", args=[first.public_id])).status_code == 200
    assert client.get(reverse("apprenticeships:apprenticeship-detail", args=[second.public_id])).status_code == 404
    html = client.get(reverse("apprenticeships:apprenticeship-list")).content.decode()
    assert first.apprentice.full_name in html and second.apprentice.full_name not in html


def test_a_care_worker_who_is_not_an_apprentice_sees_none_on_the_page(two, client, sign_in):
    first, _ = two
    sign_in(staff_of(first.employer))
    response = client.get(reverse("apprenticeships:apprenticeship-list"))
    assert response.status_code == 200 and "There are no apprenticeships for you to see" in response.content.decode()
    assert client.get(reverse("apprenticeships:apprenticeship-detail", args=[first.public_id])).status_code == 404


def test_a_skills_coach_sees_no_care_records(two, client, sign_in):
    first, _ = two
    person = PersonFactory(location=first.employer.locations.first())
    sign_in(first.coach)
    assert client.get(reverse("people:person-list")).status_code == 403
    assert client.get(reverse("people:person-detail", args=[person.public_id])).status_code == 404


def test_an_apprentice_reaches_their_own_programme_but_not_the_enrol_page(two, client, sign_in):
    first, _ = two
    sign_in(first.apprentice)
    assert client.get(reverse("apprenticeships:apprenticeship-detail", args=[first.public_id])).status_code == 200
    assert client.get(reverse("apprenticeships:apprenticeship-new")).status_code == 403


def test_the_employers_organisation_admin_sees_its_apprentices(two):
    """The person who employs a Lead PA is their organisation's admin (see test_lead_pa.py)."""
    first, _ = two
    assert seen_by(MembershipFactory(organisation=first.employer, role=Role.ORG_ADMIN).user) == {first}
