"""The gateway tab (issue 6 "Gateway"): the checklist with each item's status, reason and evidence; the forms of
each party; signatures in order; confirming the date; certificates streamed only to those who may see them.
Per role: out of reach is a 404, the wrong party a 403, and nothing is written."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import Apprenticeship, EvidenceStatus, GatewayReadiness, OffTheJobEntry, Signature
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, OffTheJobEntryFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_gateway import accepted_evidence, ready_but_unsigned
from carelead.apprenticeships.tests.factories_otj import media, upload  # noqa: F401
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory
from carelead.core.models import AuditEvent
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "media")]


def url(name, apprenticeship, *more):
    return reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id, *more])


def date_post(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_the_tab_shows_every_item_with_its_status_and_reason(client, sign_in):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    html = client.get(url("gateway", apprenticeship)).content.decode()
    for text in ('aria-current="page">Gateway', "Level 4 Diploma in Adult Care achieved", "English", "Maths",
                 "Off-the-job training at or above the minimum", "Portfolio submitted", "Observation scope agreed",
                 "End-point assessment organisation chosen", "Readiness for gateway agreed and signed",
                 "The Diploma is not yet achieved.", "No end-point assessment organisation is chosen yet.",
                 "nhsuk-tag--orange", "nhsuk-tag--green", "Approved: 0.0 hours",
                 "at least one item is accepted and none is waiting for the coach",
                 url("gateway-diploma", apprenticeship),
                 url("apprenticeship-edit", apprenticeship), "Skills coach (training provider)",
                 url("gateway-pack", apprenticeship)):
        assert text in html, text
    assert "Confirm the gateway date" not in html and "Sign the readiness decision" not in html
    assert AuditEvent.objects.filter(action="view", details__tab="gateway").exists()


@pytest.mark.parametrize("name", ["gateway", "gateway-diploma", "gateway-english-maths", "gateway-observation-scope",
                                  "gateway-portfolio", "gateway-sign", "gateway-offline-signature",
                                  "gateway-confirm", "gateway-withdraw-signatures"])
def test_a_coach_of_another_apprentice_and_unrelated_staff_get_404(client, sign_in, name):
    apprenticeship = ApprenticeshipFactory()
    for who in (ApprenticeshipFactory().coach, MembershipFactory()):
        sign_in(who)
        assert client.get(url(name, apprenticeship)).status_code == 404
        if name != "gateway":  # the tab only reads
            assert client.post(url(name, apprenticeship), {"confirm": "on"}).status_code == 404
    assert not GatewayReadiness.objects.exists()


def test_the_certificate_is_a_404_out_of_reach(client, sign_in):
    apprenticeship = ready_but_unsigned()
    sign_in(ApprenticeshipFactory().coach)
    assert client.get(url("gateway-certificate", apprenticeship, "diploma")).status_code == 404


@pytest.mark.parametrize("name", ["gateway-diploma", "gateway-english-maths", "gateway-observation-scope",
                                  "gateway-offline-signature", "gateway-confirm", "gateway-withdraw-signatures"])
def test_the_apprentice_and_employer_cannot_use_the_coachs_forms(client, sign_in, name):
    """Their roles hold no apprenticeship.manage, so these URLs answer 404, as for any record out of reach."""
    apprenticeship = ApprenticeshipFactory()
    for who in (apprenticeship.apprentice, employer_contact_of(apprenticeship)):
        sign_in(who)
        assert client.get(url(name, apprenticeship)).status_code == 404
        assert client.post(url(name, apprenticeship), {"scope": "X"}).status_code == 404
    assert not GatewayReadiness.objects.exists()


def test_only_the_apprentice_declares_the_portfolio(client, sign_in):
    apprenticeship = ApprenticeshipFactory()
    accepted_evidence(apprenticeship)
    for who in (apprenticeship.coach, employer_contact_of(apprenticeship)):
        sign_in(who)
        assert client.get(url("gateway-portfolio", apprenticeship)).status_code == 403
        assert client.post(url("gateway-portfolio", apprenticeship), {"confirm": "on"}).status_code == 403
    assert not GatewayReadiness.objects.exists()


def test_the_coach_records_the_diploma_and_everyone_who_may_see_it_downloads_the_certificate(client, sign_in):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    assert client.get(url("gateway-diploma", apprenticeship)).status_code == 200
    response = client.post(url("gateway-diploma", apprenticeship), {
        **date_post("achieved_on", date(2026, 11, 2)), "seen_version": "1", "certificate": upload("diploma.pdf")})
    assert response.status_code == 302 and response["Location"] == url("gateway", apprenticeship)
    html = client.get(url("gateway", apprenticeship)).content.decode()
    assert "The Diploma is achieved and the certificate is recorded." in html and "2 Nov 2026" in html
    for who in (apprenticeship.coach, apprenticeship.apprentice, employer_contact_of(apprenticeship)):
        sign_in(who)
        response = client.get(url("gateway-certificate", apprenticeship, "diploma"))
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        assert 'attachment; filename="diploma.pdf"' in response["Content-Disposition"]
        assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="export", details__certificate="diploma").count() == 3
    assert client.get(url("gateway-certificate", apprenticeship, "maths")).status_code == 404
    assert client.get(url("gateway-certificate", apprenticeship, "passport")).status_code == 404


def test_bad_input_is_shown_beside_each_field_with_a_summary(client, sign_in):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    html = client.post(url("gateway-diploma", apprenticeship), {
        **date_post("achieved_on", date(2099, 1, 1)), "seen_version": "1",
        "certificate": upload("diploma.exe", b"MZ")}).content.decode()
    assert "There is a problem" in html
    assert html.count("must be today or in the past") == 2 and html.count("must be a PDF") == 2
    assert 'id="id_certificate-error"' in html
    html = client.post(url("gateway-observation-scope", apprenticeship), {"seen_version": "1"}).content.decode()
    assert html.count("Enter the leadership activity to be observed") == 2
    assert not GatewayReadiness.objects.exists()


def test_the_coach_records_the_observation_scope_and_english_and_maths(client, sign_in):
    apprenticeship = ApprenticeshipFactory(english_maths="in_progress")
    sign_in(apprenticeship.coach)
    client.post(url("gateway-observation-scope", apprenticeship), {
        "scope": "Leads the team meeting on the medicines procedure", **date_post("agreed_on", date(2026, 11, 3)),
        "seen_version": "1"})
    client.post(url("gateway-english-maths", apprenticeship), {
        **date_post("english_achieved_on", date(2026, 5, 1)), "english_certificate": upload("english.pdf"),
        "seen_version": "2"})
    html = client.get(url("gateway", apprenticeship)).content.decode()
    assert "Leads the team meeting on the medicines procedure" in html and "3 Nov 2026" in html
    assert "English at Level 2 achieved." in html and url("gateway-certificate", apprenticeship, "english") in html
    assert "Maths at Level 2 is not yet held or achieved" in html


def test_a_stale_form_says_so(client, sign_in):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.coach)
    scope = {"scope": "A", **date_post("agreed_on", date(2026, 11, 3)), "seen_version": "1"}
    assert client.post(url("gateway-observation-scope", apprenticeship), scope).status_code == 302
    html = client.post(url("gateway-observation-scope", apprenticeship), {**scope, "scope": "B"}).content.decode()
    assert "Someone else changed this record" in html and GatewayReadiness.objects.get().observation_scope == "A"


def test_the_apprentice_declares_the_portfolio_complete(client, sign_in):
    apprenticeship = ApprenticeshipFactory()
    sign_in(apprenticeship.apprentice)
    html = client.post(url("gateway-portfolio", apprenticeship), {"confirm": "on"}).content.decode()
    assert "You cannot declare the portfolio complete yet: no item is accepted by the coach yet." in html
    accepted_evidence(apprenticeship)
    assert client.post(url("gateway-portfolio", apprenticeship), {"confirm": "on"}).status_code == 302
    html = client.get(url("gateway", apprenticeship)).content.decode()
    assert "The portfolio is submitted: 1 item accepted." in html and "Declared complete by" in html


def sign(client, sign_in, who, apprenticeship):
    sign_in(who)
    return client.post(url("gateway-sign", apprenticeship), {"confirm": "on"})


def test_the_three_sign_in_order_then_the_coach_confirms_and_otj_is_locked(client, sign_in):
    apprenticeship = ready_but_unsigned()
    employer = employer_contact_of(apprenticeship)
    html = sign(client, sign_in, apprenticeship.apprentice, apprenticeship).content.decode()
    assert "waiting for the training provider to sign first" in html and not Signature.objects.exists()
    sign_in(apprenticeship.coach)
    assert "Sign the readiness decision" in client.get(url("gateway", apprenticeship)).content.decode()
    for who in (apprenticeship.coach, apprenticeship.apprentice, employer):
        assert sign(client, sign_in, who, apprenticeship).status_code == 302
    assert list(Signature.objects.values_list("party", flat=True)) == ["provider", "apprentice", "employer"]
    sign_in(apprenticeship.apprentice)
    assert "Confirm the gateway date" not in client.get(url("gateway", apprenticeship)).content.decode()
    sign_in(apprenticeship.coach)
    html = client.get(url("gateway", apprenticeship)).content.decode()
    assert "Confirm the gateway date" in html and "Record<span" not in html  # signed: the items are frozen
    response = client.post(url("gateway-confirm", apprenticeship), {
        **date_post("gateway_date", date(2026, 11, 20)), "seen_version": "1"})
    assert response.status_code == 302
    assert Apprenticeship.objects.get().gateway_date == date(2026, 11, 20)
    html = client.get(url("gateway", apprenticeship)).content.decode()
    assert "Gateway confirmed on 20 Nov 2026" in html and "Confirm the gateway date" not in html
    assert client.get(url("gateway-observation-scope", apprenticeship)).status_code == 302  # locked
    assert client.get(url("gateway-confirm", apprenticeship)).status_code == 302
    sign_in(apprenticeship.apprentice)
    response = client.post(url("otj-new", apprenticeship), {
        **date_post("entry_date", date(2026, 11, 21)), "hours": "1", "minutes": "0", "activity_type": "self_study",
        "what_learned": "Read the guidance"})
    assert "after the gateway" in response.content.decode()
    assert not OffTheJobEntry.objects.filter(entry_date=date(2026, 11, 21)).exists()


def test_confirming_is_refused_until_ready(client, sign_in):
    apprenticeship = ready_but_unsigned()
    sign_in(apprenticeship.coach)
    html = client.post(url("gateway-confirm", apprenticeship), {
        **date_post("gateway_date", date(2026, 11, 20)), "seen_version": "1"}).content.decode()
    assert "There is a problem" in html and "can be confirmed only when every item is met" in html
    assert Apprenticeship.objects.get().gateway_date is None


def test_the_coach_records_an_offline_signature_with_the_shared_page(client, sign_in):
    apprenticeship = ready_but_unsigned()
    sign(client, sign_in, apprenticeship.coach, apprenticeship)
    html = client.get(url("gateway-offline-signature", apprenticeship)).content.decode()
    assert "Record a signature obtained offline" in html and "gateway readiness decision" in html
    response = client.post(url("gateway-offline-signature", apprenticeship), {
        "party": "apprentice", "signatory_name": "Sam Jones", **date_post("obtained_on", date(2026, 12, 1)),
        "obtained_how": "Signed paper copy"})
    assert response.status_code == 302
    html = client.get(url("gateway", apprenticeship)).content.decode()
    assert "Obtained offline from Sam Jones on 1 Dec 2026" in html


def test_an_unrelated_staff_member_cannot_sign(client, sign_in):
    apprenticeship = ready_but_unsigned()
    assert sign(client, sign_in, MembershipFactory(), apprenticeship).status_code == 404
    assert not Signature.objects.exists()


def test_the_tab_costs_the_same_queries_whatever_the_portfolio_and_otj_sizes(client, sign_in):
    apprenticeship = ready_but_unsigned()
    sign(client, sign_in, apprenticeship.coach, apprenticeship)
    client.get(url("gateway", apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(url("gateway", apprenticeship))
    accepted_evidence(apprenticeship, count=10)
    PortfolioEvidenceFactory.create_batch(5, apprenticeship=apprenticeship, status=EvidenceStatus.DRAFT)
    for day in range(1, 11):
        OffTheJobEntryFactory(apprenticeship=apprenticeship, entry_date=date(2025, 12, day), status="approved")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url("gateway", apprenticeship)).content.decode()
    assert len(many) == len(few) and "Accepted: 11." in html


def test_english_and_maths_ask_only_what_the_enrolment_leaves_open(client, sign_in):
    held = ApprenticeshipFactory(english_maths="held")
    sign_in(held.coach)
    assert url("gateway-english-maths", held) not in client.get(url("gateway", held)).content.decode()
    over_19 = ApprenticeshipFactory(english_maths="not_required_19_plus", english_maths_decision="Agreed: not needed")
    sign_in(over_19.coach)
    html = client.get(url("gateway", over_19)).content.decode()
    assert url("gateway-english-maths", over_19) in html and "Recorded decision: Agreed: not needed" in html
    form = client.get(url("gateway-english-maths", over_19)).content.decode()
    assert "date of birth" in form and "english_certificate" not in form
    client.post(url("gateway-english-maths", over_19), {**date_post("date_of_birth", date(1990, 5, 4)),
                                                         "seen_version": "1"})
    assert "English is not required: the apprentice was 35 at the start" in client.get(
        url("gateway", over_19)).content.decode()


def test_the_coach_withdraws_the_signatures_with_a_reason_and_can_then_correct_the_checklist(client, sign_in):
    apprenticeship = ready_but_unsigned()
    employer = employer_contact_of(apprenticeship)
    for who in (apprenticeship.coach, apprenticeship.apprentice, employer):
        sign(client, sign_in, who, apprenticeship)
    for who in (apprenticeship.apprentice, employer):  # they see the signatures, not the way to withdraw them
        sign_in(who)
        assert url("gateway-withdraw-signatures", apprenticeship) not in client.get(
            url("gateway", apprenticeship)).content.decode()
    sign_in(apprenticeship.coach)
    html = client.get(url("gateway", apprenticeship)).content.decode()
    assert url("gateway-withdraw-signatures", apprenticeship) in html
    assert client.get(url("gateway-observation-scope", apprenticeship)).status_code == 302  # signed: frozen
    html = client.post(url("gateway-withdraw-signatures", apprenticeship), {"reason": ""}).content.decode()
    assert "There is a problem" in html and "Enter why the signatures are withdrawn" in html
    assert Signature.objects.count() == 3
    response = client.post(url("gateway-withdraw-signatures", apprenticeship), {"reason": "Wrong activity agreed"})
    assert response.status_code == 302 and not Signature.objects.exists()
    assert AuditEvent.objects.filter(details__reason="Wrong activity agreed").exists()
    assert client.get(url("gateway-observation-scope", apprenticeship)).status_code == 200  # open again
    html = client.get(url("gateway-withdraw-signatures", apprenticeship)).content.decode()
    assert "nothing to withdraw" in html and "<form" not in html.split("</h1>")[1]
