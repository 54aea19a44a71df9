"""Holistic needs assessments (issue 4): pages and services.

Negative tests first: a person elsewhere is a 404 on every URL and nothing is written; a care worker
cannot start one; a senior carer may write a section but not complete; a stale version is refused
with a message and nothing saved; a completed assessment is read-only. Then versions kept, audit
rows, and query counts that do not grow with the data.
"""

import pytest
from django.utils.html import escape
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.assessments import services
from carelead.assessments.models import (
    NeedsArea,
    NeedsAssessment,
    NeedsAssessmentSection,
    NeedsAssessmentVersion,
)
from carelead.assessments.tests.helpers import actor, member
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SECTION = {"persons_view": "I want to walk to the shop", "strengths": "Walks with a frame", "needs": "Help on stairs",
           "support_level": "some_help", "tools_used": "Waterlow 18 on 22 Nov 2026"}


def url(name, person, *args):
    return reverse(f"assessments:{name}", args=[person.public_id, *args])


def every_url_of(person, assessment):
    return [
        url("needs-list", person), url("needs-new", person),
        url("needs-detail", person, assessment.public_id),
        url("needs-section-edit", person, assessment.public_id, "skin"),
        url("needs-complete", person, assessment.public_id),
    ]


# --- Who may: negative tests first -------------------------------------------------------------


def test_a_person_at_another_location_is_404_on_every_url_and_nothing_is_written(lead, sign_in):
    for person in (PersonFactory(), PersonFactory(location=LocationFactory(organisation=lead.organisation))):
        other_lead = member(Role.LEAD_PRACTITIONER, person.location)
        assessment = services.start_needs_assessment(actor=actor(other_lead), person=person)
        before = (AuditEvent.objects.count(), NeedsAssessment.objects.count())
        for address in every_url_of(person, assessment):
            assert lead.client.get(address).status_code in (404, 405), address
            response = lead.client.post(address, {**SECTION, "version": 1})
            assert response.status_code in (404, 405), address
        assert (AuditEvent.objects.count(), NeedsAssessment.objects.count()) == before
        assert not NeedsAssessmentSection.objects.exists()


def test_a_care_worker_cannot_start_write_or_complete(lead, sign_in):
    worker = member(Role.CARE_WORKER, lead.person.location, sign_in)
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    assert worker.client.post(url("needs-new", lead.person)).status_code in (403, 404)
    assert worker.client.post(url("needs-section-edit", lead.person, assessment.public_id, "skin"),
                              {**SECTION, "version": 1}).status_code == 404
    assert worker.client.post(url("needs-complete", lead.person, assessment.public_id),
                              {"version": 1}).status_code == 404
    assert NeedsAssessment.objects.count() == 1
    assert not NeedsAssessmentSection.objects.exists()
    with pytest.raises(NotAllowed):
        services.start_needs_assessment(actor=actor(worker), person=lead.person)
    # but they may read it
    assert worker.client.get(url("needs-detail", lead.person, assessment.public_id)).status_code == 200


def test_a_senior_carer_may_write_a_section_but_not_start_or_complete(lead, sign_in):
    senior = member(Role.SENIOR_CARER, lead.person.location, sign_in)
    assert senior.client.post(url("needs-new", lead.person)).status_code in (403, 404)
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    response = senior.client.post(url("needs-section-edit", lead.person, assessment.public_id, "skin"),
                                  {**SECTION, "version": 1})
    assert response.status_code == 302
    section = NeedsAssessmentSection.objects.get()
    assert (section.area, section.contributed_by, section.needs) == ("skin", senior.user, "Help on stairs")
    assert senior.client.post(url("needs-complete", lead.person, assessment.public_id),
                              {"version": 2}).status_code == 404
    with pytest.raises(NotAllowed):
        services.complete_needs_assessment(actor=actor(senior), assessment=assessment, seen_version=2)
    assessment.refresh_from_db()
    assert assessment.status == NeedsAssessment.Status.DRAFT


def test_an_unknown_area_is_404(lead):
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    assert lead.client.get(url("needs-section-edit", lead.person, assessment.public_id, "hair")).status_code == 404
    with pytest.raises(ValidationError):
        services.save_section(actor=actor(lead), assessment=assessment, area="hair", seen_version=1, **SECTION)


def test_a_stale_version_is_refused_with_a_message_and_nothing_saved(lead):
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    services.save_section(actor=actor(lead), assessment=assessment, area="skin", seen_version=1, **SECTION)
    response = lead.client.post(url("needs-section-edit", lead.person, assessment.public_id, "continence"),
                                {**SECTION, "version": 1})
    assert response.status_code == 200
    assert StaleEdit().message in response.content.decode().replace("&#x27;", "'")
    assert not NeedsAssessmentSection.objects.filter(area="continence").exists()
    assert NeedsAssessmentVersion.objects.count() == 1
    with pytest.raises(StaleEdit):
        services.save_section(actor=actor(lead), assessment=assessment, area="skin", seen_version=1, needs="x")
    assert NeedsAssessmentSection.objects.get(area="skin").needs == "Help on stairs"


