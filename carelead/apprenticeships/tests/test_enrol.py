"""Enrolment (issue 5, "Enrolment and training plan"): a coach enrols a current member of the
employer's staff on the version that takes the start date; messages beside fields; nothing half-saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from carelead.apprenticeships import services
from carelead.apprenticeships.models import Apprenticeship, EnglishMaths, StandardVersion, WeeklyHours
from carelead.apprenticeships.tests.factories import coach_of, staff_of
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(reference_data):
    coach = coach_of()
    apprentice = staff_of()
    contact = staff_of(apprentice.organisation, role=Role.EMPLOYER_CONTACT)
    return coach, apprentice, contact


def enrol(by, staff, **changes):
    fields = dict(actor=Actor(user=by.user), apprentice=staff.user, employer=staff.organisation,
                  coach=by.user, start_date=date(2025, 9, 1), practical_period_end=date(2027, 3, 1),
                  weekly_hours=Decimal("37.5"), english_maths=EnglishMaths.HELD)
    return services.enrol(**{**fields, **changes})


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_a_coach_enrols_a_member_of_the_employers_staff(parties):
    coach, apprentice, contact = parties
    apprenticeship = enrol(coach, apprentice, employer_contacts=[contact.user], rpl_hours=Decimal(20),
                           epao_name="Skills for Health EPA")
    assert apprenticeship.provider == coach.organisation
    assert apprenticeship.standard_version == StandardVersion.objects.get(version="1.1")  # highest taking the date
    assert list(apprenticeship.employer_contacts.all()) == [contact.user]
    assert apprenticeship.epao_named_on is not None
    assert [(entry.hours, entry.from_date) for entry in WeeklyHours.objects.all()] == [(Decimal("37.50"),
                                                                                        date(2025, 9, 1))]
    event = AuditEvent.objects.get(subject__startswith="apprenticeships.Apprenticeship")
    assert event.person is None and event.actor == coach.user and event.action == "create"


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.REGISTERED_MANAGER, Role.EMPLOYER_CONTACT, Role.ORG_ADMIN])
def test_nobody_but_a_skills_coach_enrols(parties, role):
    _, apprentice, _ = parties
    other = MembershipFactory(organisation=apprentice.organisation, role=role, all_locations=True)
    with pytest.raises(NotAllowed):
        enrol(other, apprentice, coach=other.user)
    assert not Apprenticeship.objects.exists()


def test_the_apprentice_must_be_current_staff_of_the_employer(parties):
    coach, apprentice, _ = parties
    stranger = staff_of()
    assert errors_of(lambda: enrol(coach, apprentice, apprentice=stranger.user)) == {
        "apprentice": [services.NOT_STAFF_MESSAGE]}
    apprentice.ended_at = "2026-01-01T00:00:00Z"
    apprentice.save()
    assert "apprentice" in errors_of(lambda: enrol(coach, apprentice))


def test_the_coach_must_be_a_skills_coach_of_the_provider(parties):
    coach, apprentice, _ = parties
    other_provider_coach = coach_of()
    assert errors_of(lambda: enrol(coach, apprentice, coach=other_provider_coach.user)) == {
        "coach": [services.COACH_MESSAGE]}


def test_nobody_coaches_their_own_apprenticeship(parties):
    """A coach who is also on the employer's staff cannot be their own apprentice: they would sign
    the plan and reviews for the provider and for the apprentice."""
    coach, _, _ = parties
    also_staff = MembershipFactory(user=coach.user, role=Role.CARE_WORKER)
    assert errors_of(lambda: enrol(coach, also_staff)) == {"coach": [services.OWN_COACH_MESSAGE]}
    assert not Apprenticeship.objects.exists()


def test_the_employer_is_not_a_training_provider(parties):
    coach, apprentice, _ = parties
    colleague = coach_of(coach.organisation)
    assert errors_of(lambda: enrol(coach, apprentice, apprentice=colleague.user, employer=coach.organisation)) == {
        "employer": [services.NOT_EMPLOYER_MESSAGE]}


def test_not_required_english_and_maths_needs_the_recorded_decision(parties):
    coach, apprentice, _ = parties
    errors = errors_of(lambda: enrol(coach, apprentice, english_maths=EnglishMaths.NOT_REQUIRED_19_PLUS))
    assert list(errors) == ["english_maths_decision"]
    done = enrol(coach, apprentice, english_maths=EnglishMaths.NOT_REQUIRED_19_PLUS,
                 english_maths_decision="Discussed 1 Sep 2025: holds GCSEs; employer agrees.")
    assert done.english_maths_decision.startswith("Discussed")


def test_several_bad_fields_are_each_named_and_nothing_is_saved(parties):
    coach, apprentice, contact = parties
    errors = errors_of(lambda: enrol(coach, apprentice, practical_period_end=date(2025, 8, 1),
                                     weekly_hours=Decimal(0), rpl_hours=Decimal(-1),
                                     employer_contacts=[staff_of().user]))
    assert {"practical_period_end", "weekly_hours", "rpl_hours", "employer_contacts"} <= set(errors)
    assert not Apprenticeship.objects.exists() and not WeeklyHours.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_start_no_version_takes_is_named(parties):
    coach, apprentice, _ = parties
    StandardVersion.objects.update(earliest_start_date=date(2030, 1, 1))
    assert errors_of(lambda: enrol(coach, apprentice)) == {
        "start_date": [services.NO_VERSION_MESSAGE.format(standard="ST0007")]}


def test_one_active_apprenticeship_per_standard(parties):
    coach, apprentice, _ = parties
    enrol(coach, apprentice)
    assert errors_of(lambda: enrol(coach, apprentice)) == {"apprentice": [services.ALREADY_ENROLLED_MESSAGE]}


def test_employer_contacts_are_found_by_email_only_among_current_staff(parties):
    # The page and the API both name contacts by email; one selector decides who they are.
    from django.utils import timezone

    from carelead.apprenticeships import selectors

    _, apprentice, contact = parties
    employer = apprentice.organisation
    assert selectors.staff_with_emails(employer, [f" {contact.user.email.upper()} ", "", contact.user.email]) == [
        contact.user]
    assert selectors.staff_with_emails(employer, []) == []
    assert selectors.staff_with_emails(employer, [contact.user.email, staff_of().user.email]) is None
    contact.ended_at = timezone.now()
    contact.save()
    assert selectors.staff_with_emails(employer, [contact.user.email]) is None


def test_checking_employer_contacts_costs_the_same_queries_for_1_or_3(parties, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coach, apprentice, contact = parties
    with CaptureQueriesContext(connection) as one:
        enrol(coach, apprentice, employer_contacts=[contact.user])
    Apprenticeship.objects.all().delete()
    contacts = [contact.user] + [staff_of(apprentice.organisation).user for _ in range(2)]
    with django_assert_num_queries(len(one)):
        enrol(coach, apprentice, employer_contacts=contacts)
