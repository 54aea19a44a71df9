"""Witness testimony through a one-time link (issue 6): only the link's SHA-256 is stored; it is
emailed and shown once; it works for 14 days and once; sending it again stops the old one; the
witness's page needs no sign-in and answers 404 alike to unknown, used, replaced and expired links;
the apprentice cannot confirm their own; the confirmation is an event by nobody and an audit row
marked as the witness's."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.apprenticeships import evidence_services, witness_services
from carelead.apprenticeships.models import (
    ApprenticeshipStatus, EvidenceEvent, EvidenceKind, EvidenceStatus, PortfolioEvidence,
)
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_portfolio import ksbs_of, units_of
from carelead.core.actor import Actor
from carelead.core.decorators import PUBLIC
from carelead.core.errors import NotAllowed
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DRAFT = "Ada led the morning handover: she gave each carer clear priorities and checked they understood."


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory()


def ask(apprenticeship, *, now=None, **changes):
    fields = {"witness_name": "Wendy Okafor", "witness_role": "Registered Manager",
              "witness_email": "Wendy.Okafor@example.org", "title": "Led the morning handover",
              "occurred_on": date(2026, 11, 2), "body": DRAFT, **changes}
    return witness_services.request_witness_testimony(actor=Actor(user=apprenticeship.apprentice),
                                                      apprenticeship=apprenticeship, now=now, **fields)


def link(token):
    return reverse("apprenticeships:witness-testimony", args=[token])


def confirmation(**changes):
    return {"body": "I saw Ada lead the handover on 2 November. Clear, calm and checked understanding.",
            "witness_name": "Wendy Okafor", "witness_role": "Registered Manager", "declared": "on", **changes}


# --- Asking -------------------------------------------------------------------------------------


def test_asking_stores_only_the_hash_for_14_days_and_emails_the_link(apprenticeship, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    ksb, unit = ksbs_of(apprenticeship, 1)[0], units_of(apprenticeship, 1)[0]
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        evidence, token = ask(apprenticeship, ksbs=[ksb], units=[unit])
    evidence.refresh_from_db()
    assert len(token) >= 40 and token not in repr(PortfolioEvidence.objects.filter(pk=evidence.pk).values().get())
    assert evidence.witness_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert before + timedelta(days=14) <= evidence.witness_link_expires_at <= timezone.now() + timedelta(days=14)
    assert (evidence.kind, evidence.status, evidence.body, evidence.witness_email) == (
        EvidenceKind.WITNESS_TESTIMONY, EvidenceStatus.DRAFT, DRAFT, "wendy.okafor@example.org")
    assert evidence.witness_confirmed_at is None
    assert {(m.ksb_id, m.unit_id) for m in evidence.mappings.all()} == {(ksb.pk, None), (None, unit.pk)}
    assert list(EvidenceEvent.objects.filter(evidence=evidence).values_list("event", flat=True)) == [
        "created", "witness_link_sent"]
    assert AuditEvent.objects.filter(actor=apprenticeship.apprentice, action="create",
                                     subject=f"apprenticeships.PortfolioEvidence:{evidence.public_id}").exists()
    (mail,) = mailoutbox
    assert mail.to == ["wendy.okafor@example.org"] and link(token) in mail.body
    assert "Led the morning handover" in mail.body and "expires on" in mail.body
    assert f"working towards the {apprenticeship.standard_version.standard.title} apprenticeship" in mail.body


@pytest.mark.parametrize(("changes", "field"), [
    ({"witness_name": " "}, "witness_name"), ({"witness_role": ""}, "witness_role"),
    ({"witness_email": ""}, "witness_email"), ({"witness_email": "not-an-email"}, "witness_email"),
    ({"title": ""}, "title"),
    ({"occurred_on": date.today() + timedelta(days=2)}, "occurred_on")])
def test_asking_needs_who_what_and_a_past_date(apprenticeship, changes, field, mailoutbox,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        ask(apprenticeship, **changes)
    assert field in refused.value.message_dict
    assert not PortfolioEvidence.objects.exists() and mailoutbox == []


def test_the_apprentice_cannot_be_their_own_witness(apprenticeship):
    with pytest.raises(ValidationError) as refused:
        ask(apprenticeship, witness_email=apprenticeship.apprentice.email.upper())
    assert refused.value.message_dict["witness_email"] == [witness_services.SELF_WITNESS_MESSAGE]


@pytest.mark.parametrize("who", ["coach", "employer"])
def test_only_the_apprentice_asks(apprenticeship, who):
    user = apprenticeship.coach if who == "coach" else employer_contact_of(apprenticeship).user
    with pytest.raises(NotAllowed):
        witness_services.request_witness_testimony(
            actor=Actor(user=user), apprenticeship=apprenticeship, witness_name="W", witness_role="R",
            witness_email="w@example.org", title="T", occurred_on=date(2026, 11, 2))
    assert not PortfolioEvidence.objects.exists()


def test_a_completed_apprenticeship_asks_no_more(apprenticeship):
    apprenticeship.status = ApprenticeshipStatus.COMPLETED
    apprenticeship.save()
    with pytest.raises(ValidationError, match="completed"):
        ask(apprenticeship)


# --- The witness's page -------------------------------------------------------------------------


def test_the_public_url_declares_itself_public_as_the_calendar_feed_does():
    assert resolve(link("x")).func.required_perm == PUBLIC


def test_the_witness_confirms_without_signing_in(client, apprenticeship):
    evidence, token = ask(apprenticeship)
    page = client.get(link(token))
    html = page.content.decode()
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer" and "noindex" in page["X-Robots-Tag"]
    assert "Led the morning handover" in html and "2 Nov 2026" in html and DRAFT in html
    assert apprenticeship.apprentice.full_name.replace("'", "&#x27;") in html
    response = client.post(link(token), confirmation(witness_role="Deputy Manager"))
    assert response.status_code == 200 and "Testimony confirmed" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.witness_confirmed_at is not None and evidence.witness_token_hash == ""
    assert evidence.witness_link_expires_at is None
    assert evidence.body.startswith("I saw Ada lead the handover") and evidence.witness_role == "Deputy Manager"
    event = EvidenceEvent.objects.filter(evidence=evidence).last()
    assert (event.event, event.changed_by, event.snapshot["witness_role"]) == (
        "witness_confirmed", None, "Deputy Manager")
    audited = AuditEvent.objects.get(action="update", via="witness",
                                     subject=f"apprenticeships.PortfolioEvidence:{evidence.public_id}")
    assert audited.details["witness_confirmed"] is True and audited.actor == apprenticeship.apprentice
    assert sorted(audited.details["fields"]) == ["body", "witness_role"]
    assert AuditEvent.objects.filter(action="view", via="witness", details__witness_link=True).exists()


def test_the_link_works_once_and_a_confirmed_testimony_cannot_be_changed_again(client, apprenticeship):
    evidence, token = ask(apprenticeship)
    assert client.post(link(token), confirmation()).status_code == 200
    confirmed = PortfolioEvidence.objects.get(pk=evidence.pk)
    assert client.get(link(token)).status_code == 404
    assert client.post(link(token), confirmation(body="Changed my mind")).status_code == 404
    assert PortfolioEvidence.objects.get(pk=evidence.pk).body == confirmed.body
    assert EvidenceEvent.objects.filter(evidence=evidence, event="witness_confirmed").count() == 1
    with pytest.raises(ValidationError, match="already confirmed"):
        witness_services.resend_witness_link(actor=Actor(user=apprenticeship.apprentice), evidence=confirmed)


@pytest.mark.parametrize(("age", "works"), [(timedelta(days=14) - timedelta(minutes=1), True),
                                            (timedelta(days=14), False), (timedelta(days=15), False)])
def test_the_link_expires_after_14_days(client, apprenticeship, age, works):
    evidence, token = ask(apprenticeship, now=timezone.now() - age)
    assert client.get(link(token)).status_code == (200 if works else 404)
    assert client.post(link(token), confirmation()).status_code == (200 if works else 404)
    evidence.refresh_from_db()
    assert (evidence.witness_confirmed_at is not None) is works


def test_the_boundary_is_exact(apprenticeship):
    made = timezone.now()
    _, token = ask(apprenticeship, now=made)
    assert witness_services.testimony_for_token(token, now=made + timedelta(days=14, microseconds=-1))
    assert witness_services.testimony_for_token(token, now=made + timedelta(days=14)) is None


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 300, "a"])
def test_an_unknown_link_is_a_404(client, apprenticeship, token):
    ask(apprenticeship)
    assert client.get(link(token)).status_code == 404
    assert client.post(link(token), confirmation()).status_code == 404


def test_sending_again_makes_a_new_link_and_the_old_one_stops(client, sign_in, apprenticeship, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    evidence, old = ask(apprenticeship)
    sign_in(apprenticeship.apprentice)
    url = reverse("apprenticeships:evidence-witness-resend", args=[evidence.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    html = response.content.decode()
    assert response.status_code == 200 and "shown only this once" in html
    (mail,) = mailoutbox
    new = mail.body.split("/apprenticeships/witness/")[1].split("/")[0]
    assert new != old and link(new) in html and "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(link(old)).status_code == 404
    assert client.get(link(new)).status_code == 200
    assert list(EvidenceEvent.objects.filter(evidence=evidence).values_list("event", flat=True)) == [
        "created", "witness_link_sent", "witness_link_sent"]
    assert AuditEvent.objects.filter(action="update", details__resent=True).exists()


@pytest.mark.parametrize(("who", "status"), [("coach", 403), ("employer", 403), ("other_coach", 404)])
def test_only_the_apprentice_sends_again(client, sign_in, apprenticeship, who, status):
    evidence, token = ask(apprenticeship)
    user = {"coach": lambda: apprenticeship.coach, "employer": lambda: employer_contact_of(apprenticeship).user,
            "other_coach": lambda: ApprenticeshipFactory().coach}[who]()
    sign_in(user)
    assert client.post(reverse("apprenticeships:evidence-witness-resend", args=[evidence.public_id])
                       ).status_code == status
    assert PortfolioEvidence.objects.get(pk=evidence.pk).witness_token_hash == witness_services.token_hash(token)


def test_the_apprentice_cannot_confirm_their_own_testimony(client, sign_in, apprenticeship):
    evidence, token = ask(apprenticeship)
    sign_in(apprenticeship.apprentice)
    assert "This link is for your witness" in client.get(link(token)).content.decode()
    response = client.post(link(token), confirmation())
    assert response.status_code == 200 and witness_services.APPRENTICE_CONFIRMS_MESSAGE in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.witness_confirmed_at is None and evidence.body == DRAFT
    with pytest.raises(ValidationError):
        witness_services.confirm_witness_testimony(token=token, body="x", witness_name="W", witness_role="R",
                                                   declared=True, signed_in_user=apprenticeship.apprentice)
    assert not EvidenceEvent.objects.filter(event="witness_confirmed").exists()


def test_the_witness_must_write_name_and_declare(client, apprenticeship):
    evidence, token = ask(apprenticeship, body="")
    html = client.post(link(token), {"body": "", "witness_name": "", "witness_role": ""}).content.decode()
    for message in (witness_services.TESTIMONY_MESSAGE, witness_services.WITNESS_NAME_MESSAGE,
                    witness_services.WITNESS_ROLE_MESSAGE, witness_services.DECLARATION_MESSAGE):
        assert message in html, message
    assert PortfolioEvidence.objects.get(pk=evidence.pk).witness_confirmed_at is None


# --- The apprentice's page to ask ---------------------------------------------------------------


def test_the_apprentice_asks_through_the_page_and_sees_the_link_once(client, sign_in, apprenticeship, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    sign_in(apprenticeship.apprentice)
    url = reverse("apprenticeships:evidence-witness-new", args=[apprenticeship.public_id])
    form = client.get(url).content.decode()
    assert "Witness&#x27;s email address" in form or "Witness's email address" in form
    assert ksbs_of(apprenticeship, 1)[0].code in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"witness_name": "Wendy Okafor", "witness_role": "Registered Manager",
                                     "witness_email": "wendy@example.org", "title": "Led the handover",
                                     "occurred_on_0": "2", "occurred_on_1": "11", "occurred_on_2": "2026",
                                     "body": ""})
    html = response.content.decode()
    (mail,) = mailoutbox
    token = mail.body.split("/apprenticeships/witness/")[1].split("/")[0]
    assert response.status_code == 200 and link(token) in html and "Link sent to Wendy Okafor" in html
    evidence = PortfolioEvidence.objects.get()
    assert evidence.witness_token_hash == witness_services.token_hash(token) and evidence.body == ""


def test_the_ask_page_shows_errors_in_words(client, sign_in, apprenticeship):
    sign_in(apprenticeship.apprentice)
    url = reverse("apprenticeships:evidence-witness-new", args=[apprenticeship.public_id])
    html = client.post(url, {"witness_email": apprenticeship.apprentice.email, "witness_name": "Me",
                             "witness_role": "Carer", "title": "T", "occurred_on_0": "2", "occurred_on_1": "11",
                             "occurred_on_2": "2026"}).content.decode()
    assert "nhsuk-error-summary" in html and witness_services.SELF_WITNESS_MESSAGE.replace("'", "&#x27;") in html
    assert not PortfolioEvidence.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("coach", 403), ("employer", 403), ("other_coach", 404),
                                             ("unrelated", 404)])
def test_only_the_apprentice_reaches_the_ask_page(client, sign_in, apprenticeship, who, status):
    user = {"coach": lambda: apprenticeship.coach, "employer": lambda: employer_contact_of(apprenticeship).user,
            "other_coach": lambda: ApprenticeshipFactory().coach,
            "unrelated": lambda: MembershipFactory(role=Role.CARE_WORKER, user=UserFactory()).user}[who]()
    sign_in(user)
    url = reverse("apprenticeships:evidence-witness-new", args=[apprenticeship.public_id])
    assert client.get(url).status_code == status
    assert client.post(url, {"witness_name": "W", "witness_role": "R", "witness_email": "w@example.org",
                             "title": "T", "occurred_on_0": "2", "occurred_on_1": "11",
                             "occurred_on_2": "2026"}).status_code == status
    assert not PortfolioEvidence.objects.exists()


def test_the_resend_partial_offers_a_new_link_until_the_witness_confirms(apprenticeship, rf):
    evidence, token = ask(apprenticeship)
    request = rf.get("/")
    html = render_to_string("apprenticeships/witness/_witness_resend.html", {"evidence": evidence}, request=request)
    assert reverse("apprenticeships:evidence-witness-resend", args=[evidence.public_id]) in html
    assert "Send Wendy Okafor a new link" in html and "wendy.okafor@example.org" in html
    confirmed = witness_services.confirm_witness_testimony(token=token, declared=True, **{
        key: value for key, value in confirmation().items() if key != "declared"})
    assert render_to_string("apprenticeships/witness/_witness_resend.html", {"evidence": confirmed},
                            request=request).strip() == ""


# --- The link reaches only the unconfirmed draft it was made for ---------------------------------


def test_an_unconfirmed_testimony_cannot_be_sent_to_the_coach(apprenticeship):
    evidence, _ = ask(apprenticeship, ksbs=ksbs_of(apprenticeship, 1))
    with pytest.raises(ValidationError) as refused:
        evidence_services.submit_evidence(actor=Actor(user=apprenticeship.apprentice), evidence=evidence,
                                          seen_version=evidence.version)
    assert refused.value.messages == [evidence_services.WITNESS_NOT_CONFIRMED_MESSAGE]
    assert PortfolioEvidence.objects.get(pk=evidence.pk).status == EvidenceStatus.DRAFT


@pytest.mark.parametrize("status", [EvidenceStatus.SUBMITTED, EvidenceStatus.ACCEPTED])
def test_the_link_cannot_change_a_testimony_with_the_coach_or_accepted(client, apprenticeship, status):
    evidence, token = ask(apprenticeship)
    PortfolioEvidence.objects.filter(pk=evidence.pk).update(
        status=status, assessed_by=apprenticeship.coach,
        locked_at=timezone.now() if status == EvidenceStatus.ACCEPTED else None)
    assert client.get(link(token)).status_code == 404
    assert client.post(link(token), confirmation(body="Rewritten after the coach read it")).status_code == 404
    assert PortfolioEvidence.objects.get(pk=evidence.pk).body == DRAFT


@pytest.mark.parametrize("status", [ApprenticeshipStatus.COMPLETED, ApprenticeshipStatus.WITHDRAWN])
def test_the_link_stops_when_the_apprenticeship_closes(client, apprenticeship, status):
    evidence, token = ask(apprenticeship)
    apprenticeship.status = status
    apprenticeship.save()
    assert client.get(link(token)).status_code == 404
    assert client.post(link(token), confirmation()).status_code == 404
    assert PortfolioEvidence.objects.get(pk=evidence.pk).witness_confirmed_at is None


def test_the_item_page_offers_sending_to_the_coach_only_once_the_witness_confirms(client, sign_in, apprenticeship):
    evidence, token = ask(apprenticeship, ksbs=ksbs_of(apprenticeship, 1))
    sign_in(apprenticeship.apprentice)
    page = reverse("apprenticeships:evidence-detail", args=[evidence.public_id])
    html = client.get(page).content.decode()
    assert "Send to your coach" not in html and "Wendy Okafor has not confirmed this testimony yet" in html
    witness_services.confirm_witness_testimony(token=token, declared=True, **{
        key: value for key, value in confirmation().items() if key != "declared"})
    assert "Send to your coach" in client.get(page).content.decode()
