"""The OTJ API: the same reach and parties as the pages (404 out of reach, 403 the wrong party,
400 per field, 409 stale), multipart evidence, and the figures with their monthly series."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import OffTheJobEntry, OffTheJobRevision, OtjStatus
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, OffTheJobEntryFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_otj import PDF, a_ksb, media, upload  # noqa: F401

pytestmark = pytest.mark.django_db
BODY = {"entry_date": "2025-10-07", "minutes": 90, "activity_type": "self_study",
        "what_learned": "Read the Care Act guidance on eligibility"}


def entries_url(apprenticeship):
    return reverse("api:api-otj-entries", args=[apprenticeship.public_id])


def entry_url(entry, decision=False):
    return reverse("api:api-otj-decision" if decision else "api:api-otj-entry", args=[entry.public_id])


def test_the_apprentice_logs_an_entry_with_ksb_codes(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    ksb = a_ksb(apprenticeship)
    response = api(apprenticeship.apprentice).post(entries_url(apprenticeship), {**BODY, "ksbs": [ksb.code]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ksbs"] == [ksb.code] and body["status"] == "submitted" and body["version"] == 1
    assert response["Location"] == entry_url(OffTheJobEntry.objects.get()) and response["ETag"] == '"1"'


def test_evidence_comes_as_multipart(api, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    client = api(apprenticeship.apprentice)
    response = client.client.post(entries_url(apprenticeship), {**BODY, "evidence": upload()}, **client.auth)
    assert response.status_code == 201, response.json()
    entry = OffTheJobEntry.objects.get()
    assert response.json()["evidence_url"] == reverse("api:api-otj-evidence", args=[entry.public_id])
    assert (media / entry.evidence.name).read_bytes() == PDF
    download = client.get(response.json()["evidence_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert api(ApprenticeshipFactory().coach).get(response.json()["evidence_url"]).status_code == 404
    bad = client.client.post(entries_url(apprenticeship), {**BODY, "evidence": upload("x.png", PDF)}, **client.auth)
    assert bad.status_code == 400 and "evidence" in bad.json()


@pytest.mark.parametrize(("changes", "field"), [
    ({"entry_date": "2099-01-01"}, "entry_date"), ({"minutes": 0}, "minutes"), ({"minutes": 1441}, "minutes"),
    ({"activity_type": "normal_work"}, "activity_type"), ({"ksbs": ["NOPE"]}, "ksbs"), ({"colour": "red"}, "colour"),
])
def test_bad_input_is_400_naming_the_field(api, reference_data, changes, field):
    apprenticeship = ApprenticeshipFactory()
    response = api(apprenticeship.apprentice).post(entries_url(apprenticeship), {**BODY, **changes})
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not OffTheJobEntry.objects.exists()


def test_out_of_reach_is_404_and_the_wrong_party_403(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    assert api(ApprenticeshipFactory().coach).post(entries_url(apprenticeship), BODY).status_code == 404
    assert api(ApprenticeshipFactory().coach).get(entries_url(apprenticeship)).status_code == 404
    assert api(apprenticeship.coach).post(entries_url(apprenticeship), BODY).status_code == 403
    entry = OffTheJobEntryFactory(apprenticeship=apprenticeship)
    contact = employer_contact_of(apprenticeship)
    assert api(contact).get(entry_url(entry)).status_code == 200
    assert api(contact).post(entry_url(entry, decision=True), {"decision": "approve"}).status_code == 403
    own = api(apprenticeship.apprentice).post(entry_url(entry, decision=True), {"decision": "approve"})
    assert own.status_code == 403
    assert api(ApprenticeshipFactory().coach).get(entry_url(entry)).status_code == 404
    assert OffTheJobEntry.objects.get().status == OtjStatus.SUBMITTED


def test_the_list_is_newest_first_filtered_and_flat_in_queries(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, 1)).ksbs.add(a_ksb(apprenticeship))
    client = api(apprenticeship.coach)
    client.get(entries_url(apprenticeship))
    with CaptureQueriesContext(connection) as one:
        client.get(entries_url(apprenticeship))
    for day in range(2, 11):
        entry = OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 10, day),
                                      status=OtjStatus.APPROVED, decided_by=apprenticeship.coach)
        entry.ksbs.add(a_ksb(apprenticeship))
    with CaptureQueriesContext(connection) as ten:
        body = client.get(entries_url(apprenticeship)).json()
    assert len(one) == len(ten)
    assert [row["entry_date"] for row in body["results"]][:2] == ["2025-10-10", "2025-10-09"]
    approved = client.get(entries_url(apprenticeship), {"status": "approved"}).json()
    assert len(approved["results"]) == 9
    assert client.get(entries_url(apprenticeship), {"status": "lost"}).status_code == 400


def test_a_change_names_its_version_and_a_stale_one_is_409(api, reference_data):
    entry = OffTheJobEntryFactory()
    client = api(entry.apprenticeship.apprentice)
    missing = client.patch(entry_url(entry), {"minutes": 60})
    assert missing.status_code == 400 and "version" in missing.json()
    ok = client.client.patch(entry_url(entry), json.dumps({"minutes": 60}), content_type="application/json",
                             HTTP_IF_MATCH='"1"', **client.auth)
    assert ok.status_code == 200 and ok.json()["minutes"] == 60 and ok["ETag"] == '"2"'
    stale = client.patch(entry_url(entry), {"minutes": 30, "version": 1})
    assert stale.status_code == 409
    assert OffTheJobEntry.objects.get().minutes == 60 and OffTheJobRevision.objects.count() == 1


def test_the_coach_approves_and_returns_with_a_comment(api, reference_data):
    entry = OffTheJobEntryFactory()
    coach = api(entry.apprenticeship.coach)
    refused = coach.post(entry_url(entry, decision=True), {"decision": "return"})
    assert refused.status_code == 400 and "comment" in refused.json()
    assert coach.post(entry_url(entry, decision=True), {"decision": "maybe"}).status_code == 400
    approved = coach.post(entry_url(entry, decision=True), {"decision": "approve", "version": 1})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == entry.apprenticeship.coach.email
    assert coach.post(entry_url(entry, decision=True), {"decision": "approve", "version": 1}).status_code == 400
    locked = api(entry.apprenticeship.apprentice).patch(entry_url(entry), {"minutes": 30, "version": 2})
    assert locked.status_code == 400


def test_the_figures_give_the_numbers_and_the_months(api, reference_data):
    apprenticeship = ApprenticeshipFactory(start_date=date(2023, 1, 1), practical_period_end=date(2023, 12, 31),
                                           hours=30)
    OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2023, 1, 10), minutes=120,
                          status=OtjStatus.APPROVED)
    body = api(apprenticeship.apprentice).get(
        reverse("api:api-otj-figures", args=[apprenticeship.public_id])).json()
    assert body["required"] == "278.49" and body["actual"] == "2.0" and body["expected"] == "278.5"
    assert body["plan_state"] == "none" and len(body["months"]) == 12
    assert body["months"][0] == {"year": 2023, "month": 1, "until": "2023-01-31", "actual": "2.0",
                                 "expected": "23.0", "planned": "0.0"}  # 278.49 x 30 / 364
    assert any(flag["code"] == "forecast_below_required" for flag in body["flags"])
    assert api(ApprenticeshipFactory().coach).get(
        reverse("api:api-otj-figures", args=[apprenticeship.public_id])).status_code == 404
