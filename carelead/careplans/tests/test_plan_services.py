"""Care plan services: who may, what is refused (and nothing saved), then what is saved, versioned and audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carelead.assessments.models import NeedsArea, NeedsAssessment
from carelead.careplans import plan_services as services
from carelead.careplans.diff import compare
from carelead.careplans.models import (
    CarePlan, CarePlanReview, CarePlanSection, CarePlanVersion, PersonAgreement, RiskStatus, SupportAction,
)
from carelead.careplans.tests.factories import (
    NeedsAssessmentFactory, RiskAssessmentFactory, action_rows, assessed,
)
from carelead.core.actor import Actor
from carelead.core.errors import NotAllowed, StaleEdit
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
SKIN, FALLS, DIET = NeedsArea.SKIN, NeedsArea.MOBILITY_AND_FALLS, NeedsArea.NUTRITION_AND_HYDRATION


def _staff(role=Role.LEAD_PRACTITIONER, location=None):
    if location is None:
        membership = MembershipFactory(role=role)
        location = membership.locations.get()
    else:
        membership = MembershipFactory(role=role, organisation=location.organisation, locations=[location])
    return Actor(user=membership.user), location


def _built(role=Role.LEAD_PRACTITIONER, **areas):
    """A lead's plan for a person with skin and falls needs (and an empty diet section)."""
    lead, location = _staff(Role.LEAD_PRACTITIONER)
    person = PersonFactory(location=location)
    areas = areas or {SKIN: "Waterlow 16", FALLS: "Two falls in October", DIET: ""}
    plan = services.build_plan(actor=lead, person=person, assessment=assessed(person, **areas))
    actor = lead if role == Role.LEAD_PRACTITIONER else _staff(role, location)[0]
    return actor, plan


# --- Who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CARE_WORKER, Role.SENIOR_CARER])
def test_only_leads_and_managers_build_change_and_approve_plans(role):
    actor, location = _staff(role)
    person = PersonFactory(location=location)
    with pytest.raises(NotAllowed):
        services.build_plan(actor=actor, person=person, assessment=assessed(person, skin="Sore heels"))
    _, plan = _built(role)
    writes = [
        lambda: services.update_plan(actor=actor, plan=plan, seen_version=1, summary="Changed"),
        lambda: services.save_section(actor=actor, plan=plan, seen_version=1, title="New", area=SKIN,
                                      assessed_need="x", outcome="y", actions=action_rows()),
        lambda: services.remove_section(actor=actor, plan=plan, seen_version=1, section=plan.sections.first()),
        lambda: services.approve_plan(actor=actor, plan=plan, seen_version=1),
    ]
    for write in writes:
        with pytest.raises(NotAllowed):
            write()
    plan.refresh_from_db()
    assert (plan.version, plan.summary, plan.approved_version, plan.sections.count()) == (1, "", None, 2)


def test_a_lead_at_another_location_cannot_build_a_plan():
    actor, _ = _staff()
    person = PersonFactory()
    with pytest.raises(NotAllowed):
        services.build_plan(actor=actor, person=person, assessment=assessed(person, skin="Sore heels"))
    assert not CarePlan.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_care_worker_cannot_record_a_review():
    actor, plan = _built(Role.CARE_WORKER)
    with pytest.raises(NotAllowed):
        services.record_review(actor=actor, plan=plan, seen_version=1, findings="Fine")
    assert not CarePlanReview.objects.exists()


@pytest.mark.parametrize("role", [Role.REGISTERED_MANAGER])
def test_a_registered_manager_builds_and_approves_like_a_lead(role):
    actor, location = _staff(role)
    person = PersonFactory(location=location)
    plan = services.build_plan(actor=actor, person=person, assessment=assessed(person, skin="Sore heels"))
    services.approve_plan(actor=actor, plan=plan, seen_version=1)
    assert plan.is_approved


# --- Building ------------------------------------------------------------------------------------


