"""/api/v1/people/<id>/assessments/: a person's needs assessments, one with its sections, and writing
a section with the version last read (409 when stale). Negative tests first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carelead.assessments import services
from carelead.assessments.models import NeedsArea, NeedsAssessment, NeedsAssessmentSection
from carelead.core.actor import Actor
from carelead.core.models import AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SECTION = {"persons_view": "I like my garden", "strengths": "Strong faith", "needs": "Lift to church on Sundays",
           "support_level": "some_help", "tools_used": ""}


def list_url(person):
    return reverse("api:api-needs-assessments", args=[person.public_id])


def detail_url(person, assessment):
    return reverse("api:api-needs-assessment-detail", args=[person.public_id, assessment.public_id])


def section_url(person, assessment, area="social_and_spiritual"):
    return reverse("api:api-needs-section", args=[person.public_id, assessment.public_id, area])


def put(client, address, body):
    return client.put(address, body, content_type="application/json")


@pytest.fixture
def lead():
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    membership.person = PersonFactory(location=membership.locations.get())
    return membership


def in_same_place(role, lead):
    return MembershipFactory(role=role, organisation=lead.organisation, locations=[lead.person.location])


def test_the_urls_are_the_published_contract(lead):
    assessment = services.start_needs_assessment(actor=Actor(user=lead.user), person=lead.person)
    base = f"/api/v1/people/{lead.person.public_id}/assessments/"
    assert list_url(lead.person) == base
    assert detail_url(lead.person, assessment) == f"{base}{assessment.public_id}/"
    assert section_url(lead.person, assessment, "skin") == f"{base}{assessment.public_id}/sections/skin/"


def test_a_person_elsewhere_is_404_and_nothing_is_written(lead, sign_in):
    elsewhere = PersonFactory()
    other = MembershipFactory(role=Role.LEAD_PRACTITIONER, organisation=elsewhere.location.organisation,
                              locations=[elsewhere.location])
    assessment = services.start_needs_assessment(actor=Actor(user=other.user), person=elsewhere)
    before = AuditEvent.objects.count()
    client = sign_in(lead)
    assert client.get(list_url(elsewhere)).status_code == 404
    assert client.post(list_url(elsewhere), {}, content_type="application/json").status_code == 404
    assert client.get(detail_url(elsewhere, assessment)).status_code == 404
    assert put(client, section_url(elsewhere, assessment), {**SECTION, "version": 1}).status_code == 404
    assert AuditEvent.objects.count() == before
    assert NeedsAssessment.objects.count() == 1 and not NeedsAssessmentSection.objects.exists()


def test_a_care_worker_cannot_start_or_write(lead, sign_in):
    client = sign_in(in_same_place(Role.CARE_WORKER, lead))
    assert client.post(list_url(lead.person), {}, content_type="application/json").status_code == 403
    assessment = services.start_needs_assessment(actor=Actor(user=lead.user), person=lead.person)
    assert put(client, section_url(lead.person, assessment), {**SECTION, "version": 1}).status_code == 404
    assert not NeedsAssessmentSection.objects.exists()
    assert client.get(detail_url(lead.person, assessment)).status_code == 200


def test_a_stale_version_is_409_and_nothing_saved(lead, sign_in):
    client = sign_in(in_same_place(Role.SENIOR_CARER, lead))
    assessment = services.start_needs_assessment(actor=Actor(user=lead.user), person=lead.person)
    assert put(client, section_url(lead.person, assessment), {**SECTION, "version": 1}).status_code == 200
    response = put(client, section_url(lead.person, assessment, "skin"), {**SECTION, "version": 1})
    assert response.status_code == 409
    assert not NeedsAssessmentSection.objects.filter(area="skin").exists()


def test_bad_input_and_unknown_area(lead, sign_in):
    client = sign_in(lead)
    assessment = services.start_needs_assessment(actor=Actor(user=lead.user), person=lead.person)
    response = put(client, section_url(lead.person, assessment), {**SECTION, "support_level": "lots"})
    assert response.status_code == 400
    assert set(response.json()) == {"version", "support_level"}
    assert put(client, section_url(lead.person, assessment, "hair"), {**SECTION, "version": 1}).status_code == 404
    assert not NeedsAssessmentSection.objects.exists()


def test_a_completed_assessment_cannot_be_written(lead, sign_in):
    client = sign_in(lead)
    assessment = services.start_needs_assessment(actor=Actor(user=lead.user), person=lead.person)
    services.save_section(actor=Actor(user=lead.user), assessment=assessment, area="skin", seen_version=1, **SECTION)
    services.complete_needs_assessment(actor=Actor(user=lead.user), assessment=assessment, seen_version=2)
    response = put(client, section_url(lead.person, assessment), {**SECTION, "version": 3})
    assert response.status_code == 400
    assert NeedsAssessmentSection.objects.count() == 1


def test_start_write_and_read(lead, sign_in):
    client = sign_in(lead)
    response = client.post(list_url(lead.person), {}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["led_by"] == lead.user.full_name and body["status"] == "draft" and body["version"] == 1
    assessment = NeedsAssessment.objects.get()
    response = put(client, section_url(lead.person, assessment), {**SECTION, "version": 1})
    assert response.status_code == 200 and response.json()["contributed_by"] == lead.user.full_name
    detail = client.get(detail_url(lead.person, assessment)).json()
    assert detail["version"] == 2
    assert detail["sections"][0]["area"] == "social_and_spiritual"
    assert detail["sections"][0]["needs"] == "Lift to church on Sundays"
    assert [v["version"] for v in detail["versions"]] == [2]
    assert detail["versions"][0]["sections"]["social_and_spiritual"]["needs"] == "Lift to church on Sundays"
    listed = client.get(list_url(lead.person)).json()
    assert [row["id"] for row in listed["results"]] == [str(assessment.public_id)]


def _queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    count = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert count > 0
    return count


def test_query_counts_do_not_grow(lead, sign_in):
    client = sign_in(lead)
    actor = Actor(user=lead.user)
    first = services.start_needs_assessment(actor=actor, person=lead.person)
    services.save_section(actor=actor, assessment=first, area="skin", seen_version=1, **SECTION)
    few = (_queries(client, list_url(lead.person)), _queries(client, detail_url(lead.person, first)))
    for _ in range(4):
        services.start_needs_assessment(actor=actor, person=lead.person)
    for version, area in enumerate(NeedsArea.values[1:], start=2):
        contributor = in_same_place(Role.SENIOR_CARER, lead)
        services.save_section(actor=Actor(user=contributor.user), assessment=first, area=area,
                              seen_version=version, **SECTION)
    assert (_queries(client, list_url(lead.person)), _queries(client, detail_url(lead.person, first))) == few
