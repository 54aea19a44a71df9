"""The progress reviews tab (§5.1): who reaches it, the schedule at the rule's edges, the coach's form
(errors beside fields, stale saves keeping the typing, adding action rows), signing pages for each
party, and a list whose queries do not grow with the reviews."""

import re
import uuid
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.apprenticeships.models import ProgressReview, ReviewAction, ReviewStatus, Signature
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of, staff_of
from carelead.apprenticeships.tests.factories_reviews import fix_today, form_data, signed_review
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role

pytestmark = pytest.mark.django_db


def url(name, apprenticeship, review=None):
    return reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id, *([review.public_id] if review else [])])


def next_review(html: str) -> str:
    start = html.index('id="next-review">')
    cell = html[start:html.index("</dd>", start)].replace('id="next-review">', "")
    return " ".join(re.sub(r"<[^>]+>", "", cell).split())


def start(client, apprenticeship):
    client.post(url("review-new", apprenticeship))
    return ProgressReview.objects.filter(apprenticeship=apprenticeship).order_by("-number").first()


# --- Who reaches it ---------------------------------------------------------------------------------


def test_out_of_reach_is_a_404_and_made_up_reviews_too(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    review = signed_review(apprenticeship, held_on=date(2025, 11, 20))
    sign_in(ApprenticeshipFactory(provider=apprenticeship.provider).coach)  # a colleague's apprentice
    for name in ("review-list", "review-new"):
        assert client.get(url(name, apprenticeship)).status_code in (404, 405)
    for name in ("review-detail", "review-edit", "review-sign", "review-pdf"):
        assert client.get(url(name, apprenticeship, review)).status_code == 404
    sign_in(apprenticeship.coach)
    made_up = reverse("apprenticeships:review-detail", args=[apprenticeship.public_id, uuid.uuid4()])
    assert client.get(made_up).status_code == 404
    assert not AuditEvent.objects.filter(subject__contains=str(review.public_id)).exclude(
        actor=apprenticeship.coach).exists()


def test_the_apprentice_and_the_employer_see_the_tab_but_only_the_coach_starts_a_review(client, sign_in,
                                                                                       reference_data):
    apprenticeship = ApprenticeshipFactory()
    contact = employer_contact_of(apprenticeship)
    for who in (apprenticeship.apprentice, contact):
        sign_in(who)
        html = client.get(url("review-list", apprenticeship)).content.decode()
        assert "Next review due" in html and "Start review 1" not in html
        assert client.post(url("review-new", apprenticeship)).status_code in (403, 404)  # no manage role: 404
    assert not ProgressReview.objects.exists()
    sign_in(apprenticeship.coach)
    html = client.get(url("review-list", apprenticeship)).content.decode()
    assert "Start review 1" in html and 'aria-current="page">Progress reviews<' in html
    assert AuditEvent.objects.filter(actor=apprenticeship.coach, action=Action.VIEW,
                                     details__tab="reviews").exists()


# --- The schedule (§5.1) at its edges ------------------------------------------------------------------


@pytest.mark.parametrize(("start_date", "today", "shown"), [
    (date(2025, 7, 31), date(2025, 10, 8), "23 Oct 2025 In date"),  # 12 weeks; 15 days before
    (date(2025, 7, 31), date(2025, 10, 9), "23 Oct 2025 Due"),  # 14 days before
    (date(2025, 7, 31), date(2025, 10, 23), "23 Oct 2025 Due"),  # on the day
    (date(2025, 7, 31), date(2025, 10, 24), "23 Oct 2025 Overdue"),
    (date(2025, 8, 1), date(2025, 11, 15), "30 Nov 2025 In date"),  # rule 92: last day of the third month
    (date(2025, 8, 1), date(2025, 11, 16), "30 Nov 2025 Due"),
    (date(2025, 8, 1), date(2025, 12, 1), "30 Nov 2025 Overdue"),
])
def test_the_next_review_is_due_by_the_rule_for_the_start_date(client, sign_in, reference_data, monkeypatch,
                                                               start_date, today, shown):
    apprenticeship = ApprenticeshipFactory(start_date=start_date)
    fix_today(monkeypatch, today)
    sign_in(apprenticeship.apprentice)
    assert next_review(client.get(url("review-list", apprenticeship)).content.decode()) == shown


@pytest.mark.parametrize(("start_date", "held_on", "due"), [
    (date(2025, 7, 31), date(2025, 10, 20), "12 Jan 2026"), (date(2025, 8, 1), date(2025, 10, 31), "31 Jan 2026")])
def test_the_next_review_counts_from_the_last_signed_one(client, sign_in, reference_data, monkeypatch,
                                                         start_date, held_on, due):
    apprenticeship = ApprenticeshipFactory(start_date=start_date)
    signed_review(apprenticeship, held_on=held_on)
    fix_today(monkeypatch, date(2025, 11, 1))
    sign_in(apprenticeship.coach)
    html = client.get(url("review-list", apprenticeship)).content.decode()
    assert next_review(html) == f"{due} In date"
    assert "Signed by all three" in html


# --- The coach's form -------------------------------------------------------------------------------


def test_the_coach_writes_a_review_and_each_error_shows_beside_its_field(client, sign_in, reference_data,
                                                                         monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    page = client.get(url("review-edit", apprenticeship, review)).content.decode()
    assert "Since the last review" in page and "This is the first review." in page
    bad = form_data(review, safeguarding_concern="yes", actions=[
        {"description": "Shadow the manager", "measure": "Notes written", "owner": "apprentice",
         "due_on": (19, 11, 2025)}])
    bad["progress"] = ""
    html = client.post(url("review-edit", apprenticeship, review), bad).content.decode()
    assert "There is a problem" in html
    for message in ("Record progress since the last review", "Say what the concern is and what was done about it",
                    "Enter a date after the review was held (20 Nov 2025)"):
        assert html.count(message) == 2  # in the summary and beside the field
    assert "Shadow the manager" in html  # the typing is kept
    assert not ReviewAction.objects.exists()

    response = client.post(url("review-edit", apprenticeship, review), form_data(review))
    assert response.status_code == 302 and response["Location"] == url("review-detail", apprenticeship, review)
    review.refresh_from_db()
    assert review.held_on == date(2025, 11, 20)
    assert review.actions.get().description == "Complete the safeguarding module"


def test_add_another_action_adds_a_row_without_judging_the_form(client, sign_in, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    html = client.post(url("review-edit", apprenticeship, review),
                       {**form_data(review), "add_action": "1"}).content.decode()
    assert "There is a problem" not in html and "Action 2" in html
    assert ProgressReview.objects.get().version == 1


def test_a_stale_save_keeps_what_was_typed_and_says_why(client, sign_in, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    client.post(url("review-edit", apprenticeship, review), form_data(review))  # version 2
    typed = form_data(review, progress="My own words, typed at the same time")  # names version 1
    html = client.post(url("review-edit", apprenticeship, review), typed).content.decode()
    assert "Someone else saved this review while you were editing it" in html
    assert "My own words, typed at the same time" in html and 'name="seen_version" value="2"' in html
    assert ProgressReview.objects.get().progress == "Confident leading handovers."


def test_signing_pages_in_order_then_the_review_is_locked(client, sign_in, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    contact = employer_contact_of(apprenticeship)
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    client.post(url("review-edit", apprenticeship, review), form_data(review))
    sign_in(contact)
    html = client.post(url("review-sign", apprenticeship, review), {"confirm": "on"}).content.decode()
    assert "The employer signs after the skills coach: waiting for the skills coach to sign first." in html
    sign_in(staff_of(apprenticeship.employer, role=Role.CARE_WORKER))
    assert client.get(url("review-sign", apprenticeship, review)).status_code == 404  # out of reach
    for who in (apprenticeship.coach, apprenticeship.apprentice, contact):
        sign_in(who)
        detail = client.get(url("review-detail", apprenticeship, review)).content.decode()
        assert f"Sign review {review.number}" in detail
        assert client.post(url("review-sign", apprenticeship, review), {"confirm": "on"}).status_code == 302
    assert Signature.objects.filter(review=review).count() == 3
    sign_in(apprenticeship.coach)
    html = client.get(url("review-detail", apprenticeship, review)).content.decode()
    assert "Signed by all three" in html and "Write the review" not in html and "Sign review" not in html
    assert client.get(url("review-edit", apprenticeship, review)).status_code == 302


def test_the_coach_records_an_offline_signature_with_every_field(client, sign_in, reference_data, monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    client.post(url("review-edit", apprenticeship, review), form_data(review))
    client.post(url("review-sign", apprenticeship, review), {"confirm": "on"})
    html = client.post(url("review-offline-signature", apprenticeship, review),
                       {"party": "apprentice"}).content.decode()
    for message in ("Enter the name of the person who signed", "Enter when they signed",
                    "Enter how the signature was obtained, for example a signed paper copy"):
        assert message in html
    response = client.post(url("review-offline-signature", apprenticeship, review), {
        "party": "apprentice", "signatory_name": "Sam Apprentice", "obtained_on_0": "21", "obtained_on_1": "11",
        "obtained_on_2": "2025", "obtained_how": "Signed paper copy"})
    assert response.status_code == 302
    assert ProgressReview.objects.get().status == ReviewStatus.AWAITING_EMPLOYER
    html = client.get(url("review-detail", apprenticeship, review)).content.decode()
    assert "Obtained offline from Sam Apprentice on 21 Nov 2025 by Signed paper copy" in html
    sign_in(apprenticeship.apprentice)
    assert client.get(url("review-offline-signature", apprenticeship, review)).status_code in (403, 404)


def test_the_reviews_list_costs_the_same_queries_for_1_or_10(client, sign_in, reference_data,
                                                             django_assert_num_queries):
    apprenticeship = ApprenticeshipFactory()
    signed_review(apprenticeship, held_on=date(2025, 9, 20), number=1, actions=1)
    sign_in(apprenticeship.coach)
    client.get(url("review-list", apprenticeship))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("review-list", apprenticeship)).status_code == 200
    for number in range(2, 11):
        signed_review(apprenticeship, held_on=date(2025, 9, 20 + number), number=number, actions=2)
    with django_assert_num_queries(len(one)):
        html = client.get(url("review-list", apprenticeship)).content.decode()
    assert html.count("Review 10<") == 1 and html.count('class="nhsuk-table__row"') == 10


def test_the_signing_page_offers_the_form_only_to_the_party_whose_turn_it_is(client, sign_in, reference_data,
                                                                            monkeypatch):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    client.post(url("review-edit", apprenticeship, review), form_data(review))
    sign_in(apprenticeship.apprentice)
    html = client.get(url("review-sign", apprenticeship, review)).content.decode()
    assert "Nothing on this review is waiting for your signature" in html and "Sign the review</button>" not in html
    sign_in(apprenticeship.coach)
    assert "Sign the review</button>" in client.get(url("review-sign", apprenticeship, review)).content.decode()
