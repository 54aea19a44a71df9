"""The training plan and programme changes API: 404 out of reach, 403 wrong party, 400 naming fields."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.apprenticeships.models import (
    ApprenticeshipStatus, ChangeStatus, Ksb, Party, Signature, TrainingPlanActivity, WeeklyHours,
)
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, TrainingPlanActivityFactory, TrainingPlanVersionFactory, coach_of, employer_contact_of,
)

pytestmark = pytest.mark.django_db


def base(apprenticeship) -> str:
    return f"/api/v1/apprenticeships/{apprenticeship.public_id}/"


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory()


ACTIVITY = {"activity_type": "zoom_taught_session", "title": "Safeguarding adults at risk", "planned_hours": "3",
            "planned_from": "2025-11-04", "planned_to": "2025-11-04", "responsible": "provider"}


def test_the_plan_is_out_of_reach_for_a_coach_of_another_apprentice(api, apprenticeship):
    other = coach_of(apprenticeship.provider)
    for url in ("training-plan/", "changes/"):
        assert api(other).get(base(apprenticeship) + url).status_code == 404
    assert api(other).post(base(apprenticeship) + "training-plan/", {}).status_code == 404
    assert api(apprenticeship.coach).get(f"/api/v1/apprenticeships/{uuid.uuid4()}/training-plan/").status_code == 404


def test_the_coach_builds_and_everyone_signs_through_the_api(api, apprenticeship):
    contact = employer_contact_of(apprenticeship)
    answer = api(apprenticeship.apprentice).post(base(apprenticeship) + "training-plan/", {})
    assert answer.status_code == 403
    answer = api(apprenticeship.coach).post(base(apprenticeship) + "training-plan/", {})
    assert answer.status_code == 201 and answer.json()["current"]["number"] == 1
    ksb = Ksb.objects.filter(version=apprenticeship.standard_version, code="CL-K1").get()
    answer = api(apprenticeship.coach).post(base(apprenticeship) + "training-plan/activities/",
                                            {**ACTIVITY, "ksbs": [ksb.pk]})
    assert answer.status_code == 201 and answer.json()["ksbs"] == ["CL-K1"] and answer.json()["counts_as_otj"]
    signatures = base(apprenticeship) + "training-plan/1/signatures/"
    answer = api(contact).post(signatures, {"party": "employer"})
    assert answer.status_code == 400 and "party" in answer.json()
    assert api(apprenticeship.apprentice).post(signatures, {"party": "provider"}).status_code == 403
    for who in (apprenticeship.coach, apprenticeship.apprentice, contact):
        assert api(who).post(signatures, {}).status_code == 201
    data = api(apprenticeship.apprentice).get(base(apprenticeship) + "training-plan/").json()
    assert data["current"]["state"] == "agreed" and data["current"]["next_party"] is None
    assert [row["party"] for row in data["current"]["signatures"]] == ["provider", "apprentice", "employer"]
    assert data["current"]["planned_otj_hours"] == "3.00" and data["versions"][0]["signature_count"] == 3
    answer = api(apprenticeship.coach).post(base(apprenticeship) + "training-plan/activities/", ACTIVITY)
    assert answer.status_code == 400 and "non_field_errors" in answer.json()


def test_bad_activity_input_names_each_field(api, apprenticeship):
    TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=1)
    answer = api(apprenticeship.coach).post(base(apprenticeship) + "training-plan/activities/", {
        **ACTIVITY, "planned_from": "2024-01-01", "ksbs": [999999], "colour": "blue"})
    assert answer.status_code == 400 and set(answer.json()) == {"colour"}  # unknown fields refused first
    answer = api(apprenticeship.coach).post(base(apprenticeship) + "training-plan/activities/", {
        **ACTIVITY, "planned_from": "2024-01-01"})
    assert answer.status_code == 400 and set(answer.json()) == {"planned_from"}
    assert not TrainingPlanActivity.objects.exists()


def test_an_offline_signature_needs_who_when_and_how(api, apprenticeship):
    plan = TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=1)
    TrainingPlanActivityFactory(plan=plan)
    Signature.objects.create(plan_version=plan, party=Party.PROVIDER, signed_by=apprenticeship.coach)
    signatures = base(apprenticeship) + "training-plan/1/signatures/"
    answer = api(apprenticeship.coach).post(signatures, {"method": "offline", "party": "apprentice"})
    assert answer.status_code == 400
    assert set(answer.json()) == {"signatory_name", "obtained_on", "obtained_how"}
    answer = api(apprenticeship.coach).post(signatures, {
        "method": "offline", "party": "apprentice", "signatory_name": "Sam", "obtained_how": "Paper copy",
        "obtained_on": timezone.localdate().isoformat()})
    assert answer.status_code == 201 and answer.json()["method"] == "offline"
    assert api(apprenticeship.coach).post(base(apprenticeship) + "training-plan/9/signatures/", {}).status_code == 404


def test_the_plan_reads_cost_the_same_for_1_or_10_activities(api, apprenticeship, django_assert_num_queries):
    plan = TrainingPlanVersionFactory(apprenticeship=apprenticeship, number=1)
    TrainingPlanActivityFactory(plan=plan)
    client, url = api(apprenticeship.coach), base(apprenticeship) + "training-plan/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    TrainingPlanActivityFactory.create_batch(9, plan=plan)
    with django_assert_num_queries(len(one)):
        assert len(client.get(url).json()["current"]["activities"]) == 10


def test_a_withdrawal_through_the_api_and_the_record_is_locked(api, apprenticeship):
    contact = employer_contact_of(apprenticeship)
    changes = base(apprenticeship) + "changes/"
    assert api(apprenticeship.apprentice).post(changes, {"kind": "withdrawal", "reason": "x",
                                                         "effective_date": "2026-01-01"}).status_code == 403
    answer = api(apprenticeship.coach).post(changes, {"kind": "break_in_learning", "reason": "Illness",
                                                      "effective_date": "2026-01-01"})
    assert answer.status_code == 400 and set(answer.json()) == {"expected_return"}
    answer = api(apprenticeship.coach).post(changes, {"kind": "withdrawal", "reason": "Left",
                                                      "effective_date": "2026-01-01"})
    assert answer.status_code == 201
    change = answer.json()["public_id"]
    answer = api(apprenticeship.coach).post(f"{changes}{change}/decision/", {"approve": True})
    assert answer.status_code == 400  # the requester cannot approve their own request
    answer = api(contact).post(f"{changes}{change}/decision/", {"approve": True})
    assert answer.status_code == 200 and answer.json()["status"] == ChangeStatus.APPROVED
    assert api(contact).post(f"{changes}{change}/process/", {}).status_code == 403
    answer = api(apprenticeship.coach).post(f"{changes}{change}/process/", {})
    assert answer.status_code == 200 and answer.json()["status"] == ChangeStatus.PROCESSED
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.WITHDRAWN
    answer = api(contact).post(base(apprenticeship) + "weekly-hours/", {"hours": "20", "from_date": "2026-02-01"})
    assert answer.status_code == 400 and "locked" in answer.json()["non_field_errors"][0]
    assert [row["kind"] for row in api(contact).get(changes).json()] == ["withdrawal"]
    assert api(contact).post(f"{changes}{uuid.uuid4()}/decision/", {"approve": True}).status_code == 404


def test_weekly_hours_through_the_api(api, apprenticeship):
    contact = employer_contact_of(apprenticeship)
    url = base(apprenticeship) + "weekly-hours/"
    assert api(apprenticeship.apprentice).post(url, {"hours": "20", "from_date": "2026-02-02"}).status_code == 403
    answer = api(contact).post(url, {"hours": "20", "from_date": "2026-02-02"})
    assert answer.status_code == 201 and answer.json() == {"hours": "20.00", "from_date": "2026-02-02"}
    answer = api(contact).post(url, {"hours": "200", "from_date": "2026-03-02"})
    assert answer.status_code == 400 and set(answer.json()) == {"hours"}
    assert WeeklyHours.objects.filter(apprenticeship=apprenticeship).count() == 2
