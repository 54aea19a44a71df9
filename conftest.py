"""Shared fixtures: test-only settings, and `sign_in`, which logs a member of staff in past MFA."""

import os
import shutil

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = True
    settings.JOBS_RUN_INLINE = True  # core.jobs: a background job finishes before start() returns


def verify_session(client, user) -> TOTPDevice:
    """Mark the client's session as having passed the second factor with the user's TOTP device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def sign_in(client):
    """sign_in(membership_or_user) -> a client signed in as that user, through MFA."""

    def _sign_in(who, *, verified: bool = True):
        user = getattr(who, "user", who)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if verified:
            verify_session(client, user)
        return client

    return _sign_in


# --- Browser suite: Debian's Chromium driven by Playwright (Python), never a downloaded browser ---

CHROMIUM = os.environ.get("CARELEAD_CHROMIUM", "/usr/bin/chromium")
# No network here beyond the package registries: keep Chromium from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One Chromium for the whole browser suite, started after the test database exists: Playwright's
    sync API runs an event loop in this thread, and Django will not create a database under one."""
    from playwright.sync_api import sync_playwright

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")  # fail, never skip
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, browser, live_server, settings):
    # Some of Django's async-unsafe checks trip over Playwright's event loop in this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    context = browser.new_context(viewport=VIEWPORTS[request.param], base_url=live_server.url)
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    browser_page.viewport_name = request.param
    yield browser_page
    context.close()
