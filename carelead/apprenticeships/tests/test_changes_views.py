"""The pages that change a programme: breaks, returns and withdrawals; contracted hours; enrolment details."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from carelead.apprenticeships import change_services
from carelead.apprenticeships.models import (
    Apprenticeship, ApprenticeshipStatus, ChangeKind, ChangeStatus, ProgrammeChange, WeeklyHours,
)
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, coach_of, employer_contact_of
pytestmark = pytest.mark.django_db


def url(name, apprenticeship, *args) -> str:
    return reverse(f"apprenticeships:{name}", args=[apprenticeship.public_id, *args])


@pytest.fixture
def apprenticeship(reference_data):
    return ApprenticeshipFactory()


def break_request(apprenticeship, by) -> ProgrammeChange:
    return ProgrammeChange.objects.create(apprenticeship=apprenticeship, kind=ChangeKind.BREAK_IN_LEARNING,
                                          reason="Long-term sickness", effective_date=date(2026, 3, 2),
                                          expected_return=date(2026, 6, 1), requested_by=by)


def test_a_coach_of_another_apprentice_gets_404_everywhere(client, sign_in, apprenticeship):
    change = break_request(apprenticeship, apprenticeship.coach)
    sign_in(coach_of(apprenticeship.provider))
    for name, args in (("programme-change-new", ()), ("programme-change", (change.public_id,)),
                       ("weekly-hours-new", ()), ("apprenticeship-edit", ())):
        assert client.get(url(name, apprenticeship, *args)).status_code == 404, name
    response = client.post(url("programme-change-decision", apprenticeship, change.public_id), {"decision": "approve"})
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == ChangeStatus.REQUESTED


def test_the_employer_asks_for_a_break_with_messages_beside_the_fields(client, sign_in, apprenticeship):
    contact = employer_contact_of(apprenticeship)
    sign_in(contact)
    html = client.post(url("programme-change-new", apprenticeship), {"kind": "break_in_learning"}).content.decode()
    assert "nhsuk-error-summary" in html and "Enter the date it takes effect" in html and "Enter reason" in html
    html = client.post(url("programme-change-new", apprenticeship), {
        "kind": "break_in_learning", "reason": "Sickness", "effective_date_0": "2", "effective_date_1": "3",
        "effective_date_2": "2026"}).content.decode()
    assert change_services.EXPECTED_RETURN_MESSAGE in html and not ProgrammeChange.objects.exists()
    response = client.post(url("programme-change-new", apprenticeship), {
        "kind": "break_in_learning", "reason": "Sickness", "effective_date_0": "2", "effective_date_1": "3",
        "effective_date_2": "2026", "expected_return_0": "1", "expected_return_1": "6", "expected_return_2": "2026"})
    assert response.status_code == 302
    assert ProgrammeChange.objects.get().requested_by == contact.user
    html = client.get(url("apprenticeship-detail", apprenticeship)).content.decode()
    assert "Break in learning" in html and "Waiting for approval" in html and "2 Mar 2026" in html


def test_the_requester_is_not_offered_the_decision_and_is_refused_it(client, sign_in, apprenticeship):
    change = break_request(apprenticeship, apprenticeship.coach)
    sign_in(apprenticeship.coach)
    page = url("programme-change", apprenticeship, change.public_id)
    assert "Approve or reject" not in client.get(page).content.decode()
    html = client.post(url("programme-change-decision", apprenticeship, change.public_id),
                       {"decision": "approve"}).content.decode()
    assert escape(change_services.OWN_REQUEST_MESSAGE) in html
    change.refresh_from_db()
    assert change.status == ChangeStatus.REQUESTED


def test_the_employer_approves_and_the_coach_processes_a_break(client, sign_in, apprenticeship):
    change = break_request(apprenticeship, apprenticeship.coach)
    contact = employer_contact_of(apprenticeship)
    sign_in(contact)
    page = url("programme-change", apprenticeship, change.public_id)
    assert "Approve or reject" in client.get(page).content.decode()
    html = client.post(url("programme-change-decision", apprenticeship, change.public_id),
                       {"decision": "reject"}).content.decode()
    assert change_services.COMMENT_MESSAGE in html and 'href="#id_decision_comment"' in html
    assert client.post(url("programme-change-decision", apprenticeship, change.public_id),
                       {"decision": "approve"}).status_code == 302
    assert client.post(url("programme-change-process", apprenticeship, change.public_id)).status_code == 404
    sign_in(apprenticeship.coach)
    assert "Process the change" in client.get(page).content.decode()
    assert client.post(url("programme-change-process", apprenticeship, change.public_id)).status_code == 302
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.BREAK_IN_LEARNING


def test_a_withdrawn_apprenticeship_offers_no_changes(client, sign_in, apprenticeship):
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(status=ApprenticeshipStatus.WITHDRAWN)
    sign_in(apprenticeship.coach)
    html = client.get(url("apprenticeship-detail", apprenticeship)).content.decode()
    assert "its records are locked" in html and url("programme-change-new", apprenticeship) not in html
    html = client.post(url("weekly-hours-new", apprenticeship), {
        "hours": "20", "from_date_0": "1", "from_date_1": "2", "from_date_2": "2026"}).content.decode()
    assert "This apprenticeship is withdrawn: its records are locked." in html
    assert WeeklyHours.objects.count() == 1


def test_the_employer_records_new_contracted_hours(client, sign_in, apprenticeship):
    sign_in(employer_contact_of(apprenticeship))
    html = client.get(url("apprenticeship-detail", apprenticeship)).content.decode()
    assert url("weekly-hours-new", apprenticeship) in html and url("apprenticeship-edit", apprenticeship) not in html
    response = client.post(url("weekly-hours-new", apprenticeship), {
        "hours": "22.5", "from_date_0": "5", "from_date_1": "1", "from_date_2": "2026"})
    assert response.status_code == 302
    html = client.post(url("weekly-hours-new", apprenticeship), {
        "hours": "20", "from_date_0": "5", "from_date_1": "1", "from_date_2": "2026"}).content.decode()
    assert change_services.HOURS_DATE_TAKEN.format(date="5 Jan 2026") in html
    assert "22.5" in client.get(url("apprenticeship-detail", apprenticeship)).content.decode()


def enrolment_post(apprenticeship, **changes) -> dict:
    return {"seen_version": apprenticeship.version, "practical_period_end_0": "1", "practical_period_end_1": "6",
            "practical_period_end_2": "2027", "epao_name": "Highfield", "english_maths": "held",
            "english_maths_decision": "", "rpl_hours": "12", **changes}


def test_the_coach_edits_the_enrolment_and_a_stale_save_shows_what_changed(client, sign_in, apprenticeship):
    sign_in(apprenticeship.coach)
    page = url("apprenticeship-edit", apprenticeship)
    assert 'name="seen_version"' in client.get(page).content.decode()
    stale = enrolment_post(apprenticeship, epao_name="Other EPAO")
    assert client.post(page, enrolment_post(apprenticeship)).status_code == 302
    saved = Apprenticeship.objects.get(pk=apprenticeship.pk)
    assert saved.epao_name == "Highfield" and saved.practical_period_end == date(2027, 6, 1) and saved.version == 2
    html = client.post(page, stale).content.decode()
    assert escape(change_services.STALE_ENROLMENT_MESSAGE) in html
    assert 'value="Highfield"' in html and 'name="seen_version" value="2"' in html
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).epao_name == "Highfield"


def test_the_employer_and_apprentice_cannot_edit_the_enrolment(client, sign_in, apprenticeship):
    for who in (employer_contact_of(apprenticeship), apprenticeship.apprentice):
        sign_in(who)
        assert client.get(url("apprenticeship-edit", apprenticeship)).status_code == 404
        response = client.post(url("apprenticeship-edit", apprenticeship), enrolment_post(apprenticeship))
        assert response.status_code == 404
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).version == 1


def test_the_apprentice_opens_a_change_listed_on_their_overview_without_deciding_it(client, sign_in, apprenticeship):
    """The overview links every change for everyone who sees it; the apprentice (no role permission for
    their own apprenticeship) reads it, and is offered neither the decision nor the processing."""
    change = break_request(apprenticeship, apprenticeship.coach)
    sign_in(apprenticeship.apprentice)
    assert url("programme-change", apprenticeship, change.public_id) in client.get(
        url("apprenticeship-detail", apprenticeship)).content.decode()
    response = client.get(url("programme-change", apprenticeship, change.public_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Long-term sickness" in html and "Approve or reject" not in html and "Process the change" not in html
    response = client.post(url("programme-change-decision", apprenticeship, change.public_id), {"decision": "approve"})
    assert response.status_code in (403, 404)  # no role to decide with, and not a party who may
    change.refresh_from_db()
    assert change.status == ChangeStatus.REQUESTED
