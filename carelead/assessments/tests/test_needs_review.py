"""A completed needs assessment's reassess-by date (issue 4): set on completion to the organisation's
review cycle after it, shown with its state (in date, due, overdue) on the tab, the assessment and
in the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carelead.assessments import services
from carelead.assessments.models import NeedsAssessment
from carelead.assessments.tests.helpers import actor

pytestmark = pytest.mark.django_db

SECTION = {"persons_view": "", "strengths": "", "needs": "Help on stairs", "support_level": "some_help",
           "tools_used": ""}


def completed(lead, *, interval_days: int = 28) -> NeedsAssessment:
    organisation = lead.person.location.organisation
    organisation.plan_review_interval_days = interval_days
    organisation.save(update_fields=["plan_review_interval_days"])
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    services.save_section(actor=actor(lead), assessment=assessment, area="skin", seen_version=1, **SECTION)
    return services.complete_needs_assessment(actor=actor(lead), assessment=assessment, seen_version=2)


def test_a_draft_has_no_reassess_date(lead):
    assessment = services.start_needs_assessment(actor=actor(lead), person=lead.person)
    assert assessment.review_on is None
    page = lead.client.get(reverse("assessments:needs-list", args=[lead.person.public_id])).content.decode()
    assert "Not set" in page


@pytest.mark.parametrize("interval_days", [1, 28, 56, 366])
def test_completion_sets_reassess_by_to_the_organisations_review_cycle(lead, interval_days):
    completed(lead, interval_days=interval_days)
    saved = NeedsAssessment.objects.get()
    assert saved.completed_on == timezone.localdate()
    assert saved.review_on == timezone.localdate() + timedelta(days=interval_days)


def test_the_audit_names_the_reassess_date_field(lead):
    from carelead.core.models import Action, AuditEvent

    completed(lead)
    event = AuditEvent.objects.filter(action=Action.UPDATE, subject__contains="NeedsAssessment:").last()
    assert "review_on" in event.details["fields"]


@pytest.mark.parametrize(("days_left", "label"), [(8, "In date"), (7, "Due"), (0, "Due"), (-1, "Overdue")])
def test_the_tab_and_the_assessment_show_the_date_and_its_state(lead, days_left, label):
    assessment = completed(lead)
    review_on = timezone.localdate() + timedelta(days=days_left)
    NeedsAssessment.objects.filter(pk=assessment.pk).update(review_on=review_on)
    shown = f'{review_on:%-d %b %Y}'
    listing = lead.client.get(reverse("assessments:needs-list", args=[lead.person.public_id])).content.decode()
    detail = lead.client.get(reverse("assessments:needs-detail",
                                     args=[lead.person.public_id, assessment.public_id])).content.decode()
    for page in (listing, detail):
        assert "Reassess by" in page and shown in page
        assert f">{label}</strong>" in page


@pytest.mark.parametrize(("days_left", "state"), [(8, "in_date"), (7, "due"), (0, "due"), (-1, "overdue")])
def test_the_api_gives_the_reassess_date_and_state(lead, days_left, state):
    assessment = completed(lead)
    review_on = timezone.localdate() + timedelta(days=days_left)
    NeedsAssessment.objects.filter(pk=assessment.pk).update(review_on=review_on)
    listing = lead.client.get(reverse("api:api-needs-assessments", args=[lead.person.public_id])).json()
    detail = lead.client.get(reverse("api:api-needs-assessment-detail",
                                     args=[lead.person.public_id, assessment.public_id])).json()
    for body in (listing["results"][0], detail):
        assert body["review_on"] == review_on.isoformat()
        assert body["review_state"] == state


def test_the_api_gives_no_state_for_a_draft(lead):
    services.start_needs_assessment(actor=actor(lead), person=lead.person)
    body = lead.client.get(reverse("api:api-needs-assessments", args=[lead.person.public_id])).json()
    assert body["results"][0]["review_on"] is None and body["results"][0]["review_state"] is None
