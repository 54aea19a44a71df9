"""The sign-in and account pages in a real browser, at desktop and phone widths, each axe-clean."""

import re

import pytest

from carelead.accounts import services
from carelead.accounts.forms import CODE_WRONG, PASSWORDS_DIFFERENT, SIGN_IN_FAILED
from carelead.accounts.models import ApiToken, hash_token
from carelead.accounts.tests.factories import PASSWORD, UserFactory
from carelead.accounts.tests.helpers import give_authenticator
from carelead.core.tests.browser.journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def submit_password(page, email, password):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_mistakes_and_the_lockout_page(page):
    user = UserFactory()
    page.goto("/account/sign-in/")
    assert_accessible(page)
    submit_password(page, user.email, "wrong")
    summary = page.locator(".nhsuk-error-summary")
    assert SIGN_IN_FAILED in summary.inner_text()
    assert_accessible(page)
    for _ in range(4):
        submit_password(page, user.email, "wrong")
    assert page.get_by_role("heading", name="Your account is locked").is_visible()
    assert_accessible(page)


def test_second_factor_recovery_code_and_the_account_page(page):
    user = UserFactory()
    give_authenticator(user)
    recovery_code = services.create_recovery_codes(user)[0]
    ApiToken.objects.create(user=user, name="Rota script", prefix="abcd1234", key_hash=hash_token("x"))
    submit_password(page, user.email, PASSWORD)
    page.wait_for_url(re.compile("security-code"))
    assert_accessible(page)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert CODE_WRONG in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)

    page.get_by_text("I cannot use my authenticator app").click()
    page.get_by_label("Recovery code").fill(recovery_code)
    page.get_by_role("button", name="Use recovery code").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/account/")
    assert page.get_by_role("heading", name="Rota script").is_visible()
    assert_accessible(page)
    page.get_by_label("Token name").fill("Reporting")
    page.get_by_role("button", name="Create token").click()
    assert page.locator("#token-key").inner_text().startswith(ApiToken.objects.get(name="Reporting").prefix)
    assert_accessible(page)

    page.goto("/account/password/")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("lantern-orchard-biscuit-thunder")
    page.get_by_label("Enter your new password again").fill("something-else-entirely-here")
    page.get_by_role("button", name="Change password").click()
    assert PASSWORDS_DIFFERENT in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)

    page.goto("/account/")
    page.get_by_role("button", name="Get new recovery codes").click()
    page.wait_for_url(re.compile("recovery-codes"))
    assert page.locator("#recovery-codes li").count() == 10
    assert_accessible(page)

    page.goto("/account/authenticator/change/")
    assert page.locator(".carelead-qr svg").is_visible()
    assert_accessible(page)
