"""Granting and stopping an end-point assessor's access (assessor_services): only the apprentice's coach,
only after gateway, only to an End-point assessor's account, within the window rule; audited; nothing
written when refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from carelead.apprenticeships import assessor_rules, assessor_services
from carelead.apprenticeships.models import ApprenticeshipStatus, AssessorAccess
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, coach_of, employer_contact_of, provider_org,
)
from carelead.apprenticeships.tests.factories_assessor import assessor_of, grant, past_gateway, today
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import AuditEvent
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def apprenticeship(reference_data):
    return past_gateway()


def give(apprenticeship, who, email, *, days=30, starts_on=None):
    starts_on = starts_on or today()
    return assessor_services.grant_assessor_access(actor=Actor(who), apprenticeship=apprenticeship, email=email,
                                                   starts_on=starts_on, ends_on=starts_on + timedelta(days=days))


# --- Refused, nothing written ---


@pytest.mark.parametrize("who", ["apprentice", "employer", "other coach", "colleague coach"])
def test_only_the_apprentices_coach_grants(apprenticeship, who):
    user = {"apprentice": lambda: apprenticeship.apprentice,
            "employer": lambda: employer_contact_of(apprenticeship).user,
            "other coach": lambda: ApprenticeshipFactory().coach,
            "colleague coach": lambda: coach_of(apprenticeship.provider).user}[who]()
    with pytest.raises(NotAllowed):
        give(apprenticeship, user, assessor_of().email)
    assert not AssessorAccess.objects.exists()


def test_no_access_before_the_gateway_date(reference_data):
    apprenticeship = ApprenticeshipFactory()
    with pytest.raises(ValidationError) as refused:
        give(apprenticeship, apprenticeship.coach, assessor_of().email)
    assert refused.value.messages == [assessor_services.GATEWAY_NOT_SET]
    assert not AssessorAccess.objects.exists()


def test_no_access_once_the_apprenticeship_is_closed(apprenticeship):
    apprenticeship.status = ApprenticeshipStatus.COMPLETED
    apprenticeship.save()
    with pytest.raises(ValidationError):
        give(apprenticeship, apprenticeship.coach, assessor_of().email)
    assert not AssessorAccess.objects.exists()


def test_an_email_without_an_assessor_account_says_who_to_ask(apprenticeship):
    care_worker = MembershipFactory().user  # an account, but not an End-point assessor
    for email in ("nobody@example.com", care_worker.email):
        with pytest.raises(ValidationError) as refused:
            give(apprenticeship, apprenticeship.coach, email)
        assert refused.value.message_dict == {"email": [assessor_services.NO_ASSESSOR]}
    assert not AssessorAccess.objects.exists()


def test_an_ended_assessor_membership_is_no_assessor(apprenticeship):
    assessor = assessor_of()
    assessor.memberships.update(ended_at=apprenticeship.created_at)
    with pytest.raises(ValidationError):
        give(apprenticeship, apprenticeship.coach, assessor.email)


def test_the_assessor_must_be_independent(apprenticeship):
    MembershipFactory(user=apprenticeship.coach, role="epa_assessor", organisation=apprenticeship.provider)
    with pytest.raises(ValidationError) as refused:
        give(apprenticeship, apprenticeship.coach, apprenticeship.coach.email)
    assert refused.value.message_dict == {"email": [assessor_services.NOT_INDEPENDENT]}


def test_someone_at_the_apprentices_employer_is_not_independent(apprenticeship):
    # The end-point assessor is independent of the employer too (the employer signs the readiness decision).
    manager = employer_contact_of(apprenticeship).user
    MembershipFactory(user=manager, role="epa_assessor", organisation=provider_org())
    with pytest.raises(ValidationError) as refused:
        give(apprenticeship, apprenticeship.coach, manager.email)
    assert refused.value.message_dict == {"email": [assessor_services.NOT_INDEPENDENT]}
    assert not AssessorAccess.objects.exists()


def test_more_than_six_months_is_refused(apprenticeship):
    with pytest.raises(ValidationError) as refused:
        give(apprenticeship, apprenticeship.coach, assessor_of().email, days=200)
    assert list(refused.value.message_dict) == ["ends_on"]
    assert not AssessorAccess.objects.exists()


def test_overlapping_access_for_the_same_assessor_is_refused(apprenticeship):
    assessor = assessor_of()
    grant(apprenticeship, assessor)
    with pytest.raises(ValidationError) as refused:
        give(apprenticeship, apprenticeship.coach, assessor.email)
    assert "already has access" in refused.value.message_dict["starts_on"][0]
    assert AssessorAccess.objects.count() == 1


# --- Granted and revoked ---


def test_the_coach_grants_by_email_and_it_is_audited(apprenticeship):
    assessor = assessor_of()
    access = give(apprenticeship, apprenticeship.coach, assessor.email.upper(), days=10)
    assert (access.assessor, access.starts_on, access.ends_on) == (assessor, today(), today() + timedelta(days=10))
    assert access.is_active_on(today())
    event = AuditEvent.objects.get(subject=f"apprenticeships.AssessorAccess:{access.public_id}")
    assert (event.actor, event.action) == (apprenticeship.coach, "create")
    assert event.details["assessor"] == assessor.pk


def test_an_assessor_at_the_provider_may_be_granted_too(apprenticeship):
    assessor = assessor_of(apprenticeship.provider)
    assert give(apprenticeship, apprenticeship.coach, assessor.email).assessor == assessor


def test_the_coach_stops_access_with_a_reason_once(apprenticeship):
    access = grant(apprenticeship, assessor_of())
    with pytest.raises(ValidationError):
        assessor_services.revoke_assessor_access(actor=Actor(apprenticeship.coach), grant=access, reason=" ")
    assessor_services.revoke_assessor_access(actor=Actor(apprenticeship.coach), grant=access, reason="EPA done")
    access.refresh_from_db()
    assert access.revoked_at and access.revoked_by == apprenticeship.coach and access.revoke_reason == "EPA done"
    assert not access.is_active_on(today())
    assert AuditEvent.objects.filter(subject=f"apprenticeships.AssessorAccess:{access.public_id}",
                                     action="update").count() == 1
    with pytest.raises(ValidationError) as again:
        assessor_services.revoke_assessor_access(actor=Actor(apprenticeship.coach), grant=access, reason="again")
    assert again.value.messages == [assessor_services.ALREADY_REVOKED]


def test_only_the_coach_stops_access(apprenticeship):
    access = grant(apprenticeship, assessor_of())
    for user in (apprenticeship.apprentice, access.assessor, ApprenticeshipFactory().coach):
        with pytest.raises(NotAllowed):
            assessor_services.revoke_assessor_access(actor=Actor(user), grant=access, reason="no")
    access.refresh_from_db()
    assert access.revoked_at is None


def test_the_window_rule_is_six_calendar_months():
    assert assessor_rules.MAX_ACCESS_MONTHS == 6


def test_the_assessor_is_emailed_where_to_read_and_until_when(apprenticeship, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    assessor = assessor_of()
    with django_capture_on_commit_callbacks(execute=True):
        access = give(apprenticeship, apprenticeship.coach, assessor.email, days=10)
    (email,) = mailoutbox
    assert email.to == [assessor.email]
    assert "/apprenticeships/assessor/" in email.body and assessor_rules.day_label(access.ends_on) in email.body
