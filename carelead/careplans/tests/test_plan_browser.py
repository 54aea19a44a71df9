"""The care plan in a real browser, at desktop and phone (390 px) widths, each page axe-clean and
never wider than the screen: a lead builds a plan from an assessment, adds a support action to a
section, and reads the plan with its review state in words."""

import re

import pytest

from carelead.careplans.tests.factories import RiskAssessmentFactory, assessed
from carelead.core.permissions import Role
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_a_lead_builds_a_plan_and_adds_support(page):
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    person = PersonFactory(location=lead.locations.get(), given_name="Winifred", family_name="Oakenshaw")
    assessed(person, skin="Waterlow 16: sore heels")
    RiskAssessmentFactory(person=person, title="Pressure damage to heels")
    sign_in(page, lead)
    page.goto(f"/people/{person.public_id}/")
    page.get_by_role("link", name="Care plan", exact=True).click()
    page.wait_for_url(re.compile("/plan/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Build a plan from an assessment").click()
    page.wait_for_url(re.compile("/plan/new/$"))
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Build the plan").click()
    page.wait_for_url(re.compile("/plan/$"))
    page.get_by_text("Awaiting approval: not yet approved").wait_for()
    assert_accessible(page)
    assert_fits(page)

    page.get_by_role("link", name="Change section Skin").click()
    page.get_by_label("What support is given").fill("Cream to both heels")
    page.get_by_label("Who gives it").fill("Care workers")
    page.get_by_label("When", exact=True).fill("Each morning")
    page.get_by_label(re.compile("^Pressure damage to heels")).check()
    assert_accessible(page)
    assert_fits(page)
    page.get_by_label("When", exact=True).press("Enter")  # Enter saves, as the Save button does
    page.wait_for_url(re.compile("/plan/$"))
    page.get_by_text("Cream to both heels").wait_for()
    assert page.get_by_role("link", name="Pressure damage to heels").is_visible()
    assert page.locator(".nhsuk-tag", has_text="In date").first.is_visible()
    assert_accessible(page)
    assert_fits(page)
