"""The printed progress review: anyone who may see the apprenticeship may print it (out of reach is a
404), it reads as text with every section, and each print is audited as an export."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from carelead.apprenticeships import review_pdf
from carelead.apprenticeships.models import ActionOwner, Party, ReviewAction, Signature, SignatureMethod
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.factories_reviews import signed_review
from carelead.core.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def _pdf_text(response) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)


def _review(apprenticeship):
    review = signed_review(apprenticeship, held_on=date(2025, 11, 20), employer_comments="A real asset to the team",
                           wellbeing="Managing well", changes_of_circumstance="Moved to nights",
                           prefill={"window": {"from": "2025-09-01", "to": "2025-11-20"}, "last_review": None,
                                    "otj": {"plan_version": 1, "planned_hours": "12.0", "actual_hours": "9.5",
                                            "slippage_hours": "2.5", "planned_to_date_hours": "12.0",
                                            "actual_to_date_hours": "9.5", "minimum_hours": None,
                                            "minimum_reason": "Not known"},
                                    "sessions": [{"title": "Coaching: Care Act duties", "date": "2025-10-07",
                                                  "kind": "Coaching session", "minutes": 55}],
                                    "ksbs": [{"code": "CL-K1", "text": "Legislation and guidance"}],
                                    "last_actions": []})
    ReviewAction.objects.create(review=review, description="Lead the team meeting", measure="Minutes written",
                                owner=ActionOwner.APPRENTICE, due_on=date(2026, 1, 15))
    Signature.objects.filter(review=review, party=Party.APPRENTICE).update(
        method=SignatureMethod.OFFLINE, signatory_name="Sam Apprentice", obtained_on=date(2025, 11, 21),
        obtained_how="Signed paper copy")
    return review


def test_out_of_reach_is_a_404_and_nothing_is_exported(client, sign_in, reference_data):
    apprenticeship = ApprenticeshipFactory()
    review = _review(apprenticeship)
    sign_in(ApprenticeshipFactory().coach)
    assert client.get(reverse("apprenticeships:review-pdf", args=[apprenticeship.public_id,
                                                                  review.public_id])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize("who", ["coach", "apprentice", "employer"])
def test_each_party_prints_a_readable_a4_review_and_it_is_audited(client, sign_in, reference_data, who):
    apprenticeship = ApprenticeshipFactory(apprentice__full_name="Priya Shah")
    review = _review(apprenticeship)
    user = {"coach": apprenticeship.coach, "apprentice": apprenticeship.apprentice,
            "employer": employer_contact_of(apprenticeship).user}[who]
    sign_in(user)
    response = client.get(reverse("apprenticeships:review-pdf", args=[apprenticeship.public_id, review.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'inline; filename="progress-review-1-priya-shah.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = _pdf_text(response)
    for words in ("Progress review 1", "Priya Shah", apprenticeship.employer.name, apprenticeship.provider.name,
                  "Held on 20 Nov 2025", "12.0 hours", "9.5 hours approved", "2.5 hours planned but not done",
                  "Coaching: Care Act duties", "CL-K1", "A real asset to the team", "Managing well",
                  "No safeguarding or Prevent concern was raised", "Moved to nights", "Lead the team meeting",
                  "15 Jan 2026", "Obtained offline from Sam Apprentice on 21 Nov 2025", "Signed by all three",
                  "Page 1 of", f"by {user.full_name}"):
        assert words in text, words
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == user and event.subject == f"apprenticeships.ProgressReview:{review.public_id}"
    assert event.details["format"] == "pdf"


def test_the_pdf_fetches_nothing_it_names(reference_data, caplog):
    document = review_pdf.html_to_pdf('<p>Hello</p><img src="http://example.com/x.png">'
                                      '<link rel="stylesheet" href="file:///etc/passwd">')
    assert document.startswith(b"%PDF")
    refused = [record.getMessage() for record in caplog.records if "fetches nothing" in record.getMessage()]
    assert any("http://example.com" in message for message in refused)
    assert any("file:///etc/passwd" in message for message in refused)
