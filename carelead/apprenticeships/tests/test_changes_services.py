"""Breaks in learning, returns and withdrawals (requested, approved by someone else, processed),
contracted hours with history, and the enrolment details with optimistic locking."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carelead.apprenticeships import change_services as services
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, ChangeKind, ChangeStatus, ProgrammeChange, WeeklyHours,
)
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, coach_of, employer_contact_of
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def actor(user) -> Actor:
    return Actor(user=getattr(user, "user", user))


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory()


def ask_for_break(apprenticeship, by=None) -> ProgrammeChange:
    return services.request_change(actor=actor(by or apprenticeship.coach), apprenticeship=apprenticeship,
                                   kind=ChangeKind.BREAK_IN_LEARNING, reason="Maternity leave",
                                   effective_date=date(2026, 3, 1), expected_return=date(2026, 9, 1))


def test_the_apprentice_cannot_ask_for_a_change(apprenticeship):
    with pytest.raises(NotAllowed):
        ask_for_break(apprenticeship, by=apprenticeship.apprentice)
    assert not ProgrammeChange.objects.exists()


def test_a_break_needs_a_reason_a_date_and_an_expected_return(apprenticeship):
    with pytest.raises(ValidationError) as error:
        services.request_change(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                kind=ChangeKind.BREAK_IN_LEARNING, reason=" ", effective_date=date(2026, 3, 1),
                                expected_return=date(2026, 3, 1))
    assert error.value.message_dict == {"reason": [services.REASON_MESSAGE],
                                        "expected_return": [services.EXPECTED_RETURN_ORDER]}


def test_the_requester_cannot_approve_their_own_request(apprenticeship):
    change = ask_for_break(apprenticeship)
    with pytest.raises(ValidationError) as error:
        services.decide_change(actor=actor(apprenticeship.coach), change=change, approve=True)
    assert error.value.messages == [services.OWN_REQUEST_MESSAGE]
    change.refresh_from_db()
    assert change.status == ChangeStatus.REQUESTED and change.decided_by is None


def test_the_database_refuses_an_approval_by_the_requester_too(apprenticeship):
    change = ask_for_break(apprenticeship)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeChange.objects.filter(pk=change.pk).update(decided_by=apprenticeship.coach)


def test_the_apprentice_and_a_coach_of_another_apprentice_cannot_decide(apprenticeship):
    change = ask_for_break(apprenticeship)
    for someone in (apprenticeship.apprentice, coach_of(apprenticeship.provider)):
        with pytest.raises(NotAllowed):
            services.decide_change(actor=actor(someone), change=change, approve=True)


def test_a_rejection_needs_a_comment(apprenticeship):
    change = ask_for_break(apprenticeship)
    contact = employer_contact_of(apprenticeship)
    with pytest.raises(ValidationError) as error:
        services.decide_change(actor=actor(contact), change=change, approve=False)
    assert error.value.message_dict == {"comment": [services.COMMENT_MESSAGE]}
    services.decide_change(actor=actor(contact), change=change, approve=False, comment="Not agreed with HR yet")
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and change.decided_by == contact.user


def test_a_break_then_a_return_moves_the_planned_end_by_the_break(apprenticeship):
    contact = employer_contact_of(apprenticeship)
    change = ask_for_break(apprenticeship)
    with pytest.raises(ValidationError):  # not approved yet
        services.process_change(actor=actor(apprenticeship.coach), change=change)
    services.decide_change(actor=actor(contact), change=change, approve=True)
    with pytest.raises(NotAllowed):  # the employer approves; only the provider processes
        services.process_change(actor=actor(contact), change=change)
    services.process_change(actor=actor(apprenticeship.coach), change=change)
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.BREAK_IN_LEARNING and apprenticeship.version == 2

    back = services.request_change(actor=actor(contact), apprenticeship=apprenticeship,
                                   kind=ChangeKind.RETURN_TO_LEARNING, reason="Back from leave",
                                   effective_date=date(2026, 9, 1))
    services.decide_change(actor=actor(apprenticeship.coach), change=back, approve=True, comment="Welcome back")
    assert services.default_new_end(back) == date(2027, 9, 1)  # 1 Mar 2027 + 184 days of break
    services.process_change(actor=actor(apprenticeship.coach), change=back)
    apprenticeship.refresh_from_db()
    back.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.ACTIVE
    assert apprenticeship.practical_period_end == back.new_practical_period_end == date(2027, 9, 1)


def test_a_return_needs_a_break_and_only_one_request_waits_at_a_time(apprenticeship):
    with pytest.raises(ValidationError) as error:
        services.request_change(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                kind=ChangeKind.RETURN_TO_LEARNING, reason="x", effective_date=date(2026, 1, 1))
    assert error.value.message_dict == {"kind": [services.KIND_STATUS_MESSAGE[ChangeKind.RETURN_TO_LEARNING]]}
    ask_for_break(apprenticeship)
    with pytest.raises(ValidationError) as error:
        ask_for_break(apprenticeship)
    assert error.value.messages == [services.OPEN_REQUEST_MESSAGE.format(kind="break in learning")]


def test_a_withdrawal_locks_the_apprenticeship(apprenticeship):
    contact = employer_contact_of(apprenticeship)
    change = services.request_change(actor=actor(contact), apprenticeship=apprenticeship, kind=ChangeKind.WITHDRAWAL,
                                     reason="Left the employer", effective_date=date(2026, 2, 1))
    services.decide_change(actor=actor(apprenticeship.coach), change=change, approve=True)
    services.process_change(actor=actor(apprenticeship.coach), change=change)
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.WITHDRAWN
    locked = ["This apprenticeship is withdrawn: its records are locked."]
    with pytest.raises(ValidationError) as error:
        services.record_weekly_hours(actor=actor(contact), apprenticeship=apprenticeship, hours=Decimal(20),
                                     from_date=date(2026, 1, 1))
    assert error.value.messages == locked
    with pytest.raises(ValidationError) as error:
        ask_for_break(apprenticeship)
    assert error.value.messages == locked
    assert AuditEvent.objects.filter(subject__endswith=str(apprenticeship.public_id), action="update").exists()


def test_contracted_hours_keep_their_history_one_per_date(apprenticeship):
    contact = employer_contact_of(apprenticeship)
    services.record_weekly_hours(actor=actor(contact), apprenticeship=apprenticeship, hours=Decimal(30),
                                 from_date=date(2026, 1, 5))
    assert list(apprenticeship.weekly_hours.order_by("from_date").values_list("hours", flat=True)) == [
        Decimal("37.5"), Decimal(30)]
    with pytest.raises(ValidationError) as error:
        services.record_weekly_hours(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                     hours=Decimal(20), from_date=date(2026, 1, 5))
    assert error.value.message_dict == {"from_date": [services.HOURS_DATE_TAKEN.format(date="5 Jan 2026")]}
    with pytest.raises(NotAllowed):
        services.record_weekly_hours(actor=actor(apprenticeship.apprentice), apprenticeship=apprenticeship,
                                     hours=Decimal(20), from_date=date(2026, 2, 5))
    assert WeeklyHours.objects.count() == 2


def enrolment_args(apprenticeship, **changes) -> dict:
    return {"seen_version": apprenticeship.version, "practical_period_end": date(2027, 6, 1),
            "epao_name": "Highfield Assessment", "english_maths": apprenticeship.english_maths,
            "english_maths_decision": "", "rpl_hours": Decimal(10), **changes}


def test_the_coach_changes_the_enrolment_and_a_stale_save_is_refused(apprenticeship):
    seen = apprenticeship.version
    services.update_enrolment(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                              **enrolment_args(apprenticeship))
    saved = Apprenticeship.objects.get(pk=apprenticeship.pk)
    assert saved.practical_period_end == date(2027, 6, 1) and saved.epao_named_on is not None and saved.version == 2
    stale = Apprenticeship.objects.get(pk=apprenticeship.pk)
    with pytest.raises(StaleEdit) as error:
        services.update_enrolment(actor=actor(apprenticeship.coach), apprenticeship=stale,
                                  **enrolment_args(stale, seen_version=seen, epao_name="Other"))
    assert error.value.message == services.STALE_ENROLMENT_MESSAGE
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).epao_name == "Highfield Assessment"


def test_the_employer_cannot_change_the_enrolment_and_19_plus_needs_the_decision(apprenticeship):
    with pytest.raises(NotAllowed):
        services.update_enrolment(actor=actor(employer_contact_of(apprenticeship)), apprenticeship=apprenticeship,
                                  **enrolment_args(apprenticeship))
    with pytest.raises(ValidationError) as error:
        services.update_enrolment(actor=actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                  **enrolment_args(apprenticeship, english_maths="not_required_19_plus"))
    assert "english_maths_decision" in error.value.message_dict
