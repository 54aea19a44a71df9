"""The end-point assessment API (issue 6): list and plan attempts, record a grade, read the overall
result with the rule as data. Out of reach 404, wrong party 403, bad input 400; flat query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships import epa
from carelead.apprenticeships.models import EpaAttempt
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db
GATEWAY = date(2026, 3, 2)


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory(gateway_date=GATEWAY)


def attempts_url(apprenticeship):
    return reverse("api:api-epa-attempts", args=[apprenticeship.public_id])


def overall_url(apprenticeship):
    return reverse("api:api-epa-result", args=[apprenticeship.public_id])


def result_url(attempt_id):
    return reverse("api:api-epa-attempt-result", args=[attempt_id])


def plan(api, apprenticeship, **body):
    return api(apprenticeship.coach).post(attempts_url(apprenticeship), {
        "method": "observation", "planned_on": "2026-04-01", **body})


def test_distinction_end_to_end(api, apprenticeship):
    coach = api(apprenticeship.coach)
    observation = plan(api, apprenticeship)
    assert observation.status_code == 201, observation.json()
    assert observation.json()["kind"] == "first" and observation.json()["grade"] == ""
    discussion = plan(api, apprenticeship, method="discussion", planned_on="2026-03-10").json()
    assert coach.post(observation.json()["result_url"], {"held_on": "2026-04-01", "grade": "pass"}).status_code == 200
    response = coach.post(result_url(discussion["public_id"]), {"held_on": "2026-03-10", "grade": "distinction",
                                                                "assessor_name": "Pat Assessor"})
    assert response.status_code == 200 and response.json()["assessor_name"] == "Pat Assessor"
    overall = api(apprenticeship.apprentice).get(overall_url(apprenticeship)).json()
    assert overall["overall"] == "distinction" and not overall["after_resit_or_retake"]
    assert overall["rule_inferred"] and overall["inferred_note"] == epa.INFERRED_NOTE
    assert [row["overall"] for row in overall["rule"]] == [row.overall for row in epa.COMBINATION_RULE]
    assert overall["methods"][0]["grades"] == ["fail", "pass"] and overall["methods"][0]["latest_grade"] == "pass"
    listed = api(apprenticeship.apprentice).get(attempts_url(apprenticeship)).json()
    assert [row["method"] for row in listed["results"]] == ["discussion", "observation"]


def test_a_resit_is_capped_at_pass(api, apprenticeship):
    coach = api(apprenticeship.coach)
    first = plan(api, apprenticeship).json()
    coach.post(result_url(first["public_id"]), {"held_on": "2026-04-01", "grade": "fail",
                                                "fail_notified_on": "2026-04-02"})
    discussion = plan(api, apprenticeship, method="discussion", planned_on="2026-03-10").json()
    coach.post(result_url(discussion["public_id"]), {"held_on": "2026-03-10", "grade": "distinction"})
    assert coach.get(overall_url(apprenticeship)).json()["methods"][0]["resit_deadline"] == "2026-07-02"
    resit = plan(api, apprenticeship, kind="resit", planned_on="2026-06-01").json()
    coach.post(result_url(resit["public_id"]), {"held_on": "2026-06-01", "grade": "pass"})
    overall = coach.get(overall_url(apprenticeship)).json()
    assert (overall["overall"], overall["after_resit_or_retake"]) == ("pass", True)


def test_bad_input_is_400_naming_the_field(api, apprenticeship):
    response = plan(api, apprenticeship, planned_on="2026-03-20")
    assert response.status_code == 400 and "at least 4 weeks after gateway" in response.json()["planned_on"][0]
    assert plan(api, apprenticeship, method="exam").status_code == 400
    assert plan(api, apprenticeship, grade="pass").status_code == 400  # not a field here
    attempt = plan(api, apprenticeship).json()
    response = api(apprenticeship.coach).post(result_url(attempt["public_id"]),
                                              {"held_on": "2026-04-01", "grade": "distinction"})
    assert response.status_code == 400 and "Fail or Pass" in response.json()["grade"][0]
    resit_late = api(apprenticeship.coach).post(result_url(attempt["public_id"]),
                                                {"held_on": "2026-04-01", "grade": "fail"})
    assert resit_late.status_code == 400 and "fail_notified_on" in resit_late.json()
    assert EpaAttempt.objects.get().grade == ""


def test_a_resit_after_3_months_is_400(api, apprenticeship):
    attempt = plan(api, apprenticeship).json()
    api(apprenticeship.coach).post(result_url(attempt["public_id"]), {"held_on": "2026-04-01", "grade": "fail",
                                                                      "fail_notified_on": "2026-04-02"})
    response = plan(api, apprenticeship, kind="retake", planned_on="2026-07-03")
    assert response.status_code == 400
    assert response.json()["planned_on"] == [
        "A resit or retake must be held within 3 months of the fail being notified, by 2 Jul 2026. After that the "
        "whole end-point assessment is taken again."]


def test_no_gateway_date_is_400(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    response = plan(api, apprenticeship)
    assert response.status_code == 400 and "gateway date first" in response.json()["planned_on"][0]


@pytest.mark.parametrize("who", ["apprentice", "employer"])
def test_the_apprentice_and_employer_read_but_cannot_write(api, apprenticeship, who):
    user = apprenticeship.apprentice if who == "apprentice" else employer_contact_of(apprenticeship).user
    attempt = plan(api, apprenticeship).json()
    assert api(user).get(attempts_url(apprenticeship)).status_code == 200
    assert api(user).get(overall_url(apprenticeship)).status_code == 200
    assert api(user).post(attempts_url(apprenticeship), {"method": "discussion",
                                                         "planned_on": "2026-03-10"}).status_code == 403
    assert api(user).post(result_url(attempt["public_id"]), {"held_on": "2026-04-01",
                                                             "grade": "pass"}).status_code == 403
    assert EpaAttempt.objects.count() == 1 and EpaAttempt.objects.get().grade == ""


def test_another_coach_gets_404(api, apprenticeship):
    attempt = plan(api, apprenticeship).json()
    other = api(ApprenticeshipFactory().coach)
    assert other.get(attempts_url(apprenticeship)).status_code == 404
    assert other.get(overall_url(apprenticeship)).status_code == 404
    assert other.post(attempts_url(apprenticeship), {"method": "discussion", "planned_on": "2026-03-10"}
                      ).status_code == 404
    assert other.post(result_url(attempt["public_id"]), {"held_on": "2026-04-01", "grade": "pass"}).status_code == 404
    assert EpaAttempt.objects.count() == 1 and EpaAttempt.objects.get().grade == ""


def test_the_overall_result_audits_the_attempts_it_was_worked_out_from(api, apprenticeship):
    attempt = EpaAttempt.objects.create(apprenticeship=apprenticeship, method="observation", grade="pass",
                                        planned_on=date(2026, 4, 1), held_on=date(2026, 4, 1),
                                        recorded_by=apprenticeship.coach)
    result = api(apprenticeship.apprentice).get(overall_url(apprenticeship)).json()
    assert result["methods"][0]["latest_grade"] == "pass"
    read = AuditEvent.objects.get(subject="apprenticeships.EpaAttempt", action="list", actor=apprenticeship.apprentice)
    assert read.details["ids"] == [str(attempt.public_id)]


def test_reads_are_audited_and_cost_the_same_queries_for_1_or_many_attempts(api, apprenticeship):
    def add(method, planned_on, **fields):
        EpaAttempt.objects.create(apprenticeship=apprenticeship, method=method, planned_on=planned_on,
                                  recorded_by=apprenticeship.coach, **fields)

    add("observation", date(2026, 4, 1), held_on=date(2026, 4, 1), grade="fail", fail_notified_on=date(2026, 4, 1))
    client = api(apprenticeship.coach)
    for url in (attempts_url(apprenticeship), overall_url(apprenticeship)):
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        counts = [len(one)]
        add("discussion", date(2026, 4, 2) if url == attempts_url(apprenticeship) else date(2026, 4, 3))
        add("observation", date(2026, 5, 1), kind="resit")
        with CaptureQueriesContext(connection) as more:
            client.get(url)
        counts.append(len(more))
        assert counts[0] == counts[1], url
    assert AuditEvent.objects.filter(subject="apprenticeships.EpaAttempt", action="list").exists()
    assert AuditEvent.objects.filter(action="view", details__result=True).exists()
