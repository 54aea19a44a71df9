"""The care plan tab: negative cases first (another location, roles, stale pages), then the pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carelead.assessments.models import NeedsArea
from carelead.careplans import plan_services
from carelead.careplans.models import CarePlan, CarePlanReview, CarePlanSection, SupportAction
from carelead.careplans.tests.factories import RiskAssessmentFactory, action_rows, assessed
from carelead.core.actor import Actor
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PLAN_URLS = ["plan", "plan-new", "plan-edit", "plan-section-new", "plan-approve", "plan-versions", "plan-compare",
             "plan-review"]
SECTION_URLS = ["plan-section-edit", "plan-section-remove"]


def _member(role=Role.LEAD_PRACTITIONER, location=None):
    if location is None:
        return MembershipFactory(role=role)
    return MembershipFactory(role=role, organisation=location.organisation, locations=[location])


def _plan(location=None, **areas):
    """A plan built by a lead at `location` (a new one if not given), with skin and falls sections."""
    lead = _member(location=location)
    person = PersonFactory(location=lead.locations.get())
    areas = areas or {NeedsArea.SKIN: "Sore heels", NeedsArea.MOBILITY_AND_FALLS: "Two falls"}
    return plan_services.build_plan(actor=Actor(user=lead.user), person=person, assessment=assessed(person, **areas)), lead


def _url(name, plan, section=None):
    args = [plan.person.public_id] + ([section.public_id] if section else [])
    return reverse(f"careplans:{name}", args=args)


def _section_post(section, version, **overrides) -> dict:
    review = timezone.localdate() + timedelta(days=20)
    data = {"seen_version": version, "title": section.title, "area": section.area, "assessed_need": section.assessed_need,
            "strengths": section.strengths, "outcome": section.outcome or "I want to stay well",
            "review_on_0": review.day, "review_on_1": review.month, "review_on_2": review.year,
            "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0",
            "actions-0-what": "Cream to heels", "actions-0-who": "Care workers", "actions-0-when": "Each morning",
            "actions-0-how": ""}
    data.update(overrides)
    return data


def test_every_url_is_a_404_for_a_person_at_another_location_and_nothing_is_written(sign_in):
    client = sign_in(_member(Role.REGISTERED_MANAGER))
    plan, _ = _plan()
    section = plan.sections.first()
    before = AuditEvent.objects.count()
    for name in PLAN_URLS:
        assert client.get(_url(name, plan)).status_code == 404, name
        assert client.post(_url(name, plan), {"seen_version": 1}).status_code in (404, 405), name
    for name in SECTION_URLS:
        assert client.get(_url(name, plan, section)).status_code == 404, name
        assert client.post(_url(name, plan, section), _section_post(section, 1)).status_code == 404, name
    plan.refresh_from_db()
    assert (plan.version, plan.sections.count(), AuditEvent.objects.count()) == (1, 2, before)


def test_a_section_of_another_plan_is_a_404_under_this_plans_url(sign_in):
    plan, lead = _plan()
    other, _ = _plan(location=lead.locations.get())
    client = sign_in(lead)
    for name in SECTION_URLS:
        url = reverse(f"careplans:{name}", args=[plan.person.public_id, other.sections.first().public_id])
        assert client.get(url).status_code == 404


def test_made_up_versions_to_compare_are_a_404(sign_in):
    plan, lead = _plan()
    client = sign_in(lead)
    for query in ("?from=1&to=9", "?from=x&to=1", "?from=0"):
        assert client.get(_url("plan-compare", plan) + query).status_code == 404, query


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.SENIOR_CARER])
def test_care_workers_and_senior_carers_cannot_change_or_approve_the_plan(sign_in, role):
    plan, lead = _plan()
    client = sign_in(_member(role, lead.locations.get()))
    section = plan.sections.first()
    for name in ["plan-new", "plan-edit", "plan-section-new", "plan-approve"]:
        assert client.get(_url(name, plan)).status_code == 404, name
        assert client.post(_url(name, plan), {"seen_version": 1}).status_code == 404, name
    for name in SECTION_URLS:
        assert client.post(_url(name, plan, section), _section_post(section, 1)).status_code == 404, name
    page = client.get(_url("plan", plan)).content.decode()
    assert "Change plan details" not in page and "Approve this version" not in page
    assert ("Record a review" in page) is (role == Role.SENIOR_CARER)
    assert client.get(_url("plan-review", plan)).status_code == (200 if role == Role.SENIOR_CARER else 404)
    plan.refresh_from_db()
    assert (plan.version, plan.approved_version) == (1, None)


# --- The plan page -------------------------------------------------------------------------------


def test_no_plan_explains_and_offers_a_lead_the_assessments(sign_in):
    lead = _member()
    person = PersonFactory(location=lead.locations.get())
    assessed(person, skin="Sore heels")
    client = sign_in(lead)
    page = client.get(reverse("careplans:plan", args=[person.public_id])).content.decode()
    assert "has no care and support plan yet" in page
    assert "Build a plan from an assessment" in page
    worker = sign_in(_member(Role.CARE_WORKER, lead.locations.get()))
    assert "Build a plan" not in worker.get(reverse("careplans:plan", args=[person.public_id])).content.decode()


def test_a_lead_builds_a_plan_from_the_assessment(sign_in):
    lead = _member()
    person = PersonFactory(location=lead.locations.get())
    assessment = assessed(person, skin="Sore heels")
    client = sign_in(lead)
    url = reverse("careplans:plan-new", args=[person.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"assessment": assessment.public_id})
    assert response.status_code == 302
    plan = CarePlan.objects.get(person=person)
    assert [s.title for s in plan.sections.all()] == ["Skin"]
    assert client.get(url).status_code == 302  # a second plan is not offered


def test_the_plan_page_shows_approval_review_state_sections_actions_and_risks(sign_in):
    plan, lead = _plan()
    actor = Actor(user=lead.user)
    skin = plan.sections.get(area=NeedsArea.SKIN)
    risk = RiskAssessmentFactory(person=plan.person, title="Pressure damage to heels")
    plan_services.save_section(actor=actor, plan=plan, seen_version=1, section=skin, risk_ids=[risk.public_id],
                               actions=action_rows({"what": "Cream to heels", "when": "Each morning"}))
    plan_services.approve_plan(actor=actor, plan=plan, seen_version=2)
    CarePlan.objects.filter(pk=plan.pk).update(review_on=timezone.localdate() + timedelta(days=3))
    client = sign_in(_member(Role.CARE_WORKER, lead.locations.get()))
    page = client.get(_url("plan", plan)).content.decode()
    assert f"Approved by {lead.user.full_name} on {timezone.localdate():%-d %b %Y} (version 2)" in page
    assert "nhsuk-tag--yellow\">Due<" in page  # in the due week: said in words, not only colour
    assert "Cream to heels" in page and "Each morning" in page
    assert "Pressure damage to heels" in page and reverse("careplans:risk-detail", args=[plan.person.public_id, risk.public_id]) in page
    assert "My words about skin" in page
    event = AuditEvent.objects.filter(action=Action.VIEW).latest("id")
    assert event.details == {"tab": "plan"} and event.person == plan.person


def test_the_plan_page_query_count_does_not_grow_with_sections(sign_in):
    counts = []
    for size in (1, 10):
        plan, lead = _plan(**{area: f"Need {area}" for area in list(NeedsArea.values)[:size]})
        actor = Actor(user=lead.user)
        for version, section in enumerate(plan.sections.all(), start=1):
            risk = RiskAssessmentFactory(person=plan.person)
            plan_services.save_section(actor=actor, plan=plan, seen_version=version, section=section,
                                       risk_ids=[risk.public_id], actions=action_rows({"what": "a"}, {"what": "b"}))
        client = sign_in(lead)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("plan", plan)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 30, counts


# --- Changing, conflicts, approval, versions, reviews ---------------------------------------------


def test_editing_a_section_with_actions_saves_them_in_one_version(sign_in):
    plan, lead = _plan()
    client = sign_in(lead)
    section = plan.sections.get(area=NeedsArea.SKIN)
    assert client.get(_url("plan-section-edit", plan, section)).status_code == 200
    response = client.post(_url("plan-section-edit", plan, section), _section_post(section, 1, title="Skin and heels"))
    assert response.status_code == 302, response.content.decode()[:3000]
    section.refresh_from_db()
    assert section.title == "Skin and heels" and [a.what for a in section.actions.all()] == ["Cream to heels"]
    assert CarePlan.objects.get().version == 2


def test_risks_ticked_on_the_section_page_are_linked_and_unticked_unlinked(sign_in):
    plan, lead = _plan()
    section = plan.sections.get(area=NeedsArea.SKIN)
    falls, choking = RiskAssessmentFactory(person=plan.person), RiskAssessmentFactory(person=plan.person, title="Choking")
    client = sign_in(lead)
    url = _url("plan-section-edit", plan, section)
    assert client.post(url, _section_post(section, 1, risks=[falls.public_id, choking.public_id])).status_code == 302
    assert set(section.risks.all()) == {falls, choking}
    page = client.get(url).content.decode()
    assert f'value="{falls.public_id}" checked' in page
    assert client.post(url, _section_post(section, 2, risks=[choking.public_id], **{
        "actions-INITIAL_FORMS": "1", "actions-0-id": str(section.actions.get().public_id)})).status_code == 302
    assert list(section.risks.all()) == [choking] and section.actions.count() == 1
    other = RiskAssessmentFactory(person=PersonFactory(location=plan.person.location))
    response = client.post(url, _section_post(section, 3, risks=[other.public_id]))
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_a_bad_action_row_is_shown_beside_the_row_and_nothing_is_saved(sign_in):
    plan, lead = _plan()
    client = sign_in(lead)
    section = plan.sections.get(area=NeedsArea.SKIN)
    response = client.post(_url("plan-section-edit", plan, section),
                           _section_post(section, 1, title="Changed", **{"actions-0-who": ""}))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode() and "Enter who gives it" in response.content.decode()
    section.refresh_from_db()
    assert (section.title, section.actions.count(), CarePlan.objects.get().version) == ("Skin", 0, 1)


def test_add_another_support_action_keeps_what_was_typed_without_errors(sign_in):
    plan, lead = _plan()
    client = sign_in(lead)
    section = plan.sections.get(area=NeedsArea.SKIN)
    response = client.post(_url("plan-section-edit", plan, section),
                           _section_post(section, 1, title="", add_action="1"))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" not in page
    assert 'name="actions-1-what"' in page and "Cream to heels" in page
    assert CarePlan.objects.get().version == 1


def test_two_editors_of_one_section_the_second_sees_the_change_and_decides(sign_in, client):
    plan, lead = _plan()
    section = plan.sections.get(area=NeedsArea.SKIN)
    url = _url("plan-section-edit", plan, section)
    other = _member(location=lead.locations.get())
    # A (the other lead) saves first, with the page opened at version 1.
    plan_services.save_section(actor=Actor(user=other.user), plan=CarePlan.objects.get(), seen_version=1,
                               section=CarePlanSection.objects.get(pk=section.pk), outcome="I want my heels to heal")
    # B saves from the page they opened at version 1: refused, with A's change shown and B's typing kept.
    browser = sign_in(lead)
    response = browser.post(url, _section_post(section, 1, title="B's title"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this plan while you were editing" in page
    assert other.user.full_name in page and "The outcome the person wants" in page and "<ins>" in page
    assert "B&#x27;s title" in page and 'name="seen_version" value="2"' in page
    assert "discard my changes" in page
    section.refresh_from_db()
    assert (section.title, section.outcome, CarePlan.objects.get().version) == ("Skin", "I want my heels to heal", 2)
    # B saves again, deliberately over A's version.
    response = browser.post(url, _section_post(section, 2, title="B's title", outcome="B's outcome"))
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.title, section.outcome, CarePlan.objects.get().version) == ("B's title", "B's outcome", 3)


def test_plan_details_form_asks_for_agreement_notes(sign_in):
    plan, lead = _plan()
    client = sign_in(lead)
    review = plan.review_on
    data = {"seen_version": 1, "summary": "Garden", "person_involvement": "", "agreement": "not_agreed",
            "agreement_notes": "", "review_interval_days": 28, "resident_of_the_day": "",
            "review_on_0": review.day, "review_on_1": review.month, "review_on_2": review.year}
    response = client.post(_url("plan-edit", plan), data)
    assert plan_services.AGREEMENT_NOTES_MESSAGES["not_agreed"] in response.content.decode()
    data["agreement_notes"] = "Wants to think about it with her son"
    assert client.post(_url("plan-edit", plan), data).status_code == 302
    assert CarePlan.objects.get().agreement == "not_agreed"


def test_approval_shows_what_changed_since_the_approved_version(sign_in):
    plan, lead = _plan()
    client = sign_in(lead)
    assert client.post(_url("plan-approve", plan), {"seen_version": 1}).status_code == 302
    plan_services.update_plan(actor=Actor(user=lead.user), plan=CarePlan.objects.get(), seen_version=1, summary="Garden")
    page = client.get(_url("plan-approve", plan)).content.decode()
    assert "What changed since version 1 was approved" in page and "What matters most to the person" in page
    assert client.post(_url("plan-approve", plan), {"seen_version": 1}).status_code == 200  # stale: refused
    assert CarePlan.objects.get().approved_version == 1
    assert client.post(_url("plan-approve", plan), {"seen_version": 2}).status_code == 302
    assert CarePlan.objects.get().is_approved


def test_versions_and_compare_show_deleted_and_inserted_words(sign_in):
    plan, lead = _plan()
    plan_services.update_plan(actor=Actor(user=lead.user), plan=plan, seen_version=1, summary="Her garden")
    plan_services.update_plan(actor=Actor(user=lead.user), plan=plan, seen_version=2, summary="Her allotment")
    client = sign_in(_member(Role.CARE_WORKER, lead.locations.get()))
    page = client.get(_url("plan-versions", plan)).content.decode()
    assert "Changed the plan&#x27;s details" in page and "Compare with version 2" in page
    page = client.get(_url("plan-compare", plan) + "?from=2&to=3").content.decode()
    assert "<del><span class=\"nhsuk-u-visually-hidden\">[removed: </span>garden" in page
    assert "<ins><span class=\"nhsuk-u-visually-hidden\">[added: </span>allotment" in page


def test_a_senior_carer_records_a_section_review(sign_in):
    plan, lead = _plan()
    section = plan.sections.get(area=NeedsArea.SKIN)
    client = sign_in(_member(Role.SENIOR_CARER, lead.locations.get()))
    today = timezone.localdate()
    page = client.get(_url("plan-review", plan) + f"?section={section.public_id}").content.decode()
    assert f'<option value="{section.public_id}" selected>' in page
    cycle = today + timedelta(days=28)
    assert f"follow the plan&#x27;s review cycle: {cycle.day} {cycle:%b %Y}" in page
    response = client.post(_url("plan-review", plan), {
        "seen_version": 1, "section": str(section.public_id), "reviewed_on_0": today.day,
        "reviewed_on_1": today.month, "reviewed_on_2": today.year, "findings": "Heels healed",
        "person_views": "", "changes_made": ""})
    assert response.status_code == 302
    review = CarePlanReview.objects.get()
    section.refresh_from_db()
    assert review.section == section and section.review_on == today + timedelta(days=28)


def test_removing_a_section_asks_first(sign_in):
    plan, lead = _plan()
    section = plan.sections.get(area=NeedsArea.SKIN)
    SupportAction.objects.create(section=section, what="x", who="y", when="z")
    client = sign_in(lead)
    assert "Are you sure" in client.get(_url("plan-section-remove", plan, section)).content.decode()
    assert client.post(_url("plan-section-remove", plan, section), {"seen_version": 1}).status_code == 302
    assert not CarePlanSection.objects.filter(pk=section.pk).exists()


def test_a_section_is_added_from_the_assessment(sign_in):
    plan, lead = _plan(**{NeedsArea.SKIN: "Sore heels", NeedsArea.CONTINENCE: ""})
    client = sign_in(lead)
    source = plan.needs_assessment.sections.get(area=NeedsArea.CONTINENCE)
    assert "Continence" in client.get(_url("plan-section-new", plan)).content.decode()
    response = client.post(_url("plan-section-new", plan), {"seen_version": 1, "source": source.pk})
    assert response.status_code == 302
    assert plan.sections.filter(source_section=source).exists()


def test_a_support_action_ticked_for_removal_is_removed_and_the_others_kept(sign_in):
    plan, lead = _plan()
    section = plan.sections.get(area=NeedsArea.SKIN)
    plan_services.save_section(actor=Actor(user=lead.user), plan=plan, seen_version=1, section=section,
                               actions=action_rows({"what": "Keep me"}, {"what": "Remove me"}))
    keep, remove = section.actions.all()
    rows = {"actions-TOTAL_FORMS": "3", "actions-INITIAL_FORMS": "2"}
    for index, action in enumerate((keep, remove)):
        rows.update({f"actions-{index}-id": str(action.public_id), f"actions-{index}-what": action.what,
                     f"actions-{index}-who": action.who, f"actions-{index}-when": action.when})
    rows["actions-1-DELETE"] = "on"
    rows.update({"actions-2-what": "", "actions-2-who": "", "actions-2-when": ""})  # the blank extra row
    response = sign_in(lead).post(_url("plan-section-edit", plan, section), _section_post(section, 2, **rows))
    assert response.status_code == 302
    assert [a.what for a in section.actions.all()] == ["Keep me"]


def test_plan_details_changed_by_someone_else_are_shown_and_kept_until_saved_again(sign_in):
    plan, lead = _plan()
    other = _member(location=lead.locations.get())
    plan_services.update_plan(actor=Actor(user=other.user), plan=CarePlan.objects.get(), seen_version=1,
                              summary="Her garden and her cat")
    review = plan.review_on
    data = {"seen_version": 1, "summary": "Seeing her son", "person_involvement": "", "agreement": "not_yet",
            "agreement_notes": "", "review_interval_days": 28, "resident_of_the_day": "",
            "review_on_0": review.day, "review_on_1": review.month, "review_on_2": review.year}
    client = sign_in(lead)
    page = client.post(_url("plan-edit", plan), data).content.decode()
    assert "Someone else changed this plan" in page and "Her garden and her cat" in page
    assert "Seeing her son" in page and 'name="seen_version" value="2"' in page
    assert CarePlan.objects.get().summary == "Her garden and her cat"
    assert client.post(_url("plan-edit", plan), {**data, "seen_version": 2}).status_code == 302
    assert CarePlan.objects.get().summary == "Seeing her son"


def test_the_versions_page_query_count_does_not_grow_with_versions(sign_in):
    counts = []
    for size in (1, 12):
        plan, lead = _plan()
        for version in range(1, size):
            plan_services.update_plan(actor=Actor(user=lead.user), plan=plan, seen_version=version, summary=f"v{version}")
        client = sign_in(lead)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(_url("plan-versions", plan)).content.decode()
        assert f"Compare with version {size - 1}" in page or size == 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
