"""The practice-record and witness API (practice_api.py): the apprentice's own candidates with their
redacted summaries (nothing identifying in the body), attaching by KSB code and unit number, twice
refused, the witness request returning its link once. Only the apprentice: others who see the
apprenticeship 403, others 404. The list costs the same queries for 3 or 30 records."""

import hashlib
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.accounts.tests.factories import UserFactory
from carelead.apprenticeships.models import EvidenceKind, PortfolioEvidence
from carelead.apprenticeships.practice_evidence import ALREADY_ATTACHED_MESSAGE, NOT_YOURS_MESSAGE
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_portfolio import ksbs_of, units_of
from carelead.apprenticeships.tests.factories_practice import (
    NEEDS, REVIEW, RISK, assert_nothing_identifying, identifiable_person, needs_assessment, plan_review,
    risk_assessment,
)
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory()


@pytest.fixture
def person():
    return identifiable_person()


def records_url(apprenticeship):
    return reverse("api:api-practice-records", args=[apprenticeship.public_id])


def witness_url(apprenticeship):
    return reverse("api:api-witness-testimonies", args=[apprenticeship.public_id])


def test_the_apprentice_lists_their_candidates_with_nothing_identifying(api, apprenticeship, person):
    me = apprenticeship.apprentice
    needs_assessment(person, me, date(2026, 11, 2))
    risk_assessment(person, me, date(2026, 11, 3))
    review = plan_review(person, me, date(2026, 11, 4))
    risk_assessment(person, UserFactory(), date(2026, 11, 5))  # someone else's
    response = api(me).get(records_url(apprenticeship))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and [row["source"] for row in body["results"]] == [REVIEW, RISK, NEEDS]
    first = body["results"][0]
    assert first == {"source": REVIEW, "source_label": "Care plan reviews", "record_id": str(review.public_id),
                     "occurred_on": "2026-11-04", "title": "Reviewed a care and support plan",
                     "summary": first["summary"], "themes": ["Tasks and responsibilities", "Dignity and human rights"]}
    assert_nothing_identifying(response.content.decode(), person)
    audited = AuditEvent.objects.get(action="list", via="api", actor=me)
    assert len(audited.details["practice_records"]) == 3 and f"{REVIEW}:{review.public_id}" in audited.details[
        "practice_records"]


def test_the_list_filters_by_kind_and_dates(api, apprenticeship, person):
    me = apprenticeship.apprentice
    needs_assessment(person, me, date(2026, 11, 2))
    risk_assessment(person, me, date(2026, 11, 3))
    client = api(me)
    assert [row["source"] for row in client.get(records_url(apprenticeship), {"source": RISK}).json()["results"]] == [
        RISK]
    assert [row["source"] for row in client.get(records_url(apprenticeship), {"until": "2026-11-02"}).json()[
        "results"]] == [NEEDS]
    assert client.get(records_url(apprenticeship), {"since": "not a date"}).status_code == 400


