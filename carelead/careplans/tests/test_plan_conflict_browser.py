"""Issue 4's whole chain in real browsers: a lead practitioner scores a Waterlow, writes the skin
section of a needs assessment from it, completes the assessment and builds the plan; then two
people edit the same plan section at once, in two browsers, and the second sees what the first
changed before deciding; finally the plan prints as a PDF. Every page axe-clean, at desktop and
phone widths."""

import re

import pytest

from carelead.careplans.models import CarePlan
from carelead.core.models import Action, AuditEvent
from carelead.core.permissions import Role
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, question: str, option: str):
    page.get_by_role("group", name=question, exact=True).get_by_label(option, exact=True).check()


def score_waterlow(page, person):
    page.goto(f"/people/{person.public_id}/scores/waterlow/new/")
    answer(page, "Build: weight for height", "Below average (BMI under 20)")  # 3
    page.get_by_label("Dry", exact=True).check()  # 1
    answer(page, "Sex", "Female")  # 2
    page.get_by_label(re.compile("^Age")).fill("84")  # 5
    answer(page, "Have they lost weight recently?", "Yes")
    answer(page, "If yes, how much weight have they lost?", "5 to 10 kg")  # 2
    answer(page, "Are they eating poorly or lacking appetite?", "Yes")  # 1
    answer(page, "Continence", "Urinary incontinence")  # 1
    answer(page, "Mobility", "Restricted")  # 3
    answer(page, "Neurological deficit", "None")
    answer(page, "Have they had orthopaedic or spinal surgery?", "No")
    answer(page, "Time on the operating table in the last 48 hours", "None, or 2 hours or less")
    answer(page, "Are they taking cytotoxics, long-term or high-dose steroids, or anti-inflammatories?", "No")
    page.get_by_role("button", name="Save score").click()
    page.get_by_text("Waterlow scored 18: high risk").wait_for()


def assess_skin_and_build_the_plan(page, person):
    page.goto(f"/people/{person.public_id}/assessments/")
    page.get_by_role("button", name="Start a needs assessment").click()
    page.get_by_role("link", name="Write skin", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Their view, in their own words").fill("I want my heels to stop hurting")
    page.get_by_role("textbox", name="Needs (optional)").fill("Red, sore heels; high risk of pressure damage")
    page.get_by_label("Tools used (optional)").fill("Waterlow 18 (high risk)")
    page.get_by_role("button", name="Save skin").click()
    page.get_by_role("link", name=re.compile("^Complete")).click()
    page.get_by_role("button", name="Yes, complete it").click()

    page.get_by_role("link", name="Care plan", exact=True).click()
    page.get_by_role("button", name="Build a plan from an assessment").click()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Build the plan").click()
    page.wait_for_url(re.compile("/plan/$"))
    page.get_by_role("heading", name="Skin").wait_for()
    assert page.get_by_text("I want my heels to stop hurting").is_visible()  # the person's words, carried over
    assert_accessible(page)


def test_score_assess_build_edit_in_two_browsers_and_print(page, browser, live_server):
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    location = lead.locations.get()
    manager = MembershipFactory(role=Role.REGISTERED_MANAGER, organisation=lead.organisation, locations=[location])
    person = PersonFactory(location=location, given_name="Winifred", family_name="Oakenshaw")
    sign_in(page, lead)
    score_waterlow(page, person)
    assess_skin_and_build_the_plan(page, person)
    plan = CarePlan.objects.get(person=person)

    # The manager opens the same section in a second browser before the lead saves.
    other = browser.new_context(viewport=page.viewport_size, base_url=live_server.url)
    other.set_default_timeout(10_000)
    second = other.new_page()
    second.viewport_name = page.viewport_name
    sign_in(second, manager)
    second.goto(f"/people/{person.public_id}/plan/")
    second.get_by_role("link", name="Change section Skin").click()
    second.get_by_label("What support is given").fill("Heel protectors in bed")
    second.get_by_label("Who gives it").fill("Night staff")
    second.get_by_label("When", exact=True).fill("Every night")

    page.get_by_role("link", name="Change section Skin").click()
    page.get_by_label("The outcome the person wants, in their words").fill("I want to walk to the garden without pain")
    page.get_by_role("button", name="Save section").click()
    page.wait_for_url(re.compile("/plan/$"))

    # The manager's save is refused: they see who changed what, and their own typing is kept.
    second.get_by_role("button", name="Save section").click()
    callout = second.get_by_role("alert").filter(has_text="Someone else changed this plan while you were editing")
    callout.wait_for()
    assert lead.user.full_name in callout.inner_text()
    assert "walk to the garden without pain" in callout.inner_text()
    assert second.get_by_label("What support is given").input_value() == "Heel protectors in bed"
    assert_accessible(second)
    plan.refresh_from_db()
    saved_by_lead = plan.version
    assert not plan.sections.get().actions.exists()

    # Having seen the change, the manager keeps the lead's outcome and saves their support again.
    second.get_by_label("The outcome the person wants, in their words").fill("I want to walk to the garden without pain")
    second.get_by_role("button", name="Save section").click()
    second.wait_for_url(re.compile("/plan/$"))
    second.get_by_text("Heel protectors in bed").wait_for()
    assert second.get_by_text("walk to the garden without pain").is_visible()
    plan.refresh_from_db()
    assert plan.version == saved_by_lead + 1
    other.close()

    # Print: the link on the plan gives a PDF, and printing is audited as an export.
    page.reload()
    link = page.get_by_role("button", name=re.compile("^Print the care plan"))
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert AuditEvent.objects.filter(person=person, action=Action.EXPORT, actor=lead.user).exists()
