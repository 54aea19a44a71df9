"""/api/v1/people/<id>/dols-applications/: negative tests first (404 out of scope, 403 for a role
that never records, 400 naming each field, refused outside a care home), then the answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.assessments import dols_services
from carelead.assessments.models import DolsApplication
from carelead.assessments.tests.helpers import actor, member
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.models import SettingType
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def body(**overrides):
    return {"kind": "standard", "supervisory_body": "Leeds City Council", "reason": "Locked front door",
            "applied_on": str(today() - timedelta(days=5)), **overrides}


def urls(person, application=None):
    listing = reverse("api:api-dols-applications", args=[person.public_id])
    detail = application and reverse("api:api-dols-application-detail",
                                      args=[person.public_id, application.public_id])
    return listing, detail


def record(lead, **overrides):
    fields = {"kind": "standard", "supervisory_body": "Leeds", "reason": "Door",
              "applied_on": today() - timedelta(days=5), **overrides}
    return dols_services.record_dols_application(actor=actor(lead), person=lead.person, **fields)


def post(client, address, data):
    return client.post(address, data, content_type="application/json")


def patch(client, address, data):
    return client.patch(address, data, content_type="application/json")


def test_the_urls_are_the_published_contract(lead):
    application = record(lead)
    listing, detail = urls(lead.person, application)
    assert listing == f"/api/v1/people/{lead.person.public_id}/dols-applications/"
    assert detail == f"{listing}{application.public_id}/"


def test_a_person_elsewhere_is_404_and_nothing_is_written(lead, sign_in):
    application = record(lead)
    other = member(Role.REGISTERED_MANAGER, PersonFactory().location, sign_in)
    listing, detail = urls(lead.person, application)
    assert other.client.get(listing).status_code == 404
    assert post(other.client, listing, body()).status_code == 404
    assert other.client.get(detail).status_code == 404
    assert patch(other.client, detail, {"version": 1, "status": "withdrawn", "decided_on": str(today())}).status_code == 404
    application.refresh_from_db()
    assert DolsApplication.objects.count() == 1 and application.status == "requested"
    assert not AuditEvent.objects.filter(actor=other.user).exists()


def test_a_care_worker_reads_but_cannot_write(lead, sign_in):
    application = record(lead)
    worker = member(Role.CARE_WORKER, lead.person.location, sign_in)
    listing, detail = urls(lead.person, application)
    assert worker.client.get(listing).status_code == 200
    assert worker.client.get(detail).status_code == 200
    assert post(worker.client, listing, body()).status_code == 403
    assert patch(worker.client, detail, {"version": 1, "status": "withdrawn", "decided_on": str(today())}).status_code == 403
    application.refresh_from_db()
    assert DolsApplication.objects.count() == 1 and application.status == "requested"


def test_bad_input_names_each_field(lead):
    listing, _ = urls(lead.person)
    response = post(lead.client, listing, {"kind": "sometimes", "applied_on": "soon", "colour": "red"})
    assert response.status_code == 400
    assert {"kind", "applied_on", "supervisory_body", "reason", "colour"} <= set(response.json())
    response = post(lead.client, listing, body(kind="urgent_and_standard"))
    assert response.status_code == 400 and response.json() == {"urgent_from": [dols_services.URGENT_START_MESSAGE]}
    assert not DolsApplication.objects.exists()


def test_a_capacity_assessment_elsewhere_is_a_400(lead):
    from carelead.assessments.models import CapacityAssessment

    other = CapacityAssessment.objects.create(
        person=PersonFactory(), decision="Where to live", assessor=lead.user, practicable_steps="Easy read",
        can_understand=False, can_retain=True, can_use_or_weigh=True, can_communicate=True, outcome="lacks_capacity")
    response = post(lead.client, urls(lead.person)[0], body(capacity_assessment=str(other.public_id)))
    assert response.status_code == 400 and "capacity_assessment" in response.json()


def test_outside_a_care_home_an_application_is_refused(lead):
    location = lead.person.location
    location.setting_type = SettingType.SUPPORTED_LIVING
    location.save(update_fields=["setting_type"])
    response = post(lead.client, urls(lead.person)[0], body())
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [dols_services.NOT_CARE_HOME_MESSAGE]}
    assert not DolsApplication.objects.exists()


def test_a_grant_longer_than_a_year_is_400_and_nothing_changes(lead):
    application = record(lead)
    start = application.applied_on
    response = patch(lead.client, urls(lead.person, application)[1], {
        "version": application.version, "status": "granted", "decided_on": str(start),
        "authorised_from": str(start),
        "authorised_until": str(start.replace(year=start.year + 1))})
    assert response.status_code == 400 and list(response.json()) == ["authorised_until"]
    application.refresh_from_db()
    assert application.status == "requested" and application.authorised_until is None


def test_record_grant_and_read_with_its_state(lead):
    listing, _ = urls(lead.person)
    created = post(lead.client, listing, body())
    assert created.status_code == 201
    answer = created.json()
    assert answer["status"] == "requested" and answer["authorisation_state"] == "not_in_force"
    application = DolsApplication.objects.get(public_id=answer["id"])
    until = today() + timedelta(days=10)
    detail = urls(lead.person, application)[1]
    response = patch(lead.client, detail, {"version": 1, "status": "granted", "decided_on": str(today()),
                                           "authorised_from": str(today() - timedelta(days=1)),
                                           "authorised_until": str(until), "cqc_notified_on": str(today())})
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["authorisation_state"] == "renewal_due"
    assert answer["renewal_due_from"] == str(until - timedelta(days=28))
    assert answer["cqc_notified_on"] == str(today()) and answer["recorded_by"] == lead.user.full_name
    update = AuditEvent.objects.get(action=Action.UPDATE, person=lead.person)
    assert set(update.details["fields"]) == {"status", "decided_on", "authorised_from", "authorised_until",
                                             "cqc_notified_on"}
    assert lead.client.get(detail).json()["authorised_until"] == str(until)


def test_an_urgent_application_gives_its_end(lead):
    start = today() - timedelta(days=1)
    response = post(lead.client, urls(lead.person)[0], body(kind="urgent_and_standard", urgent_from=str(start),
                                                            applied_on=str(start)))
    assert response.status_code == 201 and response.json()["urgent_ends_on"] == str(start + timedelta(days=6))


def test_reads_are_audited_and_list_queries_do_not_grow(lead):
    listing, _ = urls(lead.person)
    record(lead)
    lead.client.get(listing)
    with CaptureQueriesContext(connection) as captured:
        lead.client.get(listing)
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    for days in range(6):
        record(lead, applied_on=today() - timedelta(days=days))
    with CaptureQueriesContext(connection) as captured:
        assert len(lead.client.get(listing).json()["results"]) == 7
    many = len(captured.captured_queries)
    assert many == few
    assert AuditEvent.objects.filter(action=Action.VIEW, person=lead.person, details__part="dols").count() == 3


def test_a_patch_needs_the_version_and_a_stale_one_is_409(lead):
    application = record(lead)
    detail = urls(lead.person, application)[1]
    missing = patch(lead.client, detail, {"reference": "LCC-2"})
    assert missing.status_code == 400 and list(missing.json()) == ["version"]
    assert patch(lead.client, detail, {"version": 1, "reference": "LCC-2"}).status_code == 200
    stale = patch(lead.client, detail, {"version": 1, "reference": "LCC-3"})
    assert stale.status_code == 409
    application.refresh_from_db()
    assert (application.reference, application.version) == ("LCC-2", 2)
