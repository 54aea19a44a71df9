"""End-point assessment attempts written through epa_services (issue 6, §2.2–2.4): only the coach, not
before gateway, the observation 4 weeks after it, one open attempt per method, resits and retakes only
after a notified fail and within 3 months, grades each method can give; the computed overall result."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carelead.apprenticeships import epa_services as services
from carelead.apprenticeships.epa_selectors import attempts_of, epa_result
from carelead.apprenticeships.models import ApprenticeshipStatus, EpaAttempt
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.core.actor import Actor
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db
GATEWAY = date(2026, 3, 2)
EARLIEST_OBSERVATION = date(2026, 3, 30)  # gateway + 28 days
TODAY = date(2026, 11, 30)


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory(gateway_date=GATEWAY)


def plan(apprenticeship, method="observation", planned_on=EARLIEST_OBSERVATION, user=None, **kwargs):
    return services.plan_epa_attempt(actor=Actor(user=user or apprenticeship.coach), apprenticeship=apprenticeship,
                                     method=method, planned_on=planned_on, **kwargs)


def grade(attempt, value, held_on=None, user=None, **kwargs):
    return services.record_epa_result(actor=Actor(user=user or attempt.apprenticeship.coach), attempt=attempt,
                                      held_on=held_on or attempt.planned_on, grade=value, today=TODAY, **kwargs)


def errors_of(raised) -> dict:
    return raised.value.message_dict


# --- Who may ---


def test_the_coach_plans_an_attempt_and_it_is_audited(apprenticeship):
    attempt = plan(apprenticeship, assessor_name="  A. Assessor ")
    assert (attempt.method, attempt.kind, attempt.planned_on, attempt.grade) == (
        "observation", "first", EARLIEST_OBSERVATION, "")
    assert attempt.assessor_name == "A. Assessor" and attempt.recorded_by == apprenticeship.coach
    event = AuditEvent.objects.get(action="create")
    assert event.subject.endswith(str(attempt.public_id)) and event.details["method"] == "observation"


@pytest.mark.parametrize("who", ["apprentice", "employer", "other coach"])
def test_nobody_but_the_coach_plans_or_grades(apprenticeship, who):
    user = {"apprentice": apprenticeship.apprentice, "employer": employer_contact_of(apprenticeship).user,
            "other coach": ApprenticeshipFactory().coach}[who]
    with pytest.raises(PermissionDenied):
        plan(apprenticeship, user=user)
    attempt = plan(apprenticeship)
    with pytest.raises(PermissionDenied):
        grade(attempt, "pass", user=user)
    attempt.refresh_from_db()
    assert attempt.grade == "" and EpaAttempt.objects.count() == 1
    assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.parametrize("status", [ApprenticeshipStatus.WITHDRAWN, ApprenticeshipStatus.COMPLETED])
def test_a_closed_apprenticeship_is_locked(apprenticeship, status):
    attempt = plan(apprenticeship)
    apprenticeship.status = status
    apprenticeship.save()
    with pytest.raises(ValidationError, match="locked"):
        plan(apprenticeship, "discussion", GATEWAY)
    with pytest.raises(ValidationError, match="locked"):
        grade(attempt, "pass")


# --- Dates (§2.2) ---


def test_nothing_is_planned_without_a_gateway_date(reference_data):
    apprenticeship = ApprenticeshipFactory(gateway_date=None)
    with pytest.raises(ValidationError) as raised:
        plan(apprenticeship)
    assert errors_of(raised) == {"planned_on": [services.NO_GATEWAY]}
    assert not EpaAttempt.objects.exists()


@pytest.mark.parametrize(("planned_on", "allowed"), [
    (date(2026, 3, 29), False), (EARLIEST_OBSERVATION, True), (GATEWAY, False), (date(2026, 1, 5), False)])
def test_the_observation_is_planned_at_least_4_weeks_after_gateway(apprenticeship, planned_on, allowed):
    if allowed:
        assert plan(apprenticeship, planned_on=planned_on).planned_on == planned_on
        return
    with pytest.raises(ValidationError) as raised:
        plan(apprenticeship, planned_on=planned_on)
    assert errors_of(raised) == {"planned_on": [
        "The observation must be at least 4 weeks after gateway (2 Mar 2026): plan it on or after 30 Mar 2026."]}
    assert not EpaAttempt.objects.exists()


def test_the_discussion_is_on_or_after_gateway(apprenticeship):
    assert plan(apprenticeship, "discussion", GATEWAY).planned_on == GATEWAY
    other = ApprenticeshipFactory(gateway_date=GATEWAY)
    with pytest.raises(ValidationError) as raised:
        plan(other, "discussion", date(2026, 3, 1))
    assert errors_of(raised) == {"planned_on": [
        "The professional discussion must be on or after the gateway date (2 Mar 2026)."]}


def test_the_held_date_follows_the_same_rules_and_is_not_in_the_future(apprenticeship):
    attempt = plan(apprenticeship)
    with pytest.raises(ValidationError) as raised:
        grade(attempt, "pass", held_on=date(2026, 3, 20))
    assert "at least 4 weeks after gateway" in errors_of(raised)["held_on"][0]
    with pytest.raises(ValidationError) as raised:
        grade(attempt, "pass", held_on=date(2026, 12, 1))
    assert errors_of(raised) == {"held_on": [services.HELD_IN_FUTURE]}


# --- Grades (§2.3) ---


def test_the_observation_cannot_be_given_a_distinction(apprenticeship):
    attempt = plan(apprenticeship)
    with pytest.raises(ValidationError) as raised:
        grade(attempt, "distinction")
    assert errors_of(raised) == {"grade": ["Select Fail or Pass: the observation of practice is graded Fail or Pass."]}
    with pytest.raises(ValidationError):
        grade(attempt, "merit")
    attempt.refresh_from_db()
    assert attempt.grade == ""


def test_a_fail_needs_the_date_it_was_notified_and_only_a_fail_has_one(apprenticeship):
    attempt = plan(apprenticeship)
    with pytest.raises(ValidationError) as raised:
        grade(attempt, "fail")
    assert errors_of(raised) == {"fail_notified_on": [services.NOTIFIED_REQUIRED]}
    with pytest.raises(ValidationError) as raised:
        grade(attempt, "pass", fail_notified_on=date(2026, 4, 1))
    assert errors_of(raised) == {"fail_notified_on": [services.NOTIFIED_ONLY_FOR_FAIL]}
    with pytest.raises(ValidationError) as raised:
        grade(attempt, "fail", fail_notified_on=date(2026, 3, 29))
    assert errors_of(raised) == {"fail_notified_on": [services.NOTIFIED_BEFORE_HELD]}


def test_a_recorded_grade_is_final_and_audited(apprenticeship):
    attempt = grade(plan(apprenticeship), "pass", assessor_name="A. Assessor")
    assert (attempt.grade, attempt.held_on, attempt.assessor_name) == ("pass", EARLIEST_OBSERVATION, "A. Assessor")
    event = AuditEvent.objects.get(action="update")
    assert set(event.details["fields"]) == {"held_on", "grade", "fail_notified_on", "assessor_name"}
    with pytest.raises(ValidationError, match="already has a result"):
        grade(attempt, "fail", fail_notified_on=EARLIEST_OBSERVATION)


# --- One open attempt; resits and retakes (§2.4) ---


def test_a_second_attempt_waits_for_the_first_result_and_follows_only_a_fail(apprenticeship):
    first = plan(apprenticeship)
    with pytest.raises(ValidationError) as raised:
        plan(apprenticeship, planned_on=date(2026, 4, 10), kind="resit")
    assert errors_of(raised) == {"kind": [services.LAST_NOT_GRADED.format(method="observation of practice")]}
    grade(first, "pass")
    with pytest.raises(ValidationError) as raised:
        plan(apprenticeship, planned_on=date(2026, 4, 10), kind="resit")
    assert "a pass cannot be resat" in errors_of(raised)["kind"][0]
    assert not EpaAttempt.objects.filter(kind="resit").exists()


def test_after_a_fail_the_next_attempt_is_a_resit_or_retake_not_a_first(apprenticeship):
    grade(plan(apprenticeship), "fail", fail_notified_on=date(2026, 4, 1))
    with pytest.raises(ValidationError) as raised:
        plan(apprenticeship, planned_on=date(2026, 4, 10))
    assert errors_of(raised) == {"kind": [services.FIRST_ALREADY.format(method="observation of practice")]}


def test_a_resit_needs_a_first_attempt(apprenticeship):
    with pytest.raises(ValidationError) as raised:
        plan(apprenticeship, kind="retake")
    assert errors_of(raised) == {"kind": [services.NEEDS_FIRST.format(method="observation of practice")]}


@pytest.mark.parametrize(("planned_on", "allowed"), [
    (date(2026, 8, 31), True), (date(2026, 11, 30), True), (date(2026, 12, 1), False)])
def test_a_resit_is_within_3_months_of_the_fail_being_notified(apprenticeship, planned_on, allowed):
    first = plan(apprenticeship, planned_on=date(2026, 8, 20))
    grade(first, "fail", fail_notified_on=date(2026, 8, 31))  # deadline 30 Nov 2026
    if allowed:
        assert plan(apprenticeship, planned_on=planned_on, kind="resit").kind == "resit"
        return
    with pytest.raises(ValidationError) as raised:
        plan(apprenticeship, planned_on=planned_on, kind="resit")
    assert errors_of(raised) == {"planned_on": [
        "A resit or retake must be held within 3 months of the fail being notified, by 30 Nov 2026. After that the "
        "whole end-point assessment is taken again."]}
    assert EpaAttempt.objects.count() == 1


def test_a_resit_held_after_the_limit_is_refused_too(apprenticeship):
    first = plan(apprenticeship, planned_on=date(2026, 4, 1))
    grade(first, "fail", fail_notified_on=date(2026, 4, 2))  # deadline 2 Jul 2026
    resit = plan(apprenticeship, planned_on=date(2026, 7, 1), kind="retake")
    with pytest.raises(ValidationError) as raised:
        grade(resit, "pass", held_on=date(2026, 7, 3))
    assert "by 2 Jul 2026" in errors_of(raised)["held_on"][0]
    assert grade(resit, "pass", held_on=date(2026, 7, 2)).grade == "pass"


# --- The overall result (§2.3, §2.4) ---


def test_distinction_on_first_attempts(apprenticeship):
    grade(plan(apprenticeship), "pass")
    result = epa_result(attempts_of(apprenticeship))
    assert result.overall is None and result.status == "Not graded yet: the professional discussion is not planned yet."
    discussion = plan(apprenticeship, "discussion", date(2026, 4, 2))
    assert epa_result(attempts_of(apprenticeship)).status == (
        "Not graded yet: waiting for the result of the professional discussion.")
    grade(discussion, "distinction")
    result = epa_result(attempts_of(apprenticeship))
    assert (result.overall, result.status) == ("distinction", "Distinction, by the combination rule.")


def test_a_resit_caps_the_overall_grade_at_pass(apprenticeship):
    grade(plan(apprenticeship, planned_on=date(2026, 4, 1)), "fail", fail_notified_on=date(2026, 4, 3))
    grade(plan(apprenticeship, "discussion", date(2026, 4, 2)), "distinction")
    result = epa_result(attempts_of(apprenticeship))
    assert result.overall == "fail" and result.methods[0].resit_deadline == date(2026, 7, 3)
    grade(plan(apprenticeship, planned_on=date(2026, 6, 1), kind="resit"), "pass")
    result = epa_result(attempts_of(apprenticeship))
    assert result.overall == "pass" and result.after_resit_or_retake
    assert result.status == "Pass, by the combination rule (capped at Pass because a method was resat or retaken)."
    assert [len(row.attempts) for row in result.methods] == [2, 1]
