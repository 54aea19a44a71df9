"""DoLS applications (issue 4): services and pages. Negative tests first: a person elsewhere is a 404
and nothing is written; a care worker reads but cannot record; outside a care home the form is not
offered and the service refuses. Then recording, the decision, the tab's warnings, audit, queries."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.assessments import dols_services
from carelead.assessments.models import DolsApplication
from carelead.assessments.tests.helpers import actor, member
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.models import SettingType
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def fields(**overrides):
    return {"kind": DolsApplication.Kind.STANDARD, "supervisory_body": "Leeds City Council",
            "reason": "Locked front door; constant supervision", "applied_on": today() - timedelta(days=10),
            **overrides}


def record(lead, **overrides) -> DolsApplication:
    return dols_services.record_dols_application(actor=actor(lead), person=lead.person, **fields(**overrides))


def grant(lead, application, *, until: date) -> DolsApplication:
    return dols_services.update_dols_application(
        actor=actor(lead), application=application, seen_version=application.version,
        status=DolsApplication.Status.GRANTED,
        decided_on=application.applied_on, authorised_from=until - timedelta(days=200), authorised_until=until)


def dated(name: str, when: date) -> dict:
    return {f"{name}_0": when.day, f"{name}_1": when.month, f"{name}_2": when.year}


def url(name, person, *args):
    return reverse(f"assessments:{name}", args=[person.public_id, *args])


def shown(when: date) -> str:
    return f"{when.day} {when:%b %Y}"


# --- Who may ----------------------------------------------------------------------------------


def test_a_person_elsewhere_is_a_404_on_every_page_and_nothing_is_written(lead, sign_in):
    application = record(lead)
    other = member(Role.REGISTERED_MANAGER, PersonFactory().location, sign_in)
    for name, args in (("dols-new", ()), ("dols-detail", (application.public_id,)),
                       ("dols-edit", (application.public_id,))):
        assert other.client.get(url(name, lead.person, *args)).status_code == 404
        if name != "dols-detail":
            assert other.client.post(url(name, lead.person, *args), fields()).status_code == 404
    assert DolsApplication.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=other.user).exists()


def test_a_care_worker_reads_but_cannot_record_or_update(lead, sign_in):
    application = record(lead)
    worker = member(Role.CARE_WORKER, lead.person.location, sign_in)
    assert worker.client.get(url("dols-detail", lead.person, application.public_id)).status_code == 200
    page = worker.client.get(url("mca-list", lead.person)).content.decode()
    assert "Deprivation of Liberty Safeguards" in page and url("dols-new", lead.person) not in page
    assert worker.client.post(url("dols-new", lead.person), fields()).status_code in (403, 404)
    assert worker.client.post(url("dols-edit", lead.person, application.public_id),
                              {"status": "withdrawn", **dated("decided_on", today())}).status_code in (403, 404)
    with pytest.raises(NotAllowed):
        dols_services.record_dols_application(actor=actor(worker), person=lead.person, **fields())
    application.refresh_from_db()
    assert DolsApplication.objects.count() == 1 and application.status == DolsApplication.Status.REQUESTED


def test_a_senior_carer_cannot_record(lead):
    senior = member(Role.SENIOR_CARER, lead.person.location)
    with pytest.raises(NotAllowed):
        dols_services.record_dols_application(actor=actor(senior), person=lead.person, **fields())


@pytest.mark.parametrize("setting", [SettingType.SUPPORTED_LIVING, SettingType.HOME_CARE, SettingType.OWN_HOME])
def test_outside_a_care_home_the_court_of_protection_is_named_and_nothing_is_recorded(lead, setting):
    location = lead.person.location
    location.setting_type = setting
    location.save(update_fields=["setting_type"])
    page = lead.client.get(url("dols-new", lead.person)).content.decode()
    assert "Court of Protection" in page and 'name="supervisory_body"' not in page
    assert "Court of Protection" in lead.client.get(url("mca-list", lead.person)).content.decode()
    lead.client.post(url("dols-new", lead.person), {"kind": "standard", "supervisory_body": "X", "reason": "Y",
                                                    **dated("applied_on", today())})
    with pytest.raises(ValidationError) as refused:
        record(lead)
    assert refused.value.messages == [dols_services.NOT_CARE_HOME_MESSAGE]
    assert not DolsApplication.objects.exists()


def test_a_capacity_assessment_of_someone_else_is_refused(lead):
    from carelead.assessments.models import CapacityAssessment

    elsewhere = PersonFactory()
    assessment = CapacityAssessment.objects.create(
        person=elsewhere, decision="Where to live", assessor=lead.user, practicable_steps="Easy read",
        can_understand=False, can_retain=True, can_use_or_weigh=True, can_communicate=True,
        outcome=CapacityAssessment.Outcome.LACKS_CAPACITY)
    with pytest.raises(ValidationError) as refused:
        record(lead, capacity_assessment=assessment)
    assert refused.value.message_dict == {"capacity_assessment": [dols_services.OTHER_PERSON_MESSAGE]}


def test_a_capacity_assessment_is_offered_with_its_local_date(lead):
    """Assessed at 00:30 on 1 Jul 2026 in London (23:30 on 30 Jun in UTC): offered as 1 Jul."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from carelead.assessments.dols_forms import DolsApplicationForm
    from carelead.assessments.models import CapacityAssessment

    assessment = CapacityAssessment.objects.create(
        person=lead.person, decision="Where to live", assessor=lead.user, practicable_steps="Easy read",
        can_understand=False, can_retain=True, can_use_or_weigh=True, can_communicate=True,
        outcome=CapacityAssessment.Outcome.LACKS_CAPACITY,
        assessed_at=datetime(2026, 7, 1, 0, 30, tzinfo=ZoneInfo("Europe/London")))
    assessment = CapacityAssessment.objects.get(pk=assessment.pk)  # read back as the database gives it: in UTC
    field = DolsApplicationForm(capacity_assessments=[assessment]).fields["capacity_assessment"]
    assert field.label_from_instance(assessment) == "Capacity for: Where to live (1 Jul 2026)"


