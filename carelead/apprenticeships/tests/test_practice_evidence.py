"""Practice records as portfolio evidence (issue 6, DESIGN.md "Practice becomes evidence"): only the
apprentice's own records, attached once, as a redacted snapshot that later edits and deletion never
change; nothing identifying the person supported reaches the portfolio, the pages or the API. Per
role: out of reach 404, the wrong party 403. The candidates page costs the same queries for 3 or 30."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from carelead.accounts.tests.factories import UserFactory
from carelead.apprenticeships import practice_evidence
from carelead.apprenticeships.models import (
    ApprenticeshipStatus, EvidenceEvent, EvidenceKind, EvidenceMapping, EvidenceStatus, Ksb, PortfolioEvidence,
    Qualification, QualificationUnit,
)
from carelead.apprenticeships.practice_evidence import ALREADY_ATTACHED_MESSAGE, NOT_YOURS_MESSAGE
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_portfolio import ksbs_of, units_of
from carelead.apprenticeships.tests.factories_practice import (
    NEEDS, REVIEW, RISK, assert_nothing_identifying, identifiable_person, identifying, needs_assessment, plan_review,
    risk_assessment,
)
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory(apprentice=UserFactory(full_name="Ada Pennywhistle"),
                                 coach=UserFactory(full_name="Cora Brightwater"))


@pytest.fixture
def person():
    return identifiable_person()


def attach(apprenticeship, record, key, **kwargs):
    return practice_evidence.attach_practice_record(
        actor=Actor(user=apprenticeship.apprentice), apprenticeship=apprenticeship, key=key,
        record_id=str(record.public_id), **kwargs)


def practice_url(apprenticeship):
    return reverse("apprenticeships:evidence-practice", args=[apprenticeship.public_id])


# --- Whose records, and which are candidates --------------------------------------------------


def test_candidates_are_the_apprentices_own_records_newest_first_less_those_attached(apprenticeship, person):
    me = apprenticeship.apprentice
    needs = needs_assessment(person, me, date(2026, 11, 2))
    risk = risk_assessment(person, me, date(2026, 11, 3))
    review = plan_review(person, me, date(2026, 11, 4))
    needs_assessment(person, UserFactory(), date(2026, 11, 5))  # someone else's
    found = practice_evidence.candidate_records(apprenticeship)
    assert [(item.source, item.record_id) for item in found] == [
        (REVIEW, str(review.public_id)), (RISK, str(risk.public_id)), (NEEDS, str(needs.public_id))]
    attach(apprenticeship, risk, RISK)
    assert [item.source for item in practice_evidence.candidate_records(apprenticeship)] == [REVIEW, NEEDS]


def test_candidates_filter_by_kind_and_inclusive_dates(apprenticeship, person):
    me = apprenticeship.apprentice
    needs_assessment(person, me, date(2026, 11, 2))
    risk_assessment(person, me, date(2026, 11, 3))
    plan_review(person, me, date(2026, 11, 4))
    assert [item.source for item in practice_evidence.candidate_records(apprenticeship, source=RISK)] == [RISK]
    assert [item.source for item in practice_evidence.candidate_records(
        apprenticeship, since=date(2026, 11, 3), until=date(2026, 11, 3))] == [RISK]
    assert [item.source for item in practice_evidence.candidate_records(
        apprenticeship, since=date(2026, 11, 3))] == [REVIEW, RISK]
    assert practice_evidence.candidate_records(apprenticeship, source="no.such_source") == []


# --- Attaching ---------------------------------------------------------------------------------


def test_attaching_keeps_a_snapshot_claims_mappings_and_records_the_event_and_audit(apprenticeship, person):
    risk = risk_assessment(person, apprenticeship.apprentice, date(2026, 11, 3))
    ksbs, units = ksbs_of(apprenticeship, 2), units_of(apprenticeship, 1)
    evidence = attach(apprenticeship, risk, RISK, title="  Assessed a falls risk at night  ", ksbs=ksbs, units=units)
    evidence.refresh_from_db()
    assert (evidence.kind, evidence.status, evidence.title) == (
        EvidenceKind.PRACTICE_RECORD, EvidenceStatus.DRAFT, "Assessed a falls risk at night")
    assert (evidence.source_key, evidence.source_record_id, evidence.occurred_on) == (
        RISK, str(risk.public_id), date(2026, 11, 3))
    snapshot = evidence.source_snapshot
    assert set(snapshot) == {"source", "source_label", "title", "summary", "themes", "occurred_on", "record_id",
                             "taken_at"}
    assert snapshot["source_label"] == "Risk assessments" and snapshot["title"] == "Assessed a risk"
    assert snapshot["summary"].startswith("Risk assessment on the 5 x 5 likelihood and severity matrix.")
    assert snapshot["occurred_on"] == "2026-11-03" and snapshot["themes"] == [
        "Tasks and responsibilities", "Health and wellbeing"]
    mappings = EvidenceMapping.objects.filter(evidence=evidence)
    assert {m.ksb_id for m in mappings if m.ksb_id} == {ksb.pk for ksb in ksbs}
    assert {m.unit_id for m in mappings if m.unit_id} == {units[0].pk}
    assert {m.stage for m in mappings} == {"claimed"}
    (event,) = EvidenceEvent.objects.filter(evidence=evidence)
    assert (event.event, event.number, event.changed_by) == ("created", 1, apprenticeship.apprentice)
    assert AuditEvent.objects.filter(actor=apprenticeship.apprentice, action="create",
                                     subject=f"apprenticeships.PortfolioEvidence:{evidence.public_id}",
                                     details__source=RISK).exists()


def test_the_title_defaults_to_the_records_own(apprenticeship, person):
    evidence = attach(apprenticeship, plan_review(person, apprenticeship.apprentice), REVIEW)
    assert evidence.title == "Reviewed a care and support plan"


def test_attaching_the_same_record_twice_is_refused_in_words(apprenticeship, person):
    risk = risk_assessment(person, apprenticeship.apprentice)
    attach(apprenticeship, risk, RISK)
    with pytest.raises(ValidationError) as refused:
        attach(apprenticeship, risk, RISK)
    assert refused.value.message_dict == {"record_id": [ALREADY_ATTACHED_MESSAGE]}
    assert PortfolioEvidence.objects.filter(apprenticeship=apprenticeship).count() == 1


def test_the_apprentice_cannot_attach_a_record_someone_else_led(apprenticeship, person):
    theirs = risk_assessment(person, UserFactory())
    with pytest.raises(ValidationError) as refused:
        attach(apprenticeship, theirs, RISK)
    assert refused.value.message_dict == {"record_id": [NOT_YOURS_MESSAGE]}
    with pytest.raises(ValidationError):
        attach(apprenticeship, risk_assessment(person, apprenticeship.apprentice), NEEDS)  # wrong kind for the id
    assert not PortfolioEvidence.objects.exists()


@pytest.mark.parametrize("who", ["coach", "employer"])
def test_nobody_but_the_apprentice_attaches_even_the_apprentices_own_record(apprenticeship, person, who):
    actor = apprenticeship.coach if who == "coach" else employer_contact_of(apprenticeship).user
    risk = risk_assessment(person, apprenticeship.apprentice)
    with pytest.raises(NotAllowed):
        practice_evidence.attach_practice_record(actor=Actor(user=actor), apprenticeship=apprenticeship, key=RISK,
                                                 record_id=str(risk.public_id))
    assert not PortfolioEvidence.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


def test_a_withdrawn_apprenticeship_takes_no_new_evidence(apprenticeship, person):
    apprenticeship.status = ApprenticeshipStatus.WITHDRAWN
    apprenticeship.save()
    with pytest.raises(ValidationError, match="withdrawn"):
        attach(apprenticeship, risk_assessment(person, apprenticeship.apprentice), RISK)
    assert not PortfolioEvidence.objects.exists()


def test_only_current_ksbs_of_the_version_and_units_of_the_diploma_may_be_claimed(apprenticeship, person):
    risk = risk_assessment(person, apprenticeship.apprentice)
    other_version = Ksb.objects.exclude(version=apprenticeship.standard_version).first()
    retired = ksbs_of(apprenticeship, 1)[0]
    Ksb.objects.filter(pk=retired.pk).update(retired=True)
    retired.refresh_from_db()
    other = Qualification.objects.exclude(pk=apprenticeship.qualification_id).first()
    other_unit = QualificationUnit.objects.create(qualification=other, title="Another Diploma's unit", position=99,
                                                  mandatory=True)
    for claims, field in (({"ksbs": [other_version]}, "ksbs"), ({"ksbs": [retired]}, "ksbs"),
                          ({"units": [other_unit]}, "units")):
        with pytest.raises(ValidationError) as refused:
            attach(apprenticeship, risk, RISK, **claims)
        assert list(refused.value.message_dict) == [field]
    assert retired not in practice_evidence.claimable_ksbs(apprenticeship)
    assert not PortfolioEvidence.objects.exists()


# --- The snapshot is the evidence: the record may change or go --------------------------------


def test_changing_then_deleting_the_record_leaves_the_snapshot_identical(apprenticeship, person):
    risk = risk_assessment(person, apprenticeship.apprentice, agreed_with_person=True)
    evidence = attach(apprenticeship, risk, RISK)
    kept = PortfolioEvidence.objects.get(pk=evidence.pk).source_snapshot
    risk.likelihood, risk.agreed_with_person, risk.hazard = 1, False, "Changed"
    risk.save()
    # The registry now describes the record differently; the portfolio's copy does not move.
    assert "Agreed with the person: no" in practice_evidence.registry.item(
        apprenticeship.apprentice, RISK, str(risk.public_id)).summary
    assert practice_evidence.candidate_records(apprenticeship) == []  # still attached, so not a candidate
    assert PortfolioEvidence.objects.get(pk=evidence.pk).source_snapshot == kept
    risk.delete()
    evidence = PortfolioEvidence.objects.get(pk=evidence.pk)
    assert evidence.source_snapshot == kept and "Agreed with the person: yes" in kept["summary"]


# --- Nothing identifying leaks ------------------------------------------------------------------


def test_nothing_identifying_reaches_the_snapshot_or_the_pages(client, sign_in, apprenticeship, person):
    me = apprenticeship.apprentice
    records = [(needs_assessment(person, me), NEEDS), (risk_assessment(person, me), RISK),
               (plan_review(person, me), REVIEW)]
    sign_in(me)
    listing = client.get(practice_url(apprenticeship)).content.decode()
    assert listing.count("Attach<span") == 3
    assert_nothing_identifying(listing, person)
    for record, key in records:
        form = client.get(practice_url(apprenticeship), {"source": key, "record": record.public_id}).content.decode()
        assert_nothing_identifying(form, person)
        response = client.post(practice_url(apprenticeship), {"source": key, "record": str(record.public_id)})
        assert response.status_code == 302
        evidence = PortfolioEvidence.objects.get(source_record_id=str(record.public_id))
        assert_nothing_identifying(repr(evidence.source_snapshot) + evidence.title, person)
        assert_nothing_identifying(repr(EvidenceEvent.objects.get(evidence=evidence).snapshot), person)
        page = client.get(response["Location"], follow=True).content.decode()
        assert response["Location"] == reverse("apprenticeships:evidence-detail", args=[evidence.public_id])
        assert escape(evidence.source_snapshot["summary"]).replace("\n", "<br>") in page
        assert_nothing_identifying(page, person)
    assert identifying(person)[0] == "Zebedee"  # the check looks for the right words


# --- The pages ----------------------------------------------------------------------------------


def test_the_candidates_page_shows_title_date_kind_and_redacted_summary(client, sign_in, apprenticeship, person):
    review = plan_review(person, apprenticeship.apprentice, date(2026, 11, 4))
    sign_in(apprenticeship.apprentice)
    html = client.get(practice_url(apprenticeship)).content.decode()
    for text in ("Reviewed a care and support plan", "4 Nov 2026", "Care plan reviews",
                 "Reviewed the skin section of a care and support plan. The person took part: no.",
                 f"source={REVIEW}&amp;record={review.public_id}"):
        assert text in html, text
    assert AuditEvent.objects.filter(action="list", details__practice_records=[f"{REVIEW}:{review.public_id}"]).exists()


def test_the_candidates_page_filters_by_kind(client, sign_in, apprenticeship, person):
    plan_review(person, apprenticeship.apprentice)
    risk_assessment(person, apprenticeship.apprentice)
    sign_in(apprenticeship.apprentice)
    html = client.get(practice_url(apprenticeship), {"source": RISK}).content.decode()
    assert "Assessed a risk" in html and "Reviewed a care and support plan" not in html


def test_attaching_through_the_page_claims_ksbs_and_units_and_goes_to_the_item(client, sign_in, apprenticeship,
                                                                               person):
    risk = risk_assessment(person, apprenticeship.apprentice)
    ksb, unit = ksbs_of(apprenticeship, 1)[0], units_of(apprenticeship, 1)[0]
    sign_in(apprenticeship.apprentice)
    form = client.get(practice_url(apprenticeship), {"source": RISK, "record": risk.public_id}).content.decode()
    assert ksb.code in form and f'name="units" type="checkbox" value="{unit.pk}"' in form
    response = client.post(practice_url(apprenticeship), {"source": RISK, "record": str(risk.public_id),
                                                          "title": "Night-time falls risk", "ksbs": [ksb.pk],
                                                          "units": [unit.pk]})
    evidence = PortfolioEvidence.objects.get()
    try:
        expected = reverse("apprenticeships:evidence-detail", args=[evidence.public_id])
    except NoReverseMatch:
        expected = reverse("apprenticeships:apprenticeship-detail", args=[apprenticeship.public_id])
    assert response.status_code == 302 and response["Location"] == expected
    assert evidence.title == "Night-time falls risk"
    assert {(m.ksb_id, m.unit_id) for m in evidence.mappings.all()} == {(ksb.pk, None), (None, unit.pk)}


def test_attaching_twice_through_the_page_says_so(client, sign_in, apprenticeship, person):
    risk = risk_assessment(person, apprenticeship.apprentice)
    attach(apprenticeship, risk, RISK)
    sign_in(apprenticeship.apprentice)
    response = client.post(practice_url(apprenticeship), {"source": RISK, "record": str(risk.public_id)})
    assert response.status_code == 200 and ALREADY_ATTACHED_MESSAGE in response.content.decode()
    assert PortfolioEvidence.objects.count() == 1


def test_someone_elses_record_is_a_404_on_the_attach_form(client, sign_in, apprenticeship, person):
    theirs = risk_assessment(person, UserFactory())
    sign_in(apprenticeship.apprentice)
    assert client.get(practice_url(apprenticeship), {"source": RISK, "record": theirs.public_id}).status_code == 404
    assert client.post(practice_url(apprenticeship), {"source": RISK, "record": str(theirs.public_id)}
                       ).status_code == 404
    assert not PortfolioEvidence.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("coach", 403), ("employer", 403), ("other_coach", 404),
                                             ("unrelated", 404)])
def test_only_the_apprentice_reaches_the_page(client, sign_in, apprenticeship, person, who, status):
    risk = risk_assessment(person, apprenticeship.apprentice)
    user = {"coach": lambda: apprenticeship.coach, "employer": lambda: employer_contact_of(apprenticeship).user,
            "other_coach": lambda: ApprenticeshipFactory().coach,
            "unrelated": lambda: MembershipFactory(role=Role.REGISTERED_MANAGER).user}[who]()
    sign_in(user)
    assert client.get(practice_url(apprenticeship)).status_code == status
    assert client.post(practice_url(apprenticeship), {"source": RISK, "record": str(risk.public_id)}
                       ).status_code == status
    assert not PortfolioEvidence.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, apprenticeship):
    response = client.get(practice_url(apprenticeship))
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in")


def test_the_candidates_page_costs_the_same_queries_for_3_or_30_records(client, sign_in, apprenticeship, person):
    me = apprenticeship.apprentice
    for day in (2, 3, 4):
        risk_assessment(person, me, date(2026, 10, day))
    attach(apprenticeship, needs_assessment(person, me), NEEDS)
    sign_in(me)
    client.get(practice_url(apprenticeship))
    with CaptureQueriesContext(connection) as few:
        client.get(practice_url(apprenticeship))
    for day in range(1, 10):
        risk_assessment(person, me, date(2026, 9, day))
        plan_review(person, me, date(2026, 9, day))
        needs_assessment(person, me, date(2026, 9, day))
    with CaptureQueriesContext(connection) as many:
        html = client.get(practice_url(apprenticeship)).content.decode()
    assert html.count("Attach<span") == 20  # a full page of the 30
    assert len(many) == len(few)
