"""Read-back review of the progress reviews pages: every read audited, bad input answered without a 500."""

from datetime import date

import pytest
from django.urls import reverse

from carelead.apprenticeships.models import ProgressReview
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory
from carelead.apprenticeships.tests.factories_reviews import fix_today, form_data
from carelead.core.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def url(name, apprenticeship, review=None):
    return reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id, *([review.public_id] if review else [])])


def start(client, apprenticeship):
    client.post(url("review-new", apprenticeship))
    return ProgressReview.objects.filter(apprenticeship=apprenticeship).order_by("-number").first()


def test_opening_the_offline_signature_page_is_an_audited_read(client, sign_in, reference_data, monkeypatch):
    """The page shows whose review it is and its number: a read of programme records, audited like the others."""
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    client.post(url("review-edit", apprenticeship, review), form_data(review))
    client.post(url("review-sign", apprenticeship, review), {"confirm": "on"})
    reads = AuditEvent.objects.filter(actor=apprenticeship.coach, action=Action.VIEW,
                                      subject=f"apprenticeships.ProgressReview:{review.public_id}")
    before = reads.count()
    assert client.get(url("review-offline-signature", apprenticeship, review)).status_code == 200
    assert reads.count() == before + 1


@pytest.mark.parametrize("total", ["abc", "", "-5", "1.5"])
def test_adding_an_action_row_with_a_tampered_form_count_is_not_a_500(client, sign_in, reference_data,
                                                                        monkeypatch, total):
    apprenticeship = ApprenticeshipFactory()
    fix_today(monkeypatch, date(2025, 11, 25))
    sign_in(apprenticeship.coach)
    review = start(client, apprenticeship)
    response = client.post(url("review-edit", apprenticeship, review),
                           {**form_data(review), "actions-TOTAL_FORMS": total, "add_action": "1"})
    assert response.status_code == 200


def test_a_colleague_coach_cannot_start_a_review_of_someone_elses_apprentice(client, sign_in, reference_data):
    """The view answers GET with 405 before it looks anything up, so the reach check needs a POST."""
    apprenticeship = ApprenticeshipFactory()
    sign_in(ApprenticeshipFactory(provider=apprenticeship.provider).coach)
    assert client.post(url("review-new", apprenticeship)).status_code == 404
    assert not ProgressReview.objects.filter(apprenticeship=apprenticeship).exists()