def test_a_completed_assessment_is_read_only(lead):
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    with pytest.raises(ValidationError):  # nothing written yet
        services.complete_needs_assessment(actor=actor(lead), assessment=assessment, seen_version=1)
    services.save_section(actor=actor(lead), assessment=assessment, area="skin", seen_version=1, **SECTION)
    response = lead.client.post(url("needs-complete", lead.person, assessment.public_id), {"version": 2})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_completed and assessment.completed_on is not None
    with pytest.raises(ValidationError):
        services.save_section(actor=actor(lead), assessment=assessment, area="skin", seen_version=3, needs="x")
    with pytest.raises(ValidationError):
        services.complete_needs_assessment(actor=actor(lead), assessment=assessment, seen_version=3)
    response = lead.client.post(url("needs-section-edit", lead.person, assessment.public_id, "skin"),
                                {**SECTION, "needs": "changed", "version": 3})
    assert response.status_code == 302
    assert NeedsAssessmentSection.objects.get().needs == "Help on stairs"


# --- What it does ----------------------------------------------------------------------------


def test_a_lead_starts_writes_and_completes_and_versions_are_kept(lead):
    response = lead.client.post(url("needs-new", lead.person))
    assessment = NeedsAssessment.objects.get()
    assert response.url == url("needs-detail", lead.person, assessment.public_id)
    assert assessment.led_by == lead.user and assessment.status == NeedsAssessment.Status.DRAFT
    form = lead.client.get(url("needs-section-edit", lead.person, assessment.public_id, "skin"))
    assert form.status_code == 200 and 'name="version"' in form.content.decode()
    lead.client.post(url("needs-section-edit", lead.person, assessment.public_id, "skin"), {**SECTION, "version": 1})
    lead.client.post(url("needs-section-edit", lead.person, assessment.public_id, "skin"),
                     {**SECTION, "needs": "Cream twice a day", "version": 2})
    versions = {v.version: v.sections for v in NeedsAssessmentVersion.objects.all()}
    assert versions[2]["skin"]["needs"] == "Help on stairs"
    assert versions[3]["skin"]["needs"] == "Cream twice a day"
    page = lead.client.get(url("needs-detail", lead.person, assessment.public_id)).content.decode()
    assert "Cream twice a day" in page and "Version 3" in page and escape(lead.user.full_name) in page
    assert "Environment and equipment (telecare and assistive technology)" in page


def test_every_read_and_write_is_audited(lead):
    lead.client.post(url("needs-new", lead.person))
    assessment = NeedsAssessment.objects.get()
    lead.client.get(url("needs-list", lead.person))
    lead.client.get(url("needs-detail", lead.person, assessment.public_id))
    lead.client.post(url("needs-section-edit", lead.person, assessment.public_id, "skin"), {**SECTION, "version": 1})
    events = AuditEvent.objects.filter(person=lead.person)
    assert events.filter(action=Action.CREATE).count() == 1
    assert events.filter(action=Action.VIEW, details__tab="assessments").count() == 2
    update = events.get(action=Action.UPDATE)
    assert update.details["area"] == "skin"
    assert "Help on stairs" not in str(update.details)  # field names only


def test_the_tab_is_shown_after_profile(lead):
    page = lead.client.get(url("needs-list", lead.person)).content.decode()
    assert page.index("Profile") < page.index("Assessments") < page.index("About Me")
    assert "Start a needs assessment" in page


def _queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    count = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert count > 0
    return count


def test_query_counts_do_not_grow_with_the_data(lead):
    first = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    services.save_section(actor=actor(lead), assessment=first, area="skin", seen_version=1, **SECTION)
    list_few = _queries(lead.client, url("needs-list", lead.person))
    detail_few = _queries(lead.client, url("needs-detail", lead.person, first.public_id))
    for _ in range(4):
        services.start_needs_assessment(actor=actor(lead), person=lead.person)
    for version, area in enumerate(NeedsArea.values[1:], start=2):
        contributor = member(Role.SENIOR_CARER, lead.person.location)
        services.save_section(actor=actor(contributor), assessment=first, area=area, seen_version=version, **SECTION)
    assert _queries(lead.client, url("needs-list", lead.person)) == list_few
    assert _queries(lead.client, url("needs-detail", lead.person, first.public_id)) == detail_few


def test_an_earlier_version_can_be_read_and_a_person_elsewhere_is_404(lead, sign_in):
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    services.save_section(actor=actor(lead), assessment=assessment, area="skin", seen_version=1, **SECTION)
    services.save_section(actor=actor(lead), assessment=assessment, area="skin", seen_version=2,
                          **{**SECTION, "needs": "Cream twice a day"})
    page = lead.client.get(url("needs-version", lead.person, assessment.public_id, 2))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Help on stairs" in text and "Cream twice a day" not in text and "Needs some help" in text
    assert AuditEvent.objects.filter(action=Action.VIEW, details__version=2).exists()
    assert lead.client.get(url("needs-version", lead.person, assessment.public_id, 9)).status_code == 404
    stranger = sign_in(MembershipFactory(role=Role.REGISTERED_MANAGER))
    assert stranger.get(url("needs-version", lead.person, assessment.public_id, 2)).status_code == 404
