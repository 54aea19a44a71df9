"""The KSB coverage tab: who may see it, what it shows, and that it costs the same queries for 3 or 30
items of evidence."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships import coverage, coverage_selectors
from carelead.apprenticeships.models import EvidenceStatus, Ksb, QualificationUnit
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of, staff_of
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory, ksbs_of, mapped, units_of
from carelead.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(apprenticeship):
    return reverse("apprenticeships:coverage", args=[apprenticeship.public_id])


def accepted(apprenticeship, *targets, **fields):
    item = PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.ACCEPTED,
                                    assessed_by=apprenticeship.coach, **fields)
    return mapped(item, *targets)


def test_the_item_statuses_coverage_reads_are_the_portfolios():
    assert coverage.ITEM_ACCEPTED == EvidenceStatus.ACCEPTED
    assert coverage.ITEM_CLAIMING == {EvidenceStatus.SUBMITTED, EvidenceStatus.NEEDS_MORE_WORK}


def test_the_apprentice_sees_claimed_accepted_and_gaps_in_words(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    k1, k2, _k3 = ksbs_of(apprenticeship, 3)
    unit = units_of(apprenticeship, 1)[0]
    accepted(apprenticeship, k1, unit, title="Led a care plan review")
    mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.SUBMITTED,
                                    title="Reflection on a handover"), k2)
    sign_in(apprenticeship.apprentice)
    response = client.get(url(apprenticeship))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ('aria-current="page">KSB coverage', "Led a care plan review", "Reflection on a handover",
                 "Gap: no evidence yet", "Claimed (working towards)", 'role="img"', "Diploma units", "Mandatory",
                 reverse("apprenticeships:evidence-detail", args=[item_id(apprenticeship, "Led a care plan review")])):
        assert text in html, text
    result = coverage_selectors.coverage_of(apprenticeship)
    rows = {row.target.code: row for row in result.ksbs}
    assert (rows[k1.code].status, rows[k2.code].status) == (coverage.ACCEPTED, coverage.CLAIMED)
    assert result.units[0].status == coverage.ACCEPTED
    assert AuditEvent.objects.filter(action="view", details__tab="coverage",
                                     actor=apprenticeship.apprentice).exists()


def item_id(apprenticeship, title):
    return apprenticeship.evidence.get(title=title).public_id


def test_claimed_on_one_item_and_accepted_on_another_is_accepted_from_the_database(reference_data):
    apprenticeship = ApprenticeshipFactory()
    [k1] = ksbs_of(apprenticeship, 1)
    mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=EvidenceStatus.NEEDS_MORE_WORK), k1)
    accepted(apprenticeship, k1)
    mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship), k1)  # a draft: not counted
    row = next(row for row in coverage_selectors.coverage_of(apprenticeship).ksbs if row.target.code == k1.code)
    assert (row.claimed, row.accepted, row.status) == (1, 1, coverage.ACCEPTED)


def test_a_retired_ksb_is_left_out_even_with_evidence(reference_data):
    apprenticeship = ApprenticeshipFactory()
    [k1] = ksbs_of(apprenticeship, 1)
    accepted(apprenticeship, k1)
    Ksb.objects.filter(pk=k1.pk).update(retired=True)
    result = coverage_selectors.coverage_of(apprenticeship)
    assert k1.code not in {row.target.code for row in result.ksbs}
    assert result.overall.accepted == 0


def test_a_retired_unit_is_left_out_even_with_evidence(reference_data):
    apprenticeship = ApprenticeshipFactory()
    first, second = units_of(apprenticeship, 2)
    accepted(apprenticeship, first, second)
    QualificationUnit.objects.filter(pk=first.pk).update(retired=True)
    result = coverage_selectors.coverage_of(apprenticeship)
    listed = {row.target.key: row for row in result.units}
    assert coverage_selectors.unit_key(first.pk) not in listed
    assert listed[coverage_selectors.unit_key(second.pk)].accepted == 1
    assert result.units_summary.accepted == 1 and result.units_summary.total == len(result.units)


def test_another_apprentices_evidence_is_not_counted(reference_data):
    apprenticeship, other = ApprenticeshipFactory(), ApprenticeshipFactory()
    [k1] = ksbs_of(apprenticeship, 1)
    accepted(other, k1)
    assert coverage_selectors.coverage_of(apprenticeship).overall.accepted == 0


def test_only_gaps_lists_the_gaps(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    k1, k2 = ksbs_of(apprenticeship, 2)
    accepted(apprenticeship, k1)
    sign_in(apprenticeship.coach)
    html = client.get(url(apprenticeship), {"show": "gaps"}).content.decode()
    assert f">{k2.code}</th>" in html and f">{k1.code}</th>" not in html
    assert "Showing only gaps: 1 with evidence is hidden" in html


@pytest.mark.parametrize("who", ["apprentice", "coach", "employer_contact"])
def test_the_parties_see_the_coverage(client, sign_in, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = employer_contact_of(apprenticeship).user if who == "employer_contact" else getattr(apprenticeship, who)
    sign_in(user)
    assert client.get(url(apprenticeship)).status_code == 200


@pytest.mark.parametrize("who", ["other_coach", "unrelated_staff", "staff_of_the_employer"])
def test_anyone_else_gets_404(client, sign_in, reference_data, who):
    apprenticeship = ApprenticeshipFactory()
    user = {"other_coach": lambda: ApprenticeshipFactory().coach,
            "unrelated_staff": lambda: staff_of().user,
            "staff_of_the_employer": lambda: staff_of(apprenticeship.employer).user}[who]()
    sign_in(user)
    assert client.get(url(apprenticeship)).status_code == 404
    assert not AuditEvent.objects.filter(details__tab="coverage").exists()


def test_the_tab_costs_the_same_queries_for_3_or_30_items(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    ksbs, units = ksbs_of(apprenticeship, 6), units_of(apprenticeship, 2)
    for n in range(3):
        accepted(apprenticeship, ksbs[n % 6], units[n % 2])
    sign_in(apprenticeship.coach)
    client.get(url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(url(apprenticeship))
    for n in range(27):
        status = EvidenceStatus.SUBMITTED if n % 2 else EvidenceStatus.ACCEPTED
        mapped(PortfolioEvidenceFactory(apprenticeship=apprenticeship, status=status,
                                        assessed_by=apprenticeship.coach), ksbs[n % 6], ksbs[(n + 1) % 6], units[n % 2])
    with CaptureQueriesContext(connection) as many:
        html = client.get(url(apprenticeship)).content.decode()
    assert len(many) == len(few)
    assert "more</li>" in html  # only a few items are listed per KSB, the rest counted


def test_without_a_diploma_the_page_says_so_and_lists_no_units(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory(qualification=None)
    sign_in(apprenticeship.apprentice)
    html = client.get(url(apprenticeship)).content.decode()
    assert "No Diploma is recorded for this apprenticeship." in html
    assert coverage_selectors.coverage_of(apprenticeship).units == []