def test_a_plan_is_built_with_a_section_per_area_with_needs_in_the_assessments_order():
    actor, plan = _built()
    sections = list(plan.sections.order_by("position"))
    assert [s.area for s in sections] == [FALLS, SKIN]  # mobility comes before skin; the empty diet area is left out
    skin = sections[1]
    assert skin.title == "Skin" and skin.assessed_need == "Waterlow 16"
    assert skin.outcome == "My words about skin"  # the person's own view, for the editor to refine
    assert skin.source_section.area == SKIN
    assert plan.review_interval_days == 28
    assert plan.review_on == skin.review_on == timezone.localdate() + timedelta(days=28)
    assert (plan.version, plan.is_approved) == (1, False)
    [kept] = plan.versions.all()
    assert kept.version == 1 and [s["title"] for s in kept.snapshot["sections"]] == ["Mobility and falls", "Skin"]
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.person == plan.person and event.details == {"version": 1, "sections": [FALLS, SKIN]}


def test_the_areas_chosen_are_built_even_without_needs():
    lead, location = _staff()
    person = PersonFactory(location=location)
    assessment = assessed(person, skin="Sore heels", nutrition_and_hydration="")
    plan = services.build_plan(actor=lead, person=person, assessment=assessment, areas=[DIET])
    assert [s.area for s in plan.sections.all()] == [DIET]


def test_the_organisations_review_cycle_sets_the_review_dates():
    lead, location = _staff()
    location.organisation.plan_review_interval_days = 14
    location.organisation.save()
    person = PersonFactory(location=location)
    plan = services.build_plan(actor=lead, person=person, assessment=assessed(person, skin="Sore"))
    assert plan.review_interval_days == 14
    assert plan.review_on == plan.sections.get().review_on == timezone.localdate() + timedelta(days=14)


def test_a_second_active_plan_is_refused_beside_the_assessment():
    actor, plan = _built()
    with pytest.raises(ValidationError) as error:
        services.build_plan(actor=actor, person=plan.person, assessment=plan.needs_assessment)
    assert error.value.message_dict == {"assessment": [services.ALREADY_ACTIVE_MESSAGE]}
    assert CarePlan.objects.count() == 1


def test_a_draft_or_another_persons_assessment_is_refused():
    lead, location = _staff()
    person = PersonFactory(location=location)
    draft = NeedsAssessmentFactory(person=person, status=NeedsAssessment.Status.DRAFT)
    other = assessed(PersonFactory(location=location), skin="Sore")
    for assessment in (draft, other):
        with pytest.raises(ValidationError) as error:
            services.build_plan(actor=lead, person=person, assessment=assessment)
        assert error.value.message_dict == {"assessment": [services.NOT_COMPLETED_MESSAGE]}
    assert not CarePlan.objects.exists()


# --- Changing the plan ---------------------------------------------------------------------------


@pytest.mark.parametrize("agreement", [a for a in PersonAgreement if a != PersonAgreement.AGREED])
def test_agreement_other_than_agreed_needs_notes_saying_why_or_who(agreement):
    actor, plan = _built()
    with pytest.raises(ValidationError) as error:
        services.update_plan(actor=actor, plan=plan, seen_version=1, agreement=agreement, agreement_notes="  ")
    assert error.value.message_dict == {"agreement_notes": [services.AGREEMENT_NOTES_MESSAGES[agreement]]}
    assert CarePlan.objects.get().version == 1


def test_a_change_to_the_plan_is_saved_versioned_and_audited_by_field_name():
    actor, plan = _built()
    services.update_plan(actor=actor, plan=plan, seen_version=1, summary="Her garden", agreement=PersonAgreement.AGREED)
    plan.refresh_from_db()
    assert (plan.summary, plan.version) == ("Her garden", 2)
    latest = plan.versions.first()
    assert (latest.version, latest.saved_by, latest.change) == (2, actor.user, "Changed the plan's details")
    changes = compare(plan.versions.get(version=1).snapshot, latest.snapshot)
    assert {c.what for c in changes} == {"What matters most to the person", "The person's agreement"}
    event = AuditEvent.objects.filter(action=Action.UPDATE).get()
    assert event.details == {"version": 2, "fields": ["agreement", "summary"]}
    assert "Her garden" not in str(event.details)


