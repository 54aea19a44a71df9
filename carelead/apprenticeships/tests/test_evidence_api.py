"""The portfolio evidence API: the same reach and parties as the pages (404 out of reach, 403 the
wrong party, 400 per field or for a locked item, 409 stale), multipart files, two-stage mapping by
KSB code and unit number, assessment, unlocking, and the coach's queue in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships.models import EvidenceEvent, EvidenceStatus, MappingStage, PortfolioEvidence
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_otj import PDF, media, upload  # noqa: F401
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped, units_of

pytestmark = pytest.mark.django_db
BODY = {"kind": "reflective_account", "title": "Leading a handover", "occurred_on": "2026-03-02",
        "body": "What happened and what I learned"}


def list_url(apprenticeship):
    return reverse("api:api-evidence-list", args=[apprenticeship.public_id])


def item_url(evidence, name="api-evidence"):
    return reverse(f"api:{name}", args=[evidence.public_id])


def submitted(**fields):
    evidence = PortfolioEvidenceFactory(status=EvidenceStatus.SUBMITTED, submitted_at=timezone.now(), **fields)
    return mapped(evidence, *ksbs_of(evidence.apprenticeship, 1))


def test_the_apprentice_adds_evidence_claiming_ksbs_and_units(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    ksb, unit = ksbs_of(apprenticeship, 1)[0], units_of(apprenticeship, 1)[0]
    response = api(apprenticeship.apprentice).post(list_url(apprenticeship),
                                                   {**BODY, "ksbs": [ksb.code], "units": [unit.position]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["version"] == 1 and response["ETag"] == '"1"'
    assert sorted(m["label"] for m in body["mappings"]) == sorted([ksb.code, f"Unit {unit.position}"])
    assert {m["stage"] for m in body["mappings"]} == {"claimed"}
    assert response["Location"] == item_url(PortfolioEvidence.objects.get())


@pytest.mark.parametrize(("changes", "field"), [
    ({"ksbs": ["NOPE"]}, "ksbs"), ({"units": [999]}, "units"), ({"title": ""}, "title"),
    ({"occurred_on": "2099-01-01"}, "occurred_on"), ({"kind": "poem"}, "kind"), ({"colour": "red"}, "colour"),
    ({"title": "t" * 201}, "title"), ({"reflection_model": "socratic-dialogue"}, "reflection_model"),
])
def test_bad_input_is_400_naming_the_field(api, reference_data, changes, field):
    apprenticeship = ApprenticeshipFactory()
    response = api(apprenticeship.apprentice).post(list_url(apprenticeship), {**BODY, **changes})
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not PortfolioEvidence.objects.exists()


def test_a_file_comes_as_multipart_and_downloads_only_for_those_in_reach(api, reference_data, media):
    apprenticeship = ApprenticeshipFactory()
    client = api(apprenticeship.apprentice)
    response = client.client.post(list_url(apprenticeship), {**BODY, "kind": "file", "file": upload()}, **client.auth)
    assert response.status_code == 201, response.json()
    evidence = PortfolioEvidence.objects.get()
    assert response.json()["file_url"] == item_url(evidence, "api-evidence-file")
    download = client.get(response.json()["file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert api(ApprenticeshipFactory().coach).get(response.json()["file_url"]).status_code == 404


def test_the_wrong_party_is_403_and_out_of_reach_is_404(api, reference_data):
    evidence = submitted()
    apprenticeship = evidence.apprenticeship
    contact = api(employer_contact_of(apprenticeship))
    assert contact.get(item_url(evidence)).status_code == 200
    assert contact.post(list_url(apprenticeship), BODY).status_code == 403
    assert contact.post(item_url(evidence, "api-evidence-assessment"), {"decision": "accepted"}).status_code == 403
    assert api(apprenticeship.coach).post(list_url(apprenticeship), BODY).status_code == 403  # apprentice's kind
    stranger = api(ApprenticeshipFactory().coach)
    assert stranger.get(item_url(evidence)).status_code == 404
    assert stranger.get(list_url(apprenticeship)).status_code == 404
    assert stranger.post(item_url(evidence, "api-evidence-unlock"), {"reason": "x"}).status_code == 404
    assert PortfolioEvidence.objects.get().status == EvidenceStatus.SUBMITTED and not EvidenceEvent.objects.exists()


def test_a_change_names_its_version_and_a_stale_one_is_409(api, reference_data):
    evidence = PortfolioEvidenceFactory()
    client = api(evidence.created_by)
    assert client.patch(item_url(evidence), {"title": "New"}).status_code == 400  # no version given
    response = client.client.patch(item_url(evidence), {"title": "New"}, content_type="application/json",
                                   HTTP_IF_MATCH='"1"', **client.auth)
    assert response.status_code == 200 and response.json()["title"] == "New" and response["ETag"] == '"2"'
    stale = client.patch(item_url(evidence), {"title": "Old", "version": 1})
    assert stale.status_code == 409 and PortfolioEvidence.objects.get().title == "New"


def test_the_full_round_submit_map_assess_unlock(api, reference_data):
    evidence = PortfolioEvidenceFactory()
    apprenticeship = evidence.apprenticeship
    first, second = ksbs_of(apprenticeship, 2)
    unit = units_of(apprenticeship, 1)[0]
    apprentice, coach = api(apprenticeship.apprentice), api(apprenticeship.coach)
    refused = apprentice.post(item_url(evidence, "api-evidence-submit"), {"version": 1})
    assert refused.status_code == 400  # not mapped yet
    apprentice.patch(item_url(evidence), {"ksbs": [first.code], "version": 1})
    assert apprentice.post(item_url(evidence, "api-evidence-submit"), {"version": 2}).json()["status"] == "submitted"
    body = coach.post(item_url(evidence, "api-evidence-mappings"), {"ksb": second.code, "version": 3}).json()
    assert {(m["label"], m["stage"]) for m in body["mappings"]} == {(first.code, "claimed"),
                                                                    (second.code, MappingStage.ADDED_BY_COACH)}
    coach.post(item_url(evidence, "api-evidence-mappings"), {"unit": unit.position, "version": 4})
    both = coach.post(item_url(evidence, "api-evidence-mappings"), {"ksb": first.code, "unit": 1, "version": 5})
    assert both.status_code == 400
    body = coach.post(item_url(evidence, "api-evidence-mapping-remove"), {"ksb": first.code, "version": 5}).json()
    assert sorted(m["label"] for m in body["mappings"]) == sorted([second.code, f"Unit {unit.position}"])
    assert coach.post(item_url(evidence, "api-evidence-assessment"),
                      {"decision": "needs_more_work", "version": 6}).status_code == 400  # feedback required
    body = coach.post(item_url(evidence, "api-evidence-assessment"), {"decision": "accepted", "version": 6}).json()
    assert body["status"] == "accepted" and body["locked_at"] and body["assessed_by"] == apprenticeship.coach.email
    locked = apprentice.patch(item_url(evidence), {"title": "x", "version": 7})
    assert locked.status_code == 400 and "locked" in str(locked.json())
    assert coach.post(item_url(evidence, "api-evidence-unlock"), {"reason": "", "version": 7}).status_code == 400
    body = coach.post(item_url(evidence, "api-evidence-unlock"), {"reason": "Wrong unit", "version": 7}).json()
    assert body["status"] == "submitted" and body["locked_at"] is None
    assert EvidenceEvent.objects.filter(event="unlocked", comment="Wrong unit").exists()


def test_the_list_filters_and_rejects_unknown_values(api, reference_data):
    evidence = submitted()
    PortfolioEvidenceFactory(apprenticeship=evidence.apprenticeship)
    client = api(evidence.apprenticeship.coach)
    body = client.get(list_url(evidence.apprenticeship), {"status": "submitted"}).json()
    assert [row["public_id"] for row in body["results"]] == [str(evidence.public_id)]
    assert client.get(list_url(evidence.apprenticeship), {"kind": "poem"}).status_code == 400


def test_the_coachs_queue_in_constant_queries(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    client = api(apprenticeship.coach)
    submitted(apprenticeship=apprenticeship)
    PortfolioEvidenceFactory(apprenticeship=apprenticeship)  # a draft: not waiting
    client.get(reverse("api:api-evidence-queue"))
    with CaptureQueriesContext(connection) as few:
        body = client.get(reverse("api:api-evidence-queue")).json()
    assert body["count"] == 1
    for _ in range(10):
        mapped(submitted(apprenticeship=apprenticeship), *units_of(apprenticeship, 1))
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("api:api-evidence-queue")).json()
    assert body["count"] == 11 and len(many) == len(few)
    assert api(apprenticeship.apprentice).get(reverse("api:api-evidence-queue")).status_code == 403


def test_the_list_in_constant_queries(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    client = api(apprenticeship.apprentice)
    submitted(apprenticeship=apprenticeship)
    client.get(list_url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(apprenticeship))
    for _ in range(10):
        mapped(submitted(apprenticeship=apprenticeship), *units_of(apprenticeship, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(list_url(apprenticeship)).json()["count"] == 11
    assert len(many) == len(few)


@pytest.mark.parametrize(("name", "body"), [
    ("api-evidence-assessment", {"decision": "accepted"}), ("api-evidence-mappings", {"unit": 1}),
    ("api-evidence-mapping-remove", {"ksb": None}), ("api-evidence-unlock", {"reason": "Mine to change"})])
def test_the_apprentice_never_does_the_coachs_part(api, reference_data, name, body):
    evidence = submitted()
    if name == "api-evidence-unlock":
        PortfolioEvidence.objects.filter(pk=evidence.pk).update(
            status=EvidenceStatus.ACCEPTED, assessed_by=evidence.apprenticeship.coach, locked_at=timezone.now())
    if body.get("ksb", "") is None:
        body = {"ksb": evidence.mappings.get().ksb.code}
    before = PortfolioEvidence.objects.values().get(pk=evidence.pk)
    response = api(evidence.apprenticeship.apprentice).post(item_url(evidence, name), {**body, "version": 1})
    assert response.status_code == 403, response.content
    assert PortfolioEvidence.objects.values().get(pk=evidence.pk) == before
    assert evidence.mappings.count() == 1 and not EvidenceEvent.objects.filter(evidence=evidence).exists()