# --- What it does -----------------------------------------------------------------------------


def test_the_extension_is_offered_only_for_an_urgent_authorisation(lead):
    standard = record(lead)
    urgent = record(lead, kind="urgent_and_standard", urgent_from=today())
    def edit_page(application):
        return lead.client.get(url("dols-edit", lead.person, application.public_id)).content.decode()

    assert 'name="urgent_extended"' not in edit_page(standard) and 'name="urgent_extended"' in edit_page(urgent)
    assert 'name="capacity_assessment"' in lead.client.get(url("dols-new", lead.person)).content.decode()


def test_a_lead_records_an_urgent_application_and_the_tab_shows_its_end(lead):
    start = today() - timedelta(days=2)
    response = lead.client.post(url("dols-new", lead.person), {
        "kind": "urgent_and_standard", "supervisory_body": "Leeds City Council", "reason": "Locked door",
        "capacity_assessment": "", **dated("applied_on", start), **dated("urgent_from", start),
    })
    application = DolsApplication.objects.get()
    assert response.status_code == 302 and response.url == url("dols-detail", lead.person, application.public_id)
    assert application.recorded_by == lead.user and application.status == DolsApplication.Status.REQUESTED
    page = lead.client.get(url("mca-list", lead.person)).content.decode()
    assert f"The urgent authorisation ends on {shown(start + timedelta(days=6))}." in page
    event = AuditEvent.objects.get(action=Action.CREATE, person=lead.person)
    assert "Locked door" not in str(event.details) and "reason" in event.details["fields"]


def test_bad_dates_are_shown_beside_their_fields_and_nothing_is_saved(lead):
    response = lead.client.post(url("dols-new", lead.person), {
        "kind": "urgent_and_standard", "supervisory_body": "Leeds", "reason": "Door",
        **dated("applied_on", today() + timedelta(days=1)),
    })
    page = response.content.decode()
    assert response.status_code == 200 and "Date requested must be today or in the past" in page
    assert dols_services.URGENT_START_MESSAGE in page
    assert not DolsApplication.objects.exists()


def test_granting_for_longer_than_a_year_is_refused_and_nothing_changes(lead):
    application = record(lead)
    start = application.applied_on
    response = lead.client.post(url("dols-edit", lead.person, application.public_id), {
        "version": application.version, "status": "granted", **dated("decided_on", start), **dated("authorised_from", start),
        **dated("authorised_until", start.replace(year=start.year + 1)),
    })
    assert response.status_code == 200 and "A standard authorisation lasts at most a year" in response.content.decode()
    application.refresh_from_db()
    assert application.status == DolsApplication.Status.REQUESTED and application.authorised_until is None