def test_nothing_changed_is_not_a_new_version():
    actor, plan = _built()
    services.update_plan(actor=actor, plan=plan, seen_version=1, summary="")
    assert CarePlan.objects.get().version == 1 and CarePlanVersion.objects.count() == 1


def test_a_stale_version_is_refused_and_nothing_overwritten():
    actor, plan = _built()
    other = CarePlan.objects.get()
    services.update_plan(actor=actor, plan=other, seen_version=1, summary="First")
    with pytest.raises(StaleEdit):
        services.update_plan(actor=actor, plan=plan, seen_version=1, summary="Second")
    with pytest.raises(StaleEdit):  # even when the stale copy in memory agrees with the version seen
        services.save_section(actor=actor, plan=plan, seen_version=1, title="Extra", area=SKIN, assessed_need="n",
                              outcome="o", actions=action_rows())
    plan.refresh_from_db()
    assert (plan.summary, plan.version, plan.sections.count()) == ("First", 2, 2)


def test_a_review_date_moved_into_the_past_is_refused():
    actor, plan = _built()
    with pytest.raises(ValidationError) as error:
        services.update_plan(actor=actor, plan=plan, seen_version=1, review_on=date(2020, 1, 1))
    assert error.value.message_dict == {"review_on": [services.REVIEW_PAST_MESSAGE]}


# --- Sections and actions ------------------------------------------------------------------------


def test_a_section_is_saved_with_its_actions_and_risks_in_one_version():
    actor, plan = _built()
    risk = RiskAssessmentFactory(person=plan.person)
    section = services.save_section(
        actor=actor, plan=plan, seen_version=1, title="Eating", area=DIET, assessed_need="Weight loss",
        outcome="I want to enjoy my food", risk_ids=[risk.public_id],
        actions=action_rows({"what": "Offer snacks"}, {"what": "Weigh weekly", "when": "Mondays"}),
    )
    assert [a.what for a in section.actions.all()] == ["Offer snacks", "Weigh weekly"]
    assert list(section.risks.all()) == [risk]
    assert section.position == 2 and section.review_on == timezone.localdate() + timedelta(days=28)
    plan.refresh_from_db()
    assert plan.version == 2 and plan.versions.first().change == 'Added section "Eating"'
    kept = plan.versions.first().snapshot["sections"][-1]
    assert kept["risks"] == [{"id": str(risk.public_id), "title": risk.title}]
    assert [a["what"] for a in kept["actions"]] == ["Offer snacks", "Weigh weekly"]


def test_rows_left_out_are_deleted_kept_rows_updated_in_order():
    actor, plan = _built()
    section = plan.sections.get(area=SKIN)
    services.save_section(actor=actor, plan=plan, seen_version=1, section=section,
                          actions=action_rows({"what": "One"}, {"what": "Two"}))
    one, two = section.actions.all()
    services.save_section(actor=actor, plan=plan, seen_version=2, section=section,
                          actions=[{"id": two.public_id, "what": "Two, changed", "who": "Nurse", "when": "Daily",
                                    "how": ""}, {"what": "Three", "who": "Anyone", "when": "Daily", "how": ""}])
    assert [(a.what, a.position) for a in section.actions.all()] == [("Two, changed", 1), ("Three", 2)]
    assert not SupportAction.objects.filter(pk=one.pk).exists()
    assert SupportAction.objects.get(pk=two.pk).who == "Nurse"
    assert plan.version == 3


def test_a_bad_action_row_saves_nothing_and_names_the_row():
    actor, plan = _built()
    section = plan.sections.get(area=SKIN)
    with pytest.raises(ValidationError) as error:
        services.save_section(actor=actor, plan=plan, seen_version=1, section=section, title="Skin and heels",
                              actions=action_rows({"what": "Cream"}, {"what": "Turn", "who": ""}))
    assert error.value.message_dict["actions"] == ["Support action 2: This field cannot be blank."]
    section.refresh_from_db()
    plan.refresh_from_db()
    assert (section.title, section.actions.count(), plan.version) == ("Skin", 0, 1)
    assert CarePlanVersion.objects.count() == 1


