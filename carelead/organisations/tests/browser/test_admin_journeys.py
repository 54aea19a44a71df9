"""An organisation admin's journeys in a real browser, at desktop and phone widths, each page axe-clean:
add a location (a mistake first), invite someone, and the invitee joins from the emailed link."""

import re

import pytest
from django.core import mail

from carelead.core.actor import Actor
from carelead.core.permissions import Role
from carelead.core.tests.browser.journey import assert_accessible, sign_in
from carelead.organisations.models import Invitation, Location, Membership
from carelead.organisations.services import invite_staff
from carelead.organisations.tests.factories import LocationFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_adds_a_location_and_invites_staff(page):
    admin = MembershipFactory(role=Role.ORG_ADMIN, all_locations=True)
    LocationFactory(organisation=admin.organisation, name="Willow Court")
    sign_in(page, admin)
    page.goto("/organisation/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Manage locations")).click()
    page.wait_for_url(re.compile("/organisation/locations/"))
    assert_accessible(page)

    page.get_by_role("button", name="Add a location").click()
    page.get_by_label("Location name").fill("Rosewood House")
    page.get_by_label("Care home with nursing").check()
    page.get_by_label(re.compile("^CQC location ID")).fill("1-12345678")
    page.get_by_role("button", name="Save location").click()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "1- then 9 to 11 digits" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert_accessible(page)
    page.get_by_label(re.compile("^CQC location ID")).fill("1-123456789")
    page.get_by_role("button", name="Save location").click()
    page.get_by_text("Rosewood House has been added").wait_for()
    assert_accessible(page)
    assert Location.objects.filter(name="Rosewood House", organisation=admin.organisation).exists()

    page.goto("/organisation/staff/")
    assert_accessible(page)
    page.get_by_role("button", name="Invite staff").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Amara Okafor")
    page.get_by_label("Email address").fill("amara@example.org")
    page.get_by_label("Senior carer").check()
    page.get_by_label("Rosewood House").check()
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("We have sent an invitation to amara@example.org").wait_for()
    assert_accessible(page)
    assert Invitation.objects.get().email == "amara@example.org"


def test_an_admin_changes_a_role_then_ends_it(page):
    admin = MembershipFactory(role=Role.ORG_ADMIN, all_locations=True)
    worker = MembershipFactory(role=Role.CARE_WORKER, organisation=admin.organisation)
    sign_in(page, admin)
    page.goto("/organisation/staff/")
    page.get_by_role("link", name=worker.user.full_name).click()
    page.wait_for_url(re.compile("/edit/"))
    assert_accessible(page)
    page.get_by_label("Senior carer").check()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text(f"{worker.user.full_name}'s role has been updated").wait_for()
    page.get_by_role("link", name=worker.user.full_name).click()
    page.get_by_role("button", name=re.compile("^End ")).click()
    page.wait_for_url(re.compile("/end/"))
    assert_accessible(page)
    page.get_by_role("button", name="Yes, end this role").click()
    page.get_by_text("has ended").wait_for()
    worker.refresh_from_db()
    assert worker.role == Role.SENIOR_CARER and worker.ended_at is not None


def test_an_invitee_joins_from_the_emailed_link(page):
    admin = MembershipFactory(role=Role.ORG_ADMIN, all_locations=True)
    invite_staff(actor=Actor(user=admin.user), organisation=admin.organisation, email="amara@example.org",
                 full_name="Amara Okafor", role=Role.CARE_WORKER, all_locations=True)
    link = re.search(r"https?://\S+/organisation/invitations/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link[link.index("/organisation/"):])
    assert_accessible(page)
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Enter the password again").fill("short")
    page.get_by_role("button", name="Create account and join").click()
    page.locator(".nhsuk-error-summary").wait_for()
    assert_accessible(page)
    page.get_by_label("Create a password").fill("plum-orchard-kettle-41")
    page.get_by_label("Enter the password again").fill("plum-orchard-kettle-41")
    page.get_by_role("button", name="Create account and join").click()
    page.wait_for_url(re.compile("authenticator/set-up"))
    assert Membership.objects.filter(user__email="amara@example.org", organisation=admin.organisation).exists()
    page.goto(link[link.index("/organisation/"):])
    page.get_by_role("heading", name="This invitation link has expired or been used").wait_for()
    assert_accessible(page)