def test_a_lead_records_the_grant_and_cqc_notification(lead):
    application = record(lead)
    start = application.applied_on
    until = dols_services.dols.standard_latest_end(start)
    response = lead.client.post(url("dols-edit", lead.person, application.public_id), {
        "version": application.version, "status": "granted", **dated("decided_on", start), **dated("authorised_from", start),
        **dated("authorised_until", until), **dated("cqc_notified_on", today()), "conditions": "",
        "reference": "LCC-1",
    })
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.authorised_until, application.cqc_notified_on) == (
        DolsApplication.Status.GRANTED, until, today())
    event = AuditEvent.objects.get(action=Action.UPDATE, person=lead.person)
    assert set(event.details["fields"]) == {"status", "decided_on", "authorised_from", "authorised_until",
                                            "cqc_notified_on", "reference"}
    page = lead.client.get(url("dols-detail", lead.person, application.public_id)).content.decode()
    assert f"CQC notified on {shown(today())}" in page and ">In force</strong>" in page


def test_the_detail_prompts_for_the_cqc_notification(lead):
    application = record(lead)
    page = lead.client.get(url("dols-detail", lead.person, application.public_id)).content.decode()
    assert "Notify CQC of this application and its outcome" in page


@pytest.mark.parametrize(("days_left", "heading", "tag"), [
    (29, None, "In force"), (28, "ends soon", "Renewal due"), (0, "ends soon", "Renewal due"),
    (-1, "has expired", "Expired"),
])
def test_the_tab_warns_in_the_renewal_window_and_after_expiry(lead, days_left, heading, tag):
    grant(lead, record(lead, applied_on=today() - timedelta(days=300)), until=today() + timedelta(days=days_left))
    page = lead.client.get(url("mca-list", lead.person)).content.decode()
    assert f">{tag}</strong>" in page
    if heading:
        assert f"authorisation {heading}" in page and "nhsuk-warning-callout" in page
    else:
        assert "nhsuk-warning-callout" not in page
    if days_left >= 0 and heading:
        until = shown(today() + timedelta(days=days_left))
        assert f"The authorisation ends on {until}. If they are still deprived of their liberty" in page


def test_the_tab_never_says_the_person_lacks_capacity_in_general(lead):
    from carelead.assessments import services

    services.record_capacity_assessment(
        actor=actor(lead), person=lead.person, decision="Whether to live here", practicable_steps="Easy read",
        can_understand=False, understand_evidence="Could not recall", can_retain=True, can_use_or_weigh=True,
        can_communicate=True, impairment_present=True, impairment_evidence="Dementia", causal_link=True,
        causal_link_evidence="Because of dementia")
    grant(lead, record(lead, applied_on=today() - timedelta(days=300)), until=today() + timedelta(days=3))
    page = lead.client.get(url("mca-list", lead.person)).content.decode()
    assert "lacks capacity" in page
    assert all(page[match.end():].startswith(" for this decision") for match in re.finditer("lacks capacity", page))


def test_reads_are_audited(lead):
    application = record(lead)
    for address in (url("mca-list", lead.person), url("dols-detail", lead.person, application.public_id),
                    url("dols-edit", lead.person, application.public_id)):
        assert lead.client.get(address).status_code == 200
    views = AuditEvent.objects.filter(action=Action.VIEW, person=lead.person)
    assert views.count() == 3
    assert views.filter(subject__contains=str(application.public_id)).count() == 2


def test_the_tab_queries_do_not_grow_with_applications(lead):
    address = url("mca-list", lead.person)
    record(lead)
    lead.client.get(address)
    with CaptureQueriesContext(connection) as captured:
        lead.client.get(address)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for days in range(5):
        grant(lead, record(lead, applied_on=today() - timedelta(days=300 + days)), until=today() + timedelta(days=days))
    with CaptureQueriesContext(connection) as captured:
        lead.client.get(address)
    many = len(captured.captured_queries)
    assert many == few


def test_a_second_editor_is_told_someone_saved_and_nothing_is_overwritten(lead):
    application = record(lead)
    opened_at = application.version
    page = lead.client.get(url("dols-edit", lead.person, application.public_id)).content.decode()
    assert re.search(rf'name="version" value="{opened_at}"', page)
    start = application.applied_on
    grant(lead, application, until=start + timedelta(days=200))
    response = lead.client.post(url("dols-edit", lead.person, application.public_id), {
        "version": opened_at, "status": "withdrawn", **dated("decided_on", start),
    })
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it" in response.content.decode()
    application.refresh_from_db()
    assert application.status == DolsApplication.Status.GRANTED and application.version == opened_at + 1


def test_the_service_refuses_a_stale_version_and_saves_nothing(lead):
    application = record(lead)
    with pytest.raises(StaleEdit):
        dols_services.update_dols_application(actor=actor(lead), application=application,
                                              seen_version=application.version + 1, reference="LCC-9")
    application.refresh_from_db()
    assert application.reference != "LCC-9"
