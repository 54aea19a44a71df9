"""A progress review in a real browser, at desktop and phone widths, each page axe-clean: the coach
starts the review (pre-filled), writes it with a SMART action and signs it, the apprentice signs,
the employer contact signs, and the review shows "Signed by all three". Each party uses a browser
context of their own."""

import re

import pytest
from django.utils import timezone

from carelead.apprenticeships.tests.factories import ApprenticeshipFactory, employer_contact_of
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def as_party(page, membership, base_url):
    """A fresh browser context (its own cookies) with the same screen size, signed in as `membership`."""
    context = page.context.browser.new_context(viewport=page.viewport_size, base_url=base_url)
    context.set_default_timeout(10_000)
    party = context.new_page()
    party.viewport_name = page.viewport_name
    sign_in(party, membership)
    return party


def open_review(page, apprenticeship):
    page.goto(f"/apprenticeships/{apprenticeship.public_id}/reviews/")
    page.get_by_role("table").get_by_role("link", name="Review 1", exact=True).click()
    page.wait_for_url(re.compile("/reviews/[0-9a-f-]+/$"))


def sign(page, apprenticeship):
    open_review(page, apprenticeship)
    assert_accessible(page)
    page.get_by_role("link", name="Sign review 1").click()
    page.wait_for_url(re.compile("/sign/$"))
    assert_accessible(page)
    assert_fits(page)
    page.get_by_label("I have read this progress review and agree it is a true record").check()
    page.get_by_role("button", name="Sign the review").click()
    page.wait_for_url(re.compile("/reviews/[0-9a-f-]+/$"))


def test_a_review_is_written_and_signed_by_all_three(page, reference_data, live_server):
    apprenticeship = ApprenticeshipFactory(apprentice__full_name="Priya Shah")
    contact = employer_contact_of(apprenticeship)
    coach = Membership.objects.get(user=apprenticeship.coach, organisation=apprenticeship.provider)
    apprentice = Membership.objects.get(user=apprenticeship.apprentice, organisation=apprenticeship.employer)
    today = timezone.localdate()

    sign_in(page, coach)
    page.goto(f"/apprenticeships/{apprenticeship.public_id}/")
    page.get_by_role("link", name="Progress reviews", exact=True).click()
    page.wait_for_url(re.compile("/reviews/$"))
    page.get_by_text("Next review due").wait_for()
    assert_accessible(page)
    assert_fits(page)
    page.get_by_role("button", name="Start review 1").click()
    page.wait_for_url(re.compile("/edit/$"))
    page.get_by_text("This is the first review.").wait_for()
    assert_accessible(page)
    assert_fits(page)

    page.locator("#id_held_on_0").fill(str(today.day))
    page.locator("#id_held_on_1").fill(str(today.month))
    page.locator("#id_held_on_2").fill(str(today.year))
    page.get_by_label("Progress since the last review").fill("Leads the morning handover with confidence.")
    page.get_by_label("The employer's comments (optional)").fill("A real asset to the team.")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("What will be done").fill("Complete the safeguarding adults module")
    page.get_by_label("How we will know it is done").fill("Certificate uploaded to the portfolio")
    page.get_by_label("Apprentice", exact=True).check()
    page.locator("#id_actions-0-due_on_0").fill("28")
    page.locator("#id_actions-0-due_on_1").fill("2")
    page.locator("#id_actions-0-due_on_2").fill(str(today.year + 1))
    page.get_by_role("button", name="Save the review").last.click()
    page.wait_for_url(re.compile("/reviews/[0-9a-f-]+/$"))
    page.get_by_text("Complete the safeguarding adults module").wait_for()
    sign(page, apprenticeship)
    page.get_by_text("Waiting for the apprentice's signature").first.wait_for()

    for membership in (apprentice, contact):
        party = as_party(page, membership, live_server.url)
        sign(party, apprenticeship)
        party.context.close()

    open_review(page, apprenticeship)
    page.get_by_text("Signed by all three").first.wait_for()
    assert page.get_by_role("link", name="Write the review").count() == 0
    assert_accessible(page)
    assert_fits(page)
