"""Completion (issue 6 "Completion"): the coach records the achievement date and the certificate after a
passing end-point assessment; the apprenticeship becomes completed (version-checked, audited) and every
record locks (an OTJ entry, an evidence edit, a grant are refused); the certificate streams only to the
parties; the overview shows the outcome; withdrawal stays a programme change, linked from the page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carelead.apprenticeships import assessor_services, completion_services, evidence_services, otj_services
from carelead.apprenticeships.models import ApprenticeshipCompletion, ApprenticeshipStatus, OffTheJobEntry
from carelead.apprenticeships.parties import LOCKED_MESSAGE
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of, staff_of
from carelead.apprenticeships.tests.factories_assessor import (
    GATEWAY, assessor_of, grant, passed_epa, past_gateway, today,
)
from carelead.apprenticeships.tests.factories_otj import PNG, media, upload  # noqa: F401 (fixture)
from carelead.apprenticeships.tests.factories_portfolio import PortfolioEvidenceFactory
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role

pytestmark = pytest.mark.django_db
LOCKED = LOCKED_MESSAGE.format(status="completed")
EPA_HELD = date(2026, 4, 8)  # passed_epa's last method


@pytest.fixture
def apprenticeship(reference_data):
    apprenticeship = past_gateway()
    passed_epa(apprenticeship)
    return apprenticeship


def complete(apprenticeship, who=None, *, achieved_on=None, certificate="default", seen_version=None):
    return completion_services.record_completion(
        actor=Actor(who or apprenticeship.coach), apprenticeship=apprenticeship,
        achieved_on=achieved_on or GATEWAY + timedelta(days=60),
        certificate=upload("certificate.pdf") if certificate == "default" else certificate,
        seen_version=apprenticeship.version if seen_version is None else seen_version)


def date_post(name, day) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


# --- The service ---


@pytest.mark.parametrize("who", ["apprentice", "employer", "other coach"])
def test_only_the_coach_records_completion(apprenticeship, media, who):
    user = {"apprentice": lambda: apprenticeship.apprentice,
            "employer": lambda: employer_contact_of(apprenticeship).user,
            "other coach": lambda: ApprenticeshipFactory().coach}[who]()
    with pytest.raises(NotAllowed):
        complete(apprenticeship, user)
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.ACTIVE and not ApprenticeshipCompletion.objects.exists()


def test_completion_needs_a_passed_epa(reference_data, media):
    apprenticeship = past_gateway()
    passed_epa(apprenticeship, discussion="fail")
    with pytest.raises(ValidationError) as refused:
        complete(apprenticeship)
    assert refused.value.messages[0].startswith("Record the end-point assessment first")
    assert not ApprenticeshipCompletion.objects.exists()


@pytest.mark.parametrize(("achieved", "field"), [(GATEWAY - timedelta(days=1), "achieved_on"),
                                                 (GATEWAY, "achieved_on"),  # after gateway, before the EPA
                                                 (EPA_HELD - timedelta(days=1), "achieved_on"),
                                                 (None, "future"), (EPA_HELD, None)])
def test_the_achievement_date_is_between_the_epa_and_today(apprenticeship, media, achieved, field):
    achieved = today() + timedelta(days=1) if field == "future" else achieved
    if field is None:  # the day the last method was held (passed_epa: the discussion on 8 Apr 2026)
        assert complete(apprenticeship, achieved_on=achieved).achieved_on == EPA_HELD
        return
    with pytest.raises(ValidationError) as refused:
        complete(apprenticeship, achieved_on=achieved)
    assert list(refused.value.message_dict) == ["achieved_on"]


def test_the_certificate_is_required_and_checked(apprenticeship, media):
    for certificate in (None, upload("certificate.pdf", content=PNG)):
        with pytest.raises(ValidationError) as refused:
            complete(apprenticeship, certificate=certificate)
        assert list(refused.value.message_dict) == ["certificate"]
    assert not ApprenticeshipCompletion.objects.exists()


def test_a_stale_version_writes_nothing(apprenticeship, media):
    with pytest.raises(StaleEdit):
        complete(apprenticeship, seen_version=apprenticeship.version - 1 if apprenticeship.version > 1 else 99)
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.ACTIVE and not ApprenticeshipCompletion.objects.exists()


def test_completion_sets_completed_and_is_audited(apprenticeship, media):
    completion = complete(apprenticeship)
    apprenticeship.refresh_from_db()
    assert apprenticeship.status == ApprenticeshipStatus.COMPLETED
    assert completion.certificate_name == "certificate.pdf" and completion.recorded_by == apprenticeship.coach
    assert AuditEvent.objects.filter(subject=f"apprenticeships.ApprenticeshipCompletion:{completion.public_id}",
                                     action="create").exists()
    assert AuditEvent.objects.filter(subject=f"apprenticeships.Apprenticeship:{apprenticeship.public_id}",
                                     action="update", details__status="completed").exists()
    with pytest.raises(ValidationError) as again:
        complete(apprenticeship)
    assert again.value.messages == [LOCKED]


def test_after_completion_every_record_is_locked(apprenticeship, media):
    item = PortfolioEvidenceFactory(apprenticeship=apprenticeship)
    complete(apprenticeship)
    apprenticeship.refresh_from_db()
    with pytest.raises(ValidationError) as otj:
        otj_services.log_off_the_job_hours(actor=Actor(apprenticeship.apprentice), apprenticeship=apprenticeship,
                                           entry_date=GATEWAY - timedelta(days=3), minutes=60,
                                           activity_type="self_study", what_learned="Reading")
    assert LOCKED in otj.value.messages
    item.refresh_from_db()
    item.apprenticeship = apprenticeship
    with pytest.raises(ValidationError) as edit:
        evidence_services.edit_evidence(actor=Actor(apprenticeship.apprentice), evidence=item,
                                        seen_version=item.version, title="Changed after completion")
    assert LOCKED in edit.value.messages
    with pytest.raises(ValidationError):
        assessor_services.grant_assessor_access(actor=Actor(apprenticeship.coach), apprenticeship=apprenticeship,
                                                email=assessor_of().email, starts_on=today(), ends_on=today())
    item.refresh_from_db()
    assert item.title != "Changed after completion" and not OffTheJobEntry.objects.exists()


# --- The pages ---


def page(apprenticeship):
    return reverse("apprenticeships:completion", args=[apprenticeship.public_id])


def test_the_coach_records_completion_and_the_overview_shows_it(client, sign_in, apprenticeship, media):
    sign_in(apprenticeship.coach)
    form = client.get(page(apprenticeship)).content.decode()
    assert "Record the achievement" in form and "record a withdrawal as a programme change" in form
    response = client.post(page(apprenticeship), {**date_post("achieved_on", GATEWAY + timedelta(days=40)),
                                                  "certificate": upload("certificate.pdf"),
                                                  "seen_version": apprenticeship.version})
    assert response.status_code == 302
    after = client.get(page(apprenticeship)).content.decode()
    assert "Record the achievement" not in after and "its records are locked" in after
    overview = client.get(reverse("apprenticeships:apprenticeship-detail", args=[apprenticeship.public_id]))
    assert "Achieved on" in overview.content.decode()
    assert reverse("apprenticeships:completion-certificate", args=[apprenticeship.public_id]) in \
        overview.content.decode()


def test_reading_the_outcome_is_audited_as_a_read_of_the_completion(client, sign_in, apprenticeship, media):
    completion = complete(apprenticeship)
    sign_in(apprenticeship.apprentice)
    assert client.get(page(apprenticeship)).status_code == 200
    subject = f"apprenticeships.ApprenticeshipCompletion:{completion.public_id}"
    assert AuditEvent.objects.filter(action="view", actor=apprenticeship.apprentice, subject=subject).exists()


def test_a_withdrawn_apprenticeship_says_it_is_withdrawn_not_achieved(client, sign_in, apprenticeship, media):
    apprenticeship.status = ApprenticeshipStatus.WITHDRAWN
    apprenticeship.save(update_fields=["status"])
    sign_in(apprenticeship.coach)
    response = client.post(page(apprenticeship), {**date_post("achieved_on", EPA_HELD), "seen_version": 1,
                                                  "certificate": upload("certificate.pdf")}, follow=True)
    body = response.content.decode()
    assert LOCKED_MESSAGE.format(status="withdrawn") in body and "already recorded" not in body
    assert not ApprenticeshipCompletion.objects.exists()


def test_a_bad_date_is_shown_on_the_form(client, sign_in, apprenticeship, media):
    sign_in(apprenticeship.coach)
    response = client.post(page(apprenticeship), {**date_post("achieved_on", GATEWAY - timedelta(days=1)),
                                                  "certificate": upload("certificate.pdf"),
                                                  "seen_version": apprenticeship.version})
    assert response.status_code == 200 and "on or after the gateway date" in response.content.decode()
    assert not ApprenticeshipCompletion.objects.exists()


@pytest.mark.parametrize("who", ["apprentice", "employer"])
def test_the_apprentice_and_employer_read_and_download_but_cannot_record(client, sign_in, apprenticeship, media, who):
    complete(apprenticeship)
    apprenticeship.refresh_from_db()
    sign_in(apprenticeship.apprentice if who == "apprentice" else employer_contact_of(apprenticeship).user)
    assert "Achievement date" in client.get(page(apprenticeship)).content.decode()
    download = client.get(reverse("apprenticeships:completion-certificate", args=[apprenticeship.public_id]))
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export",
                                     subject__startswith="apprenticeships.ApprenticeshipCompletion").exists()


@pytest.mark.parametrize("who", ["apprentice", "employer"])
def test_the_apprentice_and_employer_may_not_post(client, sign_in, apprenticeship, media, who):
    sign_in(apprenticeship.apprentice if who == "apprentice" else employer_contact_of(apprenticeship).user)
    response = client.post(page(apprenticeship), {**date_post("achieved_on", GATEWAY), "seen_version": 1,
                                                  "certificate": upload("certificate.pdf")})
    assert response.status_code == 403 and not ApprenticeshipCompletion.objects.exists()


@pytest.mark.parametrize("who", ["other coach", "colleague coach", "manager elsewhere", "assessor with a grant"])
def test_out_of_reach_is_404(client, sign_in, apprenticeship, media, who):
    complete(apprenticeship)
    user = {"other coach": lambda: ApprenticeshipFactory().coach,
            "colleague coach": lambda: staff_of(apprenticeship.provider, role=Role.SKILLS_COACH).user,
            "manager elsewhere": lambda: staff_of(role=Role.REGISTERED_MANAGER).user,
            "assessor with a grant": lambda: grant(apprenticeship, assessor_of()).assessor}[who]()
    sign_in(user)
    assert client.get(page(apprenticeship)).status_code == 404
    assert client.get(reverse("apprenticeships:completion-certificate",
                              args=[apprenticeship.public_id])).status_code == 404


def test_without_completion_the_certificate_is_404(client, sign_in, apprenticeship):
    sign_in(apprenticeship.coach)
    assert client.get(reverse("apprenticeships:completion-certificate",
                              args=[apprenticeship.public_id])).status_code == 404
