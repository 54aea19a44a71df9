"""Off-the-job hours in a real browser, at desktop and phone (390 px) widths, each page axe-clean and
never wider than the screen: the apprentice logs an hour and a half, their coach approves it from
the queue, and the apprentice sees it approved with the actual hours gone up."""

import re
from types import SimpleNamespace

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.apprenticeships.importer import load_snapshots
from carelead.apprenticeships.tests.factories import ApprenticeshipFactory
from carelead.core.tests.browser.journey import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def sign_in_as(page, user):
    """Sign in afresh: one authenticator per user, so a second sign-in is not refused as a replayed code."""
    page.context.clear_cookies()
    TOTPDevice.objects.filter(user=user).delete()
    sign_in(page, SimpleNamespace(user=user))


def checked(page):
    assert_accessible(page)
    assert_fits(page)


def test_the_apprentice_logs_hours_and_the_coach_approves_them(page):
    load_snapshots()
    apprenticeship = ApprenticeshipFactory(apprentice__full_name="Amara Okafor")
    tab = f"/apprenticeships/{apprenticeship.public_id}/otj/"

    sign_in_as(page, apprenticeship.apprentice)
    page.goto(tab)
    actual = page.locator("#otj-actual")
    assert actual.inner_text() == "0.0 hours"
    page.get_by_role("img", name="Off-the-job hours over time").wait_for()
    checked(page)
    page.get_by_role("link", name="Log off-the-job hours").click()
    page.wait_for_url(re.compile("/otj/new/$"))
    checked(page)
    page.get_by_role("button", name="Log hours").click()  # nothing filled in: each field says what it needs
    page.get_by_text("There is a problem").wait_for()
    checked(page)
    page.get_by_label("Day", exact=True).fill("7")
    page.get_by_label("Month", exact=True).fill("10")
    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_label("Hours", exact=True).fill("1")
    page.get_by_label("Minutes", exact=True).fill("30")
    page.get_by_label("Self-study or assignment").check()
    page.get_by_label("What you learned").fill("Read the Care Act guidance on eligibility and wrote notes")
    page.locator(".nhsuk-details__summary-text", has_text="Knowledge").click()
    page.locator("input[name=ksbs]").first.check()
    page.get_by_role("button", name="Log hours").click()
    page.wait_for_url(re.compile(r"/otj/[0-9a-f-]{36}/$"))
    page.get_by_text("1 h 30 min of off-the-job training logged").wait_for()
    assert page.locator(".nhsuk-tag", has_text="Waiting for the coach").first.is_visible()
    checked(page)

    sign_in_as(page, apprenticeship.coach)
    page.goto("/apprenticeships/otj/queue/")
    checked(page)
    page.get_by_label(re.compile("^Amara Okafor, 7 Oct 2025: 1 h 30 min")).check()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Save decisions").click()
    page.get_by_text("1 entry approved").wait_for()
    page.get_by_text("Nothing is waiting for your approval").wait_for()
    checked(page)

    sign_in_as(page, apprenticeship.apprentice)
    page.goto(tab)
    assert actual.inner_text() == "1.5 hours"
    assert page.locator(".nhsuk-tag", has_text="Approved").first.is_visible()
    checked(page)
    page.get_by_role("link", name="7 Oct 2025").click()
    page.get_by_text("Approved entries are locked").wait_for()
    assert page.get_by_role("link", name="Change this entry").count() == 0
    checked(page)