def test_attaching_by_code_and_unit_number_returns_the_snapshot(api, apprenticeship, person):
    risk = risk_assessment(person, apprenticeship.apprentice, date(2026, 11, 3))
    ksb, unit = ksbs_of(apprenticeship, 1)[0], units_of(apprenticeship, 1)[0]
    response = api(apprenticeship.apprentice).post(records_url(apprenticeship), {
        "source": RISK, "record_id": str(risk.public_id), "ksbs": [ksb.code], "units": [unit.position]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == EvidenceKind.PRACTICE_RECORD and body["status"] == "draft"
    assert body["title"] == "Assessed a risk" and body["occurred_on"] == "2026-11-03"
    assert body["source_snapshot"]["record_id"] == str(risk.public_id)
    assert body["mappings"] == sorted([ksb.code, f"Unit {unit.position}"])
    assert_nothing_identifying(response.content.decode(), person)
    assert PortfolioEvidence.objects.get().public_id.hex == body["public_id"].replace("-", "")


def test_attaching_twice_or_someone_elses_is_a_400_in_words(api, apprenticeship, person):
    mine, theirs = risk_assessment(person, apprenticeship.apprentice), risk_assessment(person, UserFactory())
    client = api(apprenticeship.apprentice)
    assert client.post(records_url(apprenticeship), {"source": RISK, "record_id": str(mine.public_id)}
                       ).status_code == 201
    again = client.post(records_url(apprenticeship), {"source": RISK, "record_id": str(mine.public_id)})
    assert again.status_code == 400 and again.json() == {"record_id": [ALREADY_ATTACHED_MESSAGE]}
    other = client.post(records_url(apprenticeship), {"source": RISK, "record_id": str(theirs.public_id)})
    assert other.status_code == 400 and other.json() == {"record_id": [NOT_YOURS_MESSAGE]}
    assert PortfolioEvidence.objects.count() == 1


def test_unknown_ksb_codes_and_units_are_named(api, apprenticeship, person):
    risk = risk_assessment(person, apprenticeship.apprentice)
    response = api(apprenticeship.apprentice).post(records_url(apprenticeship), {
        "source": RISK, "record_id": str(risk.public_id), "ksbs": ["NOPE-1"], "units": [999], "colour": "red"})
    assert response.status_code == 400
    assert set(response.json()) == {"colour"}  # unknown fields first: nothing is looked up for a bad body
    response = api(apprenticeship.apprentice).post(records_url(apprenticeship), {
        "source": RISK, "record_id": str(risk.public_id), "ksbs": ["NOPE-1"], "units": [999]})
    assert response.status_code == 400 and "NOPE-1" in response.json()["ksbs"][0] and "999" in response.json()[
        "units"][0]
    assert not PortfolioEvidence.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("coach", 403), ("employer", 403), ("other_coach", 404)])
def test_only_the_apprentice_uses_the_endpoints(api, apprenticeship, person, who, status):
    risk = risk_assessment(person, apprenticeship.apprentice)
    user = {"coach": lambda: apprenticeship.coach, "employer": lambda: employer_contact_of(apprenticeship).user,
            "other_coach": lambda: ApprenticeshipFactory().coach}[who]()
    client = api(user)
    assert client.get(records_url(apprenticeship)).status_code == status
    assert client.post(records_url(apprenticeship), {"source": RISK, "record_id": str(risk.public_id)}
                       ).status_code == status
    assert client.post(witness_url(apprenticeship), {
        "witness_name": "W", "witness_role": "R", "witness_email": "w@example.org", "title": "T",
        "occurred_on": "2026-11-02"}).status_code == status
    assert not PortfolioEvidence.objects.exists()


def test_the_witness_request_returns_the_link_once(api, apprenticeship, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    ksb = ksbs_of(apprenticeship, 1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = api(apprenticeship.apprentice).post(witness_url(apprenticeship), {
            "witness_name": "Wendy Okafor", "witness_role": "Registered Manager",
            "witness_email": "wendy@example.org", "title": "Led the handover", "occurred_on": "2026-11-02",
            "ksbs": [ksb.code]})
    assert response.status_code == 201, response.content
    body = response.json()
    token = body["witness_url"].rstrip("/").rsplit("/", 1)[1]
    evidence = PortfolioEvidence.objects.get()
    assert evidence.witness_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert body["kind"] == "witness_testimony" and body["mappings"] == [ksb.code] and "no-store" in response[
        "Cache-Control"]
    (mail,) = mailoutbox
    assert token in mail.body
    bad = api(apprenticeship.apprentice).post(witness_url(apprenticeship), {
        "witness_name": "Me", "witness_role": "Carer", "witness_email": apprenticeship.apprentice.email,
        "title": "T", "occurred_on": "2026-11-02"})
    assert bad.status_code == 400 and "witness_email" in bad.json()


def test_the_list_costs_the_same_queries_for_3_or_30_records(api, apprenticeship, person):
    me = apprenticeship.apprentice
    for day in (2, 3, 4):
        risk_assessment(person, me, date(2026, 10, day))
    client = api(me)
    client.get(records_url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(records_url(apprenticeship))
    for day in range(1, 10):
        risk_assessment(person, me, date(2026, 9, day))
        plan_review(person, me, date(2026, 9, day))
        needs_assessment(person, me, date(2026, 9, day))
    with CaptureQueriesContext(connection) as many:
        assert client.get(records_url(apprenticeship)).json()["count"] == 30
    assert len(many) == len(few)
