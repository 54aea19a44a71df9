"""The end-point assessor API (issue 6): the coach gives and stops access (201/200; 403 for the other
parties, 404 out of reach, 400 naming the field), every party lists who has access, the assessor reads
their open grants and one gateway portfolio (accepted items only, snapshots, files) within the dates
only (404 otherwise), reads audited, queries flat."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.apprenticeships.models import AssessorAccess, EvidenceKind, EvidenceStatus
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_assessor import assessor_of, grant, passed_epa, past_gateway, today
from carelead.apprenticeships.tests.factories_otj import PDF, media, upload  # noqa: F401 (fixture)
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def apprenticeship(reference_data):
    return past_gateway()


def access_url(apprenticeship):
    return reverse("api:api-assessor-access", args=[apprenticeship.public_id])


def portfolio_url(apprenticeship):
    return reverse("api:api-assessor-portfolio", args=[apprenticeship.public_id])


def accepted(apprenticeship, **fields):
    return PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.ACCEPTED,
                                    assessed_by=apprenticeship.coach, assessed_at=timezone.now(), **fields)


def body(assessor, days=30):
    return {"email": assessor.email, "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=days)).isoformat()}


def test_the_coach_gives_and_stops_access_and_the_assessor_reads_between(api, apprenticeship, media):
    assessor = assessor_of()
    item = mapped(accepted(apprenticeship, kind=EvidenceKind.FILE, file=upload(), file_name="notes.pdf"),
                  *ksbs_of(apprenticeship, 1))
    PortfolioEvidenceFactory(apprenticeship=apprenticeship, title="Still a draft")
    passed_epa(apprenticeship)
    given = api(apprenticeship.coach).post(access_url(apprenticeship), body(assessor))
    assert given.status_code == 201, given.json()
    assert given.json()["assessor_email"] == assessor.email
    reader = api(assessor)
    grants = reader.get(reverse("api:api-assessor-grants")).json()
    assert [row["apprenticeship"] for row in grants] == [str(apprenticeship.public_id)]
    portfolio = reader.get(grants[0]["portfolio_url"]).json()
    assert [row["title"] for row in portfolio["items"]] == [item.title]
    assert portfolio["items"][0]["mappings"][0]["code"] == item.mappings.get().ksb.code
    assert portfolio["epa_overall"] == "distinction"
    download = reader.get(portfolio["items"][0]["file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(actor=assessor, action="list",
                                     subject="apprenticeships.PortfolioEvidence").exists()
    revoke = reverse("api:api-assessor-access-revoke", args=[apprenticeship.public_id, given.json()["public_id"]])
    assert api(apprenticeship.coach).post(revoke, {"reason": "Assessment finished"}).status_code == 200
    assert reader.get(portfolio_url(apprenticeship)).status_code == 404
    assert reader.get(portfolio["items"][0]["file_url"]).status_code == 404
    assert reader.get(reverse("api:api-assessor-grants")).json() == []


def test_a_practice_record_comes_as_its_snapshot(api, apprenticeship):
    assessor = assessor_of()
    accepted(apprenticeship, kind=EvidenceKind.PRACTICE_RECORD, source_key="careplans.review", source_record_id="9",
             source_snapshot={"title": "Care plan review", "summary": "Led it.", "person_id": "must-not-show"})
    grant(apprenticeship, assessor)
    item = api(assessor).get(portfolio_url(apprenticeship)).json()["items"][0]
    assert item["snapshot"]["summary"] == "Led it." and "person_id" not in item["snapshot"]
    assert "source_record_id" not in item and "source_key" not in item


@pytest.mark.parametrize(("starts", "ends"), [(-5, -1), (1, 5)])
def test_outside_the_dates_the_portfolio_is_404(api, apprenticeship, starts, ends):
    assessor = assessor_of()
    grant(apprenticeship, assessor, starts_on=today() + timedelta(days=starts), ends_on=today() + timedelta(days=ends))
    assert api(assessor).get(portfolio_url(apprenticeship)).status_code == 404


@pytest.mark.parametrize("who", ["apprentice", "employer"])
def test_the_apprentice_and_employer_list_but_cannot_give_or_stop(api, apprenticeship, who):
    assessor = assessor_of()
    access = grant(apprenticeship, assessor)
    user = apprenticeship.apprentice if who == "apprentice" else employer_contact_of(apprenticeship).user
    client = api(user)
    assert [row["assessor_name"] for row in client.get(access_url(apprenticeship)).json()] == [assessor.full_name]
    assert client.post(access_url(apprenticeship), body(assessor_of())).status_code == 403
    revoke = reverse("api:api-assessor-access-revoke", args=[apprenticeship.public_id, access.public_id])
    assert client.post(revoke, {"reason": "no"}).status_code == 403
    assert client.get(portfolio_url(apprenticeship)).status_code == 404
    assert AssessorAccess.objects.count() == 1 and AssessorAccess.objects.get().revoked_at is None


def test_another_coach_and_the_assessor_get_404_on_the_coachs_side(api, apprenticeship):
    assessor = assessor_of()
    access = grant(apprenticeship, assessor)
    for user in (ApprenticeshipFactory().coach, assessor):
        client = api(user)
        assert client.get(access_url(apprenticeship)).status_code == 404
        assert client.post(access_url(apprenticeship), body(assessor_of())).status_code == 404
        revoke = reverse("api:api-assessor-access-revoke", args=[apprenticeship.public_id, access.public_id])
        assert client.post(revoke, {"reason": "x"}).status_code == 404
    assert AssessorAccess.objects.count() == 1


def test_bad_input_names_the_field(api, apprenticeship):
    coach = api(apprenticeship.coach)
    too_long = coach.post(access_url(apprenticeship), body(assessor_of(), days=400))
    assert too_long.status_code == 400 and too_long.json()["ends_on"][0].startswith("Access can last at most 6 months")
    response = coach.post(access_url(apprenticeship), {**body(assessor_of()), "email": "nobody@example.com"})
    assert response.status_code == 400 and list(response.json()) == ["email"]
    assert coach.post(access_url(apprenticeship), {**body(assessor_of()), "grade": "x"}).status_code == 400
    assert not AssessorAccess.objects.exists()


def test_the_portfolio_queries_do_not_grow_with_items(api, apprenticeship):
    assessor = assessor_of()
    ksbs = ksbs_of(apprenticeship, 2)
    mapped(accepted(apprenticeship), *ksbs)
    grant(apprenticeship, assessor)
    client = api(assessor)
    client.get(portfolio_url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(portfolio_url(apprenticeship))
    for _ in range(12):
        mapped(accepted(apprenticeship), *ksbs)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(portfolio_url(apprenticeship)).json()["items"]) == 13
    assert len(many.captured_queries) == len(few.captured_queries)
