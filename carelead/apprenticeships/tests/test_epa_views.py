"""The end-point assessment tab (issue 6): each method's attempts, the overall grade by the rule with its
inferred parts marked and the rule shown as data; the coach plans an attempt and records its result.
Per role: out of reach is a 404, the wrong party a 403; the page's queries do not grow with attempts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships import epa
from carelead.apprenticeships.models import ApprenticeshipStatus, EpaAttempt
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of, staff_of
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role

pytestmark = pytest.mark.django_db
GATEWAY = date(2026, 3, 2)
PASS_POST = {"grade": "pass", "held_on_0": "1", "held_on_1": "4", "held_on_2": "2026"}


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory(gateway_date=GATEWAY)


def attempt(apprenticeship, method="observation", planned_on=date(2026, 4, 1), **fields):
    return EpaAttempt.objects.create(apprenticeship=apprenticeship, method=method, planned_on=planned_on,
                                     recorded_by=apprenticeship.coach, **fields)


def page(apprenticeship):
    return reverse("apprenticeships:epa", args=[apprenticeship.public_id])


def new_url(apprenticeship):
    return reverse("apprenticeships:epa-attempt-new", args=[apprenticeship.public_id])


def result_url(record):
    return reverse("apprenticeships:epa-attempt-result", args=[record.public_id])


def date_post(name, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_tab_shows_attempts_the_overall_grade_and_the_rule_marked_inferred(client, sign_in, apprenticeship):
    attempt(apprenticeship, held_on=date(2026, 4, 1), grade="fail", fail_notified_on=date(2026, 4, 3),
            assessor_name="Pat Assessor")
    attempt(apprenticeship, planned_on=date(2026, 5, 1), held_on=date(2026, 5, 1), grade="pass", kind="resit")
    attempt(apprenticeship, "discussion", date(2026, 4, 2), held_on=date(2026, 4, 2), grade="distinction")
    sign_in(apprenticeship.apprentice)
    html = client.get(page(apprenticeship)).content.decode()
    for text in ("End-point assessment", 'aria-current="page">End-point assessment', "Parts of this rule are inferred",
                 epa.INFERRED_NOTE, "Pass, by the combination rule (capped at Pass because a method was resat or "
                 "retaken).", "Observation of practice", "Professional discussion", "First attempt", "Resit",
                 "1 Apr 2026", "notified 3 Apr 2026", "Pat Assessor", "nhsuk-tag--purple", "Distinction",
                 "The combination rule, first matching row", "Failing either method fails the assessment.",
                 "Distinction comes from the professional discussion when the observation is passed.",
                 "The observation can be held from 30 Mar 2026"):
        assert text in html, text
    assert html.count("Inferred</strong>") == len(epa.COMBINATION_RULE) + len(epa.METHOD_GRADES)
    assert "Plan an attempt" not in html and "Record the result" not in html  # the apprentice reads only
    assert AuditEvent.objects.filter(action="view", details__tab="epa").exists()
    assert AuditEvent.objects.get(action="list", subject="apprenticeships.EpaAttempt").details["ids"]


def test_the_coach_sees_what_they_may_do_and_the_resit_deadline(client, sign_in, apprenticeship):
    failed = attempt(apprenticeship, held_on=date(2026, 4, 1), grade="fail", fail_notified_on=date(2026, 11, 30))
    waiting = attempt(apprenticeship, "discussion", date(2026, 4, 2))
    sign_in(apprenticeship.coach)
    html = client.get(page(apprenticeship)).content.decode()
    assert "Plan an attempt" in html and result_url(waiting) in html and result_url(failed) not in html
    assert "must be held by 28 Feb 2027" in html
    assert "Not graded yet: waiting for the result of the professional discussion." in html


def test_without_a_gateway_date_the_page_says_so(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    html = client.get(page(apprenticeship)).content.decode()
    assert "Not yet: the end-point assessment is planned after the gateway date is recorded." in html
    assert "Not graded yet: the observation of practice and the professional discussion are not planned yet." in html


def test_the_page_costs_the_same_queries_for_1_or_many_attempts(client, sign_in, apprenticeship):
    attempt(apprenticeship, held_on=date(2026, 4, 1), grade="fail", fail_notified_on=date(2026, 4, 1))
    sign_in(apprenticeship.coach)
    client.get(page(apprenticeship))
    with CaptureQueriesContext(connection) as one:
        client.get(page(apprenticeship))
    attempt(apprenticeship, planned_on=date(2026, 5, 1), held_on=date(2026, 5, 1), grade="fail",
            fail_notified_on=date(2026, 5, 1), kind="resit")
    attempt(apprenticeship, planned_on=date(2026, 6, 1), kind="retake")
    for day in (2, 3):
        attempt(apprenticeship, "discussion", date(2026, 4, day), held_on=date(2026, 4, day), grade="fail",
                fail_notified_on=date(2026, 4, day), kind="first" if day == 2 else "resit")
    with CaptureQueriesContext(connection) as five:
        html = client.get(page(apprenticeship)).content.decode()
    assert len(five) == len(one) and html.count('role="row" class="nhsuk-table__row"') == 5 + len(
        epa.COMBINATION_RULE)


# --- Who may ---


@pytest.mark.parametrize("name", ["epa", "epa-attempt-new"])
def test_out_of_reach_is_404(client, sign_in, apprenticeship, name):
    url = reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id])
    for user in (ApprenticeshipFactory().coach, staff_of(role=Role.REGISTERED_MANAGER).user,
                 staff_of(apprenticeship.provider, role=Role.SKILLS_COACH).user):
        client.logout()
        sign_in(user)
        assert client.get(url).status_code == 404
    assert client.post(new_url(apprenticeship), {"method": "observation", "kind": "first",
                                                 **date_post("planned_on", date(2026, 4, 1))}).status_code == 404
    assert not EpaAttempt.objects.exists()


def test_a_result_out_of_reach_is_404(client, sign_in, apprenticeship):
    record = attempt(apprenticeship)
    sign_in(ApprenticeshipFactory().coach)
    assert client.get(result_url(record)).status_code == 404
    assert client.post(result_url(record), PASS_POST).status_code == 404
    record.refresh_from_db()
    assert record.grade == ""


@pytest.mark.parametrize("who", ["apprentice", "employer"])
def test_the_apprentice_and_employer_read_but_cannot_record(client, sign_in, apprenticeship, who):
    record = attempt(apprenticeship)
    sign_in(apprenticeship.apprentice if who == "apprentice" else employer_contact_of(apprenticeship).user)
    assert client.get(page(apprenticeship)).status_code == 200
    assert client.get(new_url(apprenticeship)).status_code == 403
    assert client.post(new_url(apprenticeship), {"method": "discussion", "kind": "first",
                                                 **date_post("planned_on", date(2026, 4, 1))}).status_code == 403
    assert client.post(result_url(record), PASS_POST).status_code == 403
    record.refresh_from_db()
    assert record.grade == "" and EpaAttempt.objects.count() == 1


# --- Recording ---


def test_the_coach_plans_an_observation_too_early_and_sees_why(client, sign_in, apprenticeship):
    sign_in(apprenticeship.coach)
    assert client.get(new_url(apprenticeship)).status_code == 200
    response = client.post(new_url(apprenticeship), {"method": "observation", "kind": "first",
                                                      **date_post("planned_on", date(2026, 3, 29))})
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html
    assert "plan it on or after 30 Mar 2026" in html and not EpaAttempt.objects.exists()
    response = client.post(new_url(apprenticeship), {"method": "observation", "kind": "first", "assessor_name": "Pat",
                                                      **date_post("planned_on", date(2026, 3, 30))})
    assert response.status_code == 302 and response["Location"] == page(apprenticeship)
    assert EpaAttempt.objects.get().planned_on == date(2026, 3, 30)


def test_the_coach_is_refused_a_resit_after_3_months(client, sign_in, apprenticeship):
    attempt(apprenticeship, held_on=date(2026, 4, 1), grade="fail", fail_notified_on=date(2026, 4, 2))
    sign_in(apprenticeship.coach)
    html = client.post(new_url(apprenticeship), {"method": "observation", "kind": "resit",
                                                  **date_post("planned_on", date(2026, 7, 3))}).content.decode()
    assert "must be held within 3 months of the fail being notified, by 2 Jul 2026" in html
    assert EpaAttempt.objects.count() == 1


def test_the_coach_records_a_distinction_for_the_discussion(client, sign_in, apprenticeship):
    record = attempt(apprenticeship, "discussion", date(2026, 4, 2))
    sign_in(apprenticeship.coach)
    form = client.get(result_url(record)).content.decode()
    assert 'value="distinction"' in form
    response = client.post(result_url(record), {"grade": "distinction", **date_post("held_on", date(2026, 4, 2))})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.grade, record.held_on) == ("distinction", date(2026, 4, 2))
    assert client.get(result_url(record)).status_code == 302  # final: back to the tab


def test_the_observation_result_offers_no_distinction_and_a_fail_needs_its_notice(client, sign_in, apprenticeship):
    record = attempt(apprenticeship)
    sign_in(apprenticeship.coach)
    assert 'value="distinction"' not in client.get(result_url(record)).content.decode()
    html = client.post(result_url(record), {"grade": "distinction", **date_post("held_on", date(2026, 4, 1))}
                       ).content.decode()
    assert "nhsuk-error-summary" in html
    html = client.post(result_url(record), {"grade": "fail", **date_post("held_on", date(2026, 4, 1))}).content.decode()
    assert "Enter the date the fail was notified" in html
    record.refresh_from_db()
    assert record.grade == ""


def test_a_closed_apprenticeship_cannot_be_recorded(client, sign_in, apprenticeship):
    record = attempt(apprenticeship)
    apprenticeship.status = ApprenticeshipStatus.WITHDRAWN
    apprenticeship.save()
    sign_in(apprenticeship.coach)
    assert "Plan an attempt" not in client.get(page(apprenticeship)).content.decode()
    assert client.get(new_url(apprenticeship)).status_code == 302
    assert client.post(result_url(record), PASS_POST).status_code == 302
    record.refresh_from_db()
    assert record.grade == ""
