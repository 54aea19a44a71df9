"""The care plan API: negative cases first (a person elsewhere, no plan, a role that may not write,
a missing or stale If-Match, bad fields), each asserting nothing was written; then each endpoint."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.assessments.models import NeedsArea, NeedsAssessment
from carelead.careplans import plan_api
from carelead.careplans import plan_services as services
from carelead.careplans.models import CarePlan, CarePlanReview, CarePlanSection, PersonAgreement, SupportAction
from carelead.careplans.tests.factories import NeedsAssessmentFactory, RiskAssessmentFactory, assessed
from carelead.core.actor import Actor
from carelead.core.api import UNKNOWN_FIELD_MESSAGE
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory
from carelead.people.tests.test_api import token_for

pytestmark = pytest.mark.django_db
SKIN, FALLS = NeedsArea.SKIN, NeedsArea.MOBILITY_AND_FALLS


class PlanClient:
    """Token-authenticated JSON requests, with If-Match when given a version."""

    def __init__(self, client, user):
        self.client, self.auth = client, {"HTTP_AUTHORIZATION": f"Token {token_for(user)}"}

    def _headers(self, version):
        return {**self.auth, **({"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {})}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, **self.auth)

    def post(self, url, body=None, version=None):
        return self.client.post(url, body or {}, content_type="application/json", **self._headers(version))

    def patch(self, url, body, version=None):
        return self.client.patch(url, body, content_type="application/json", **self._headers(version))

    def delete(self, url, version=None):
        return self.client.delete(url, **self._headers(version))


@pytest.fixture
def as_(client):
    return lambda membership: PlanClient(client, membership.user)


def _member(role, location=None):
    if location is None:
        return MembershipFactory(role=role)
    return MembershipFactory(role=role, organisation=location.organisation, locations=[location])


def _plan():
    """A lead's plan (version 1) for a person with skin and falls needs, and the lead's membership."""
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    person = PersonFactory(location=lead.locations.get())
    plan = services.build_plan(actor=Actor(user=lead.user), person=person,
                               assessment=assessed(person, **{SKIN: "Waterlow 16", FALLS: "Two falls"}))
    return lead, plan


def _url(name, plan, *args):
    return reverse(f"api:{name}", args=[plan.person.public_id, *args])


def _section_body(**overrides):
    return {"title": "Eating and drinking", "area": NeedsArea.NUTRITION_AND_HYDRATION, "assessed_need": "MUST 2",
            "outcome": "I want to enjoy my meals", "actions": [{"what": "Fortified milk", "who": "Kitchen team",
                                                                "when": "Every morning"}], **overrides}


def _unchanged(plan, version=1):
    plan.refresh_from_db()
    assert plan.version == version
    assert not AuditEvent.objects.filter(action__in=[Action.UPDATE, Action.DELETE], person=plan.person).exists()


# --- Who may, and what is refused ----------------------------------------------------------------


def test_a_person_elsewhere_is_a_404_for_every_endpoint_and_nothing_is_written(as_):
    _, plan = _plan()
    section = plan.sections.first()
    client = as_(_member(Role.REGISTERED_MANAGER))
    assert client.get(_url("api-care-plan", plan)).status_code == 404
    assert client.patch(_url("api-care-plan", plan), {"summary": "Mine"}, version=1).status_code == 404
    assert client.post(_url("api-care-plan-sections", plan), _section_body(), version=1).status_code == 404
    assert client.patch(_url("api-care-plan-section", plan, section.public_id), {"title": "x"}, version=1).status_code == 404
    assert client.delete(_url("api-care-plan-section", plan, section.public_id), version=1).status_code == 404
    assert client.post(_url("api-care-plan-approve", plan), version=1).status_code == 404
    assert client.get(_url("api-care-plan-reviews", plan)).status_code == 404
    assert client.post(_url("api-care-plan-reviews", plan), {"findings": "x"}, version=1).status_code == 404
    assert client.get(_url("api-care-plan-versions", plan)).status_code == 404
    assert client.get(_url("api-care-plan-compare", plan), {"from": 1, "to": 1}).status_code == 404
    _unchanged(plan)
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()
    assert CarePlanSection.objects.filter(plan=plan).count() == 2 and not CarePlanReview.objects.exists()


def test_a_person_without_a_current_plan_is_a_404(as_):
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    person = PersonFactory(location=lead.locations.get())
    assert as_(lead).get(reverse("api:api-care-plan", args=[person.public_id])).status_code == 404


def test_a_section_of_another_plan_is_a_404(as_):
    lead, plan = _plan()
    _, other = _plan()
    response = as_(lead).patch(_url("api-care-plan-section", plan, other.sections.first().public_id),
                               {"title": "Moved"}, version=1)
    assert response.status_code == 404
    _unchanged(plan)


def test_a_care_worker_reads_the_plan_but_every_write_is_a_404(as_):
    lead, plan = _plan()
    client = as_(_member(Role.CARE_WORKER, lead.locations.get()))
    read = client.get(_url("api-care-plan", plan))
    assert read.status_code == 200 and read["ETag"] == '"1"'
    assert client.patch(_url("api-care-plan", plan), {"summary": "Mine"}, version=1).status_code == 404
    assert client.post(_url("api-care-plan-sections", plan), _section_body(), version=1).status_code == 404
    assert client.post(_url("api-care-plan-approve", plan), version=1).status_code == 404
    assert client.post(_url("api-care-plan-reviews", plan), {"findings": "Fine"}, version=1).status_code == 404
    _unchanged(plan)


def test_a_senior_carer_records_reviews_but_cannot_change_or_approve_the_plan(as_):
    lead, plan = _plan()
    client = as_(_member(Role.SENIOR_CARER, lead.locations.get()))
    assert client.patch(_url("api-care-plan", plan), {"summary": "Mine"}, version=1).status_code == 404
    assert client.post(_url("api-care-plan-approve", plan), version=1).status_code == 404
    assert client.delete(_url("api-care-plan-section", plan, plan.sections.first().public_id), version=1).status_code == 404
    _unchanged(plan)
    response = client.post(_url("api-care-plan-reviews", plan), {"findings": "Skin intact", "person_involved": True},
                           version=1)
    assert response.status_code == 201 and response["ETag"] == '"2"'


def test_a_write_without_if_match_is_a_428_and_a_malformed_one_a_400(as_):
    lead, plan = _plan()
    client = as_(lead)
    missing = client.patch(_url("api-care-plan", plan), {"summary": "Mine"})
    assert missing.status_code == 428 and missing.json()["detail"] == plan_api.IF_MATCH_MISSING
    assert client.post(_url("api-care-plan-approve", plan)).status_code == 428
    assert client.delete(_url("api-care-plan-section", plan, plan.sections.first().public_id)).status_code == 428
    bad = client.client.patch(_url("api-care-plan", plan), {"summary": "Mine"}, content_type="application/json",
                              HTTP_IF_MATCH="*", **client.auth)
    assert bad.status_code == 400 and bad.json() == {"If-Match": [plan_api.IF_MATCH_INVALID]}
    _unchanged(plan)


def test_a_stale_if_match_is_a_412_with_the_current_version_and_the_changes_since(as_):
    lead, plan = _plan()
    services.update_plan(actor=Actor(user=lead.user), plan=plan, seen_version=1, summary="Her garden matters most")
    response = as_(lead).patch(_url("api-care-plan", plan), {"summary": "Mine"}, version=1)
    assert response.status_code == 412
    body = response.json()
    assert body["current_version"] == 2 and body["detail"] == services.STALE_MESSAGE
    assert [(change["where"], change["what"], change["after"]) for change in body["changes"]] == [
        ("The plan", "What matters most to the person", "Her garden matters most")]
    plan.refresh_from_db()
    assert (plan.summary, plan.version) == ("Her garden matters most", 2)
    again = as_(lead).patch(_url("api-care-plan", plan), {"summary": "Mine"}, version=body["current_version"])
    assert again.status_code == 200 and again.json()["summary"] == "Mine" and again["ETag"] == '"3"'


def test_a_stale_section_delete_or_approval_writes_nothing(as_):
    lead, plan = _plan()
    section = plan.sections.first()
    services.update_plan(actor=Actor(user=lead.user), plan=plan, seen_version=1, summary="Changed")
    client = as_(lead)
    assert client.delete(_url("api-care-plan-section", plan, section.public_id), version=1).status_code == 412
    assert client.post(_url("api-care-plan-approve", plan), version=1).status_code == 412
    assert client.post(_url("api-care-plan-sections", plan), _section_body(), version=1).status_code == 412
    plan.refresh_from_db()
    assert (plan.version, plan.approved_version, plan.sections.count()) == (2, None, 2)


def test_bad_fields_are_a_400_naming_each_field(as_):
    lead, plan = _plan()
    client = as_(lead)
    response = client.patch(_url("api-care-plan", plan), {"agreement": PersonAgreement.NOT_AGREED,
                                                          "review_interval_days": 0, "version": 3}, version=1)
    assert response.status_code == 400
    assert set(response.json()) == {"review_interval_days", "version"}
    assert response.json()["version"] == [UNKNOWN_FIELD_MESSAGE]
    why = client.patch(_url("api-care-plan", plan), {"agreement": PersonAgreement.NOT_AGREED}, version=1)
    assert why.status_code == 400
    assert why.json() == {"agreement_notes": [services.AGREEMENT_NOTES_MESSAGES[PersonAgreement.NOT_AGREED]]}
    _unchanged(plan)


# --- Building the plan from a needs assessment --------------------------------------------------


def _person(role=Role.LEAD_PRACTITIONER):
    """A member in `role` and a person at their location with a completed assessment: skin and falls
    needs, nothing needed for continence."""
    member = MembershipFactory(role=role)
    person = PersonFactory(location=member.locations.get())
    assessment = assessed(person, **{SKIN: "Waterlow 16", FALLS: "Two falls", NeedsArea.CONTINENCE: ""})
    return member, person, assessment


def _build_url(person):
    return reverse("api:api-care-plan", args=[person.public_id])


@pytest.mark.parametrize("role", [Role.LEAD_PRACTITIONER, Role.REGISTERED_MANAGER])
def test_a_lead_or_manager_builds_the_plan_with_a_section_for_each_area_with_needs(as_, role):
    member, person, assessment = _person(role)
    response = as_(member).post(_build_url(person), {"assessment": str(assessment.public_id)})
    assert response.status_code == 201 and response["ETag"] == '"1"'
    assert response["Location"] == _build_url(person)
    body = response.json()
    plan = CarePlan.objects.get(person=person)
    assert body["public_id"] == str(plan.public_id) and body["version"] == 1 and body["status"] == "active"
    assert plan.needs_assessment == assessment and plan.created_by == member.user
    assert [(s["area"], s["assessed_need"], s["outcome"]) for s in body["sections"]] == [
        (FALLS, "Two falls", "My words about mobility and falls"), (SKIN, "Waterlow 16", "My words about skin")]
    event = AuditEvent.objects.get(action=Action.CREATE, person=person)
    assert event.details["sections"] == [FALLS, SKIN]
    read = as_(member).get(_build_url(person))  # and it is the current plan, at the version the ETag gave
    assert read.status_code == 200 and read["ETag"] == '"1"' and read.json()["public_id"] == body["public_id"]


def test_the_areas_named_are_the_sections_built_even_one_without_needs(as_):
    lead, person, assessment = _person()
    response = as_(lead).post(_build_url(person), {"assessment": str(assessment.public_id),
                                                   "areas": [NeedsArea.CONTINENCE, SKIN]})
    assert response.status_code == 201
    assert [section["area"] for section in response.json()["sections"]] == [SKIN, NeedsArea.CONTINENCE]


@pytest.mark.parametrize(("areas", "field"), [
    ([NeedsArea.END_OF_LIFE_WISHES], "areas"),  # a real area, but the assessment did not cover it
    (["gardening"], "areas"),  # not an area at all
    ("skin", "areas"),  # not a list
])
def test_areas_the_assessment_did_not_cover_are_refused_and_nothing_is_built(as_, areas, field):
    lead, person, assessment = _person()
    response = as_(lead).post(_build_url(person), {"assessment": str(assessment.public_id), "areas": areas})
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not CarePlan.objects.exists() and not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_an_assessment_not_completed_or_of_someone_else_is_refused_beside_that_field(as_):
    lead, person, completed = _person()
    draft = NeedsAssessmentFactory(person=person, status=NeedsAssessment.Status.DRAFT, completed_on=None)
    neighbour = assessed(PersonFactory(location=person.location), **{SKIN: "Waterlow 20"})  # in scope, not theirs
    client = as_(lead)
    for assessment_id in [draft.public_id, neighbour.public_id, uuid.uuid4()]:
        response = client.post(_build_url(person), {"assessment": str(assessment_id)})
        assert response.status_code == 400, assessment_id
        assert response.json() == {"assessment": [services.NOT_COMPLETED_MESSAGE]}
    assert not CarePlan.objects.exists()
    assert client.post(_build_url(person), {"assessment": str(completed.public_id)}).status_code == 201


def test_a_second_plan_is_refused_while_one_is_current(as_):
    lead, person, assessment = _person()
    client = as_(lead)
    assert client.post(_build_url(person), {"assessment": str(assessment.public_id)}).status_code == 201
    again = client.post(_build_url(person), {"assessment": str(assessment.public_id)})
    assert again.status_code == 400 and again.json() == {"assessment": [services.ALREADY_ACTIVE_MESSAGE]}
    assert CarePlan.objects.filter(person=person).count() == 1


def test_a_build_body_must_name_an_assessment_and_nothing_else(as_):
    lead, person, assessment = _person()
    client = as_(lead)
    missing = client.post(_build_url(person), {})
    assert missing.status_code == 400 and list(missing.json()) == ["assessment"]
    extra = client.post(_build_url(person), {"assessment": str(assessment.public_id), "person": str(uuid.uuid4())})
    assert extra.status_code == 400 and extra.json() == {"person": [UNKNOWN_FIELD_MESSAGE]}
    assert not CarePlan.objects.exists()


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.SENIOR_CARER])
def test_a_role_that_may_not_build_gets_a_404_and_nothing_is_built(as_, role):
    lead, person, assessment = _person()
    client = as_(_member(role, person.location))
    assert client.post(_build_url(person), {"assessment": str(assessment.public_id)}).status_code == 404
    assert not CarePlan.objects.exists()


def test_a_person_out_of_scope_is_a_404_and_nothing_is_built(as_):
    _, person, assessment = _person()
    for stranger in [_member(Role.REGISTERED_MANAGER), _member(Role.LEAD_PRACTITIONER)]:  # another organisation
        assert as_(stranger).post(_build_url(person), {"assessment": str(assessment.public_id)}).status_code == 404
    lead = _member(Role.LEAD_PRACTITIONER)
    assert as_(lead).post(reverse("api:api-care-plan", args=[uuid.uuid4()]),
                          {"assessment": str(assessment.public_id)}).status_code == 404
    assert not CarePlan.objects.exists() and not AuditEvent.objects.exists()


def test_the_schema_documents_building_a_plan(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    build = schema["paths"]["/api/v1/people/{public_id}/care-plan/"]["post"]
    assert set(build["responses"]) == {"201", "400", "404"} and "ETag" in build["responses"]["201"]["headers"]
    body = schema["components"]["schemas"]["PlanBuildInputRequest"]
    assert body["required"] == ["assessment"] and set(body["properties"]) == {"assessment", "areas"}


# --- The plan ------------------------------------------------------------------------------------


def test_the_plan_reads_with_sections_actions_risks_and_states_and_is_audited(as_):
    lead, plan = _plan()
    risk = RiskAssessmentFactory(person=plan.person)
    section = plan.sections.get(area=SKIN)
    services.save_section(actor=Actor(user=lead.user), plan=plan, seen_version=1, section=section,
                          actions=[{"what": "Cream", "who": "Care workers", "when": "Mornings"}], risk_ids=[risk.public_id])
    response = as_(lead).get(_url("api-care-plan", plan))
    body = response.json()
    assert response["ETag"] == '"2"' and body["version"] == 2
    assert (body["approved"], body["review_state"], body["status"]) == (False, "in_date", "active")
    skin = next(row for row in body["sections"] if row["public_id"] == str(section.public_id))
    assert [action["what"] for action in skin["actions"]] == ["Cream"]
    assert skin["risks"] == [str(risk.public_id)] and skin["review_state"] == "in_date"
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.person, event.details) == (plan.person, {"tab": "plan"})


def test_a_lead_changes_the_plans_details_with_the_version_read(as_):
    lead, plan = _plan()
    response = as_(lead).patch(_url("api-care-plan", plan), {"summary": "Her garden", "resident_of_the_day": 12},
                               version=1)
    assert response.status_code == 200 and response["ETag"] == '"2"'
    assert (response.json()["summary"], response.json()["resident_of_the_day"]) == ("Her garden", 12)
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.details["fields"] == ["resident_of_the_day", "summary"]


def test_plan_reads_do_not_grow_with_sections(as_, django_assert_max_num_queries):
    lead, plan = _plan()
    client = as_(lead)
    client.get(_url("api-care-plan", plan))
    with CaptureQueriesContext(connection) as captured:
        client.get(_url("api-care-plan", plan))
    few = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    assert few > 0
    actor, version = Actor(user=lead.user), plan.version
    for number in range(8):
        services.save_section(actor=actor, plan=plan, seen_version=version, risk_ids=[
            RiskAssessmentFactory(person=plan.person).public_id], actions=[{"what": "x", "who": "y", "when": "z"}] * 2,
            **{key: value for key, value in _section_body(title=f"S{number}").items() if key != "actions"})
        version = plan.version
    with django_assert_max_num_queries(few):
        client.get(_url("api-care-plan", plan))


# --- Sections ------------------------------------------------------------------------------------


def test_a_lead_adds_a_section_with_actions_and_a_linked_risk(as_):
    lead, plan = _plan()
    risk = RiskAssessmentFactory(person=plan.person)
    response = as_(lead).post(_url("api-care-plan-sections", plan), _section_body(risks=[str(risk.public_id)]),
                              version=1)
    assert response.status_code == 201 and response["ETag"] == '"2"'
    body = response.json()
    assert body["title"] == "Eating and drinking" and body["risks"] == [str(risk.public_id)]
    assert [(action["what"], action["who"], action["how"]) for action in body["actions"]] == [
        ("Fortified milk", "Kitchen team", "")]


def test_a_risk_of_another_person_or_a_bad_action_row_is_a_400_and_nothing_is_saved(as_):
    lead, plan = _plan()
    client = as_(lead)
    elsewhere = RiskAssessmentFactory()
    risky = client.post(_url("api-care-plan-sections", plan), _section_body(risks=[str(elsewhere.public_id)]), version=1)
    assert risky.status_code == 400 and risky.json() == {"risks": [services.RISKS_MESSAGE]}
    row = client.post(_url("api-care-plan-sections", plan), _section_body(actions=[{"what": "Milk", "when": "Now"}]),
                      version=1)
    assert row.status_code == 400 and "who" in str(row.json()["actions"])
    blank = client.post(_url("api-care-plan-sections", plan), _section_body(outcome=""), version=1)
    assert blank.status_code == 400 and set(blank.json()) == {"outcome"}
    _unchanged(plan)
    assert plan.sections.count() == 2 and not SupportAction.objects.filter(what="Milk").exists()


def test_patching_a_section_keeps_actions_and_risks_not_sent_and_replaces_those_sent(as_):
    lead, plan = _plan()
    risk = RiskAssessmentFactory(person=plan.person)
    section = plan.sections.get(area=SKIN)
    services.save_section(actor=Actor(user=lead.user), plan=plan, seen_version=1, section=section,
                          actions=[{"what": "Cream", "who": "Care workers", "when": "Mornings"}], risk_ids=[risk.public_id])
    client, url = as_(lead), _url("api-care-plan-section", plan, section.public_id)
    titled = client.patch(url, {"title": "Skin care"}, version=2)
    assert titled.status_code == 200 and titled["ETag"] == '"3"'
    assert (titled.json()["title"], [a["what"] for a in titled.json()["actions"]], titled.json()["risks"]) == (
        "Skin care", ["Cream"], [str(risk.public_id)])
    kept = titled.json()["actions"][0]["public_id"]
    replaced = client.patch(url, {"actions": [{"id": kept, "what": "Barrier cream", "who": "Care workers",
                                               "when": "Mornings"}], "risks": []}, version=3)
    assert replaced.status_code == 200
    assert [(a["public_id"], a["what"]) for a in replaced.json()["actions"]] == [(kept, "Barrier cream")]
    assert replaced.json()["risks"] == []


def test_a_lead_removes_a_section(as_):
    lead, plan = _plan()
    section = plan.sections.first()
    response = as_(lead).delete(_url("api-care-plan-section", plan, section.public_id), version=1)
    assert response.status_code == 204 and response["ETag"] == '"2"'
    assert not CarePlanSection.objects.filter(pk=section.pk).exists()


# --- Approval, reviews, versions -----------------------------------------------------------------


def test_a_lead_approves_the_version_read_and_a_later_change_awaits_approval_again(as_):
    lead, plan = _plan()
    client = as_(lead)
    approved = client.post(_url("api-care-plan-approve", plan), version=1)
    assert approved.status_code == 200
    assert (approved.json()["approved"], approved.json()["approved_version"], approved["ETag"]) == (True, 1, '"1"')
    assert approved.json()["approved_by"] == lead.user.full_name
    changed = client.patch(_url("api-care-plan", plan), {"summary": "New"}, version=1)
    assert changed.json()["approved"] is False and changed.json()["approved_version"] == 1


def test_approval_refused_by_the_rules_is_a_400(as_):
    lead, plan = _plan()
    section = plan.sections.first()
    CarePlanSection.objects.filter(pk=section.pk).update(outcome="")
    response = as_(lead).post(_url("api-care-plan-approve", plan), version=1)
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [services.NO_OUTCOME_MESSAGE.format(title=section.title)]
    plan.refresh_from_db()
    assert plan.approved_version is None


def test_a_review_of_a_section_is_recorded_and_listed(as_):
    lead, plan = _plan()
    client = as_(lead)
    section = plan.sections.first()
    unknown = client.post(_url("api-care-plan-reviews", plan), {"findings": "x", "section": str(plan.public_id)},
                          version=1)
    assert unknown.status_code == 400 and unknown.json() == {"section": [plan_api.NO_SUCH_SECTION]}
    next_review = timezone.localdate() + timedelta(days=14)
    created = client.post(_url("api-care-plan-reviews", plan), {
        "findings": "Heels intact", "section": str(section.public_id), "next_review_on": next_review.isoformat(),
    }, version=1)
    assert created.status_code == 201
    assert (created.json()["section"], created.json()["plan_version"]) == (str(section.public_id), 2)
    section.refresh_from_db()
    assert section.review_on == next_review
    listed = client.get(_url("api-care-plan-reviews", plan))
    assert [row["findings"] for row in listed.json()["results"]] == ["Heels intact"]
    assert AuditEvent.objects.filter(action=Action.VIEW, details__list="reviews").count() == 1


def test_a_review_dated_in_the_future_is_a_400_naming_the_field(as_):
    lead, plan = _plan()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = as_(lead).post(_url("api-care-plan-reviews", plan), {"findings": "x", "reviewed_on": tomorrow.isoformat()},
                              version=1)
    assert response.status_code == 400 and response.json() == {"reviewed_on": [services.REVIEW_FUTURE_MESSAGE]}
    assert not CarePlanReview.objects.exists()


def test_versions_are_listed_and_any_two_compared(as_):
    lead, plan = _plan()
    client = as_(lead)
    client.patch(_url("api-care-plan", plan), {"summary": "Her garden and her cat"}, version=1)
    listed = client.get(_url("api-care-plan-versions", plan))
    assert [(row["version"], row["saved_by"]) for row in listed.json()["results"]] == [
        (2, lead.user.full_name), (1, lead.user.full_name)]
    compared = client.get(_url("api-care-plan-compare", plan), {"from": 1, "to": 2})
    assert compared.status_code == 200
    assert [change["sentence"] for change in compared.json()["changes"]] == [
        "The plan: What matters most to the person changed"]
    missing = client.get(_url("api-care-plan-compare", plan), {"from": 1, "to": 9})
    assert missing.status_code == 400 and missing.json() == {"to": [plan_api.NO_SUCH_VERSION]}
    assert client.get(_url("api-care-plan-compare", plan), {"to": 2}).json() == {"from": ["This field is required."]}
    assert AuditEvent.objects.filter(action=Action.VIEW, details__compare=[1, 2]).count() == 1


@pytest.mark.parametrize("name", ["api-care-plan-versions", "api-care-plan-reviews"])
def test_version_and_review_lists_do_not_grow_in_queries(as_, django_assert_max_num_queries, name):
    lead, plan = _plan()
    client, url = as_(lead), _url(name, plan)
    client.post(_url("api-care-plan-reviews", plan), {"findings": "Fine"}, version=1)  # one row: an empty page skips a query
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    expected = len(captured.captured_queries)  # read now: the next request outside a capture clears the log
    plan.refresh_from_db()
    for _ in range(5):
        client.post(_url("api-care-plan-reviews", plan), {"findings": "Fine"}, version=plan.version)
        plan.refresh_from_db()
    assert plan.version == 7 and expected > 0
    with django_assert_max_num_queries(expected):
        assert len(client.get(url).json()["results"]) == 6 + (name == "api-care-plan-versions")
