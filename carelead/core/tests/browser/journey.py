"""What every browser journey does: sign in through the real pages and check a page with axe-core."""

import re

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.accounts.tests.factories import PASSWORD

AXE = Axe()


def assert_accessible(page):
    results = AXE.run(page)
    assert results.violations_count == 0, f"{page.url} ({page.viewport_name}):\n{results.generate_report()}"


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_password(page, email: str):
    page.goto("/account/sign-in/")
    assert_accessible(page)
    page.get_by_label(re.compile("^Email", re.I)).fill(email)
    page.get_by_label(re.compile("^Password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in|Continue", re.I)).click()


def sign_in(page, membership):
    device = TOTPDevice.objects.create(user=membership.user, name="Authenticator app", confirmed=True)
    sign_in_with_password(page, membership.user.email)
    page.wait_for_url(re.compile("second-factor|code"))
    assert_accessible(page)
    page.get_by_label(re.compile("code", re.I)).first.fill(current_code(device))
    page.get_by_role("button", name=re.compile("Continue|Sign in|Verify", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))