def test_a_blank_section_field_is_refused_by_name():
    actor, plan = _built()
    with pytest.raises(ValidationError) as error:
        services.save_section(actor=actor, plan=plan, seen_version=1, title="", area=SKIN, assessed_need="n",
                              outcome="", actions=[])
    assert set(error.value.message_dict) == {"title", "outcome"}
    assert plan.sections.count() == 2


@pytest.mark.parametrize("whose", ["another person", "archived"])
def test_only_the_persons_current_risks_can_be_linked(whose):
    actor, plan = _built()
    if whose == "archived":
        risk = RiskAssessmentFactory(person=plan.person, status=RiskStatus.ARCHIVED)
    else:
        risk = RiskAssessmentFactory(person=PersonFactory(location=plan.person.location))
    section = plan.sections.get(area=SKIN)
    with pytest.raises(ValidationError) as error:
        services.save_section(actor=actor, plan=plan, seen_version=1, section=section, risk_ids=[risk.public_id])
    assert error.value.message_dict == {"risks": [services.RISKS_MESSAGE]}
    assert not section.risks.exists()


def test_saving_a_section_unchanged_is_not_a_new_version():
    actor, plan = _built()
    section = plan.sections.get(area=SKIN)
    services.save_section(actor=actor, plan=plan, seen_version=1, section=section, title="Skin")
    assert CarePlan.objects.get().version == 1


def test_a_section_is_added_from_the_assessment_once():
    actor, plan = _built()
    diet = plan.needs_assessment.sections.get(area=DIET)
    section = services.add_section_from_assessment(actor=actor, plan=plan, seen_version=1, source=diet)
    assert (section.title, section.outcome, plan.version) == ("Nutrition and hydration", "My words about nutrition and hydration", 2)
    with pytest.raises(ValidationError) as error:
        services.add_section_from_assessment(actor=actor, plan=plan, seen_version=2, source=diet)
    assert error.value.message_dict == {"source": [services.SECTION_TWICE_MESSAGE]}


def test_removing_a_section_keeps_it_in_earlier_versions():
    actor, plan = _built()
    section = plan.sections.get(area=SKIN)
    SupportAction.objects.create(section=section, what="Cream", who="Carers", when="Daily")
    services.remove_section(actor=actor, plan=plan, seen_version=1, section=section)
    assert not CarePlanSection.objects.filter(pk=section.pk).exists()
    assert not SupportAction.objects.exists()
    [change] = compare(plan.versions.get(version=1).snapshot, plan.versions.get(version=2).snapshot)
    assert (change.kind, change.before) == ("removed", "Skin")


# --- Approval ------------------------------------------------------------------------------------


def test_approval_names_the_version_and_a_later_change_needs_approving_again():
    actor, plan = _built()
    services.approve_plan(actor=actor, plan=plan, seen_version=1)
    plan.refresh_from_db()
    assert (plan.is_approved, plan.approved_version, plan.approved_by, plan.version) == (True, 1, actor.user, 1)
    services.update_plan(actor=actor, plan=plan, seen_version=1, summary="Changed")
    plan.refresh_from_db()
    assert (plan.is_approved, plan.approved_version, plan.version) == (False, 1, 2)


def test_approving_a_version_someone_has_since_changed_is_refused():
    actor, plan = _built()
    services.update_plan(actor=actor, plan=CarePlan.objects.get(), seen_version=1, summary="Changed")
    with pytest.raises(StaleEdit):
        services.approve_plan(actor=actor, plan=plan, seen_version=1)
    assert CarePlan.objects.get().approved_version is None


