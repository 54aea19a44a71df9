"""GET apprenticeships/<id>/coverage/: counts and status per KSB and unit, the summary; per role; flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import EvidenceStatus
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of, staff_of
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped, units_of
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(apprenticeship):
    return reverse("api:api-coverage", args=[apprenticeship.public_id])


def item(apprenticeship, status, *targets):
    return mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=status,
                                           assessed_by=apprenticeship.coach), *targets)


def test_each_ksb_and_unit_with_counts_status_and_the_summary(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    k1, k2 = ksbs_of(apprenticeship, 2)
    [unit] = units_of(apprenticeship, 1)
    item(apprenticeship, EvidenceStatus.ACCEPTED, k1, unit)
    item(apprenticeship, EvidenceStatus.NEEDS_MORE_WORK, k1, k2)
    response = api(apprenticeship.apprentice).get(url(apprenticeship))
    assert response.status_code == 200
    body = response.json()
    rows = {row["code"]: row for row in body["ksbs"]}
    assert (rows[k1.code]["claimed"], rows[k1.code]["accepted"], rows[k1.code]["status"]) == (1, 1, "accepted")
    assert (rows[k2.code]["claimed"], rows[k2.code]["status"]) == (1, "claimed")
    assert all(row["status"] == "missing" for code, row in rows.items() if code not in (k1.code, k2.code))
    units = {row["code"]: row for row in body["units"]}
    assert units[f"Unit {unit.position}"]["status"] == "accepted"
    assert units[f"Unit {unit.position}"]["mandatory"] is unit.mandatory
    assert body["overall"]["total"] == len(body["ksbs"]) and body["overall"]["accepted"] == 1
    assert [kind["kind"] for kind in body["by_kind"]] == ["knowledge", "skill", "behaviour"]
    assert AuditEvent.objects.filter(details__tab="coverage", details__api=True).exists()


def test_gaps_lists_only_the_gaps_and_the_summary_counts_all(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    [k1] = ksbs_of(apprenticeship, 1)
    item(apprenticeship, EvidenceStatus.SUBMITTED, k1)
    body = api(apprenticeship.coach).get(url(apprenticeship), {"gaps": "true"}).json()
    assert k1.code not in {row["code"] for row in body["ksbs"]}
    assert body["gaps_only"] is True and body["overall"]["claimed"] == 1


@pytest.mark.parametrize("who", ["apprentice", "coach", "employer_contact"])
def test_the_parties_read_it(api, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = employer_contact_of(apprenticeship).user if who == "employer_contact" else getattr(apprenticeship, who)
    assert api(user).get(url(apprenticeship)).status_code == 200


@pytest.mark.parametrize("who", ["other_coach", "unrelated_staff"])
def test_anyone_else_gets_404(api, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = ApprenticeshipFactory().coach if who == "other_coach" else staff_of().user
    assert api(user).get(url(apprenticeship)).status_code == 404


def test_the_same_queries_for_3_or_30_items(api, reference_data):
    apprenticeship = ApprenticeshipFactory()
    ksbs, units = ksbs_of(apprenticeship, 5), units_of(apprenticeship, 2)
    for n in range(3):
        item(apprenticeship, EvidenceStatus.ACCEPTED, ksbs[n], units[n % 2])
    client = api(apprenticeship.coach)
    client.get(url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(url(apprenticeship))
    for n in range(27):
        item(apprenticeship, EvidenceStatus.SUBMITTED, ksbs[n % 5], units[n % 2])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(apprenticeship)).status_code == 200
    assert len(many) == len(few)
