"""The training plan in a real browser, at desktop and phone widths, each page axe-clean: the coach
starts the plan, adds an activity with a KSB and signs it, records the apprentice's signature
obtained on paper, and the employer contact signs online, so the plan shows "Agreed and locked"."""

import re

import pytest
from django.utils import timezone

from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.apprenticeships.tests.test_review_browser import as_party, assert_fits
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page):
    assert_accessible(page)
    assert_fits(page)


def fill_date(page, name, day):
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f"#id_{name}_{part}").fill(str(value))


def test_a_plan_is_written_and_signed_by_all_three(page, reference_data, live_server):
    apprenticeship = ApprenticeshipFactory(apprentice__full_name="Priya Shah")
    contact = employer_contact_of(apprenticeship)
    coach = Membership.objects.get(user=apprenticeship.coach, organisation=apprenticeship.provider)
    plan_url = re.compile(r"/plan/$")

    sign_in(page, coach)
    page.goto(f"/apprenticeships/{apprenticeship.public_id}/")
    check(page)
    page.get_by_role("link", name="Training plan", exact=True).click()
    page.wait_for_url(plan_url)
    check(page)
    page.get_by_role("link", name="Start the training plan").click()
    check(page)
    page.get_by_role("button", name="Start version 1").click()
    page.wait_for_url(plan_url)
    page.get_by_role("link", name="Add an activity").click()
    check(page)
    page.get_by_role("button", name="Save activity").click()  # nothing filled in: every message beside its field
    page.locator(".nhsuk-error-summary").wait_for()
    check(page)
    page.get_by_label("Type of activity").select_option("zoom_taught_session")
    page.get_by_label("Title").fill("Safeguarding adults at risk")
    page.get_by_label("Planned hours").fill("3")
    fill_date(page, "planned_from", apprenticeship.start_date)
    fill_date(page, "planned_to", apprenticeship.start_date)
    page.get_by_label("Training provider").check()
    page.locator("input[name=ksbs_knowledge]").first.check()
    page.get_by_role("button", name="Save activity").click()
    page.wait_for_url(plan_url)
    page.get_by_role("cell", name=re.compile("Safeguarding adults at risk")).first.wait_for()
    check(page)

    page.get_by_role("link", name="Sign version 1").click()
    check(page)
    page.get_by_label("I have read this version of the training plan and agree to it").check()
    page.get_by_role("button", name="Sign the training plan").click()
    page.wait_for_url(plan_url)
    page.get_by_role("link", name="Record a signature obtained offline").click()
    check(page)
    page.get_by_label("The apprentice").check()
    page.get_by_label("Name of the person who signed").fill("Priya Shah")
    fill_date(page, "obtained_on", timezone.localdate())
    page.get_by_label("How it was obtained").fill("Signed paper copy")
    page.get_by_role("button", name="Record the signature").click()
    page.wait_for_url(plan_url)
    page.get_by_text("Obtained offline from Priya Shah").wait_for()

    employer = as_party(page, contact, live_server.url)
    employer.goto(f"/apprenticeships/{apprenticeship.public_id}/plan/")
    employer.get_by_role("link", name="Sign version 1").click()
    employer.get_by_label("I have read this version of the training plan and agree to it").check()
    employer.get_by_role("button", name="Sign the training plan").click()
    employer.wait_for_url(plan_url)
    employer.get_by_text("Agreed and locked").first.wait_for()
    check(employer)
    employer.context.close()

    page.reload()
    page.get_by_role("link", name="Start a new version").wait_for()
    assert page.get_by_role("link", name="Add an activity").count() == 0
