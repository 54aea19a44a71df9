"""Browser fixtures: Debian's Chromium driven by Playwright (Python), never a downloaded browser."""

import os
import shutil

import pytest

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
def browser():
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
