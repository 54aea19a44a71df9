"""The gateway API: the same reach and parties as the pages (404 out of reach, 403 the wrong party, 400 per field,
409 stale), items with their reasons, multipart certificates, signatures in order, and confirming the date."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import Apprenticeship, GatewayReadiness, Signature
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, OffTheJobEntryFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_gateway import accepted_evidence, ready_but_unsigned
from carelead.apprenticeships.tests.factories_otj import PDF, media, upload  # noqa: F401
from carelead.core.models import AuditEvent
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "media")]


def gateway_url(apprenticeship, name="api-gateway", *more):
    return reverse(f"api:{name}", args=[apprenticeship.public_id, *more])


def item_url(apprenticeship, item):
    return gateway_url(apprenticeship, "api-gateway-item", item)


def test_the_checklist_reads_as_items_with_reasons_evidence_and_signatures(api):
    apprenticeship = ready_but_unsigned()
    response = api(apprenticeship.apprentice).get(gateway_url(apprenticeship))
    assert response.status_code == 200
    body = response.json()
    assert [(item["key"], item["met"]) for item in body["items"]] == [
        ("diploma", True), ("english", True), ("maths", True), ("otj", True), ("portfolio", True),
        ("observation_scope", True), ("epao", True), ("readiness", False)]
    assert body["items"][-1]["reason"] == "Waiting for the employer, the training provider and the apprentice to sign."
    assert body["ready"] is False and body["waiting_for"] == "provider" and body["gateway_date"] is None
    assert body["evidence"]["otj"] == {"actual_hours": "192.0", "minimum_hours": "187.00", "minimum_reason": ""}
    assert body["evidence"]["portfolio"]["accepted"] == 1 and body["evidence"]["portfolio"]["declared_at"]
    assert body["evidence"]["diploma"]["certificate_url"] == gateway_url(apprenticeship, "api-gateway-certificate",
                                                                         "diploma")
    assert [signature["signed"] for signature in body["signatures"]] == [False, False, False]
    assert AuditEvent.objects.filter(action="view", details__tab="gateway", via="api").exists()


@pytest.mark.parametrize("who", ["other coach", "unrelated"])
def test_out_of_reach_is_404_everywhere(api, who):
    apprenticeship = ready_but_unsigned()
    client = api(ApprenticeshipFactory().coach if who == "other coach" else MembershipFactory())
    assert client.get(gateway_url(apprenticeship)).status_code == 404
    assert client.get(gateway_url(apprenticeship, "api-gateway-certificate", "diploma")).status_code == 404
    assert client.post(item_url(apprenticeship, "observation-scope"),
                       {"scope": "X", "agreed_on": "2026-11-03"}).status_code == 404
    assert client.post(gateway_url(apprenticeship, "api-gateway-signatures"), {}).status_code == 404
    assert client.post(gateway_url(apprenticeship, "api-gateway-confirm"),
                       {"gateway_date": "2026-11-20", "version": 1}).status_code == 404
    assert not Signature.objects.exists()


def test_the_coach_records_the_diploma_with_a_multipart_certificate(api):
    apprenticeship = ApprenticeshipFactory()
    client = api(apprenticeship.coach)
    response = client.client.post(item_url(apprenticeship, "diploma"),
                                  {"achieved_on": "2026-11-02", "certificate": upload("diploma.pdf")}, **client.auth)
    assert response.status_code == 200, response.json()
    assert response.json()["items"][0]["met"] is True
    download = client.get(response.json()["evidence"]["diploma"]["certificate_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    bad = client.client.post(item_url(apprenticeship, "diploma"),
                             {"achieved_on": "2099-01-01", "certificate": upload("x.png", PDF)}, **client.auth)
    assert bad.status_code == 400 and set(bad.json()) == {"achieved_on", "certificate"}


@pytest.mark.parametrize(("item", "body"), [
    ("diploma", {"achieved_on": "2026-11-02"}), ("observation-scope", {"scope": "X", "agreed_on": "2026-11-03"}),
    ("english-maths", {"date_of_birth": "1990-01-01"}),
])
def test_the_apprentice_and_employer_cannot_record_the_coachs_items(api, item, body):
    apprenticeship = ApprenticeshipFactory()
    for who in (apprenticeship.apprentice, employer_contact_of(apprenticeship)):
        assert api(who).post(item_url(apprenticeship, item), body).status_code == 403
    assert not GatewayReadiness.objects.exists()


def test_only_the_apprentice_declares_the_portfolio(api):
    apprenticeship = ApprenticeshipFactory()
    accepted_evidence(apprenticeship)
    assert api(apprenticeship.coach).post(item_url(apprenticeship, "portfolio"), {}).status_code == 403
    response = api(apprenticeship.apprentice).post(item_url(apprenticeship, "portfolio"), {})
    assert response.status_code == 200 and response.json()["items"][4]["met"] is True


def test_an_unknown_item_or_field_is_refused(api):
    apprenticeship = ApprenticeshipFactory()
    client = api(apprenticeship.coach)
    assert client.post(item_url(apprenticeship, "passport"), {}).status_code == 404
    response = client.post(item_url(apprenticeship, "observation-scope"),
                           {"scope": "X", "agreed_on": "2026-11-03", "gateway_date": "2026-11-03"})
    assert response.status_code == 400 and "gateway_date" in response.json()


def test_a_stale_version_is_409(api):
    apprenticeship = ApprenticeshipFactory()
    client = api(apprenticeship.coach)
    body = {"scope": "A", "agreed_on": "2026-11-03", "version": 1}
    assert client.post(item_url(apprenticeship, "observation-scope"), body).status_code == 200
    assert client.post(item_url(apprenticeship, "observation-scope"), {**body, "scope": "B"}).status_code == 409
    assert GatewayReadiness.objects.get().observation_scope == "A"


def test_signatures_in_order_offline_then_confirm_and_otj_is_locked(api):
    apprenticeship = ready_but_unsigned()
    employer = employer_contact_of(apprenticeship)
    signatures = gateway_url(apprenticeship, "api-gateway-signatures")
    refused = api(apprenticeship.apprentice).post(signatures, {})
    assert refused.status_code == 400 and "waiting for the training provider" in refused.json()["party"][0]
    assert api(apprenticeship.coach).post(signatures, {}).status_code == 201
    offline = {"offline": True, "party": "apprentice", "signatory_name": "Sam Jones", "obtained_on": "2026-12-01",
               "obtained_how": "Signed paper copy"}
    assert api(employer).post(signatures, offline).status_code == 403
    assert api(apprenticeship.coach).post(signatures, offline).status_code == 201
    body = api(employer).post(signatures, {}).json()
    assert [signature["method"] for signature in body["signatures"]] == ["online", "offline", "online"]
    assert body["ready"] is True
    confirm = gateway_url(apprenticeship, "api-gateway-confirm")
    assert api(apprenticeship.apprentice).post(confirm, {"gateway_date": "2026-11-20", "version": 1}).status_code == 403
    assert api(apprenticeship.coach).post(confirm, {"gateway_date": "2026-11-20", "version": 9}).status_code == 409
    response = api(apprenticeship.coach).post(confirm, {"gateway_date": "2026-11-20", "version": 1})
    assert response.status_code == 200 and response.json()["gateway_date"] == "2026-11-20"
    assert Apprenticeship.objects.get().gateway_date == date(2026, 11, 20)
    logged = api(apprenticeship.apprentice).post(reverse("api:api-otj-entries", args=[apprenticeship.public_id]), {
        "entry_date": "2026-11-21", "minutes": 60, "activity_type": "self_study", "what_learned": "Read"})
    assert logged.status_code == 400 and "entry_date" in logged.json()
    locked = api(apprenticeship.coach).post(item_url(apprenticeship, "observation-scope"),
                                            {"scope": "X", "agreed_on": "2026-11-03"})
    assert locked.status_code == 400


def test_confirming_is_refused_until_ready(api):
    apprenticeship = ready_but_unsigned()
    response = api(apprenticeship.coach).post(gateway_url(apprenticeship, "api-gateway-confirm"),
                                              {"gateway_date": "2026-11-20", "version": 1})
    assert response.status_code == 400 and Apprenticeship.objects.get().gateway_date is None


def test_the_read_costs_the_same_queries_whatever_the_sizes(api):
    apprenticeship = ready_but_unsigned()
    client = api(apprenticeship.coach)
    client.get(gateway_url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(gateway_url(apprenticeship))
    accepted_evidence(apprenticeship, count=8)
    for day in range(1, 9):
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 12, day), status="approved")
    with CaptureQueriesContext(connection) as many:
        body = client.get(gateway_url(apprenticeship)).json()
    assert len(many) == len(few) and body["evidence"]["portfolio"]["accepted"] == 9


def test_english_and_maths_sent_without_the_date_of_birth_keep_the_one_recorded(api):
    # A partial body records what it names: an API client sending only English must not erase the date of birth
    # that decides whether English and maths are required (§2.1).
    apprenticeship = ApprenticeshipFactory(english_maths="in_progress")
    client = api(apprenticeship.coach)
    assert client.post(item_url(apprenticeship, "english-maths"), {"date_of_birth": "2008-03-01"}).status_code == 200
    response = client.client.post(item_url(apprenticeship, "english-maths"), {
        "english_achieved_on": "2026-06-01", "english_certificate": upload("english.pdf")}, **client.auth)
    assert response.status_code == 200, response.content
    readiness = GatewayReadiness.objects.get()
    assert readiness.apprentice_date_of_birth == date(2008, 3, 1) and readiness.english_achieved_on == date(2026, 6, 1)
    assert client.post(item_url(apprenticeship, "english-maths"),
                       {"date_of_birth": None}).status_code == 200  # null clears it, on purpose
    assert GatewayReadiness.objects.get().apprentice_date_of_birth is None
