"""The journeys a person makes in a real browser, at desktop and phone widths, each page axe-clean.

Sign in with MFA (enrolling an authenticator on first sign-in), search for a person, open their
About Me, submit a form with a mistake and see the error summary (WCAG 2.2 AA via axe-core).
"""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.core.permissions import Role
from carelead.core.tests.browser.journey import assert_accessible, current_code, sign_in, sign_in_with_password
from carelead.organisations.tests.factories import MembershipFactory
from carelead.people.tests.factories import AboutMeFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes(page):
    membership = MembershipFactory(role=Role.CARE_WORKER)
    sign_in_with_password(page, membership.user.email)
    page.wait_for_url(re.compile("enrol|set-up|setup"))
    assert_accessible(page)
    assert page.locator(".carelead-qr svg").count() == 1
    secret = page.locator(".carelead-secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=membership.user)
    assert secret  # the secret is shown as text for people who cannot scan
    page.get_by_label(re.compile("code", re.I)).first.fill(current_code(device))
    page.get_by_role("button", name=re.compile("Continue|Confirm|Verify", re.I)).click()
    page.wait_for_url(re.compile("recovery"))
    assert_accessible(page)
    assert page.get_by_text(re.compile("recovery codes", re.I)).first.is_visible()


def test_staff_search_for_a_person_and_open_about_me(page):
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    location = lead.locations.get()
    PersonFactory.create_batch(5, location=location)
    person = PersonFactory(location=location, given_name="Winifred", family_name="Oakenshaw")
    AboutMeFactory(person=person, most_important="My cat, Bramble, and Radio 4 in the mornings.")
    PersonFactory(given_name="Winifred", family_name="Elsewhere")  # another organisation: never shown

    sign_in(page, lead)
    page.goto("/people/")
    assert_accessible(page)
    page.get_by_label(re.compile("Search", re.I)).first.fill("Oakensh")
    page.get_by_role("link", name=re.compile("Winifred Oakenshaw")).wait_for()
    assert page.get_by_text("Elsewhere").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Winifred Oakenshaw")).click()
    page.wait_for_url(re.compile(str(person.public_id)))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^About Me$", re.I)).first.click()
    page.get_by_text("My cat, Bramble").wait_for()
    assert_accessible(page)


def test_a_form_with_a_mistake_shows_the_error_summary(page):
    lead = MembershipFactory(role=Role.LEAD_PRACTITIONER)
    person = PersonFactory(location=lead.locations.get())
    sign_in(page, lead)
    page.goto(f"/people/{person.public_id}/edit/")
    assert_accessible(page)
    page.get_by_label(re.compile("NHS number", re.I)).fill("123 456 7890")
    page.get_by_role("button", name=re.compile("Save", re.I)).click()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    assert "NHS number" in summary.inner_text()
    assert page.locator(".nhsuk-error-message").first.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert_accessible(page)
