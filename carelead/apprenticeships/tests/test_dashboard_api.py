"""The dashboards' API: the caseload rows with the page's filters, and one apprenticeship's progress."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carelead.apprenticeships import rules
from carelead.apprenticeships.models import (
    ActionOwner, OtjStatus, ReviewAction, ReviewStatus, SessionAttendee,
)
from carelead.apprenticeships.tests.factories import (
    ApprenticeshipFactory, OffTheJobEntryFactory, ProgressReviewFactory, TrainingSessionFactory, employer_contact_of,
    staff_of,
)
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db
CASELOAD = "/api/v1/caseload/"


def progress_url(a) -> str:
    return f"/api/v1/apprenticeships/{a.public_id}/progress/"


def on_programme(months_in: int, **kwargs):
    start = timezone.localdate() - timedelta(days=30 * months_in)
    return ApprenticeshipFactory(start_date=start, practical_period_end=start + timedelta(days=548), **kwargs)


def test_the_caseload_api_lists_a_coachs_own_apprentices_with_their_status(api, reference_data):
    mine = on_programme(12, apprentice__full_name="Bea Behind")
    fresh = on_programme(1, coach=mine.coach, provider=mine.provider, memberships=False,
                         apprentice__full_name="Cal Fresh")
    on_programme(6)  # another coach's
    body = api(mine.coach).get(CASELOAD).json()
    assert body["count"] == 2 and body["computed_all"] is True
    assert [row["apprentice_name"] for row in body["results"]] == ["Bea Behind", "Cal Fresh"]
    row = body["results"][0]
    assert row["apprenticeship"] == str(mine.public_id) and row["rag"] == rules.RED
    assert row["otj_percent"] is None and row["otj_required_hours"] is None and row["otj_required_reason"]
    assert row["ksbs_evidenced"] == 0 and row["ksbs_total"] > 0 and row["next_review_state"] == rules.OVERDUE
    body = api(mine.coach).get(CASELOAD, {"rag": rules.GREEN}).json()
    assert [row["apprenticeship"] for row in body["results"]] == [str(fresh.public_id)]
    body = api(mine.coach).get(CASELOAD, {"sort": "time"}).json()
    assert body["results"][0]["apprentice_name"] == "Bea Behind"
    assert AuditEvent.objects.filter(subject="apprenticeships.Apprenticeship", details__view="api-caseload").exists()


def test_the_caseload_api_costs_the_same_queries_for_1_or_10(api, reference_data):
    first = on_programme(8)
    client = api(first.coach)
    client.get(CASELOAD)
    with CaptureQueriesContext(connection) as one:
        assert client.get(CASELOAD).status_code == 200
    for n in range(9):
        other = on_programme(n + 1, coach=first.coach, provider=first.provider, memberships=False)
        for day in range(3):
            OffTheJobEntryFactory(apprenticeship=other, status=OtjStatus.APPROVED,
                                  entry_date=other.start_date + timedelta(days=day))
    with CaptureQueriesContext(connection) as ten:
        assert client.get(CASELOAD).json()["count"] == 10
    assert len(one) == len(ten)


def test_an_employer_contact_sees_their_organisations_caseload_and_a_care_worker_nothing(api, reference_data):
    ours = on_programme(6)
    on_programme(6)
    contact = employer_contact_of(ours)
    assert [row["apprenticeship"] for row in api(contact).get(CASELOAD).json()["results"]] == [str(ours.public_id)]
    assert api(staff_of(ours.employer)).get(CASELOAD).json()["count"] == 0


def test_progress_gives_the_apprentice_dashboard_numbers(api, reference_data):
    a = on_programme(6)
    now = timezone.now()
    session = TrainingSessionFactory(provider=a.provider, title="Teams coaching", starts_at=now + timedelta(days=1))
    SessionAttendee.objects.create(session=session, apprenticeship=a)
    review = ProgressReviewFactory(apprenticeship=a, status=ReviewStatus.SIGNED,
                                   held_on=timezone.localdate() - timedelta(days=10))
    ReviewAction.objects.create(review=review, description="Read the Care Act guidance", measure="Notes",
                                owner=ActionOwner.APPRENTICE, due_on=timezone.localdate() - timedelta(days=1))
    for who in (a.apprentice, a.coach, employer_contact_of(a)):
        response = api(who).get(progress_url(a))
        assert response.status_code == 200, who
    body = response.json()
    assert body["apprenticeship"] == str(a.public_id) and body["next_session"]["title"] == "Teams coaching"
    assert body["next_session"]["join_url"].startswith("https://teams.microsoft.com/")
    assert body["actions_due"] == [{"description": "Read the Care Act guidance", "owner": "apprentice",
                                    "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "overdue": True}]
    assert body["last_review_on"] == review.held_on.isoformat() and body["reviews_awaiting_apprentice"] == 0


def test_progress_is_404_out_of_reach_or_made_up(api, reference_data):
    a = on_programme(6)
    other = on_programme(6, coach=a.coach, provider=a.provider, memberships=False)
    assert api(other.apprentice).get(progress_url(a)).status_code == 404
    assert api(on_programme(3).coach).get(progress_url(a)).status_code == 404
    assert api(staff_of(a.employer)).get(progress_url(a)).status_code == 404
    assert api(a.coach).get(f"/api/v1/apprenticeships/{uuid4()}/progress/").status_code == 404
