"""The pages that show what is due, in a real browser at desktop and phone widths, each axe-clean and
never wider than the screen (tables scroll inside their own region): the location status pages,
the DoLS part of the Mental capacity tab with its renewal warning and the request form's errors,
and the comparison of two versions of a care plan."""

import re

import pytest

from carelead.careplans import plan_services
from carelead.careplans.tests.factories import assessed
from carelead.core.actor import Actor
from carelead.core.permissions import Role
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.models import SettingType
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import PersonFactory
from carelead.reports.tests.factories import dols_granted, plan, risk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


@pytest.fixture
def lead():
    membership = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    location = membership.locations.get()
    location.setting_type = SettingType.CARE_HOME
    location.save()
    return membership


def test_status_pages_show_overdue_work_in_words(page, lead):
    person = PersonFactory(location=lead.locations.get(), given_name="Winifred", family_name="Oakenshaw")
    plan(person, review_in=-3)
    risk(person, review_in=2)
    sign_in(page, lead)
    page.get_by_role("link", name="Location status").first.click()
    page.wait_for_url(re.compile("/status/$"))
    row = page.get_by_role("row", name=re.compile(lead.locations.get().name))
    assert "Overdue" in row.inner_text()
    assert_accessible(page)
    assert_fits(page)
    page.get_by_role("link", name=lead.locations.get().name).click()
    page.get_by_role("link", name=re.compile("Winifred Oakenshaw")).first.wait_for()
    assert_accessible(page)
    assert_fits(page)


def test_the_dols_warning_and_request_form(page, lead):
    person = PersonFactory(location=lead.locations.get(), given_name="Winifred", family_name="Oakenshaw")
    dols_granted(person, ends_in=10)
    sign_in(page, lead)
    page.goto(f"/people/{person.public_id}/mental-capacity/")
    page.get_by_text("Deprivation of Liberty Safeguards authorisation ends soon").wait_for()
    assert page.locator(".nhsuk-tag", has_text="Renewal due").first.is_visible()
    assert "lacks capacity" not in page.locator("h1, h2").all_inner_texts()  # never about the person in general
    assert_accessible(page)
    assert_fits(page)

    page.get_by_role("button", name="Record a DoLS application").click()
    page.get_by_role("button", name="Record application").click()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert_accessible(page)
    assert_fits(page)


def test_comparing_two_versions_of_a_plan(page, lead):
    person = PersonFactory(location=lead.locations.get(), given_name="Winifred", family_name="Oakenshaw")
    actor = Actor(user=lead.user)
    care_plan = plan_services.build_plan(actor=actor, person=person,
                                         assessment=assessed(person, skin="Sore heels"))
    section = care_plan.sections.get()
    plan_services.save_section(actor=actor, plan=care_plan, seen_version=care_plan.version, section=section,
                               outcome="I want to walk to the garden without pain",
                               actions=[{"what": "Heel protectors in bed", "who": "Night staff", "when": "Every night",
                                         "how": ""}])
    sign_in(page, lead)
    page.goto(f"/people/{person.public_id}/plan/compare/?from=1&to=2")
    page.locator("ins", has_text="garden").first.wait_for()
    assert page.get_by_text("Heel protectors in bed").first.is_visible()
    assert_accessible(page)
    assert_fits(page)
