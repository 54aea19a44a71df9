"""The dashboards in a real browser, at desktop and phone widths: axe-clean, and the caseload's
table scrolls inside its own region rather than widening the page."""

import pytest
from django.core.management import call_command

from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.models import User
from carelead.accounts.tests.factories import PASSWORD
from carelead.core.tests.browser.journey import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def membership(email: str):
    """A demo user's membership, with the test password and only the device sign_in makes."""
    user = User.objects.get(email=email)
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    return user.memberships.get()


def test_the_demo_dashboards_are_accessible_for_coach_employer_and_apprentice(page):
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())
    sign_in(page, membership("coach@demo.carelead.test"))
    page.goto("/apprenticeships/caseload/")
    page.get_by_role("img", name="Apprentices by status").wait_for()
    assert_accessible(page)
    assert_fits(page)
    page.get_by_label("Sort by").select_option("rag")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**sort=rag**")
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, membership("manager@demo.carelead.test"))
    page.goto("/apprenticeships/employer/")
    page.get_by_text("Training plan version 1 for Tom Baxter").wait_for()
    assert_accessible(page)
    assert_fits(page)
    page.context.clear_cookies()
    sign_in(page, membership("lead@demo.carelead.test"))
    page.goto("/apprenticeships/mine/")
    page.get_by_text("Actions due").wait_for()
    assert_accessible(page)
    assert_fits(page)