def test_a_plan_without_the_persons_outcome_or_sections_is_not_approved():
    actor, plan = _built()
    section = plan.sections.get(area=SKIN)
    CarePlanSection.objects.filter(pk=section.pk).update(outcome="")
    with pytest.raises(ValidationError) as error:
        services.approve_plan(actor=actor, plan=plan, seen_version=1)
    assert error.value.message_dict == {"__all__": [services.NO_OUTCOME_MESSAGE.format(title="Skin")]}
    plan.sections.all().delete()
    with pytest.raises(ValidationError) as error:
        services.approve_plan(actor=actor, plan=plan, seen_version=1)
    assert error.value.message_dict == {"__all__": [services.NO_SECTIONS_MESSAGE]}
    assert CarePlan.objects.get().approved_version is None


# --- Reviews -------------------------------------------------------------------------------------


def test_a_senior_carer_reviews_the_plan_and_the_next_date_follows_the_cycle():
    actor, plan = _built(Role.SENIOR_CARER)
    today = timezone.localdate()
    review = services.record_review(actor=actor, plan=plan, seen_version=1, reviewed_on=today, findings="All well",
                                    person_involved=True, person_views="Happy with it")
    plan.refresh_from_db()
    assert (plan.last_reviewed_on, plan.review_on, plan.version) == (today, today + timedelta(days=28), 2)
    assert (review.next_review_on, review.plan_version, review.section) == (today + timedelta(days=28), 2, None)
    assert plan.versions.first().change == "Reviewed the plan"
    assert AuditEvent.objects.filter(action=Action.CREATE, subject__startswith="careplans.CarePlanReview").exists()


def test_resident_of_the_day_sets_the_next_review():
    actor, plan = _built()
    services.update_plan(actor=actor, plan=plan, seen_version=1, resident_of_the_day=5)
    today = timezone.localdate()
    review = services.record_review(actor=actor, plan=plan, seen_version=2, reviewed_on=today, findings="Fine")
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    assert review.next_review_on == date(year, month, 5)


def test_a_section_review_moves_only_that_sections_date():
    actor, plan = _built(Role.SENIOR_CARER)
    section = plan.sections.get(area=SKIN)
    before = plan.review_on
    services.record_review(actor=actor, plan=plan, seen_version=1, section=section, findings="Heels healed",
                           next_review_on=timezone.localdate() + timedelta(days=7))
    section.refresh_from_db()
    plan.refresh_from_db()
    assert (section.review_on, plan.review_on, plan.last_reviewed_on) == (
        timezone.localdate() + timedelta(days=7), before, None)
    assert CarePlanReview.objects.get().section_title == "Skin"


def test_a_review_keeps_an_approved_plan_approved():
    lead, plan = _built()
    services.approve_plan(actor=lead, plan=plan, seen_version=1)
    services.record_review(actor=lead, plan=plan, seen_version=1, findings="Fine")
    plan.refresh_from_db()
    assert (plan.version, plan.is_approved) == (2, True)


def test_review_dates_are_checked():
    actor, plan = _built()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.record_review(actor=actor, plan=plan, seen_version=1, reviewed_on=today + timedelta(days=1),
                               findings="x", next_review_on=today)
    assert error.value.message_dict == {"reviewed_on": [services.REVIEW_FUTURE_MESSAGE],
                                        "next_review_on": [services.NEXT_REVIEW_MESSAGE]}
    with pytest.raises(ValidationError) as error:
        services.record_review(actor=actor, plan=plan, seen_version=1, findings="")
    assert "findings" in error.value.message_dict
    assert not CarePlanReview.objects.exists() and CarePlan.objects.get().version == 1


def test_a_plan_saved_by_someone_else_at_the_same_moment_is_refused_with_a_message(monkeypatch):
    actor, plan = _built()
    # The check for an active plan passed before the other lead's plan was committed: the constraint decides.
    monkeypatch.setattr(services.CarePlan.objects, "select_for_update", lambda: CarePlan.objects.none())
    with pytest.raises(ValidationError) as error:
        services.build_plan(actor=actor, person=plan.person, assessment=plan.needs_assessment)
    assert error.value.message_dict == {"assessment": [services.ALREADY_ACTIVE_MESSAGE]}
    assert CarePlan.objects.count() == 1
