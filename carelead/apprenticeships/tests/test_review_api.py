"""The progress reviews API: 404 out of reach, 403 for the wrong party, 400 per field, 409 stale, and
the same signing order as the pages."""

import uuid
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carelead.apprenticeships.models import ProgressReview, ReviewStatus
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_reviews import fix_today, signed_review

pytestmark = pytest.mark.django_db
ACTION = {"description": "Complete the safeguarding module", "measure": "Certificate uploaded", "owner": "apprentice",
          "due_on": "2026-01-31"}


def reviews_url(apprenticeship):
    return f"/api/v1/apprenticeships/{apprenticeship.public_id}/reviews/"


def review_url(review, rest=""):
    return f"/api/v1/reviews/{review.public_id}/{rest}"


def write(api, apprenticeship, **body):
    review = ProgressReview.objects.get(apprenticeship=apprenticeship, status=ReviewStatus.DRAFT)
    return api(apprenticeship.coach).patch(review_url(review), {
        "version": review.version, "held_on": "2025-11-20", "progress": "Leads handovers", "actions": [ACTION], **body})


def test_out_of_reach_is_a_404(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    review = signed_review(apprenticeship, held_on=date(2025, 11, 20))
    other = ApprenticeshipFactory(provider=apprenticeship.provider).coach
    assert api(other).get(reviews_url(apprenticeship)).status_code == 404
    assert api(other).post(reviews_url(apprenticeship), {}).status_code == 404
    assert api(other).get(review_url(review)).status_code == 404
    assert api(other).patch(review_url(review), {"version": 1}).status_code == 404
    assert api(other).post(review_url(review, "signatures/"), {}).status_code == 404
    assert api(apprenticeship.coach).get(f"/api/v1/reviews/{uuid.uuid4()}/").status_code == 404


def test_the_list_carries_the_next_due_date_and_costs_the_same_for_1_or_10(api, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory(start_date=date(2025, 8, 1))
    signed_review(apprenticeship, held_on=date(2025, 10, 31), actions=1)
    fix_today(monkeypatch, date(2026, 1, 20))
    client = api(apprenticeship.apprentice)
    client.get(reviews_url(apprenticeship))  # warm the token and content-type caches
    with CaptureQueriesContext(connection) as one:
        data = client.get(reviews_url(apprenticeship)).json()
    assert data["next_review"] == {"due_on": "2026-01-31", "state": "due", "last_held_on": "2025-10-31"}
    assert data["results"][0]["status"] == "signed" and len(data["results"][0]["signatures"]) == 3
    for number in range(2, 11):
        signed_review(apprenticeship, held_on=date(2025, 10, 31), number=number, actions=2)
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(reviews_url(apprenticeship)).json()["results"]) == 10
    assert len(ten) == len(one)


def test_only_the_coach_starts_and_changes_a_review(api, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    contact = employer_contact_of(apprenticeship)
    fix_today(monkeypatch, date(2025, 11, 25))
    assert api(apprenticeship.apprentice).post(reviews_url(apprenticeship), {}).status_code == 403
    assert api(contact).post(reviews_url(apprenticeship), {}).status_code == 403
    created = api(apprenticeship.coach).post(reviews_url(apprenticeship), {})
    assert created.status_code == 201 and created.json()["number"] == 1
    assert created["Location"] == f"/api/v1/reviews/{created.json()['public_id']}/"
    assert created.json()["prefill"]["window"] == {"from": "2025-09-01", "to": "2025-11-25"}
    again = api(apprenticeship.coach).post(reviews_url(apprenticeship), {})
    assert again.status_code == 400 and "not yet signed by all three" in again.json()["non_field_errors"][0]
    review = ProgressReview.objects.get()
    assert api(apprenticeship.apprentice).patch(review_url(review), {"version": 1, "progress": "x"}).status_code == 403


def test_bad_fields_are_400_by_name_and_a_stale_version_is_409(api, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    api(apprenticeship.coach).post(reviews_url(apprenticeship), {})
    bad = write(api, apprenticeship, held_on="2025-11-30", safeguarding_concern=True, colour="red",
                actions=[{**ACTION, "owner": "boss"}])
    assert bad.status_code == 400
    assert set(bad.json()) == {"colour", "actions"}
    bad = write(api, apprenticeship, held_on="2025-11-30", safeguarding_concern=True)
    assert bad.status_code == 400 and set(bad.json()) == {"held_on", "safeguarding_notes"}
    late = write(api, apprenticeship, actions=[{**ACTION, "due_on": "2025-11-20"}])
    assert late.json() == {"actions": ["Action 1: enter a date after the review was held (20 Nov 2025)"]}
    saved = write(api, apprenticeship)
    assert saved.status_code == 200 and saved.json()["version"] == 2
    assert saved.json()["actions"][0]["owner"] == "apprentice"
    review = ProgressReview.objects.get()
    stale = api(apprenticeship.coach).patch(review_url(review), {"version": 1, "progress": "Mine"})
    assert stale.status_code == 409
    assert ProgressReview.objects.get().progress == "Leads handovers"
    kept = api(apprenticeship.coach).patch(review_url(review), {"version": 2, "wellbeing": "Well"})
    assert kept.status_code == 200 and len(kept.json()["actions"]) == 1 and kept.json()["progress"] == "Leads handovers"


def test_signatures_in_order_online_and_offline(api, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    contact = employer_contact_of(apprenticeship)
    fix_today(monkeypatch, date(2025, 11, 25))
    api(apprenticeship.coach).post(reviews_url(apprenticeship), {})
    write(api, apprenticeship)
    review = ProgressReview.objects.get()
    signatures = review_url(review, "signatures/")
    early = api(apprenticeship.apprentice).post(signatures, {})
    assert early.status_code == 400 and "waiting for the skills coach" in early.json()["party"][0]
    assert api(contact).post(signatures, {"party": "apprentice"}).status_code == 403
    assert api(apprenticeship.coach).post(signatures, {}).json()["party"] == "provider"
    offline = api(apprenticeship.coach).post(signatures, {"method": "offline", "party": "apprentice"})
    assert offline.status_code == 400 and set(offline.json()) == {"signatory_name", "obtained_on", "obtained_how"}
    assert api(apprenticeship.apprentice).post(signatures, {"method": "offline", "party": "apprentice",
                                                            "signatory_name": "Me", "obtained_on": "2025-11-21",
                                                            "obtained_how": "Paper"}).status_code == 403
    recorded = api(apprenticeship.coach).post(signatures, {
        "method": "offline", "party": "apprentice", "signatory_name": "Sam Apprentice", "obtained_on": "2025-11-21",
        "obtained_how": "Signed paper copy"})
    assert recorded.status_code == 201 and recorded.json()["method"] == "offline"
    assert api(contact).post(signatures, {}).status_code == 201
    data = api(contact).get(review_url(review)).json()
    assert data["status"] == "signed" and data["status_label"] == "Signed by all three"
    assert api(apprenticeship.coach).patch(review_url(review), {"version": data["version"],
                                                                "progress": "Later"}).status_code == 400


def test_the_pdf_for_anyone_who_sees_the_apprenticeship(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    review = signed_review(apprenticeship, held_on=date(2025, 11, 20))
    response = api(employer_contact_of(apprenticeship)).get(review_url(review, "pdf/"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert api(ApprenticeshipFactory().coach).get(review_url(review, "pdf/")).status_code == 404


def test_the_pdf_may_be_asked_for_by_its_media_type(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    review = signed_review(apprenticeship, held_on=date(2025, 11, 20))
    client = api(apprenticeship.apprentice)
    response = client.client.get(review_url(review, "pdf/"), HTTP_ACCEPT="application/pdf", **client.auth)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    missing = client.client.get(f"/api/v1/reviews/{uuid.uuid4()}/pdf/", HTTP_ACCEPT="application/pdf", **client.auth)
    assert missing.status_code == 404
